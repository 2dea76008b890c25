#include "store/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "common/json_parse.h"
#include "common/text.h"
#include "store/sqlite/sqlite_schema.h"
#include "store/vector_codec.h"

namespace cinerec {
namespace {

// A prepared statement that finalizes itself. Binding and stepping report errors through the database
// handle's message, so every failure carries SQLite's own explanation.
class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql) : db_(db) {
    rc_ = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool prepared() const { return rc_ == SQLITE_OK; }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void bind(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
  void bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind_blob(int i, std::string_view v) {
    sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind_null(int i) { sqlite3_bind_null(stmt_, i); }

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(stmt_); }

  std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string text(int col) const {
    auto p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  std::string_view blob(int col) const {
    auto p = sqlite3_column_blob(stmt_, col);
    return p ? std::string_view(static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string_view();
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteStore() override { sqlite3_close_v2(db_); }

  std::string describe() const override { return path_; }

  Status configure(OpenMode mode) {
    sqlite3_busy_timeout(db_, 10000);
    CINEREC_TRY(exec("PRAGMA foreign_keys = ON"));
    if (mode == OpenMode::ReadOnly) return check_schema(/*may_migrate=*/false);
    CINEREC_TRY(exec("PRAGMA journal_mode = WAL"));
    CINEREC_TRY(exec("PRAGMA synchronous = NORMAL"));
    return check_schema(/*may_migrate=*/true);
  }

  Result<UpsertSummary> upsert_movies(const std::vector<MovieRecord>& records) override {
    std::set<std::string> keys;
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (!keys.insert(fold_for_search(records[i].title)).second)
        return Error{"record " + std::to_string(i) + ": duplicate title " + quote_for_message(records[i].title) + " in one batch"};
    }
    return in_transaction<UpsertSummary>([&]() -> Result<UpsertSummary> {
      UpsertSummary summary;
      Statement find(db_, "SELECT id, title, description, genre_raw, genres, year, year_raw, poster, source, source_id, "
                          "tagline, keywords FROM movies WHERE title_key = ?1");
      Statement insert(db_, "INSERT INTO movies(title, title_key, description, genre_raw, genres, year, year_raw, "
                            "poster, source, source_id, tagline, keywords) "
                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
      Statement update(db_, "UPDATE movies SET title = ?1, description = ?3, genre_raw = ?4, genres = ?5, year = ?6, "
                            "year_raw = ?7, poster = ?8, source = ?9, source_id = ?10, tagline = ?11, keywords = ?12, "
                            "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE title_key = ?2");
      if (!find.prepared() || !insert.prepared() || !update.prepared()) return sqlite_error("prepare upsert");
      for (const auto& r : records) {
        std::string key = fold_for_search(r.title);
        std::string genres_json = nlohmann::json(r.genres).dump();
        std::string keywords_json = nlohmann::json(r.keywords).dump();
        find.reset();
        find.bind(1, key);
        int rc = find.step();
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) return sqlite_error("look up \"" + r.title + "\"");
        Statement* write = &insert;
        if (rc == SQLITE_ROW) {
          bool same = find.text(1) == r.title && find.text(2) == r.description && find.text(3) == r.genre_raw &&
                      find.text(4) == genres_json && (find.is_null(5) ? !r.year : (r.year && *r.year == find.int64(5))) &&
                      find.text(6) == r.year_raw && find.text(7) == r.poster && find.text(8) == r.source &&
                      find.text(9) == r.source_id && find.text(10) == r.tagline && find.text(11) == keywords_json;
          summary.ids.push_back(find.int64(0));
          if (same) {
            ++summary.unchanged;
            continue;
          }
          write = &update;
          ++summary.updated;
        } else {
          ++summary.added;
        }
        write->reset();
        write->bind(1, r.title);
        write->bind(2, key);
        write->bind(3, r.description);
        write->bind(4, r.genre_raw);
        write->bind(5, genres_json);
        if (r.year) write->bind(6, static_cast<std::int64_t>(*r.year)); else write->bind_null(6);
        write->bind(7, r.year_raw);
        write->bind(8, r.poster);
        write->bind(9, r.source);
        write->bind(10, r.source_id);
        write->bind(11, r.tagline);
        write->bind(12, keywords_json);
        if (write->step() != SQLITE_DONE) return sqlite_error("write \"" + r.title + "\"");
        if (write == &insert) summary.ids.push_back(sqlite3_last_insert_rowid(db_));
      }
      if (summary.added + summary.updated > 0) CINEREC_TRY(bump_version());
      return summary;
    });
  }

  Result<std::vector<Movie>> movies() override {
    Statement q(db_, "SELECT id, title, description, genre_raw, genres, year, year_raw, poster, source, source_id, "
                     "tagline, keywords FROM movies ORDER BY id");
    if (!q.prepared()) return sqlite_error("prepare movie list");
    std::vector<Movie> result;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
      Movie m;
      m.id = q.int64(0);
      m.title = q.text(1);
      m.description = q.text(2);
      m.genre_raw = q.text(3);
      m.genres = json_string_array(q.text(4));
      if (!q.is_null(5)) m.year = static_cast<int>(q.int64(5));
      m.year_raw = q.text(6);
      m.poster = q.text(7);
      m.source = q.text(8);
      m.source_id = q.text(9);
      m.tagline = q.text(10);
      m.keywords = json_string_array(q.text(11));
      result.push_back(std::move(m));
    }
    if (rc != SQLITE_DONE) return sqlite_error("read movies");
    return result;
  }

  Status put_vectors(const std::string& model, const std::vector<VectorWrite>& vectors) override {
    if (model.empty()) return Error{"vectors need a model name"};
    if (vectors.empty()) return Status::Ok();
    std::size_t dim = vectors.front().values.size();
    for (const auto& v : vectors) {
      if (v.values.size() != dim)
        return Error{"movie " + std::to_string(v.movie) + ": vector has " + std::to_string(v.values.size()) +
                     " dimensions, the others in this batch have " + std::to_string(dim)};
      CINEREC_TRY(validate_vector(v.values, "movie " + std::to_string(v.movie)));
    }
    auto result = in_transaction<bool>([&]() -> Result<bool> {
      Statement existing(db_, "SELECT dim FROM vectors WHERE model = ?1 LIMIT 1");
      if (!existing.prepared()) return sqlite_error("prepare dimension check");
      existing.bind(1, model);
      if (existing.step() == SQLITE_ROW && static_cast<std::size_t>(existing.int64(0)) != dim)
        return Error{"model " + model + " has " + std::to_string(existing.int64(0)) +
                     "-dimensional vectors in the store; refusing " + std::to_string(dim) + "-dimensional ones"};
      Statement exists(db_, "SELECT 1 FROM movies WHERE id = ?1");
      Statement write(db_, "INSERT INTO vectors(movie_id, model, dim, norm, data, text_hash) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(movie_id, model) DO UPDATE SET "
                           "dim = excluded.dim, norm = excluded.norm, data = excluded.data, "
                           "text_hash = excluded.text_hash, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
      if (!exists.prepared() || !write.prepared()) return sqlite_error("prepare vector write");
      for (const auto& v : vectors) {
        exists.reset();
        exists.bind(1, static_cast<std::int64_t>(v.movie));
        if (exists.step() != SQLITE_ROW) return Error{"movie id " + std::to_string(v.movie) + " is not in the catalog"};
        write.reset();
        write.bind(1, static_cast<std::int64_t>(v.movie));
        write.bind(2, model);
        write.bind(3, static_cast<std::int64_t>(dim));
        write.bind(4, l2_norm(v.values.data(), v.values.size()));
        write.bind_blob(5, encode_float32_blob(v.values));
        write.bind(6, v.text_hash);
        if (write.step() != SQLITE_DONE) return sqlite_error("write vector of movie " + std::to_string(v.movie));
      }
      CINEREC_TRY(bump_version());
      return true;
    });
    if (!result.ok()) return result.error();
    return Status::Ok();
  }

  Result<std::vector<StoredVector>> vectors(const std::string& model) override {
    Statement q(db_, "SELECT movie_id, dim, norm, data, text_hash FROM vectors WHERE model = ?1 ORDER BY movie_id");
    if (!q.prepared()) return sqlite_error("prepare vector read");
    q.bind(1, model);
    std::vector<StoredVector> result;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
      StoredVector v;
      v.movie = q.int64(0);
      v.model = model;
      v.dim = static_cast<std::size_t>(q.int64(1));
      v.norm = static_cast<float>(q.real(2));
      auto values = decode_float32_blob(q.blob(3), v.dim);
      if (!values.ok()) return Error{path_ + ": movie " + std::to_string(v.movie) + ": " + values.error().message};
      v.values = std::move(values).value();
      v.text_hash = q.text(4);
      result.push_back(std::move(v));
    }
    if (rc != SQLITE_DONE) return sqlite_error("read vectors");
    return result;
  }

  Result<std::vector<ModelSummary>> models() override {
    Statement q(db_, "SELECT model, MAX(dim), COUNT(*) FROM vectors GROUP BY model ORDER BY COUNT(*) DESC, model");
    if (!q.prepared()) return sqlite_error("prepare model list");
    std::vector<ModelSummary> result;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW)
      result.push_back({q.text(0), static_cast<std::size_t>(q.int64(1)), static_cast<std::size_t>(q.int64(2))});
    if (rc != SQLITE_DONE) return sqlite_error("list models");
    return result;
  }

  Result<std::int64_t> version() override {
    Statement q(db_, "SELECT value FROM meta WHERE key = 'catalog_version'");
    if (!q.prepared() || q.step() != SQLITE_ROW) return sqlite_error("read catalog version");
    return static_cast<std::int64_t>(std::stoll(q.text(0)));
  }

  Result<std::int64_t> wait_for_change(std::int64_t known, std::chrono::milliseconds timeout) override {
    // Another process's commit is visible to the next read in WAL mode; a short poll is the cheapest
    // portable way to notice it.
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto current = version();
      if (!current.ok() || *current != known) return current;
      auto now = std::chrono::steady_clock::now();
      if (now >= deadline) return current;
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(deadline - now, std::chrono::milliseconds(50)));
    }
  }

