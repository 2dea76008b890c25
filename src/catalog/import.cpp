#include "catalog/import.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>
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
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path + ": cannot open file"};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Error{path + ": read error"};
  return buffer.str();
}

struct RawRecord {
  std::size_t line = 0;
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

std::string location_of(const std::string& path, std::size_t line, std::size_t record) {
  return path + ":" + std::to_string(line) + " (record " + std::to_string(record) + ")";
}

// A catalog file's raw records, one at a time and in file order.
class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // The next record into `out`; false at the end of the file.
  virtual Result<bool> next(RawRecord& out) = 0;
};

// The seed's format: one JSON array, parsed whole (such files are small; their records need the
// document's structure to be found at all).
class JsonArraySource : public RecordSource {
 public:
  static Result<std::unique_ptr<RecordSource>> open(const std::string& path, std::string text) {
    JsonSyntaxError syntax;
    auto parsed = parse_json_text(text, &syntax);
    if (!parsed) {
      auto [line, column] = line_and_column(text, syntax.offset);
      return Error{path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": malformed JSON: " + syntax.reason};
    }
    if (!parsed->is_array())
      return Error{path + ":1: expected a JSON array of movies, found " + std::string(parsed->type_name())};
    auto source = std::make_unique<JsonArraySource>();
    source->path_ = path;
    for (std::size_t offset : top_level_element_offsets(text)) source->lines_.push_back(line_and_column(text, offset).first);
    source->document_ = std::move(parsed).value();
    return std::unique_ptr<RecordSource>(std::move(source));
  }
  Result<bool> next(RawRecord& out) override {
    if (next_ >= document_.size()) return false;
    const std::size_t line = next_ < lines_.size() ? lines_[next_] : 0;
    auto r = record_from_json(document_[next_], location_of(path_, line, next_ + 1));
    if (!r.ok()) return r.error();
    out = std::move(r).value();
    out.line = line;
    ++next_;
    return true;
  }

 private:
  std::string path_;
  json document_;
  std::vector<std::size_t> lines_;
  std::size_t next_ = 0;
};


class JsonLinesSource : public RecordSource {
 public:
  JsonLinesSource(std::string path, LineReader lines) : path_(std::move(path)), lines_(std::move(lines)) {}
  Result<bool> next(RawRecord& out) override {
    std::string text;
    for (;;) {
      auto more = lines_.next(text);
      if (!more.ok()) return more.error();
      if (!*more) return false;
      std::string_view content = trim(text);
      if (content.empty()) continue;
      const std::size_t line = lines_.number();
      JsonSyntaxError syntax;
      auto object = parse_json_text(content, &syntax);
      if (!object)
        return Error{path_ + ":" + std::to_string(line) + ":" + std::to_string(syntax.offset + 1) +
                     ": malformed JSON line: " + syntax.reason};
      auto r = record_from_json(*object, location_of(path_, line, ++records_));
      if (!r.ok()) return r.error();
      out = std::move(r).value();
      out.line = line;
      return true;
    }
  }

 private:
  std::string path_;
  LineReader lines_;
  std::size_t records_ = 0;
};

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

// CSV with a header row, read a row at a time: physical lines are joined only while a quoted field
// spans them.
class CsvSource : public RecordSource {
 public:
  static Result<std::unique_ptr<RecordSource>> open(const std::string& path, LineReader lines,
                                                    const ImportOptions& options) {
    auto source = std::unique_ptr<CsvSource>(new CsvSource(path, std::move(lines)));
    auto header_row = source->next_row();
    if (!header_row.ok()) return header_row.error();
    if (!*header_row) return Error{path + ": empty CSV file (expected a header row)"};
    const auto header = (*header_row)->fields;
    source->columns_ = header.size();
    for (const auto& [field, names] : csv_aliases()) {
      auto explicit_name = options.columns.find(field);
      for (std::size_t c = 0; c < header.size(); ++c) {
        std::string folded = fold_for_search(trim(header[c]));
        bool match = explicit_name != options.columns.end()
                         ? folded == fold_for_search(explicit_name->second)
                         : std::find(names.begin(), names.end(), folded) != names.end();
        if (match && !source->column_of_.count(field)) source->column_of_[field] = c;
      }
      if (explicit_name != options.columns.end() && !source->column_of_.count(field))
        return Error{path + ":1: no column named \"" + explicit_name->second + "\" for field " + field};
    }
    for (const char* required : {"title", "description"}) {
      if (!source->column_of_.count(required)) {
        std::string found;
        for (const auto& h : header) found += (found.empty() ? "" : ", ") + h;
        return Error{path + ":1: no " + std::string(required) + " column in the header (" + found +
                     "); name one with --column " + required + "=NAME"};
      }
    }
    return std::unique_ptr<RecordSource>(std::move(source));
  }

