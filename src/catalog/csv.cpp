#include "catalog/csv.h"

#include "catalog/import.h"

namespace cinerec {

bool csv_quotes_balanced(std::string_view text) {
  std::size_t quotes = 0;
  for (char c : text) quotes += c == '"';
  return quotes % 2 == 0;
}

Result<std::vector<CsvRow>> parse_csv(std::string_view text, std::size_t first_line) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  std::size_t line = first_line;
  std::size_t i = 0;
  bool row_started = false;
  auto error_at = [&](std::size_t offset, const std::string& what) {
    auto [l, c] = line_and_column(text, offset);
    return Error{"line " + std::to_string(first_line + l - 1) + ", column " + std::to_string(c) + ": " + what};
  };
  auto end_row = [&]() {
    row.fields.push_back(std::move(field));
    field.clear();
    bool blank = row.fields.size() == 1 && row.fields[0].empty();
    if (!blank) rows.push_back(std::move(row));
    row = CsvRow{};
    row_started = false;
  };
  while (i < text.size()) {
    if (!row_started) {
      row.line = line;
      row_started = true;
    }
    char c = text[i];
    if (c == '"') {
      if (!field.empty()) return error_at(i, "quote inside an unquoted field");
      std::size_t open = i++;
      bool closed = false;
      while (i < text.size()) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if (text[i] == '\n') ++line;
        field += text[i++];
      }
      if (!closed) return error_at(open, "quoted field is never closed");
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
        return error_at(i, "unexpected character after a closing quote");
      continue;
    }
    if (c == ',') {
      row.fields.push_back(std::move(field));
      field.clear();
      ++i;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      i += 2;
      ++line;
      end_row();
    } else if (c == '\n') {
      ++i;
      ++line;
      end_row();
    } else {
      field += c;
      ++i;
    }
  }
  if (row_started) end_row();
  return rows;
}

}  // namespace cinerec
