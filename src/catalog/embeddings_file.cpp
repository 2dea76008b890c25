#include "catalog/embeddings_file.h"

#include <sqlite3.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "catalog/import.h"
#include "common/json_parse.h"
#include "common/text.h"
#include "store/vector_codec.h"

namespace cinerec {

std::string TitledVector::label() const { return title.empty() ? "id " + source_id : quote_for_message(title); }

namespace {

using json = nlohmann::json;

Result<TitledVector> titled_vector_from_json(const json& object, const std::string& where) {
  if (!object.is_object()) return Error{where + ": expected a JSON object"};
  TitledVector v;
  v.location = where;
  if (auto title = object.find("title"); title != object.end() && !title->is_null()) {
    if (!title->is_string() || trim(title->get<std::string>()).empty())
      return Error{where + ": field \"title\" must be a non-empty string"};
    v.title = std::string(trim(title->get<std::string>()));
  }
  if (auto id = object.find("id"); id != object.end() && !id->is_null()) {
    if (id->is_number_integer()) v.source_id = std::to_string(id->get<long long>());
    else if (id->is_string() && !trim(id->get<std::string>()).empty()) v.source_id = std::string(trim(id->get<std::string>()));
    else return Error{where + ": field \"id\" must be a non-empty string or an integer"};
  }
  if (v.title.empty() && v.source_id.empty()) return Error{where + ": missing field \"title\" (or \"id\")"};
  auto embedding = object.find("embedding");
  if (embedding == object.end()) embedding = object.find("vector");
  if (embedding == object.end() || !embedding->is_array())
    return Error{where + ": missing field \"embedding\" (a list of numbers) for " + v.label()};
  v.values.reserve(embedding->size());
  for (std::size_t i = 0; i < embedding->size(); ++i) {
    const auto& x = (*embedding)[i];
    if (!x.is_number()) return Error{where + ": field \"embedding\" value " + std::to_string(i) + " is a " + x.type_name() + ", not a number"};
    v.values.push_back(x.get<float>());
  }
  return v;
}

Error parse_error(const std::string& path, std::size_t line, std::size_t column, const std::string& what) {
  return Error{path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": malformed JSON: " + what};
}

// JSON Lines, one record per line, read a line at a time: memory holds the vectors, not the text
// (a million 1536-d records are about 30 GB of text and 6 GB of floats).
Result<std::vector<TitledVector>> read_json_lines(const std::string& path) {
  auto lines = LineReader::open(path);
  if (!lines.ok()) return lines.error();
  std::vector<TitledVector> out;
  std::string line_text;
  for (;;) {
    auto more = lines->next(line_text);
    if (!more.ok()) return more.error();
    if (!*more) return out;
    if (trim(line_text).empty()) continue;
    const std::size_t line = lines->number();
    JsonSyntaxError syntax;
    auto object = parse_json_text(line_text, &syntax);
    if (!object) return parse_error(path, line, syntax.offset + 1, "invalid JSON line: " + syntax.reason);
    auto v = titled_vector_from_json(*object, path + ":" + std::to_string(line) + " (record " + std::to_string(out.size() + 1) + ")");
    if (!v.ok()) return v.error();
    out.push_back(std::move(v).value());
  }
}

// A JSON array of records (the seed's format), parsed whole.
Result<std::vector<TitledVector>> read_json_array(const std::string& path) {
  auto read = read_utf8_file(path);
  if (!read.ok()) return read.error();
  const std::string& text = *read;
  JsonSyntaxError syntax;
  auto parsed = parse_json_text(text, &syntax);
  if (!parsed) {
    auto [line, column] = line_and_column(text, syntax.offset);
    return parse_error(path, line, column, syntax.reason);
  }
  const json& document = *parsed;
  if (!document.is_array()) return Error{path + ":1: expected a JSON array of {\"title\", \"embedding\"} objects"};
  std::vector<TitledVector> out;
  auto offsets = top_level_element_offsets(text);
  for (std::size_t i = 0; i < document.size(); ++i) {
    std::size_t line = i < offsets.size() ? line_and_column(text, offsets[i]).first : 0;
    auto v = titled_vector_from_json(document[i], path + ":" + std::to_string(line) + " (record " + std::to_string(i + 1) + ")");
    if (!v.ok()) return v.error();
    out.push_back(std::move(v).value());
  }
  return out;
}

// The original Django project (course "Taller IA") kept vectors in movie_movie.emb as
// numpy.ndarray.tobytes() of float64 values.
Result<std::vector<TitledVector>> read_django_db(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Error{path + ": cannot open SQLite database: " + message};
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT title, emb FROM movie_movie ORDER BY id", -1, &stmt, nullptr) != SQLITE_OK) {
    Error e{path + ": not a database of the original app (table movie_movie with title, emb): " + sqlite3_errmsg(db)};
    sqlite3_close(db);
    return e;
  }
  std::vector<TitledVector> out;
  Result<std::vector<TitledVector>> result = out;
  std::size_t row = 0;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    ++row;
    std::string where = path + ": movie_movie row " + std::to_string(row);
    auto title_ptr = sqlite3_column_text(stmt, 0);
    std::string title = title_ptr ? reinterpret_cast<const char*>(title_ptr) : "";
    auto blob = static_cast<const char*>(sqlite3_column_blob(stmt, 1));
    auto bytes = static_cast<std::size_t>(sqlite3_column_bytes(stmt, 1));
    if (!blob || bytes == 0) continue;  // the original app left emb empty for movies it never embedded
    auto values = decode_float64_blob(std::string_view(blob, bytes));
    if (!values.ok()) {
      result = Error{where + " (\"" + title + "\"): " + values.error().message};
      break;
    }
    out.push_back({where, title, std::move(values).value(), ""});
  }
  if (result.ok() && rc != SQLITE_DONE) result = Error{path + ": " + sqlite3_errmsg(db)};
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  if (!result.ok()) return result;
  return out;
}

}  // namespace

Result<std::vector<TitledVector>> read_embeddings_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return Error{path + ": no such file"};
  auto extension = std::filesystem::path(path).extension().string();
  Result<std::vector<TitledVector>> vectors = Error{""};
  if (extension == ".sqlite3" || extension == ".sqlite" || extension == ".db") {
    vectors = read_django_db(path);
  } else if (extension == ".jsonl" || extension == ".ndjson") {
    vectors = read_json_lines(path);
  } else {
    vectors = read_json_array(path);
  }
  if (!vectors.ok()) return vectors;
  if (vectors->empty()) return Error{path + ": no vectors found"};
  const std::size_t dim = vectors->front().values.size();
  for (const auto& v : *vectors) {
    if (v.values.size() != dim)
      return Error{v.location + ": " + v.label() + " has " + std::to_string(v.values.size()) +
                   " dimensions, expected " + std::to_string(dim) + " like the first record"};
    CINEREC_TRY(validate_vector(v.values, v.location + " " + v.label()));
  }
  return vectors;
}

}  // namespace cinerec
