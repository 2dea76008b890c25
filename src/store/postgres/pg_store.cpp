#include "store/postgres/pg_store.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>
#include <thread>
#include <tuple>

#include "common/json_parse.h"
#include "common/text.h"
#include "store/postgres/pg_schema.h"
#include "store/postgres/pg_session.h"
#include "store/postgres/pg_url.h"
#include "store/vector_codec.h"

namespace cinerec {
namespace {

// Serializes schema migrations across processes (pg_advisory_xact_lock key; "cinerec" in ASCII).
constexpr std::int64_t kMigrationLock = 0x63696e65726563;

// bytea in COPY text format: "\x" followed by hex digits (stream_to escapes the backslash for COPY).
std::string bytea_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "\\x";
  out.reserve(2 + bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// The notification receiver only has to exist: LISTEN is what makes await_notification() return when
// another process commits a write.
class CatalogListener final : public pqxx::notification_receiver {
 public:
  explicit CatalogListener(pqxx::connection_base& c) : pqxx::notification_receiver(c, std::string(kCatalogChannel)) {}
  void operator()(const std::string&, int) override {}
};

class PostgresStore final : public Store {
 public:
  PostgresStore(const std::string& url, std::string uri, OpenMode mode) : session_(url, std::move(uri), mode) {
    session_.on_disconnect([this] { listener_.reset(); });  // the listener refers to the connection
  }

  ~PostgresStore() override {
    listener_.reset();
    session_.on_disconnect({});
  }

  std::string describe() const override { return session_.redacted(); }

  // Connects, and brings the schema to the current version (or checks it is current, read-only).
  Status open() {
    CINEREC_TRY(session_.connect());
    auto checked = session_.run<bool>("check the schema", [&](pqxx::connection& c) -> bool {
      check_schema(c);
      return true;
    });
    if (!checked.ok()) return checked.error();
    return Status::Ok();
  }

  Result<UpsertSummary> upsert_movies(const std::vector<MovieRecord>& records) override {
    std::set<std::string> keys;
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (!keys.insert(fold_for_search(records[i].title)).second)
        return Error{"record " + std::to_string(i) + ": duplicate title " + quote_for_message(records[i].title) + " in one batch"};
    }
    return session_.run<UpsertSummary>("import movies", [&](pqxx::connection& c) {
      pqxx::work tx(c);
      lock_catalog(tx);
      tx.exec0(
          "CREATE TEMP TABLE cinerec_movies_in (ord INTEGER, title TEXT, title_key TEXT, description TEXT, "
          "genre_raw TEXT, genres TEXT, year TEXT, year_raw TEXT, poster TEXT, source TEXT, source_id TEXT, "
          "tagline TEXT, keywords TEXT) ON COMMIT DROP");
      {
        pqxx::stream_to copy(tx, "cinerec_movies_in",
                             std::vector<std::string>{"ord", "title", "title_key", "description", "genre_raw", "genres",
                                                      "year", "year_raw", "poster", "source", "source_id",
                                                      "tagline", "keywords"});
        for (std::size_t i = 0; i < records.size(); ++i) {
          const auto& r = records[i];
          copy << std::make_tuple(static_cast<long>(i), r.title, fold_for_search(r.title), r.description, r.genre_raw,
                                  nlohmann::json(r.genres).dump(), r.year ? std::to_string(*r.year) : std::string(),
                                  r.year_raw, r.poster, r.source, r.source_id, r.tagline,
                                  nlohmann::json(r.keywords).dump());
        }
        copy.complete();
      }
      // A stored movie is unchanged when every field equals the incoming record's.
      const std::string incoming =
          "(s.title, s.description, s.genre_raw, s.genres::jsonb, NULLIF(s.year, '')::integer, s.year_raw, s.poster, "
          "s.source, s.source_id, s.tagline, s.keywords::jsonb)";
      const std::string stored = "(m.title, m.description, m.genre_raw, m.genres, m.year, m.year_raw, m.poster, "
                                 "m.source, m.source_id, m.tagline, m.keywords)";
      auto counts = tx.exec1(
          "SELECT count(*) FILTER (WHERE m.id IS NULL), "
          "count(*) FILTER (WHERE m.id IS NOT NULL AND " + stored + " IS DISTINCT FROM " + incoming + ") "  // sql-concat-ok: constant fragments, no input
          "FROM cinerec_movies_in s LEFT JOIN movies m ON m.title_key = s.title_key");
      UpsertSummary summary;
      summary.added = counts[0].as<std::size_t>();
      summary.updated = counts[1].as<std::size_t>();
      summary.unchanged = records.size() - summary.added - summary.updated;
      auto ids_in_order = [&] {
        summary.ids.reserve(records.size());
        for (const auto& row : tx.exec("SELECT m.id FROM cinerec_movies_in s JOIN movies m ON m.title_key = s.title_key "
                                       "ORDER BY s.ord"))
          summary.ids.push_back(row[0].as<std::int64_t>());
      };
      if (summary.added + summary.updated == 0) {  // nothing to commit: the version stays
        ids_in_order();
        return summary;
      }
      tx.exec0("UPDATE movies m SET title = s.title, description = s.description, genre_raw = s.genre_raw, "
               "genres = s.genres::jsonb, year = NULLIF(s.year, '')::integer, year_raw = s.year_raw, "
               "poster = s.poster, source = s.source, source_id = s.source_id, tagline = s.tagline, "
               "keywords = s.keywords::jsonb, updated_at = now() "
               "FROM cinerec_movies_in s WHERE m.title_key = s.title_key AND " + stored + " IS DISTINCT FROM " +  // sql-concat-ok: constant fragments, no input
               incoming);
      // New movies get ids in file order, as in SQLite.
      tx.exec0("INSERT INTO movies(title, title_key, description, genre_raw, genres, year, year_raw, poster, source, "
               "source_id, tagline, keywords) SELECT s.title, s.title_key, s.description, s.genre_raw, s.genres::jsonb, "
               "NULLIF(s.year, '')::integer, s.year_raw, s.poster, s.source, s.source_id, s.tagline, s.keywords::jsonb "
               "FROM cinerec_movies_in s "
               "WHERE NOT EXISTS (SELECT 1 FROM movies m WHERE m.title_key = s.title_key) ORDER BY s.ord");
      ids_in_order();
      commit_write(tx);
      return summary;
    });
  }

  Result<std::vector<Movie>> movies() override {
    return session_.run<std::vector<Movie>>("read movies", [&](pqxx::connection& c) {
      pqxx::read_transaction tx(c);
      auto rows = tx.exec("SELECT id, title, description, genre_raw, genres::text, year, year_raw, poster, source, "
                          "source_id, tagline, keywords::text FROM movies ORDER BY id");
      std::vector<Movie> result;
      result.reserve(rows.size());
      for (const auto& row : rows) {
        Movie m;
        m.id = row[0].as<std::int64_t>();
        m.title = row[1].as<std::string>();
        m.description = row[2].as<std::string>();
        m.genre_raw = row[3].as<std::string>();
        m.genres = json_string_array(row[4].as<std::string>());
        if (!row[5].is_null()) m.year = row[5].as<int>();
        m.year_raw = row[6].as<std::string>();
        m.poster = row[7].as<std::string>();
        m.source = row[8].as<std::string>();
        m.source_id = row[9].as<std::string>();
        m.tagline = row[10].as<std::string>();
        m.keywords = json_string_array(row[11].as<std::string>());
        result.push_back(std::move(m));
      }
      return result;
    });
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
    auto result = session_.run<bool>("store vectors", [&](pqxx::connection& c) {
      pqxx::work tx(c);
      lock_catalog(tx);
      auto existing = tx.exec_params("SELECT dim FROM vectors WHERE model = $1 LIMIT 1", model);
      if (!existing.empty() && existing[0][0].as<std::size_t>() != dim)
        throw PgRefused{Error{"model " + model + " has " + existing[0][0].as<std::string>() +
                            "-dimensional vectors in the store; refusing " + std::to_string(dim) +
                            "-dimensional ones"}};
      tx.exec0("CREATE TEMP TABLE cinerec_vectors_in (ord INTEGER, movie_id BIGINT, norm DOUBLE PRECISION, "
               "data BYTEA, text_hash TEXT) ON COMMIT DROP");
      {
        pqxx::stream_to copy(tx, "cinerec_vectors_in",
                             std::vector<std::string>{"ord", "movie_id", "norm", "data", "text_hash"});
        for (std::size_t i = 0; i < vectors.size(); ++i) {
          const auto& v = vectors[i];
          copy << std::make_tuple(static_cast<long>(i), static_cast<long long>(v.movie),
                                  l2_norm(v.values.data(), v.values.size()), bytea_hex(encode_float32_blob(v.values)),
                                  v.text_hash);
        }
        copy.complete();
      }
      auto unknown = tx.exec("SELECT s.movie_id FROM cinerec_vectors_in s WHERE NOT EXISTS "
                             "(SELECT 1 FROM movies m WHERE m.id = s.movie_id) ORDER BY s.ord LIMIT 1");
      if (!unknown.empty())
        throw PgRefused{Error{"movie id " + unknown[0][0].as<std::string>() + " is not in the catalog"}};
      // A movie given twice keeps its last vector, as in SQLite (one upsert after another).
      tx.exec_params0("INSERT INTO vectors(movie_id, model, dim, norm, data, text_hash) "
                      "SELECT DISTINCT ON (movie_id) movie_id, $1, $2, norm, data, text_hash FROM cinerec_vectors_in "
                      "ORDER BY movie_id, ord DESC "
                      "ON CONFLICT (movie_id, model) DO UPDATE SET dim = excluded.dim, norm = excluded.norm, "
                      "data = excluded.data, text_hash = excluded.text_hash, updated_at = now()",
                      model, static_cast<long long>(dim));
      commit_write(tx);
      return true;
    });
    if (!result.ok()) return result.error();
    return Status::Ok();
  }

  Result<std::vector<StoredVector>> vectors(const std::string& model) override {
    return session_.run<std::vector<StoredVector>>("read vectors", [&](pqxx::connection& c) {
      pqxx::read_transaction tx(c);
      auto rows = tx.exec_params(
          "SELECT movie_id, dim, norm, data, text_hash FROM vectors WHERE model = $1 ORDER BY movie_id", model);
      std::vector<StoredVector> result;
      result.reserve(rows.size());
      for (const auto& row : rows) {
        StoredVector v;
        v.movie = row[0].as<std::int64_t>();
        v.model = model;
        v.dim = row[1].as<std::size_t>();
        v.norm = static_cast<float>(row[2].as<double>());
        pqxx::binarystring data(row[3]);
        auto values = decode_float32_blob(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()), v.dim);
        if (!values.ok())
          throw PgRefused{Error{session_.redacted() + ": movie " + std::to_string(v.movie) + ": " + values.error().message}};
        v.values = std::move(values).value();
        v.text_hash = row[4].as<std::string>();
        result.push_back(std::move(v));
      }
      return result;
    });
  }

