// The Store guarantees (store/store.h), checked on every implementation with the same tests.
// SQLite always runs. PostgreSQL runs when CINEREC_TEST_PG_URL names a database the tests may create
// schemas in; tests/integration/test_postgres.py starts a throwaway server and runs these tests with it
// (and fails if they were skipped), so `make test` covers both.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <pqxx/pqxx>
#include <random>
#include <thread>

#include "store/store.h"
#include "store/vector_codec.h"
#include "test_store_location.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;

class StoreContract : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    where_ = std::make_unique<TestStoreLocation>(GetParam(), "contract");
    if (!where_->available()) GTEST_SKIP() << "CINEREC_TEST_PG_URL not set (test_postgres.py sets it)";
    location_ = where_->location();
    auto opened = open_store(location_, OpenMode::CreateIfMissing);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
  }

  void TearDown() override {
    store_.reset();
    where_.reset();
  }

  std::unique_ptr<Store> open_another(OpenMode mode = OpenMode::ReadWrite) {
    auto opened = open_store(location_, mode);
    EXPECT_TRUE(opened.ok()) << opened.error().message;
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  static MovieRecord movie(std::string title, std::string description = "una historia") {
    MovieRecord r;
    r.title = std::move(title);
    r.description = std::move(description);
    r.genres = {"Drama", "Bélico"};
    r.year = 2000;
    r.year_raw = "2000";
    return r;
  }

  std::unique_ptr<TestStoreLocation> where_;
  std::string location_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreContract, UpsertCountsAddedUpdatedUnchanged) {
  MovieRecord no_year = movie("Roma");
  no_year.year.reset();
  no_year.year_raw = "s/f";
  auto first = store_->upsert_movies({movie("Matrix"), movie("El pianista"), no_year});
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->added, 3u);
  // Same title with other case/accents is the same movie; a changed genre list is a change.
  MovieRecord regenred = movie("El pianista");
  regenred.genres = {"Drama"};
  // Text that COPY must escape comes back as written.
  const std::string tricky = "línea 1\nlínea\t2 \\N \\x00 \"comillas\" 'simples' \r🎬";
  auto second = store_->upsert_movies({movie("MATRIX", "otra historia"), regenred, no_year, movie("Ágora", tricky)});
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->added, 1u);
  EXPECT_EQ(second->updated, 2u);
  EXPECT_EQ(second->unchanged, 1u);
  auto movies = store_->movies();
  ASSERT_TRUE(movies.ok());
  ASSERT_EQ(movies->size(), 4u);
  // Ids in insertion order, fields as written.
  EXPECT_EQ((*movies)[0].title, "MATRIX");
  EXPECT_EQ((*movies)[0].description, "otra historia");
  EXPECT_EQ((*movies)[0].genres, (std::vector<std::string>{"Drama", "Bélico"}));
  EXPECT_EQ((*movies)[0].year, 2000);
  EXPECT_EQ((*movies)[1].genres, std::vector<std::string>{"Drama"});
  EXPECT_EQ((*movies)[2].year, std::nullopt);
  EXPECT_EQ((*movies)[2].year_raw, "s/f");
  EXPECT_EQ((*movies)[3].title, "Ágora");
  EXPECT_EQ((*movies)[3].description, tricky);
  for (std::size_t i = 1; i < movies->size(); ++i) EXPECT_LT((*movies)[i - 1].id, (*movies)[i].id);
  // Each record's stored id, in record order, whether it was added, updated or unchanged.
  EXPECT_EQ(first->ids, (std::vector<MovieId>{(*movies)[0].id, (*movies)[1].id, (*movies)[2].id}));
  EXPECT_EQ(second->ids, (std::vector<MovieId>{(*movies)[0].id, (*movies)[1].id, (*movies)[2].id, (*movies)[3].id}));
  auto again = store_->upsert_movies({no_year, movie("MATRIX", "otra historia")});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->unchanged, 2u);
  EXPECT_EQ(again->ids, (std::vector<MovieId>{(*movies)[2].id, (*movies)[0].id}));
}