  Result<bool> next(RawRecord& out) override {
    auto row = next_row();
    if (!row.ok()) return row.error();
    if (!*row) return false;
    const CsvRow& r = **row;
    const std::string where = location_of(path_, r.line, ++records_);
    if (r.fields.size() != columns_)
      return Error{where + ": " + std::to_string(r.fields.size()) + " fields, the header has " + std::to_string(columns_)};
    RawRecord rec;
    rec.line = r.line;
    rec.location = where;
    auto get = [&](const char* field, bool* present = nullptr) -> std::string {
      auto it = column_of_.find(field);
      if (present) *present = it != column_of_.end();
      return it == column_of_.end() ? std::string() : r.fields[it->second];
    };
    rec.title = get("title");
    rec.description = get("description");
    rec.genre = get("genre", &rec.has_genre);
    rec.year = get("year", &rec.has_year);
    rec.poster = get("poster");
    rec.source_id = get("source_id");
    rec.tagline = get("tagline");
    rec.keywords = get("keywords");
    out = std::move(rec);
    return true;
  }

 private:
  CsvSource(std::string path, LineReader lines) : path_(std::move(path)), lines_(std::move(lines)) {}

  // The next non-blank row, or nullopt at the end of the file.
  Result<std::optional<CsvRow>> next_row() {
    for (;;) {
      std::string chunk, line;
      std::size_t first_line = 0;
      for (;;) {
        auto more = lines_.next(line);
        if (!more.ok()) return more.error();
        if (!*more) break;
        if (first_line == 0) first_line = lines_.number();
        chunk += line;
        chunk += '\n';
        if (csv_quotes_balanced(chunk)) break;
      }
      if (first_line == 0) return std::optional<CsvRow>{};
      auto rows = parse_csv(chunk, first_line);
      if (!rows.ok()) return Error{path_ + ": malformed CSV: " + rows.error().message};
      if (!rows->empty()) return std::optional<CsvRow>{std::move(rows->front())};
    }
  }

  std::string path_;
  LineReader lines_;
  std::size_t columns_ = 0;
  std::map<std::string, std::size_t> column_of_;  // field → column index
  std::size_t records_ = 0;
};

Result<std::unique_ptr<RecordSource>> open_source(const std::string& path, const ImportOptions& options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Error{path + ": is a directory, not a catalog file"};
  auto extension = std::filesystem::path(path).extension().string();
  for (auto& ch : extension) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (extension == ".json") {
    auto text = read_utf8_file(path);
    if (!text.ok()) return text.error();
    return JsonArraySource::open(path, std::move(text).value());
  }
  if (extension != ".csv" && extension != ".jsonl" && extension != ".ndjson")
    return Error{path + ": unknown catalog format \"" + extension + "\" (expected .json, .jsonl or .csv)"};
  auto lines = LineReader::open(path);
  if (!lines.ok()) return lines.error();
  if (extension == ".csv") return CsvSource::open(path, std::move(lines).value(), options);
  return std::unique_ptr<RecordSource>(std::make_unique<JsonLinesSource>(path, std::move(lines).value()));
}

// What the first pass keeps of each record: enough to find titles shared by several records (and
// rename database rows) and to name both places of a duplicate.
struct TitleFacts {
  std::string title;  // trimmed
  std::string key;    // fold_for_search(title)
  std::string source_id;
  std::optional<int> year;
  std::size_t line = 0;
};

