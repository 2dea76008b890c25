#include "embed/dotenv.h"

#include <cctype>
#include <fstream>
#include <sstream>
#include <system_error>

#include "common/text.h"

namespace cinerec {
namespace {

bool is_name_char(char c, bool first) {
  const auto u = static_cast<unsigned char>(c);
  if (std::isalpha(u) || c == '_') return true;
  return !first && (std::isdigit(u) || c == '.' || c == '-');
}

}  // namespace

Result<std::vector<DotenvEntry>> parse_dotenv(std::string_view text, std::string_view origin) {
  std::vector<DotenvEntry> entries;
  int line_no = 0;
  std::size_t pos = 0;
  // Skip a UTF-8 byte order mark written by some editors.
  if (text.starts_with("\xEF\xBB\xBF")) pos = 3;
  const auto error = [&](int line, const std::string& what) {
    return Error{std::string(origin) + ":" + std::to_string(line) + ": " + what};
  };
  while (pos <= text.size()) {
    if (pos == text.size()) break;
    ++line_no;
    const std::size_t eol = text.find('\n', pos);
    std::string_view raw = text.substr(pos, eol == std::string_view::npos ? text.npos : eol - pos);
    const std::size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') {
      pos = next;
      continue;
    }
    if (line.starts_with("export ") || line.starts_with("export\t")) line = trim(line.substr(7));
    std::size_t i = 0;
    while (i < line.size() && is_name_char(line[i], i == 0)) ++i;
    if (i == 0) return error(line_no, "expected NAME=value (a name starts with a letter or '_')");
    const std::string name(line.substr(0, i));
    std::string_view rest = line.substr(i);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    // The word is not echoed: a line without '=' is most often a key pasted on its own
    // ("sk-proj-…" is a valid name), and errors must never show credentials.
    if (rest.empty() || rest.front() != '=')
      return error(line_no, "expected '=' after the name (a line holds NAME=value)");
    rest.remove_prefix(1);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);

    std::string value;
    if (!rest.empty() && (rest.front() == '"' || rest.front() == '\'')) {
      const char quote = rest.front();
      const int start_line = line_no;
      // A quoted value may span lines, so continue in `text` rather than in `line`.
      std::size_t p = static_cast<std::size_t>(rest.data() - text.data()) + 1;
      bool closed = false;
      while (p < text.size()) {
        const char c = text[p];
        if (c == quote) {
          closed = true;
          ++p;
          break;
        }
        if (c == '\n') ++line_no;
        if (quote == '"' && c == '\\' && p + 1 < text.size()) {
          const char e = text[p + 1];
          switch (e) {
            case 'n': value += '\n'; break;
            case 't': value += '\t'; break;
            case 'r': value += '\r'; break;
            case '"': value += '"'; break;
            case '\\': value += '\\'; break;
            case '$': value += '$'; break;
            default: value += '\\'; value += e; break;
          }
          if (e == '\n') ++line_no;
          p += 2;
          continue;
        }
        value += c;
        ++p;
      }
      if (!closed) return error(start_line, std::string("unterminated ") + quote + "-quoted value of " + name);
      // After the closing quote only whitespace and a comment may follow.
      std::size_t q = p;
      while (q < text.size() && (text[q] == ' ' || text[q] == '\t' || text[q] == '\r')) ++q;
      if (q < text.size() && text[q] != '\n' && text[q] != '#')
        return error(line_no, "unexpected text after the quoted value of " + name);
      while (q < text.size() && text[q] != '\n') ++q;
      pos = q < text.size() ? q + 1 : text.size();
      entries.push_back({name, std::move(value), start_line});
      continue;
    }
    // Unquoted: up to a " #" comment, trailing whitespace trimmed.
    std::size_t end = rest.size();
    for (std::size_t k = 0; k < rest.size(); ++k) {
      if (rest[k] == '#' && k > 0 && (rest[k - 1] == ' ' || rest[k - 1] == '\t')) {
        end = k;
        break;
      }
    }
    value = std::string(trim(rest.substr(0, end)));
    entries.push_back({name, std::move(value), line_no});
    pos = next;
  }
  return entries;
}

Result<std::vector<DotenvEntry>> read_dotenv_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::vector<DotenvEntry>{};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path.string() + ": cannot read dotenv file"};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Error{path.string() + ": error while reading dotenv file"};
  return parse_dotenv(buffer.str(), path.string());
}

}  // namespace cinerec
