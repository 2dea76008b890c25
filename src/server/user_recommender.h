// The personal model as a long-running server uses it for /api/users/{id}/recommendations: the model
// trained by cinerec import-ratings or cinerec train, kept in step with the catalog snapshot being
// served and with the ratings, and each user's history read from the rating store at every request.
//
// The model is loaded on first use and loaded again when a request brings a snapshot with other movies
// (the catalog was reloaded), when the ratings changed (an import, which also trains), and, at most
// every `recheck`, while there is no usable model or it is stale (a cinerec train that changed no
// rating). A model is only ever applied to the snapshot whose movies it was trained on.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "recommend/personal.h"
#include "recommend/recommender.h"
#include "store/connection_pool.h"
#include "store/rating_store.h"

namespace cinerec {

// What one user request needs.
struct UserModelView {
  std::shared_ptr<const PersonalModel> model;  // trained on the snapshot's movies; never null
  std::vector<HistoryItem> history;            // the user's ratings of the snapshot's movies, oldest first;
                                               // empty when the user is unknown
  bool model_stale = false;                    // ratings changed since the model was trained
};

class UserRecommender {
 public:
  // `db_location` as open_store takes it. Nothing is opened until the first request; then at most
  // `connections` read-only connections, pooled, so requests for different users read their histories
  // concurrently.
  explicit UserRecommender(std::string db_location, std::chrono::milliseconds recheck = std::chrono::seconds(10),
                           std::size_t connections = 4);

  // The model for `snapshot` and `user`'s current history. Thread-safe: the history is read on a pooled
  // connection of its own; only a model (re)load is serialized. Fails, with what to run, when no model
  // was trained or it was trained on another catalog; or when the database cannot be read.
  Result<UserModelView> for_user(const Recommender& snapshot, const std::string& user);

  // Loads the model for `snapshot` now (cinerec serve calls it at start, so the first request does not
  // wait for it). A missing model is not an error here: requests report it. Fails only when the
  // database cannot be read.
  Status preload(const Recommender& snapshot);

  // The pool's connections now (lent or idle): for tests and /api/health.
  std::size_t open_connections() const { return pool_.open_count(); }

 private:
  using Pool = ConnectionPool<RatingStore>;
  // A pooled connection; a failure to open one is remembered and returned again, without retrying,
  // until `recheck` has passed.
  Result<Pool::Lease> borrow();
  Result<std::unique_ptr<RatingStore>> open_connection();
  // Under mutex_: makes model_ / unavailable_ current for `snapshot`, given the ratings version just
  // read through `store`, which a reload reads the model from.
  void refresh(const Recommender& snapshot, std::int64_t version, RatingStore& store);
  Status refresh_from(const Recommender& snapshot, RatingStore& store);

  std::string location_;
  std::chrono::milliseconds recheck_;
  Pool pool_;
  std::mutex mutex_;  // guards everything below
  std::shared_ptr<const PersonalModel> model_;
  std::optional<Error> unavailable_;  // why model_ is null, after an attempt
  bool stale_ = false;
  std::optional<Error> open_failure_;  // the last failure to open a connection, while none opened since
  std::chrono::steady_clock::time_point open_failed_at_{};
  // What the last load attempt saw: the snapshot's movies, the ratings version, and when.
  std::vector<MovieId> attempted_movies_;
  std::int64_t attempted_version_ = -1;
  std::chrono::steady_clock::time_point attempted_at_{};
};

}  // namespace cinerec
