// Reading catalog files into normalized MovieRecords. Formats: the seed's JSON array of objects
// (title, description, genre, year [, embedding]), JSON Lines (one such object per line) and CSV with
// a header row (columns mapped by name). Nothing here touches a database: the caller stores the
// records, so a file with any error is refused before anything is written.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/movie.h"
#include "common/result.h"

namespace cinerec {

struct ImportWarning {
  std::string location;  // "file:line"
  std::size_t record = 0;  // 1-based record index
  std::string message;
};

struct ImportOptions {
  std::string posters_dir;  // where m_<title>.png posters live; empty: no posters
  std::string source = "file";  // stored in MovieRecord::source
  // CSV: canonical field ("title", "description", "genre", "year", "poster", "source_id") → header name.
  std::map<std::string, std::string> columns;
};

struct ParsedCatalog {
  std::vector<MovieRecord> records;
  std::vector<std::string> locations;  // "file:line" of each record
  // Vectors found in the file (the seed's "embedding" field), by record index; empty when absent.
  std::vector<std::optional<std::vector<float>>> embeddings;
  std::vector<ImportWarning> warnings;
};

// Reads and normalizes every record of a catalog file. Fails, naming file:line (and column for syntax
// errors) and the field, on: unreadable file, malformed JSON/CSV, invalid UTF-8, a missing or
// mistyped title or description, two records with the same title. Oddities that lose nothing
// (unparseable year, unrecognized genre, missing poster) become warnings.
Result<ParsedCatalog> read_catalog_file(const std::string& path, const ImportOptions& options);

// Byte offsets where each element of a top-level JSON array starts (strings skipped), so messages can
// name the line of a record: nlohmann::json does not keep positions of parsed values.
std::vector<std::size_t> top_level_element_offsets(std::string_view text);

// Line and column (1-based) of a byte offset in text.
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset);

}  // namespace cinerec
