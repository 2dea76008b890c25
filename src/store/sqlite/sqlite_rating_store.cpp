// SQLite implementation of RatingStore: its own connection to the catalog's database file (WAL, so it
// coexists with the Store connection). The schema (migration 2) is created by open_store, which this
// opens first so a fresh or old file is brought up to date the same way.
#include <sqlite3.h>

#include "store/rating_store.h"
#include "store/sqlite/sqlite_store.h"

namespace cinerec {
namespace {

class Query {
 public:
  Query(sqlite3* db, const char* sql) { ok_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) == SQLITE_OK; }
  ~Query() { sqlite3_finalize(stmt_); }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  bool prepared() const { return ok_; }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void bind(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
  void bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  void bind_blob(int i, const std::string& v) {
    sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  int step() { return sqlite3_step(stmt_); }
  std::int64_t int64(int c) const { return sqlite3_column_int64(stmt_, c); }
  double real(int c) const { return sqlite3_column_double(stmt_, c); }
  std::string text(int c) const {
    auto p = static_cast<const char*>(sqlite3_column_blob(stmt_, c));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c))) : std::string();
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  bool ok_ = false;
};

class SqliteRatingStore final : public RatingStore {
 public:
  SqliteRatingStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteRatingStore() override { sqlite3_close_v2(db_); }

  Status configure() {
    sqlite3_busy_timeout(db_, 10000);
    return exec("PRAGMA foreign_keys = ON");
  }

  Result<RatingsSummary> upsert_ratings(const std::vector<Rating>& ratings) override {
    CINEREC_TRY(check_rating_batch(ratings));
    CINEREC_TRY(exec("BEGIN IMMEDIATE"));
    auto result = write_ratings(ratings);
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

  Result<std::vector<Rating>> ratings() override {
    Query q(db_, "SELECT user_id, movie_id, rating, rated_at FROM ratings ORDER BY user_id, rated_at, movie_id");
    return read(q, "read ratings");
  }

  Result<std::vector<Rating>> user_ratings(const std::string& user) override {
    Query q(db_, "SELECT user_id, movie_id, rating, rated_at FROM ratings WHERE user_id = ?1 ORDER BY rated_at, movie_id");
    q.bind(1, user);
    return read(q, "read ratings of user " + user);
  }

  Result<std::int64_t> ratings_version() override {
    Query q(db_, "SELECT value FROM meta WHERE key = 'ratings_version'");
    if (!q.prepared() || q.step() != SQLITE_ROW) return sqlite_error("read ratings version");
    return static_cast<std::int64_t>(std::stoll(q.text(0)));
  }

  Status put_trained_model(const TrainedModel& model) override {
    Query q(db_, "INSERT INTO trained_models(name, data, ratings_version) VALUES (?1, ?2, ?3) "
                 "ON CONFLICT(name) DO UPDATE SET data = excluded.data, ratings_version = excluded.ratings_version, "
                 "trained_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')");
    if (!q.prepared()) return sqlite_error("prepare model write");
    q.bind(1, model.name);
    q.bind_blob(2, model.data);
    q.bind(3, model.ratings_version);
    if (q.step() != SQLITE_DONE) return sqlite_error("write model " + model.name);
    return Status::Ok();
  }

  Result<std::optional<TrainedModel>> trained_model(const std::string& name) override {
    Query q(db_, "SELECT data, ratings_version FROM trained_models WHERE name = ?1");
    if (!q.prepared()) return sqlite_error("prepare model read");
    q.bind(1, name);
    int rc = q.step();
    if (rc == SQLITE_DONE) return std::optional<TrainedModel>{};
    if (rc != SQLITE_ROW) return sqlite_error("read model " + name);
    return std::optional<TrainedModel>{TrainedModel{name, q.text(0), q.int64(1)}};
  }

 private:
  Result<RatingsSummary> write_ratings(const std::vector<Rating>& ratings) {
    RatingsSummary summary;
    Query movie(db_, "SELECT 1 FROM movies WHERE id = ?1");
    Query find(db_, "SELECT rating, rated_at FROM ratings WHERE user_id = ?1 AND movie_id = ?2");
    Query write(db_, "INSERT INTO ratings(user_id, movie_id, rating, rated_at) VALUES (?1, ?2, ?3, ?4) "
                     "ON CONFLICT(user_id, movie_id) DO UPDATE SET rating = excluded.rating, rated_at = excluded.rated_at");
    if (!movie.prepared() || !find.prepared() || !write.prepared()) return sqlite_error("prepare rating write");
    for (const auto& r : ratings) {
      movie.reset();
      movie.bind(1, static_cast<std::int64_t>(r.movie));
      if (movie.step() != SQLITE_ROW) return Error{"movie id " + std::to_string(r.movie) + " is not in the catalog"};
      find.reset();
      find.bind(1, r.user);
      find.bind(2, static_cast<std::int64_t>(r.movie));
      int rc = find.step();
      if (rc == SQLITE_ROW) {
        if (static_cast<float>(find.real(0)) == r.value && find.int64(1) == r.timestamp) {
          ++summary.unchanged;
          continue;
        }
        ++summary.updated;
      } else if (rc == SQLITE_DONE) {
        ++summary.added;
      } else {
        return sqlite_error("look up a rating of user " + r.user);
      }
      write.reset();
      write.bind(1, r.user);
      write.bind(2, static_cast<std::int64_t>(r.movie));
      write.bind(3, static_cast<double>(r.value));
      write.bind(4, r.timestamp);
      if (write.step() != SQLITE_DONE) return sqlite_error("write a rating of user " + r.user);
    }
    if (summary.added + summary.updated > 0)
      CINEREC_TRY(exec("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'ratings_version'"));
    return summary;
  }

  Result<std::vector<Rating>> read(Query& q, const std::string& what) {
    if (!q.prepared()) return sqlite_error("prepare: " + what);
    std::vector<Rating> out;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW)
      out.push_back({q.text(0), q.int64(1), static_cast<float>(q.real(2)), q.int64(3)});
    if (rc != SQLITE_DONE) return sqlite_error(what);
    return out;
  }

  Error sqlite_error(const std::string& what) const { return Error{path_ + ": " + what + ": " + sqlite3_errmsg(db_)}; }

  Status exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      Error e{path_ + ": " + (message ? message : sqlite3_errmsg(db_))};
      sqlite3_free(message);
      return e;
    }
    return Status::Ok();
  }

  sqlite3* db_;
  std::string path_;
};

}  // namespace

Result<std::unique_ptr<RatingStore>> open_sqlite_rating_store(const std::string& path, OpenMode mode) {
  // Checks (and, when writing, migrates) the schema exactly as the catalog store does.
  auto catalog = open_sqlite_store(path, mode);
  if (!catalog.ok()) return catalog.error();
  catalog->reset();
  sqlite3* db = nullptr;
  int flags = mode == OpenMode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Error{path + ": cannot open database: " + message};
  }
  auto store = std::make_unique<SqliteRatingStore>(db, path);
  CINEREC_TRY(store->configure());
  return std::unique_ptr<RatingStore>(std::move(store));
}

}  // namespace cinerec
