// A strict RFC 4180 CSV reader: comma separated, fields optionally in double quotes, "" for a quote
// inside quotes, quoted fields may span lines, CRLF or LF line ends, an optional UTF-8 BOM.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cinerec {

struct CsvRow {
  std::size_t line = 0;  // 1-based line where the row starts
  std::vector<std::string> fields;
};

// Parses the whole text. Fails with "line L, column C: …" on a stray quote or an unterminated quoted
// field. Blank lines are skipped. Lines are numbered from first_line (a chunk of a larger file).
Result<std::vector<CsvRow>> parse_csv(std::string_view text, std::size_t first_line = 1);

// True when `text` ends outside a quoted field, i.e. a line break after it ends a row: RFC 4180
// quotes toggle the state, and an escaped quote ("") toggles it twice.
bool csv_quotes_balanced(std::string_view text);

}  // namespace cinerec
