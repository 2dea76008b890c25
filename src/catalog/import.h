// Reading catalog files into normalized MovieRecords. Formats: the seed's JSON array of objects
// (title, description, genre, year [, embedding]), JSON Lines (one such object per line) and CSV with
// a header row (columns mapped by name). Nothing here touches a database: the caller stores the
// records, so a file with any error is refused before anything is written.
#pragma once

#include <cstddef>
#include <fstream>
#include <map>
#include <memory>
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

// A catalog file read in two passes, so a large file imports in batches without being held in memory.
// open() reads every record once (JSON Lines and CSV straight from the file, a line or a CSV row at a
// time; a .json array is parsed whole) and fails with the errors read_catalog_file names, keeping of
// each record only its title, source id, year and line (for duplicate titles and the renaming of a
// movie database's namesakes: about 100 bytes a record). next() reads the file again and returns the
// records normalized, a batch at a time, with their warnings; it fails if the file changed meanwhile.
class CatalogStream {
 public:
  static Result<CatalogStream> open(const std::string& path, const ImportOptions& options);
  CatalogStream(CatalogStream&&) noexcept;
  CatalogStream& operator=(CatalogStream&&) noexcept;
  ~CatalogStream();

  std::size_t size() const;  // records in the file
  // The next `max_records` records (fewer at the end of the file, none after it). Warnings carry the
  // record's 1-based index in the whole file.
  Result<ParsedCatalog> next(std::size_t max_records);

 private:
  CatalogStream() = default;
  struct State;
  std::unique_ptr<State> state_;
};

// Byte offsets where each element of a top-level JSON array starts (strings skipped), so messages can
// name the line of a record: nlohmann::json does not keep positions of parsed values.
std::vector<std::size_t> top_level_element_offsets(std::string_view text);

// Line and column (1-based) of a byte offset in text.
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset);

// A whole file that must be UTF-8: fails with path:line:column at its first invalid byte.
Result<std::string> read_utf8_file(const std::string& path);

// Physical lines of a file, checked for valid UTF-8 as they are read: only one line is in memory.
class LineReader {
 public:
  static Result<LineReader> open(const std::string& path);
  // The next line without its '\n' (a '\r' before it is kept); false at the end of the file. Fails
  // with path:line:column at invalid UTF-8.
  Result<bool> next(std::string& line);
  std::size_t number() const { return number_; }  // 1-based number of the last line read

 private:
  std::string path_;
  std::unique_ptr<std::ifstream> in_;
  std::size_t number_ = 0;
};

}  // namespace cinerec
