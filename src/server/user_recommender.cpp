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

UserRecommender::UserRecommender(std::string db_location, std::chrono::milliseconds recheck, std::size_t connections)
    : location_(std::move(db_location)),
      recheck_(recheck),
      pool_([this] { return open_connection(); }, connections, std::chrono::seconds(30)) {}

Result<std::unique_ptr<RatingStore>> UserRecommender::open_connection() {
  auto opened = open_rating_store(location_, OpenMode::ReadOnly);
  std::lock_guard lock(mutex_);
  if (opened.ok()) {
    open_failure_.reset();
  } else {
    open_failure_ = opened.error();
    open_failed_at_ = std::chrono::steady_clock::now();
  }
  return opened;
}

Result<UserRecommender::Pool::Lease> UserRecommender::borrow() {
  {
    std::lock_guard lock(mutex_);
    if (open_failure_ && std::chrono::steady_clock::now() - open_failed_at_ < recheck_ && pool_.idle_count() == 0)
      return *open_failure_;
  }
  return pool_.acquire();
}

void UserRecommender::refresh(const Recommender& snapshot, std::int64_t version, RatingStore& store) {
  const auto now = std::chrono::steady_clock::now();
  const bool retry_due = attempted_version_ < 0 || now - attempted_at_ >= recheck_;
  const bool unchanged = version == attempted_version_ && same_movies(attempted_movies_, snapshot);
  if (unchanged && !((!model_ || stale_) && retry_due)) return;

  attempted_movies_.clear();
  for (const auto& m : snapshot.movies()) attempted_movies_.push_back(m.id);
  attempted_version_ = version;
  attempted_at_ = now;
  bool stale = false;
  auto model = load_personal_model(store, snapshot, &stale);
  if (!model.ok()) {
    model_.reset();
    unavailable_ = model.error();
    return;
  }
  model_ = std::make_shared<const PersonalModel>(std::move(model).value());
  stale_ = stale;
  unavailable_.reset();
}

Status UserRecommender::refresh_from(const Recommender& snapshot, RatingStore& store) {
  // Read outside the lock: requests on other connections are not held up by this round trip.
  auto version = store.ratings_version();
  if (!version.ok()) return version.error();
  std::lock_guard lock(mutex_);
  refresh(snapshot, *version, store);
  return Status::Ok();
}

Status UserRecommender::preload(const Recommender& snapshot) {
  auto lease = borrow();
  if (!lease.ok()) return Status::Ok();  // as a missing model: requests report it (borrow remembers why)
  return refresh_from(snapshot, **lease);
}

Result<UserModelView> UserRecommender::for_user(const Recommender& snapshot, const std::string& user) {
  auto lease = borrow();
  if (!lease.ok()) return lease.error();
  CINEREC_TRY(refresh_from(snapshot, **lease));
  UserModelView view;
  {
    std::lock_guard lock(mutex_);
    if (!model_) return unavailable_.value_or(Error{"no personal model loaded"});
    view.model = model_;
    view.model_stale = stale_;
  }
  auto history = user_history(**lease, snapshot, user);
  if (!history.ok()) return history.error();
  view.history = std::move(history).value();
  return view;
}

}  // namespace cinerec