  Result<std::vector<ModelSummary>> models() override {
    return session_.run<std::vector<ModelSummary>>("list models", [&](pqxx::connection& c) {
      pqxx::read_transaction tx(c);
      auto rows = tx.exec("SELECT model, MAX(dim), COUNT(*) FROM vectors GROUP BY model ORDER BY COUNT(*) DESC, model");
      std::vector<ModelSummary> result;
      for (const auto& row : rows)
        result.push_back({row[0].as<std::string>(), row[1].as<std::size_t>(), row[2].as<std::size_t>()});
      return result;
    });
  }

  Result<std::optional<std::vector<float>>> cached_query_vector(const std::string& provider, const std::string& model,
                                                                const std::string& text_hash) override {
    return session_.run<std::optional<std::vector<float>>>("read the query cache", [&](pqxx::connection& c) {
      pqxx::read_transaction tx(c);
      auto rows = tx.exec_params("SELECT dim, data FROM query_cache WHERE provider = $1 AND model = $2 AND text_hash = $3",
                                 provider, model, text_hash);
      if (rows.empty()) return std::optional<std::vector<float>>();
      pqxx::binarystring data(rows[0][1]);
      auto values = decode_float32_blob(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()),
                                        rows[0][0].as<std::size_t>());
      if (!values.ok()) throw PgRefused{Error{session_.redacted() + ": query cache: " + values.error().message}};
      return std::optional<std::vector<float>>(std::move(values).value());
    });
  }

