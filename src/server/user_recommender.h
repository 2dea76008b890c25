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
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "recommend/personal.h"
#include "recommend/recommender.h"
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
  // `db_location` as open_store takes it. Nothing is opened until the first request.
  explicit UserRecommender(std::string db_location, std::chrono::milliseconds recheck = std::chrono::seconds(10));

  // The model for `snapshot` and `user`'s current history. Thread-safe (calls are serialized: one
  // store connection). Fails, with what to run, when the database keeps no ratings (PostgreSQL), no
  // model was trained, or it was trained on another catalog; or when the database cannot be read.
  Result<UserModelView> for_user(const Recommender& snapshot, const std::string& user);

  // Loads the model for `snapshot` now (cinerec serve calls it at start, so the first request does not
  // wait for it). A missing model is not an error here: requests report it. Fails only when the
  // database cannot be read.
  Status preload(const Recommender& snapshot);

 private:
  // Under mutex_: makes model_ / unavailable_ current for `snapshot`.
  Status refresh(const Recommender& snapshot);

  std::string location_;
  std::chrono::milliseconds recheck_;
  std::mutex mutex_;  // guards everything below; a RatingStore connection is not thread-safe
  std::unique_ptr<RatingStore> ratings_;
  std::shared_ptr<const PersonalModel> model_;
  std::optional<Error> unavailable_;  // why model_ is null, after an attempt
  bool stale_ = false;
  // What the last load attempt saw: the snapshot's movies, the ratings version, and when.
  std::vector<MovieId> attempted_movies_;
  std::int64_t attempted_version_ = -1;
  std::chrono::steady_clock::time_point attempted_at_{};
};

}  // namespace cinerec
