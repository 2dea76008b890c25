#include "store/postgres/pg_rating_store.h"

#include <pqxx/pqxx>
#include <tuple>

#include "store/postgres/pg_session.h"
#include "store/postgres/pg_store.h"
#include "store/postgres/pg_url.h"

namespace cinerec {
namespace {

std::vector<Rating> ratings_of(const pqxx::result& rows) {
  std::vector<Rating> out;
  out.reserve(rows.size());
  for (const auto& row : rows)
    out.push_back({row[0].as<std::string>(), row[1].as<std::int64_t>(), row[2].as<float>(), row[3].as<std::int64_t>()});
  return out;
}

class PostgresRatingStore final : public RatingStore {
 public:
  PostgresRatingStore(const std::string& url, std::string uri, OpenMode mode) : session_(url, std::move(uri), mode) {}

  Status open() { return session_.connect(); }

  Result<RatingsSummary> upsert_ratings(const std::vector<Rating>& ratings) override {
    CINEREC_TRY(check_rating_batch(ratings));
    return session_.run<RatingsSummary>("import ratings", [&](pqxx::connection& c) {
      pqxx::work tx(c);
      // Rating writers from every process take turns here; catalog writers are not blocked.
      tx.exec1("SELECT version FROM ratings_state FOR UPDATE");
      tx.exec0("CREATE TEMP TABLE cinerec_ratings_in (ord BIGINT, user_id TEXT, movie_id BIGINT, rating REAL, "
               "rated_at BIGINT) ON COMMIT DROP");
      {
        pqxx::stream_to copy(tx, "cinerec_ratings_in",
                             std::vector<std::string>{"ord", "user_id", "movie_id", "rating", "rated_at"});
        for (std::size_t i = 0; i < ratings.size(); ++i) {
          const auto& r = ratings[i];
          copy << std::make_tuple(static_cast<long long>(i), r.user, static_cast<long long>(r.movie), r.value,
                                  static_cast<long long>(r.timestamp));
        }
        copy.complete();
      }
      auto unknown = tx.exec("SELECT s.movie_id FROM cinerec_ratings_in s WHERE NOT EXISTS "
                             "(SELECT 1 FROM movies m WHERE m.id = s.movie_id) ORDER BY s.ord LIMIT 1");
      if (!unknown.empty())
        throw PgRefused{Error{"movie id " + unknown[0][0].as<std::string>() + " is not in the catalog"}};
      auto counts = tx.exec1(
          "SELECT count(*) FILTER (WHERE r.user_id IS NULL), count(*) FILTER (WHERE r.user_id IS NOT NULL AND "
          "(r.rating, r.rated_at) IS DISTINCT FROM (s.rating, s.rated_at)) "
          "FROM cinerec_ratings_in s LEFT JOIN ratings r ON r.user_id = s.user_id AND r.movie_id = s.movie_id");
      RatingsSummary summary;
      summary.added = counts[0].as<std::size_t>();
      summary.updated = counts[1].as<std::size_t>();
      summary.unchanged = ratings.size() - summary.added - summary.updated;
      if (summary.added + summary.updated == 0) return summary;  // nothing changed: the version stays
      tx.exec0("INSERT INTO ratings(user_id, movie_id, rating, rated_at) "
               "SELECT user_id, movie_id, rating, rated_at FROM cinerec_ratings_in "
               "ON CONFLICT (user_id, movie_id) DO UPDATE SET rating = excluded.rating, rated_at = excluded.rated_at "
               "WHERE (ratings.rating, ratings.rated_at) IS DISTINCT FROM (excluded.rating, excluded.rated_at)");
      tx.exec0("UPDATE ratings_state SET version = version + 1");
      tx.commit();
      return summary;
    });
  }

  Result<std::vector<Rating>> ratings() override {
    return session_.run<std::vector<Rating>>("read ratings", [&](pqxx::connection& c) {
      pqxx::read_transaction tx(c);
      // User ids compare as bytes, as in SQLite, whatever the database's collation.
      return ratings_of(tx.exec("SELECT user_id, movie_id, rating, rated_at FROM ratings "
                                "ORDER BY user_id COLLATE \"C\", rated_at, movie_id"));
    });
  }

  Result<std::vector<Rating>> user_ratings(const std::string& user) override {
    return session_.run<std::vector<Rating>>("read ratings of user " + user, [&](pqxx::connection& c) {
      pqxx::read_transaction tx(c);
      return ratings_of(tx.exec_params("SELECT user_id, movie_id, rating, rated_at FROM ratings WHERE user_id = $1 "
                                       "ORDER BY rated_at, movie_id",
                                       user));
    });
  }

  Result<std::int64_t> ratings_version() override {
    return session_.run<std::int64_t>("read the ratings version", [&](pqxx::connection& c) {
      pqxx::read_transaction tx(c);
      return tx.exec1("SELECT version FROM ratings_state")[0].as<std::int64_t>();
    });
  }

  Status put_trained_model(const TrainedModel& model) override {
    auto result = session_.run<bool>("store model " + model.name, [&](pqxx::connection& c) {
      pqxx::work tx(c);
      // Sent as a binary parameter: no hex doubling of a model that may be tens of megabytes.
      tx.exec_params0("INSERT INTO trained_models(name, data, ratings_version) VALUES ($1, $2, $3) "
                      "ON CONFLICT (name) DO UPDATE SET data = excluded.data, "
                      "ratings_version = excluded.ratings_version, trained_at = now()",
                      model.name, pqxx::binarystring(model.data), static_cast<long long>(model.ratings_version));
      tx.commit();
      return true;
    });
    if (!result.ok()) return result.error();
    return Status::Ok();
  }

  Result<std::optional<TrainedModel>> trained_model(const std::string& name) override {
    return session_.run<std::optional<TrainedModel>>("read model " + name, [&](pqxx::connection& c) {
      pqxx::read_transaction tx(c);
      auto rows = tx.exec_params("SELECT data, ratings_version FROM trained_models WHERE name = $1", name);
      if (rows.empty()) return std::optional<TrainedModel>();
      pqxx::binarystring data(rows[0][0]);
      return std::optional<TrainedModel>(TrainedModel{name, data.str(), rows[0][1].as<std::int64_t>()});
    });
  }

 private:
  PgSession session_;
};

}  // namespace

Result<std::unique_ptr<RatingStore>> open_postgres_rating_store(const std::string& url, OpenMode mode) {
  auto catalog = open_postgres_store(url, mode);
  if (!catalog.ok()) return catalog.error();
  catalog->reset();
  auto uri = postgres_connection_uri(url);
  if (!uri.ok()) return uri.error();
  auto store = std::make_unique<PostgresRatingStore>(url, *uri, mode);
  CINEREC_TRY(store->open());
  return std::unique_ptr<RatingStore>(std::move(store));
}

}  // namespace cinerec
