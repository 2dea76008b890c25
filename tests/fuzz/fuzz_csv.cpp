// parse_csv on arbitrary bytes: never crashes; a text it accepts, written back with every field quoted,
// parses to the same rows (so quoting, "" escapes, CRLF and multi-line fields are read consistently).
#include <cstdint>
#include <string>
#include <string_view>

#include "catalog/csv.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto rows = cinerec::parse_csv(text);
  if (!rows.ok()) {
    FUZZ_CHECK(rows.error().message.starts_with("line "), "a CSV error names its line");
    return 0;
  }
  std::string quoted;
  std::size_t previous_line = 0;
  for (const auto& row : *rows) {
    FUZZ_CHECK(row.line > previous_line, "rows start on increasing lines");
    previous_line = row.line;
    FUZZ_CHECK(!row.fields.empty(), "a row has a field");
    for (std::size_t i = 0; i < row.fields.size(); ++i) {
      if (i) quoted += ',';
      quoted += '"';
      for (char c : row.fields[i]) {
        if (c == '"') quoted += '"';
        quoted += c;
      }
      quoted += '"';
    }
    quoted += '\n';
  }
  auto again = cinerec::parse_csv(quoted);
  FUZZ_CHECK(again.ok(), "fully quoted CSV parses");
  FUZZ_CHECK(again->size() == rows->size(), "same number of rows after quoting");
  for (std::size_t r = 0; r < rows->size(); ++r)
    FUZZ_CHECK((*again)[r].fields == (*rows)[r].fields, "same fields after quoting");
  return 0;
}