TEST_P(StoreContract, TaglineAndKeywordsRoundTripAndCountAsChanges) {
  MovieRecord r = movie("Regreso al futuro");
  r.tagline = "He's the only kid ever to get into trouble before he was born.";
  r.keywords = {"time travel", "delorean", "1950s", "línea \"temporal\"\t\\N"};
  ASSERT_TRUE(store_->upsert_movies({r, movie("Sin extras")}).ok());
  auto same = store_->upsert_movies({r});
  ASSERT_TRUE(same.ok()) << same.error().message;
  EXPECT_EQ(same->unchanged, 1u);
  MovieRecord retagged = r;
  retagged.keywords.pop_back();
  auto changed = store_->upsert_movies({retagged});
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  EXPECT_EQ(changed->updated, 1u);
  MovieRecord new_tagline = retagged;
  new_tagline.tagline = "";
  ASSERT_EQ(store_->upsert_movies({new_tagline})->updated, 1u);
  ASSERT_TRUE(store_->upsert_movies({r}).ok());
  auto movies = store_->movies();
  ASSERT_TRUE(movies.ok());
  ASSERT_EQ(movies->size(), 2u);
  EXPECT_EQ((*movies)[0].tagline, r.tagline);
  EXPECT_EQ((*movies)[0].keywords, r.keywords);
  EXPECT_EQ((*movies)[1].tagline, "");
  EXPECT_TRUE((*movies)[1].keywords.empty());
}

TEST_P(StoreContract, DuplicateTitlesInOneBatchChangeNothing) {
  ASSERT_TRUE(store_->upsert_movies({movie("Roma")}).ok());
  auto v0 = store_->version();
  auto dup = store_->upsert_movies({movie("Matrix"), movie("matrix")});
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("duplicate title"), std::string::npos);
  EXPECT_EQ(store_->movies()->size(), 1u);
  EXPECT_EQ(*store_->version(), *v0);
}

TEST_P(StoreContract, VectorsRoundTripBitExact) {
  std::vector<MovieRecord> records;
  for (int i = 0; i < 40; ++i) records.push_back(movie("Película " + std::to_string(i)));
  ASSERT_TRUE(store_->upsert_movies(records).ok());
  auto movies = *store_->movies();
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<VectorWrite> writes;
  for (const auto& m : movies) {
    VectorWrite w{m.id, std::vector<float>(384), "hash-" + std::to_string(m.id)};
    for (auto& x : w.values) x = normal(rng) * 1e-3f;
    w.values[0] = 1e-40f;  // a subnormal survives too
    writes.push_back(std::move(w));
  }
  auto put = store_->put_vectors("m", writes);
  ASSERT_TRUE(put.ok()) << put.error().message;
  auto read = store_->vectors("m");
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read->size(), writes.size());
  for (std::size_t i = 0; i < writes.size(); ++i) {
    const auto& v = (*read)[i];
    EXPECT_EQ(v.movie, writes[i].movie);
    EXPECT_EQ(v.model, "m");
    EXPECT_EQ(v.dim, 384u);
    ASSERT_EQ(v.values.size(), 384u);
    EXPECT_EQ(std::memcmp(v.values.data(), writes[i].values.data(), 384 * sizeof(float)), 0);
    EXPECT_FLOAT_EQ(v.norm, static_cast<float>(l2_norm(writes[i].values.data(), 384)));
    EXPECT_EQ(v.text_hash, writes[i].text_hash);
  }
}

TEST_P(StoreContract, ModelsCoexistAndReplace) {
  ASSERT_TRUE(store_->upsert_movies({movie("A"), movie("B")}).ok());
  auto movies = *store_->movies();
  ASSERT_TRUE(store_->put_vectors("m1", {{movies[0].id, {3.0f, 4.0f}, "h1"}, {movies[1].id, {0.0f, 1.0f}, ""}}).ok());
  ASSERT_TRUE(store_->put_vectors("m2", {{movies[0].id, {1.0f, 2.0f, 3.0f}, ""}}).ok());
  // A movie given twice in one batch keeps its last vector; an existing vector is replaced.
  ASSERT_TRUE(store_->put_vectors("m1", {{movies[1].id, {1.0f, 0.0f}, "x"}, {movies[1].id, {0.0f, 2.0f}, "y"}}).ok());
  auto m1 = *store_->vectors("m1");
  ASSERT_EQ(m1.size(), 2u);
  EXPECT_EQ(m1[0].values, (std::vector<float>{3.0f, 4.0f}));
  EXPECT_FLOAT_EQ(m1[0].norm, 5.0f);
  EXPECT_EQ(m1[1].values, (std::vector<float>{0.0f, 2.0f}));
  EXPECT_EQ(m1[1].text_hash, "y");
  auto models = *store_->models();
  ASSERT_EQ(models.size(), 2u);
  EXPECT_EQ(models[0].model, "m1");
  EXPECT_EQ(models[0].count, 2u);
  EXPECT_EQ(models[1].model, "m2");
  EXPECT_EQ(models[1].dim, 3u);
}

