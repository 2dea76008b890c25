#include "catalog/import.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "catalog/csv.h"
#include "catalog/normalize.h"
#include "catalog/posters.h"
#include "common/json_parse.h"
#include "common/text.h"

namespace cinerec {

std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

std::vector<std::size_t> top_level_element_offsets(std::string_view text) {
  std::vector<std::size_t> offsets;
  int depth = 0;
  bool in_string = false, escaped = false, expecting_element = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (depth == 1 && expecting_element && c != ']') {
      offsets.push_back(i);
      expecting_element = false;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      ++depth;
      if (depth == 1 && c == '[') expecting_element = true;
    } else if (c == ']' || c == '}') --depth;
    else if (c == ',' && depth == 1) expecting_element = true;
  }
  return offsets;
}

namespace {

using json = nlohmann::json;

Result<std::string> read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Error{path + ": is a directory, not a catalog file"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path + ": cannot open file"};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Error{path + ": read error"};
  return buffer.str();
}

struct RawRecord {
  std::string location;
  std::string title, description, genre, year, poster, source_id, tagline, keywords;
  bool has_genre = false, has_year = false;
  std::optional<std::vector<float>> embedding;
};

// Reads a string field; numbers are accepted for year-like fields. Missing → empty optional.
Result<std::optional<std::string>> string_field(const json& object, const char* name, const std::string& where,
                                                bool allow_number) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return std::optional<std::string>{};
  if (it->is_string()) return std::optional<std::string>{it->get<std::string>()};
  if (allow_number && it->is_number_integer()) return std::optional<std::string>{std::to_string(it->get<long long>())};
  const std::string field(name);
  if (it->is_array() && (field == "genre" || field == "keywords")) {  // ["Drama", "Crimen"] is a reasonable list
    std::string joined;
    for (const auto& g : *it) {
      if (!g.is_string()) return Error{where + ": field \"" + field + "\" must be a string or a list of strings"};
      joined += (joined.empty() ? "" : ", ") + g.get<std::string>();
    }
    return std::optional<std::string>{joined};
  }
  return Error{where + ": field \"" + name + "\" must be a " + (allow_number ? "string or an integer" : "string") +
               ", not " + it->type_name()};
}

Result<RawRecord> record_from_json(const json& object, const std::string& where) {
  if (!object.is_object()) return Error{where + ": expected a JSON object, found " + std::string(object.type_name())};
  RawRecord r;
  r.location = where;
  auto title = string_field(object, "title", where, false);
  if (!title.ok()) return title.error();
  if (!*title) return Error{where + ": missing field \"title\""};
  r.title = **title;
  auto description = string_field(object, "description", where, false);
  if (!description.ok()) return description.error();
  if (!*description) return Error{where + ": missing field \"description\" (movie " + quote_for_message(r.title) + ")"};
  r.description = **description;
  auto genre = string_field(object, "genre", where, false);
  if (!genre.ok()) return genre.error();
  r.has_genre = genre->has_value();
  r.genre = genre->value_or("");
  auto year = string_field(object, "year", where, true);
  if (!year.ok()) return year.error();
  r.has_year = year->has_value();
  r.year = year->value_or("");
  auto poster = string_field(object, "poster", where, false);
  if (!poster.ok()) return poster.error();
  r.poster = poster->value_or("");
  // "id": the source's own id (TMDB id, or the row number `cinerec synth` writes), string or integer.
  for (auto [name, slot] : {std::pair{"id", &r.source_id}, std::pair{"tagline", &r.tagline},
                            std::pair{"keywords", &r.keywords}}) {
    auto value = string_field(object, name, where, /*allow_number=*/slot == &r.source_id);
    if (!value.ok()) return value.error();
    *slot = value->value_or("");
  }
  if (auto it = object.find("embedding"); it != object.end() && !it->is_null()) {
    if (!it->is_array()) return Error{where + ": field \"embedding\" must be a list of numbers"};
    std::vector<float> values;
    values.reserve(it->size());
    for (const auto& v : *it) {
      if (!v.is_number()) return Error{where + ": field \"embedding\" holds a " + std::string(v.type_name()) + ", expected numbers"};
      values.push_back(v.get<float>());
    }
    r.embedding = std::move(values);
  }
  return r;
}

Result<std::vector<RawRecord>> read_json_array(const std::string& path, const std::string& text) {
  JsonSyntaxError syntax;
  auto parsed = parse_json_text(text, &syntax);
  if (!parsed) {
    auto [line, column] = line_and_column(text, syntax.offset);
    return Error{path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": malformed JSON: " + syntax.reason};
  }
  const json& document = *parsed;
  if (!document.is_array()) return Error{path + ":1: expected a JSON array of movies, found " + std::string(document.type_name())};
  auto offsets = top_level_element_offsets(text);
  std::vector<RawRecord> records;
  for (std::size_t i = 0; i < document.size(); ++i) {
    std::size_t line = i < offsets.size() ? line_and_column(text, offsets[i]).first : 0;
    std::string where = path + ":" + std::to_string(line) + " (record " + std::to_string(i + 1) + ")";
    auto r = record_from_json(document[i], where);
    if (!r.ok()) return r.error();
    records.push_back(std::move(r).value());
  }
  return records;
}

