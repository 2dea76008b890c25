#include "server/user_recommender.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <filesystem>
#include <optional>

#include "store/store.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;

// Eight movies (M1..M8, years 2001..2008, M8 a comedy, the rest dramas) and two users: "a" rated M1..M3
// with 3 and liked M4 last; "b" rated M1..M3 with 3 and liked M5 last.
class UserRecommenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("cinerec-users-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    remove_files();
    auto store = open_store(path_.string(), OpenMode::CreateIfMissing);
    ASSERT_TRUE(store.ok()) << store.error().message;
    std::vector<MovieRecord> records;
    for (int i = 1; i <= 8; ++i) {
      MovieRecord r;
      r.title = "M" + std::to_string(i);
      r.description = "a story about people number " + std::to_string(i);
      r.genres = {i == 8 ? "Comedia" : "Drama"};
      r.year = 2000 + i;
      records.push_back(r);
    }
    ASSERT_TRUE((*store)->upsert_movies(records).ok());
    auto movies = (*store)->movies();
    ASSERT_TRUE(movies.ok());
    for (const auto& m : *movies) id_[m.title] = m.id;
    auto snapshot = Recommender::load(**store);
    ASSERT_TRUE(snapshot.ok()) << snapshot.error().message;
    snapshot_.emplace(std::move(snapshot).value());
    auto ratings = open_rating_store(path_.string(), OpenMode::ReadWrite);
    ASSERT_TRUE(ratings.ok()) << ratings.error().message;
    ratings_ = std::move(ratings).value();
    std::vector<Rating> batch;
    for (const char* user : {"a", "b"})
      for (int i = 1; i <= 3; ++i) batch.push_back({user, id_["M" + std::to_string(i)], 3.0f, i});
    batch.push_back({"a", id_["M4"], 5.0f, 10});
    batch.push_back({"b", id_["M5"], 4.5f, 10});
    ASSERT_TRUE(ratings_->upsert_ratings(batch).ok());
  }
  void TearDown() override {
    ratings_.reset();
    remove_files();
  }
  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path_.string() + suffix);
  }
  void train() {
    auto trained = train_and_store(*ratings_, *snapshot_);
    ASSERT_TRUE(trained.ok()) << trained.error().message;
  }
  std::vector<std::string> titles(const Recommendations& recs) {
    std::vector<std::string> out;
    for (const auto& r : recs.results) out.push_back(r.movie->title);
    return out;
  }

  fs::path path_;
  std::map<std::string, MovieId> id_;
  std::optional<Recommender> snapshot_;
  std::unique_ptr<RatingStore> ratings_;
};

TEST_F(UserRecommenderTest, WithoutATrainedModelTheErrorSaysWhatToRunUntilOneIsTrained) {
  UserRecommender users(path_.string(), std::chrono::milliseconds(0));
  EXPECT_TRUE(users.preload(*snapshot_).ok());  // no model is not a preload failure
  auto none = users.for_user(*snapshot_, "a");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("cinerec train"), std::string::npos) << none.error().message;
  train();  // changes no rating: found by the recheck (0 ms here)
  auto found = users.for_user(*snapshot_, "a");
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_FALSE(found->model_stale);
}

TEST_F(UserRecommenderTest, HistoryIsTheUsersRatingsInTimeOrder) {
  train();
  UserRecommender users(path_.string());
  auto a = users.for_user(*snapshot_, "a");
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_EQ(a->history.size(), 4u);
  EXPECT_EQ(snapshot_->movies()[a->history.back().item].title, "M4");
  auto nobody = users.for_user(*snapshot_, "zed");
  ASSERT_TRUE(nobody.ok());
  EXPECT_TRUE(nobody->history.empty());
  EXPECT_EQ(nobody->model, a->model);  // loaded once
}

