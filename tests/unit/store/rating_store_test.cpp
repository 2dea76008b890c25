// The RatingStore guarantees (store/rating_store.h) on every implementation: SQLite always, PostgreSQL
// when CINEREC_TEST_PG_URL is set (test_postgres.py runs that half against a throwaway server).
#include "store/rating_store.h"

#include <gtest/gtest.h>

#include <thread>

#include "test_store_location.h"

namespace cinerec {
namespace {

class RatingStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    where_ = std::make_unique<TestStoreLocation>(GetParam(), "ratings");
    if (!where_->available()) GTEST_SKIP() << "CINEREC_TEST_PG_URL not set (test_postgres.py sets it)";
    auto store = open_store(where_->location(), OpenMode::CreateIfMissing);
    ASSERT_TRUE(store.ok()) << store.error().message;
    MovieRecord a, b;
    a.title = "Matrix";
    a.description = "x";
    b.title = "Roma";
    b.description = "y";
    ASSERT_TRUE((*store)->upsert_movies({a, b}).ok());
    auto movies = (*store)->movies();
    matrix_ = (*movies)[0].id;
    roma_ = (*movies)[1].id;
    ratings_ = open(OpenMode::ReadWrite);
    ASSERT_TRUE(ratings_);
  }
  void TearDown() override {
    ratings_.reset();
    where_.reset();
  }
  std::unique_ptr<RatingStore> open(OpenMode mode) {
    auto ratings = open_rating_store(where_->location(), mode);
    EXPECT_TRUE(ratings.ok()) << ratings.error().message;
    return ratings.ok() ? std::move(ratings).value() : nullptr;
  }
  std::unique_ptr<TestStoreLocation> where_;
  MovieId matrix_ = 0, roma_ = 0;
  std::unique_ptr<RatingStore> ratings_;
};

TEST_P(RatingStoreTest, UpsertIsIdempotentAndVersioned) {
  std::vector<Rating> batch = {{"1", matrix_, 4.5f, 100}, {"1", roma_, 2.0f, 50}, {"2", roma_, 5.0f, 70}};
  auto first = ratings_->upsert_ratings(batch);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->added, 3u);
  auto v1 = *ratings_->ratings_version();
  auto again = ratings_->upsert_ratings(batch);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->unchanged, 3u);
  EXPECT_EQ(*ratings_->ratings_version(), v1);  // nothing changed, no new version
  batch[0].value = 3.0f;
  auto changed = ratings_->upsert_ratings(batch);
  EXPECT_EQ(changed->updated, 1u);
  EXPECT_GT(*ratings_->ratings_version(), v1);
  auto user1 = ratings_->user_ratings("1");
  ASSERT_EQ(user1->size(), 2u);
  EXPECT_EQ((*user1)[0].movie, roma_);  // ordered by time
  EXPECT_FLOAT_EQ((*user1)[1].value, 3.0f);
  EXPECT_EQ(ratings_->ratings()->size(), 3u);
  EXPECT_TRUE(ratings_->user_ratings("nobody")->empty());
}

TEST_P(RatingStoreTest, BadBatchesChangeNothing) {
  auto unknown = ratings_->upsert_ratings({{"1", matrix_, 4.0f, 1}, {"1", 999, 4.0f, 1}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("movie id 999 is not in the catalog"), std::string::npos);
  auto twice = ratings_->upsert_ratings({{"1", matrix_, 4.0f, 1}, {"1", matrix_, 3.0f, 2}});
  ASSERT_FALSE(twice.ok());
  auto range = ratings_->upsert_ratings({{"1", matrix_, 7.0f, 1}});
  ASSERT_FALSE(range.ok());
  EXPECT_TRUE(ratings_->ratings()->empty());
}

TEST_P(RatingStoreTest, TrainedModelRoundTrip) {
  EXPECT_FALSE(ratings_->trained_model("personal")->has_value());
  std::string blob("\0binary\xff", 8);
  ASSERT_TRUE(ratings_->put_trained_model({"personal", blob, 7}).ok());
  auto back = ratings_->trained_model("personal");
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ((*back)->data, blob);
  EXPECT_EQ((*back)->ratings_version, 7);
  ASSERT_TRUE(ratings_->put_trained_model({"personal", "new", 8}).ok());
  EXPECT_EQ((*ratings_->trained_model("personal"))->data, "new");
}

TEST_P(RatingStoreTest, UsersAreOrderedAsBytesThenByTime) {
  ASSERT_TRUE(ratings_->upsert_ratings({{"b", matrix_, 4.0f, 5}, {"B", roma_, 1.5f, 9}, {"a", roma_, 0.5f, 3},
                                        {"a", matrix_, 5.0f, 1}, {"10", matrix_, 3.5f, 2}, {"9", roma_, 4.0f, 2}})
                  .ok());
  auto all = ratings_->ratings();
  ASSERT_TRUE(all.ok()) << all.error().message;
  std::vector<std::string> order;
  for (const auto& r : *all) order.push_back(r.user + "/" + std::to_string(r.timestamp));
  EXPECT_EQ(order, (std::vector<std::string>{"10/2", "9/2", "B/9", "a/1", "a/3", "b/5"}));
  EXPECT_FLOAT_EQ((*all)[3].value, 5.0f);
  EXPECT_FLOAT_EQ((*all)[4].value, 0.5f);
}

TEST_P(RatingStoreTest, ReadOnlyStoreReadsAndRefusesWrites) {
  ASSERT_TRUE(ratings_->upsert_ratings({{"1", matrix_, 4.0f, 1}}).ok());
  auto reader = open(OpenMode::ReadOnly);
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->user_ratings("1")->size(), 1u);
  EXPECT_FALSE(reader->upsert_ratings({{"2", matrix_, 4.0f, 1}}).ok());
  EXPECT_FALSE(reader->put_trained_model({"personal", "x", 1}).ok());
  EXPECT_EQ(ratings_->ratings()->size(), 1u);
}

TEST_P(RatingStoreTest, ConcurrentWritersAllLand) {
  // Four connections import disjoint users at once; every rating lands and each import bumps the version.
  auto before = *ratings_->ratings_version();
  std::vector<std::thread> writers;
  std::vector<int> failures(4, 0);
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      auto store = open_rating_store(where_->location(), OpenMode::ReadWrite);
      if (!store.ok()) {
        failures[w] = 1;
        return;
      }
      std::vector<Rating> batch;
      for (int u = 0; u < 25; ++u) {
        batch.push_back({std::to_string(w) + "-" + std::to_string(u), matrix_, 4.0f, u});
        batch.push_back({std::to_string(w) + "-" + std::to_string(u), roma_, 2.5f, u + 1});
      }
      if (!(*store)->upsert_ratings(batch).ok()) failures[w] = 1;
    });
  }
  for (auto& t : writers) t.join();
  EXPECT_EQ(failures, std::vector<int>(4, 0));
  EXPECT_EQ(ratings_->ratings()->size(), 200u);
  EXPECT_EQ(*ratings_->ratings_version(), before + 4);
}

INSTANTIATE_TEST_SUITE_P(Stores, RatingStoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cinerec