Result<std::vector<RawRecord>> read_json_lines(const std::string& path, const std::string& text) {
  std::vector<RawRecord> records;
  std::size_t line = 0, start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ++line;
    std::string_view content = trim(std::string_view(text).substr(start, end - start));
    start = end + 1;
    if (content.empty()) continue;
    JsonSyntaxError syntax;
    auto object = parse_json_text(content, &syntax);
    if (!object)
      return Error{path + ":" + std::to_string(line) + ":" + std::to_string(syntax.offset + 1) + ": malformed JSON line: " + syntax.reason};
    auto r = record_from_json(*object, path + ":" + std::to_string(line) + " (record " + std::to_string(records.size() + 1) + ")");
    if (!r.ok()) return r.error();
    records.push_back(std::move(r).value());
  }
  return records;
}

// Header names accepted for each field, compared after fold_for_search.
const std::map<std::string, std::vector<std::string>>& csv_aliases() {
  static const std::map<std::string, std::vector<std::string>> aliases = {
      {"title", {"title", "titulo", "name", "movie", "pelicula"}},
      {"description", {"description", "descripcion", "overview", "plot", "synopsis", "sinopsis"}},
      {"genre", {"genre", "genres", "genero", "generos"}},
      {"year", {"year", "ano", "anio", "release_year", "release_date", "fecha", "date"}},
      {"poster", {"poster", "poster_path", "image"}},
      {"source_id", {"id", "tmdb_id", "tmdbid", "source_id"}},
      {"tagline", {"tagline", "eslogan", "lema"}},
      {"keywords", {"keywords", "palabras_clave", "tags", "etiquetas"}},
  };
  return aliases;
}

Result<std::vector<RawRecord>> read_csv(const std::string& path, const std::string& text, const ImportOptions& options) {
  auto rows = parse_csv(text);
  if (!rows.ok()) return Error{path + ": malformed CSV: " + rows.error().message};
  if (rows->empty()) return Error{path + ": empty CSV file (expected a header row)"};
  const auto& header = rows->front().fields;
  std::map<std::string, std::size_t> column_of;  // field → column index
  for (const auto& [field, names] : csv_aliases()) {
    auto explicit_name = options.columns.find(field);
    for (std::size_t c = 0; c < header.size(); ++c) {
      std::string folded = fold_for_search(trim(header[c]));
      bool match = explicit_name != options.columns.end()
                       ? folded == fold_for_search(explicit_name->second)
                       : std::find(names.begin(), names.end(), folded) != names.end();
      if (match && !column_of.count(field)) column_of[field] = c;
    }
    if (explicit_name != options.columns.end() && !column_of.count(field))
      return Error{path + ":1: no column named \"" + explicit_name->second + "\" for field " + field};
  }
  for (const char* required : {"title", "description"}) {
    if (!column_of.count(required)) {
      std::string found;
      for (const auto& h : header) found += (found.empty() ? "" : ", ") + h;
      return Error{path + ":1: no " + std::string(required) + " column in the header (" + found +
                   "); name one with --column " + required + "=NAME"};
    }
  }
  std::vector<RawRecord> records;
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const auto& row = (*rows)[r];
    std::string where = path + ":" + std::to_string(row.line) + " (record " + std::to_string(r) + ")";
    if (row.fields.size() != header.size())
      return Error{where + ": " + std::to_string(row.fields.size()) + " fields, the header has " + std::to_string(header.size())};
    RawRecord rec;
    rec.location = where;
    auto get = [&](const char* field, bool* present = nullptr) -> std::string {
      auto it = column_of.find(field);
      if (present) *present = it != column_of.end();
      return it == column_of.end() ? std::string() : row.fields[it->second];
    };
    rec.title = get("title");
    rec.description = get("description");
    rec.genre = get("genre", &rec.has_genre);
    rec.year = get("year", &rec.has_year);
    rec.poster = get("poster");
    rec.source_id = get("source_id");
    rec.tagline = get("tagline");
    rec.keywords = get("keywords");
    records.push_back(std::move(rec));
  }
  return records;
}