  Result<std::optional<std::vector<float>>> cached_query_vector(const std::string& provider, const std::string& model,
                                                                const std::string& text_hash) override {
    Statement q(db_, "SELECT dim, data FROM query_cache WHERE provider = ?1 AND model = ?2 AND text_hash = ?3");
    if (!q.prepared()) return sqlite_error("prepare query cache read");
    q.bind(1, provider);
    q.bind(2, model);
    q.bind(3, text_hash);
    const int rc = q.step();
    if (rc == SQLITE_DONE) return std::optional<std::vector<float>>();
    if (rc != SQLITE_ROW) return sqlite_error("read query cache");
    auto values = decode_float32_blob(q.blob(1), static_cast<std::size_t>(q.int64(0)));
    if (!values.ok()) return Error{path_ + ": query cache: " + values.error().message};
    return std::optional<std::vector<float>>(std::move(values).value());
  }

  Status cache_query_vector(const std::string& provider, const std::string& model, const std::string& text_hash,
                            const std::vector<float>& values) override {
    CINEREC_TRY(validate_vector(values, "query vector"));
    auto result = in_transaction<bool>([&]() -> Result<bool> {
      Statement write(db_, "INSERT OR REPLACE INTO query_cache(provider, model, text_hash, dim, data) "
                           "VALUES (?1, ?2, ?3, ?4, ?5)");
      if (!write.prepared()) return sqlite_error("prepare query cache write");
      write.bind(1, provider);
      write.bind(2, model);
      write.bind(3, text_hash);
      write.bind(4, static_cast<std::int64_t>(values.size()));
      write.bind_blob(5, encode_float32_blob(values));
      if (write.step() != SQLITE_DONE) return sqlite_error("write query cache");
      return true;
    });
    if (!result.ok()) return result.error();
    return Status::Ok();
  }

