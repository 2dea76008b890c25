#include "store/rating_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace cinerec {
namespace {

namespace fs = std::filesystem;

class RatingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("cinerec-rstore-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    fs::remove(path_);
    auto store = open_store(path_.string(), OpenMode::CreateIfMissing);
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
    auto ratings = open_rating_store(path_.string(), OpenMode::ReadWrite);
    ASSERT_TRUE(ratings.ok()) << ratings.error().message;
    ratings_ = std::move(ratings).value();
  }
  void TearDown() override {
    ratings_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }
  fs::path path_;
  MovieId matrix_ = 0, roma_ = 0;
  std::unique_ptr<RatingStore> ratings_;
};

TEST_F(RatingStoreTest, UpsertIsIdempotentAndVersioned) {
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

TEST_F(RatingStoreTest, BadBatchesChangeNothing) {
  auto unknown = ratings_->upsert_ratings({{"1", matrix_, 4.0f, 1}, {"1", 999, 4.0f, 1}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("movie id 999 is not in the catalog"), std::string::npos);
  auto twice = ratings_->upsert_ratings({{"1", matrix_, 4.0f, 1}, {"1", matrix_, 3.0f, 2}});
  ASSERT_FALSE(twice.ok());
  auto range = ratings_->upsert_ratings({{"1", matrix_, 7.0f, 1}});
  ASSERT_FALSE(range.ok());
  EXPECT_TRUE(ratings_->ratings()->empty());
}

TEST_F(RatingStoreTest, TrainedModelRoundTrip) {
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

}  // namespace
}  // namespace cinerec
