// The RatingStore interface: people's rating histories and the models trained from them. Kept apart
// from Store so a backend can add ratings without touching the catalog interface; both live in the same
// database. Implementations: SQLite (store/sqlite/sqlite_rating_store.cpp) and PostgreSQL
// (store/postgres/pg_rating_store.cpp).
//
// Guarantees every implementation gives:
//  - upsert_ratings is one transaction: it applies completely or not at all.
//  - A user rates a movie at most once: (user, movie) is the key, a later import replaces the value.
//  - ratings_version() increases after every committed change to ratings, so a trained model can tell
//    it is stale.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/movie.h"
#include "common/result.h"
#include "store/store.h"

namespace cinerec {

struct Rating {
  std::string user;  // the source's user id
  MovieId movie = 0;
  float value = 0.0f;           // 0.5 … 5
  std::int64_t timestamp = 0;   // seconds since the epoch
};

struct RatingsSummary {
  std::size_t added = 0;
  std::size_t updated = 0;
  std::size_t unchanged = 0;
};

struct TrainedModel {
  std::string name;
  std::string data;  // the model's own serialization
  std::int64_t ratings_version = 0;  // ratings_version() when it was trained
};

class RatingStore {
 public:
  virtual ~RatingStore() = default;

  // Inserts or replaces ratings keyed by (user, movie), all in one transaction. Unknown movie ids and
  // repeated (user, movie) pairs in one batch are errors that change nothing.
  virtual Result<RatingsSummary> upsert_ratings(const std::vector<Rating>& ratings) = 0;

  // Every rating, ordered by user, then timestamp, then movie.
  virtual Result<std::vector<Rating>> ratings() = 0;

  // One user's ratings ordered by timestamp, then movie; empty when the user is unknown.
  virtual Result<std::vector<Rating>> user_ratings(const std::string& user) = 0;

  virtual Result<std::int64_t> ratings_version() = 0;

  // Stores a trained model under `name`, replacing any previous one.
  virtual Status put_trained_model(const TrainedModel& model) = 0;
  // The model stored under `name`, or nullopt when none is.
  virtual Result<std::optional<TrainedModel>> trained_model(const std::string& name) = 0;
};

// Checks a batch before any implementation writes it: every value in 0.5 … 5, no (user, movie) twice.
// The error names the rating (its position in the batch), the user and the movie.
Status check_rating_batch(const std::vector<Rating>& ratings);

// Opens the rating tables of the database at `location` (the same location open_store takes).
Result<std::unique_ptr<RatingStore>> open_rating_store(const std::string& location, OpenMode mode);

}  // namespace cinerec