// Movie databases (TMDB…) hold different films with one title ("Batman" 1966 and 1989). When every
// record sharing a title has its own source id, each is renamed "Title (year)", or "Title [id]" when the
// years do not tell them apart, so both are kept; anything else stays a duplicate-title error.
// Returns record index → new title.
std::map<std::size_t, std::string> disambiguate_database_titles(const std::vector<TitleFacts>& facts) {
  std::unordered_map<std::string_view, std::vector<std::size_t>> by_title;
  for (std::size_t i = 0; i < facts.size(); ++i)
    if (!facts[i].key.empty()) by_title[facts[i].key].push_back(i);
  std::map<std::size_t, std::string> renamed;
  for (const auto& [key, indices] : by_title) {
    if (indices.size() < 2) continue;
    std::set<std::string> ids;
    std::set<int> years;
    bool all_have_ids = true, all_have_years = true;
    for (auto i : indices) {
      all_have_ids &= !facts[i].source_id.empty();
      ids.insert(facts[i].source_id);
      all_have_years &= facts[i].year.has_value();
      if (facts[i].year) years.insert(*facts[i].year);
    }
    if (!all_have_ids || ids.size() != indices.size()) continue;
    const bool by_year = all_have_years && years.size() == indices.size();
    for (auto i : indices)
      renamed[i] = by_year ? facts[i].title + " (" + std::to_string(*facts[i].year) + ")"
                           : facts[i].title + " [" + facts[i].source_id + "]";
  }
  return renamed;
}

// The errors a record can have on its own, past its syntax: an empty title, or an empty description
// outside a movie database's rows.
Status check_required_fields(const RawRecord& r) {
  const std::string_view title = trim(r.title);
  if (title.empty()) return Error{r.location + ": field \"title\" is empty"};
  if (trim(r.description).empty() && trim(r.source_id).empty())
    return Error{r.location + ": field \"description\" is empty (movie " + quote_for_message(std::string(title)) + ")"};
  return Status::Ok();
}

}  // namespace

struct CatalogStream::State {
  std::string path;
  ImportOptions options;
  std::vector<TitleFacts> facts;
  std::map<std::size_t, std::string> renamed;
  std::unique_ptr<RecordSource> source;  // the second pass
  std::optional<PosterDirectory> posters;
  std::size_t next = 0;  // index of the next record the second pass returns
};

CatalogStream::CatalogStream(CatalogStream&&) noexcept = default;
CatalogStream& CatalogStream::operator=(CatalogStream&&) noexcept = default;
CatalogStream::~CatalogStream() = default;

std::size_t CatalogStream::size() const { return state_->facts.size(); }

Result<CatalogStream> CatalogStream::open(const std::string& path, const ImportOptions& options) {
  auto state = std::make_unique<State>();
  state->path = path;
  state->options = options;
  {
    auto source = open_source(path, options);
    if (!source.ok()) return source.error();
    RawRecord r;
    for (;;) {
      auto more = (*source)->next(r);
      if (!more.ok()) return more.error();
      if (!*more) break;
      CINEREC_TRY(check_required_fields(r));
      TitleFacts f;
      f.title = std::string(trim(r.title));
      f.key = fold_for_search(f.title);
      f.source_id = std::string(trim(r.source_id));
      f.year = normalize_year(r.year);
      f.line = r.line;
      state->facts.push_back(std::move(f));
    }
  }
  state->renamed = disambiguate_database_titles(state->facts);
  std::unordered_map<std::string, std::size_t> first_with_key;
  for (std::size_t i = 0; i < state->facts.size(); ++i) {
    const auto& f = state->facts[i];
    auto it = state->renamed.find(i);
    const std::string& title = it == state->renamed.end() ? f.title : it->second;
    auto [first, inserted] = first_with_key.emplace(it == state->renamed.end() ? f.key : fold_for_search(title), i);
    if (!inserted)
      return Error{location_of(path, f.line, i + 1) + ": duplicate title " + quote_for_message(title) + " (first at " +
                   location_of(path, state->facts[first->second].line, first->second + 1) + ")"};
  }
  auto source = open_source(path, options);
  if (!source.ok()) return source.error();
  state->source = std::move(source).value();
  state->posters.emplace(options.posters_dir);
  CatalogStream stream;
  stream.state_ = std::move(state);
  return stream;
}