// Movie databases (TMDB…) hold different films with one title ("Batman" 1966 and 1989). When every
// record sharing a title has its own source id, each is renamed "Title (year)", or "Title [id]" when the
// years do not tell them apart, so both are kept; anything else stays a duplicate-title error.
// Returns record index → new title.
std::map<std::size_t, std::string> disambiguate_database_titles(const std::vector<RawRecord>& raw) {
  std::map<std::string, std::vector<std::size_t>> by_title;
  for (std::size_t i = 0; i < raw.size(); ++i) by_title[fold_for_search(trim(raw[i].title))].push_back(i);
  std::map<std::size_t, std::string> renamed;
  for (const auto& [key, indices] : by_title) {
    if (indices.size() < 2 || key.empty()) continue;
    std::set<std::string> ids, years;
    bool all_have_ids = true, all_have_years = true;
    for (auto i : indices) {
      std::string id(trim(raw[i].source_id));
      all_have_ids &= !id.empty();
      ids.insert(id);
      auto year = normalize_year(raw[i].year);
      all_have_years &= year.has_value();
      if (year) years.insert(std::to_string(*year));
    }
    if (!all_have_ids || ids.size() != indices.size()) continue;
    const bool by_year = all_have_years && years.size() == indices.size();
    for (auto i : indices) {
      std::string title(trim(raw[i].title));
      renamed[i] = by_year ? title + " (" + std::to_string(*normalize_year(raw[i].year)) + ")"
                           : title + " [" + std::string(trim(raw[i].source_id)) + "]";
    }
  }
  return renamed;
}

}  // namespace

Result<ParsedCatalog> read_catalog_file(const std::string& path, const ImportOptions& options) {
  auto text = read_file(path);
  if (!text.ok()) return text.error();
  if (std::size_t bad; !is_valid_utf8(*text, &bad)) {
    auto [line, column] = line_and_column(*text, bad);
    return Error{path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": invalid UTF-8"};
  }
  auto extension = std::filesystem::path(path).extension().string();
  for (auto& ch : extension) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  Result<std::vector<RawRecord>> raw = Error{""};
  if (extension == ".csv") {
    raw = read_csv(path, *text, options);
  } else if (extension == ".jsonl" || extension == ".ndjson") {
    raw = read_json_lines(path, *text);
  } else if (extension == ".json") {
    raw = read_json_array(path, *text);
  } else {
    return Error{path + ": unknown catalog format \"" + extension + "\" (expected .json, .jsonl or .csv)"};
  }
  if (!raw.ok()) return raw.error();

  ParsedCatalog catalog;
  PosterDirectory posters(options.posters_dir);
  std::map<std::string, std::string> first_location_of_title;
  auto distinct_titles = disambiguate_database_titles(*raw);
  for (std::size_t i = 0; i < raw->size(); ++i) {
    auto& r = (*raw)[i];
    auto warn = [&](std::string message) { catalog.warnings.push_back({r.location, i + 1, std::move(message)}); };
    MovieRecord m;
    m.title = std::string(trim(r.title));
    if (m.title.empty()) return Error{r.location + ": field \"title\" is empty"};
    m.description = std::string(trim(r.description));
    const bool database_row = !trim(r.source_id).empty();
    if (m.description.empty()) {
      // A row of a movie database (it has an id) is kept without a synopsis, so ratings that name its id
      // still find it; the title stands in for the text that search and embeddings read.
      if (!database_row) return Error{r.location + ": field \"description\" is empty (movie " + quote_for_message(m.title) + ")"};
      warn("empty description; the title stands in for it");
      m.description = m.title;
    }
    if (auto it = distinct_titles.find(i); it != distinct_titles.end()) {
      warn("title " + quote_for_message(m.title) + " is shared with another film of the file; stored as " + quote_for_message(it->second));
      m.title = it->second;
    }
    auto key = fold_for_search(m.title);
    if (auto [it, inserted] = first_location_of_title.emplace(key, r.location); !inserted)
      return Error{r.location + ": duplicate title " + quote_for_message(m.title) + " (first at " + it->second + ")"};
    m.genre_raw = r.genre;
    m.genres = normalize_genres(r.genre);
    if (!r.has_genre) warn("no genre field");
    else if (m.genres.empty()) warn("genre \"" + r.genre + "\" not recognized; stored without genre tags");
    m.year_raw = r.year;
    m.year = normalize_year(r.year);
    if (!r.has_year) warn("no year field");
    else if (!m.year) warn("year \"" + r.year + "\" is not a valid year; stored without a year");
    else if (trim(r.year) == m.title) warn("year " + r.year + " equals the title; the source may have copied the title into the year");
    m.source = options.source;
    m.source_id = r.source_id;
    m.tagline = std::string(trim(r.tagline));
    m.keywords = normalize_keywords(r.keywords);
    if (!r.poster.empty()) {
      m.poster = r.poster;
    } else if (posters.exists()) {
      auto match = posters.find(m.title);
      m.poster = match.path;
      if (!match.warning.empty()) warn(match.warning);
    }
    catalog.records.push_back(std::move(m));
    catalog.locations.push_back(r.location);
    catalog.embeddings.push_back(std::move(r.embedding));
  }
  return catalog;
}

}  // namespace cinerec
