#include "server/user_recommender.h"

#include <algorithm>

namespace cinerec {

namespace {

bool same_movies(const std::vector<MovieId>& ids, const Recommender& snapshot) {
  const auto& movies = snapshot.movies();
  return ids.size() == movies.size() &&
         std::equal(ids.begin(), ids.end(), movies.begin(), [](MovieId id, const Movie& m) { return id == m.id; });
}

}  // namespace

UserRecommender::UserRecommender(std::string db_location, std::chrono::milliseconds recheck)
    : location_(std::move(db_location)), recheck_(recheck) {}

Status UserRecommender::refresh(const Recommender& snapshot) {
  const auto now = std::chrono::steady_clock::now();
  const bool retry_due = attempted_version_ < 0 || now - attempted_at_ >= recheck_;
  if (!ratings_) {
    if (!retry_due) return Status::Ok();
    attempted_at_ = now;
    auto opened = open_rating_store(location_, OpenMode::ReadOnly);
    if (!opened.ok()) {
      attempted_version_ = 0;  // an attempt was made: the next one waits for recheck_
      unavailable_ = opened.error();
      return Status::Ok();
    }
    ratings_ = std::move(opened).value();
    attempted_version_ = -1;  // load below
  }
  auto version = ratings_->ratings_version();
  if (!version.ok()) return version.error();
  const bool unchanged = *version == attempted_version_ && same_movies(attempted_movies_, snapshot);
  if (unchanged && !((!model_ || stale_) && retry_due)) return Status::Ok();

  attempted_movies_.clear();
  for (const auto& m : snapshot.movies()) attempted_movies_.push_back(m.id);
  attempted_version_ = *version;
  attempted_at_ = now;
  bool stale = false;
  auto model = load_personal_model(*ratings_, snapshot, &stale);
  if (!model.ok()) {
    model_.reset();
    unavailable_ = model.error();
    return Status::Ok();
  }
  model_ = std::make_shared<const PersonalModel>(std::move(model).value());
  stale_ = stale;
  unavailable_.reset();
  return Status::Ok();
}

Status UserRecommender::preload(const Recommender& snapshot) {
  std::lock_guard lock(mutex_);
  return refresh(snapshot);
}

Result<UserModelView> UserRecommender::for_user(const Recommender& snapshot, const std::string& user) {
  std::lock_guard lock(mutex_);
  CINEREC_TRY(refresh(snapshot));
  if (!model_) return unavailable_.value_or(Error{"no personal model loaded"});
  auto history = user_history(*ratings_, snapshot, user);
  if (!history.ok()) return history.error();
  return UserModelView{model_, std::move(history).value(), stale_};
}

}  // namespace cinerec