TEST_F(UserRecommenderTest, ConcurrentRequestsShareAFewPooledConnectionsAndEachGetsItsOwnHistory) {
  train();
  UserRecommender users(path_.string(), std::chrono::seconds(10), 2);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&, t] {
      const std::string user = t % 2 ? "a" : "b";
      const std::string liked = t % 2 ? "M4" : "M5";
      for (int i = 0; i < 50; ++i) {
        auto view = users.for_user(*snapshot_, user);
        if (!view.ok() || view->history.size() != 4 || snapshot_->movies()[view->history.back().item].title != liked)
          ++wrong;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_GE(users.open_connections(), 1u);
  EXPECT_LE(users.open_connections(), 2u);
}

TEST_F(UserRecommenderTest, RecommendationsSkipTheHistoryHonourTheFilterAndNameTheLikedMovie) {
  train();
  UserRecommender users(path_.string());
  auto a = users.for_user(*snapshot_, "a");
  ASSERT_TRUE(a.ok());
  auto recs = recommend_from_history(*a->model, *snapshot_, "a", a->history, 10);
  ASSERT_TRUE(recs.ok()) << recs.error().message;
  EXPECT_EQ(recs->results.size(), 4u);  // every unrated movie
  for (const auto& r : recs->results) {
    EXPECT_TRUE(r.movie->title >= "M5") << r.movie->title;  // M1..M4 are rated
    ASSERT_NE(r.closest_liked, nullptr);
    EXPECT_EQ(r.closest_liked->title, "M4");  // the only film "a" liked
  }
  // "b" liked M5 after the same films: M5 co-occurs with a's history, so it leads for "a".
  EXPECT_EQ(recs->results.front().movie->title, "M5");
  EXPECT_EQ(recs->provider, "personal");

  MovieFilter comedies;
  comedies.genres = {"Comedia"};
  auto filtered = recommend_from_history(*a->model, *snapshot_, "a", a->history, 10, comedies);
  ASSERT_TRUE(filtered.ok());
  EXPECT_EQ(titles(*filtered), std::vector<std::string>{"M8"});
}

TEST_F(UserRecommenderTest, RatingsImportedWhileServingAreReadAndReloadTheModel) {
  train();
  UserRecommender users(path_.string());
  auto before = users.for_user(*snapshot_, "a");
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE(ratings_->upsert_ratings({{"a", id_["M5"], 2.0f, 20}}).ok());
  auto stale = users.for_user(*snapshot_, "a");
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ(stale->history.size(), 5u);
  EXPECT_TRUE(stale->model_stale);
  auto recs = recommend_from_history(*stale->model, *snapshot_, "a", stale->history, 10);
  ASSERT_TRUE(recs.ok());
  auto t = titles(*recs);
  EXPECT_EQ(std::find(t.begin(), t.end(), "M5"), t.end());
  // Training again (as import-ratings does) with another rating change: the next request uses the new model.
  ASSERT_TRUE(ratings_->upsert_ratings({{"b", id_["M6"], 4.0f, 30}}).ok());
  train();
  auto fresh = users.for_user(*snapshot_, "a");
  ASSERT_TRUE(fresh.ok());
  EXPECT_FALSE(fresh->model_stale);
  EXPECT_NE(fresh->model, before->model);
}

TEST_F(UserRecommenderTest, AModelIsOnlyAppliedToTheCatalogItWasTrainedOn) {
  train();
  UserRecommender users(path_.string(), std::chrono::milliseconds(0));  // retraining is seen at once
  ASSERT_TRUE(users.for_user(*snapshot_, "a").ok());
  // The catalog gains a movie and the server reloads its snapshot: the old model no longer fits.
  auto store = open_store(path_.string(), OpenMode::ReadWrite);
  ASSERT_TRUE(store.ok());
  MovieRecord extra;
  extra.title = "M9";
  extra.description = "one more story";
  ASSERT_TRUE((*store)->upsert_movies({extra}).ok());
  auto reloaded = Recommender::load(**store);
  ASSERT_TRUE(reloaded.ok());
  auto refused = users.for_user(*reloaded, "a");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("cinerec train"), std::string::npos) << refused.error().message;
  ASSERT_TRUE(train_and_store(*ratings_, *reloaded).ok());
  auto fits = users.for_user(*reloaded, "a");
  ASSERT_TRUE(fits.ok()) << fits.error().message;
  EXPECT_EQ(fits->model->item_ids().size(), 9u);
}

TEST_F(UserRecommenderTest, RecommendFromHistoryRefusesBadInput) {
  train();
  UserRecommender users(path_.string());
  auto a = users.for_user(*snapshot_, "a");
  ASSERT_TRUE(a.ok());
  auto empty = recommend_from_history(*a->model, *snapshot_, "zed", {}, 5);
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("user zed has no ratings"), std::string::npos);
  EXPECT_FALSE(recommend_from_history(*a->model, *snapshot_, "a", a->history, 0).ok());
  // A model of another catalog (here: one movie fewer) is refused instead of indexing past the snapshot.
  std::vector<Interaction> x = {{0, 0, 5.0f, 1}, {0, 1, 5.0f, 2}, {1, 0, 5.0f, 1}};
  std::vector<MovieId> ids;
  for (std::size_t i = 0; i + 1 < snapshot_->movies().size(); ++i) ids.push_back(snapshot_->movies()[i].id);
  auto other = PersonalModel::train(
      x, ids, ItemNeighbours::from_lists(std::vector<std::vector<std::pair<std::uint32_t, float>>>(ids.size())));
  ASSERT_TRUE(other.ok()) << other.error().message;
  auto refused = recommend_from_history(*other, *snapshot_, "a", a->history, 5);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("cinerec train"), std::string::npos) << refused.error().message;
}

}  // namespace
}  // namespace cinerec