  // Not a catalog write: no catalog lock, no version bump, no NOTIFY.
  Status cache_query_vector(const std::string& provider, const std::string& model, const std::string& text_hash,
                            const std::vector<float>& values) override {
    CINEREC_TRY(validate_vector(values, "query vector"));
    auto result = session_.run<bool>("write the query cache", [&](pqxx::connection& c) {
      pqxx::work tx(c);
      tx.exec_params0("INSERT INTO query_cache(provider, model, text_hash, dim, data) VALUES ($1, $2, $3, $4, "
                      "$5::bytea) ON CONFLICT (provider, model, text_hash) DO UPDATE SET dim = excluded.dim, "
                      "data = excluded.data, created_at = now()",
                      provider, model, text_hash, static_cast<long long>(values.size()),
                      bytea_hex(encode_float32_blob(values)));
      tx.commit();
      return true;
    });
    if (!result.ok()) return result.error();
    return Status::Ok();
  }

  Result<std::int64_t> version() override {
    return session_.run<std::int64_t>("read the catalog version", [&](pqxx::connection& c) { return read_version(c); });
  }

  Result<std::int64_t> wait_for_change(std::int64_t known, std::chrono::milliseconds timeout) override {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    return session_.run<std::int64_t>("wait for catalog changes", [&](pqxx::connection& c) {
      // LISTEN before reading the version: a write committed in between is then seen by one or the other.
      if (!listener_) listener_ = std::make_unique<CatalogListener>(c);
      for (;;) {
        std::int64_t current = read_version(c);
        auto now = std::chrono::steady_clock::now();
        if (current != known || now >= deadline) return current;
        auto wait = std::chrono::duration_cast<std::chrono::microseconds>(deadline - now).count();
        c.await_notification(static_cast<long>(wait / 1000000), static_cast<long>(wait % 1000000));
      }
    });
  }