TEST_P(StoreContract, BadVectorsAreRefusedAtomically) {
  ASSERT_TRUE(store_->upsert_movies({movie("A"), movie("B")}).ok());
  auto movies = *store_->movies();
  ASSERT_TRUE(store_->put_vectors("m", {{movies[0].id, {1.0f, 0.0f}, ""}}).ok());
  auto v0 = *store_->version();
  auto wrong_dim = store_->put_vectors("m", {{movies[1].id, {1.0f, 0.0f, 0.0f}, ""}});
  ASSERT_FALSE(wrong_dim.ok());
  EXPECT_NE(wrong_dim.error().message.find("2-dimensional vectors in the store"), std::string::npos);
  auto unknown = store_->put_vectors("m", {{movies[1].id, {0.5f, 0.5f}, ""}, {9999, {1.0f, 1.0f}, ""}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("movie id 9999 is not in the catalog"), std::string::npos);
  EXPECT_FALSE(store_->put_vectors("m", {{movies[1].id, {0.0f, 0.0f}, ""}}).ok());
  EXPECT_FALSE(store_->put_vectors("", {{movies[1].id, {1.0f, 0.0f}, ""}}).ok());
  EXPECT_EQ(store_->vectors("m")->size(), 1u);
  EXPECT_EQ(*store_->version(), v0);
}

TEST_P(StoreContract, VersionIncreasesOnWritesOnly) {
  auto v0 = *store_->version();
  ASSERT_TRUE(store_->upsert_movies({movie("A")}).ok());
  auto v1 = *store_->version();
  EXPECT_GT(v1, v0);
  ASSERT_TRUE(store_->upsert_movies({movie("A")}).ok());  // unchanged
  EXPECT_EQ(*store_->version(), v1);
  ASSERT_TRUE(store_->put_vectors("m", {{store_->movies()->front().id, {1.0f}, ""}}).ok());
  EXPECT_GT(*store_->version(), v1);
}

TEST_P(StoreContract, WaitForChangeSeesAnotherProcessWrite) {
  auto reader = open_another(OpenMode::ReadOnly);
  ASSERT_TRUE(reader);
  auto v0 = *reader->version();
  // Nothing written: the wait ends at the timeout with the same version.
  auto idle = reader->wait_for_change(v0, std::chrono::milliseconds(100));
  ASSERT_TRUE(idle.ok()) << idle.error().message;
  EXPECT_EQ(*idle, v0);
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto other = open_another();
    ASSERT_TRUE(other);
    ASSERT_TRUE(other->upsert_movies({movie("Nueva")}).ok());
  });
  // The bound only stops a broken implementation from hanging the test; a working one returns early.
  auto changed = reader->wait_for_change(v0, std::chrono::seconds(60));
  writer.join();
  ASSERT_TRUE(changed.ok()) << changed.error().message;
  EXPECT_GT(*changed, v0);
  EXPECT_EQ(reader->movies()->size(), 1u);
}

TEST_P(StoreContract, ConcurrentWritersAllLand) {
  constexpr int kWriters = 4;
  std::vector<std::thread> threads;
  std::vector<std::string> errors(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      auto store = open_another();
      if (!store) return;
      for (int round = 0; round < 5; ++round) {
        // Every writer also writes the shared movies: overlapping upserts must not collide.
        std::vector<MovieRecord> batch = {movie("Compartida " + std::to_string(round))};
        for (int i = 0; i < 10; ++i) batch.push_back(movie("W" + std::to_string(w) + "-" + std::to_string(round * 10 + i)));
        auto done = store->upsert_movies(batch);
        if (!done.ok()) errors[w] = done.error().message;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors) EXPECT_EQ(e, "");
  EXPECT_EQ(store_->movies()->size(), static_cast<std::size_t>(kWriters * 50 + 5));
}

TEST_P(StoreContract, ReadOnlyStoreRefusesWrites) {
  ASSERT_TRUE(store_->upsert_movies({movie("A")}).ok());
  auto reader = open_another(OpenMode::ReadOnly);
  ASSERT_TRUE(reader);
  EXPECT_FALSE(reader->upsert_movies({movie("B")}).ok());
  EXPECT_EQ(store_->movies()->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreContract, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace cinerec