Result<ParsedCatalog> CatalogStream::next(std::size_t max_records) {
  State& st = *state_;
  ParsedCatalog batch;
  RawRecord r;
  while (batch.records.size() < max_records) {
    auto more = st.source->next(r);
    if (!more.ok()) return more.error();
    const std::size_t i = st.next;
    if (!*more) {
      if (i != st.facts.size()) return Error{st.path + ": the file changed while it was imported (it ended early)"};
      break;
    }
    if (i >= st.facts.size() || trim(r.title) != st.facts[i].title)
      return Error{r.location + ": the file changed while it was imported"};
    ++st.next;
    auto warn = [&](std::string message) { batch.warnings.push_back({r.location, i + 1, std::move(message)}); };
    MovieRecord m;
    m.title = st.facts[i].title;
    m.description = std::string(trim(r.description));
    if (m.description.empty()) {
      // A row of a movie database (it has an id) is kept without a synopsis, so ratings that name its id
      // still find it; the title stands in for the text that search and embeddings read.
      warn("empty description; the title stands in for it");
      m.description = m.title;
    }
    if (auto it = st.renamed.find(i); it != st.renamed.end()) {
      warn("title " + quote_for_message(m.title) + " is shared with another film of the file; stored as " + quote_for_message(it->second));
      m.title = it->second;
    }
    m.genre_raw = r.genre;
    m.genres = normalize_genres(r.genre);
    if (!r.has_genre) warn("no genre field");
    else if (m.genres.empty()) warn("genre \"" + r.genre + "\" not recognized; stored without genre tags");
    m.year_raw = r.year;
    m.year = st.facts[i].year;
    if (!r.has_year) warn("no year field");
    else if (!m.year) warn("year \"" + r.year + "\" is not a valid year; stored without a year");
    else if (trim(r.year) == m.title) warn("year " + r.year + " equals the title; the source may have copied the title into the year");
    m.source = st.options.source;
    m.source_id = r.source_id;
    m.tagline = std::string(trim(r.tagline));
    m.keywords = normalize_keywords(r.keywords);
    if (!r.poster.empty()) {
      m.poster = r.poster;
    } else if (st.posters->exists()) {
      auto match = st.posters->find(m.title);
      m.poster = match.path;
      if (!match.warning.empty()) warn(match.warning);
    }
    batch.records.push_back(std::move(m));
    batch.locations.push_back(r.location);
    batch.embeddings.push_back(std::move(r.embedding));
  }
  return batch;
}

Result<ParsedCatalog> read_catalog_file(const std::string& path, const ImportOptions& options) {
  auto stream = CatalogStream::open(path, options);
  if (!stream.ok()) return stream.error();
  return stream->next(stream->size());
}

Result<LineReader> LineReader::open(const std::string& path) {
  LineReader r;
  r.path_ = path;
  r.in_ = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*r.in_) return Error{path + ": cannot open file"};
  return r;
}

Result<bool> LineReader::next(std::string& line) {
  if (!std::getline(*in_, line)) {
    if (in_->bad()) return Error{path_ + ": read error"};
    return false;
  }
  ++number_;
  if (std::size_t bad; !is_valid_utf8(line, &bad))
    return Error{path_ + ":" + std::to_string(number_) + ":" + std::to_string(bad + 1) + ": invalid UTF-8"};
  return true;
}

Result<std::string> read_utf8_file(const std::string& path) {
  auto text = read_file(path);
  if (!text.ok()) return text.error();
  if (std::size_t bad; !is_valid_utf8(*text, &bad)) {
    auto [line, column] = line_and_column(*text, bad);
    return Error{path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": invalid UTF-8"};
  }
  return text;
}

}  // namespace cinerec