 private:
  Error sqlite_error(const std::string& what) const {
    return Error{path_ + ": " + what + ": " + sqlite3_errmsg(db_)};
  }

  Status exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      Error e{path_ + ": " + (message ? message : sqlite3_errmsg(db_))};
      sqlite3_free(message);
      return e;
    }
    return Status::Ok();
  }

  Status bump_version() {
    return exec("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'catalog_version'");
  }

  // Runs body inside BEGIN IMMEDIATE … COMMIT; any error rolls everything back.
  template <class T, class Body>
  Result<T> in_transaction(Body body) {
    CINEREC_TRY(exec("BEGIN IMMEDIATE"));
    Result<T> result = body();
    if (!result.ok()) {
      (void)exec("ROLLBACK");
      return result;
    }
    if (auto committed = exec("COMMIT"); !committed.ok()) {
      (void)exec("ROLLBACK");
      return committed.error();
    }
    return result;
  }

  Status check_schema(bool may_migrate) {
    Statement q(db_, "PRAGMA user_version");
    if (!q.prepared() || q.step() != SQLITE_ROW) return sqlite_error("read schema version (is this a SQLite database?)");
    auto current = static_cast<std::size_t>(q.int64(0));
    const auto& migrations = sqlite_migrations();
    if (current > migrations.size())
      return Error{path_ + ": schema version " + std::to_string(current) + " is newer than this cinerec (" +
                   std::to_string(migrations.size()) + "); upgrade cinerec"};
    if (current == migrations.size()) return Status::Ok();
    if (!may_migrate)
      return Error{path_ + ": schema version " + std::to_string(current) + " needs migrating; open it for writing once (e.g. cinerec import)"};
    auto migrated = in_transaction<bool>([&]() -> Result<bool> {
      for (std::size_t v = current; v < migrations.size(); ++v) {
        CINEREC_TRY(exec(std::string(migrations[v]).c_str()));
      }
      CINEREC_TRY(exec(("PRAGMA user_version = " + std::to_string(migrations.size())).c_str()));
      return true;
    });
    if (!migrated.ok()) return migrated.error();
    return Status::Ok();
  }

  sqlite3* db_;
  std::string path_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, OpenMode mode) {
  if (path.empty()) return Error{"empty database path"};
  std::error_code ec;
  bool exists = std::filesystem::exists(path, ec);
  if (!exists && mode != OpenMode::CreateIfMissing)
    return Error{path + ": database does not exist (create it with: cinerec import FILE)"};
  int flags = mode == OpenMode::ReadOnly ? SQLITE_OPEN_READONLY
              : mode == OpenMode::ReadWrite ? SQLITE_OPEN_READWRITE
                                            : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Error{path + ": cannot open database: " + message};
  }
  auto store = std::make_unique<SqliteStore>(db, path);
  CINEREC_TRY(store->configure(mode));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace cinerec