 private:
  static std::int64_t read_version(pqxx::connection& c) {
    pqxx::read_transaction tx(c);
    return tx.exec1("SELECT version FROM catalog_state").at(0).as<std::int64_t>();
  }

  // Every write starts here: the row lock makes writers from all processes take turns.
  static void lock_catalog(pqxx::work& tx) { tx.exec1("SELECT version FROM catalog_state FOR UPDATE"); }

  // Bumps the version and signals listeners; the NOTIFY is delivered only if the commit succeeds.
  static void commit_write(pqxx::work& tx) {
    auto version = tx.exec1("UPDATE catalog_state SET version = version + 1 RETURNING version")[0].as<std::string>();
    tx.exec_params("SELECT pg_notify($1, $2)", std::string(kCatalogChannel), version);
    tx.commit();
  }

  // Reads schema_version; migrates when allowed (one process at a time, under an advisory lock).
  void check_schema(pqxx::connection& c) {
    const auto& migrations = postgres_migrations();
    auto current_version = [](pqxx::transaction_base& tx) -> std::size_t {
      // A catalog query (not to_regclass, which may answer from a stale cache) under this statement's snapshot.
      if (!tx.exec1("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() "
                    "AND tablename = 'schema_version')")[0].as<bool>())
        return 0;
      auto rows = tx.exec("SELECT version FROM schema_version");
      return rows.empty() ? 0 : rows[0][0].as<std::size_t>();
    };
    std::size_t current;
    {
      pqxx::read_transaction tx(c);
      current = current_version(tx);
    }
    if (current > migrations.size())
      throw PgRefused{Error{session_.redacted() + ": schema version " + std::to_string(current) + " is newer than this cinerec (" +
                          std::to_string(migrations.size()) + "); upgrade cinerec"}};
    if (current == migrations.size()) return;
    if (session_.mode() != OpenMode::CreateIfMissing && current == 0)
      throw PgRefused{Error{session_.redacted() + ": no cinerec catalog in this database (create it with: cinerec import FILE)"}};
    if (session_.mode() == OpenMode::ReadOnly)
      throw PgRefused{Error{session_.redacted() + ": schema version " + std::to_string(current) +
                          " needs migrating; open it for writing once (e.g. cinerec import)"}};
    // A session lock taken before the migrating transaction begins: a transaction that started while
    // another process was migrating could still see the old catalog through its caches.
    {
      pqxx::nontransaction lock(c);
      lock.exec_params("SELECT pg_advisory_lock($1)", static_cast<long long>(kMigrationLock));
    }
    try {
      pqxx::work tx(c);
      current = current_version(tx);  // another process may have migrated while we waited
      if (current == 0) tx.exec0("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      for (std::size_t v = current; v < migrations.size(); ++v) tx.exec0(std::string(migrations[v]));
      tx.exec0("DELETE FROM schema_version");
      tx.exec_params0("INSERT INTO schema_version(version) VALUES ($1)", static_cast<long long>(migrations.size()));
      tx.commit();
    } catch (...) {
      unlock_migrations(c);
      throw;
    }
    unlock_migrations(c);
  }

  static void unlock_migrations(pqxx::connection& c) {
    if (!c.is_open()) return;  // the server released it with the session
    pqxx::nontransaction unlock(c);
    unlock.exec_params("SELECT pg_advisory_unlock($1)", static_cast<long long>(kMigrationLock));
  }

  PgSession session_;
  std::unique_ptr<CatalogListener> listener_;  // LISTENing on the session's connection; dropped with it
};

}  // namespace

Result<std::unique_ptr<Store>> open_postgres_store(const std::string& url, OpenMode mode) {
  auto uri = postgres_connection_uri(url);
  if (!uri.ok()) return uri.error();
  auto store = std::make_unique<PostgresStore>(url, *uri, mode);
  CINEREC_TRY(store->open());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace cinerec
