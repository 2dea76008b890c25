#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

#include "store/sqlite/sqlite_schema.h"
#include "store/store.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("cinerec-store-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    fs::remove(path_);
    auto opened = open_store(path_.string(), OpenMode::CreateIfMissing);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
  }
  void TearDown() override {
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }
  static MovieRecord movie(std::string title, std::string description = "una historia") {
    MovieRecord r;
    r.title = std::move(title);
    r.description = std::move(description);
    r.genres = {"Drama"};
    r.year = 2000;
    r.year_raw = "2000";
    return r;
  }
  fs::path path_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteStoreTest, UpsertCountsAddedUpdatedUnchanged) {
  auto first = store_->upsert_movies({movie("Matrix"), movie("El pianista")});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->added, 2u);
  // Same title with other case/accents is the same movie.
  auto second = store_->upsert_movies({movie("MATRIX", "otra historia"), movie("El pianista"), movie("Roma")});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->added, 1u);
  EXPECT_EQ(second->updated, 1u);
  EXPECT_EQ(second->unchanged, 1u);
  auto movies = store_->movies();
  ASSERT_TRUE(movies.ok());
  ASSERT_EQ(movies->size(), 3u);
  EXPECT_EQ((*movies)[0].title, "MATRIX");
  EXPECT_EQ((*movies)[0].description, "otra historia");
  EXPECT_EQ((*movies)[0].genres, std::vector<std::string>{"Drama"});
  EXPECT_EQ((*movies)[0].year, 2000);
}

TEST_F(SqliteStoreTest, DuplicateTitlesInOneBatchChangeNothing) {
  ASSERT_TRUE(store_->upsert_movies({movie("Roma")}).ok());
  auto v0 = store_->version();
  auto dup = store_->upsert_movies({movie("Matrix"), movie("matrix")});
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("duplicate title"), std::string::npos);
  EXPECT_EQ(store_->movies()->size(), 1u);
  EXPECT_EQ(*store_->version(), *v0);
}

TEST_F(SqliteStoreTest, VectorsRoundTripAndModelsCoexist) {
  ASSERT_TRUE(store_->upsert_movies({movie("A"), movie("B")}).ok());
  auto movies = *store_->movies();
  ASSERT_TRUE(store_->put_vectors("m1", {{movies[0].id, {3.0f, 4.0f}, "h1"}, {movies[1].id, {0.0f, 1.0f}, ""}}).ok());
  ASSERT_TRUE(store_->put_vectors("m2", {{movies[0].id, {1.0f, 2.0f, 3.0f}, ""}}).ok());
  auto m1 = store_->vectors("m1");
  ASSERT_TRUE(m1.ok());
  ASSERT_EQ(m1->size(), 2u);
  EXPECT_EQ((*m1)[0].values, (std::vector<float>{3.0f, 4.0f}));
  EXPECT_FLOAT_EQ((*m1)[0].norm, 5.0f);
  EXPECT_EQ((*m1)[0].text_hash, "h1");
  auto models = *store_->models();
  ASSERT_EQ(models.size(), 2u);
  EXPECT_EQ(models[0].model, "m1");
  EXPECT_EQ(models[0].count, 2u);
  EXPECT_EQ(models[1].dim, 3u);
}

TEST_F(SqliteStoreTest, BadVectorsAreRefusedAtomically) {
  ASSERT_TRUE(store_->upsert_movies({movie("A"), movie("B")}).ok());
  auto movies = *store_->movies();
  ASSERT_TRUE(store_->put_vectors("m", {{movies[0].id, {1.0f, 0.0f}, ""}}).ok());
  // Wrong dimension for the model, unknown movie, zero vector: nothing of the batch is written.
  EXPECT_FALSE(store_->put_vectors("m", {{movies[1].id, {1.0f, 0.0f, 0.0f}, ""}}).ok());
  auto unknown = store_->put_vectors("m", {{movies[1].id, {0.5f, 0.5f}, ""}, {9999, {1.0f, 1.0f}, ""}});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("9999"), std::string::npos);
  EXPECT_FALSE(store_->put_vectors("m", {{movies[1].id, {0.0f, 0.0f}, ""}}).ok());
  EXPECT_EQ(store_->vectors("m")->size(), 1u);
}

TEST_F(SqliteStoreTest, VersionIncreasesOnWritesOnly) {
  auto v0 = *store_->version();
  ASSERT_TRUE(store_->upsert_movies({movie("A")}).ok());
  auto v1 = *store_->version();
  EXPECT_GT(v1, v0);
  ASSERT_TRUE(store_->upsert_movies({movie("A")}).ok());  // unchanged
  EXPECT_EQ(*store_->version(), v1);
}

TEST_F(SqliteStoreTest, SchemaIsVersionedAndWal) {
  store_.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  auto scalar = [&](const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
    sqlite3_step(stmt);
    std::string value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    return value;
  };
  EXPECT_EQ(scalar("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(scalar("PRAGMA user_version"), std::to_string(sqlite_migrations().size()));
  // A database from a newer cinerec is refused rather than misread.
  sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto reopened = open_store(path_.string(), OpenMode::ReadWrite);
  ASSERT_FALSE(reopened.ok());
  EXPECT_NE(reopened.error().message.find("newer than this cinerec"), std::string::npos);
}

TEST_F(SqliteStoreTest, DatabaseOfAnEarlierSchemaIsMigratedKeepingItsMovies) {
  // A file as cinerec wrote it before migration 4 (tagline, keywords): migrations 1-3 only.
  store_.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  const auto& migrations = sqlite_migrations();
  ASSERT_GE(migrations.size(), 4u);
  for (std::size_t v = 0; v < 3; ++v)
    ASSERT_EQ(sqlite3_exec(db, std::string(migrations[v]).c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 3; INSERT INTO movies(title, title_key, description) "
                             "VALUES ('Tiburón', 'tiburon', 'Un tiburón.')", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto read_only = open_store(path_.string(), OpenMode::ReadOnly);
  ASSERT_FALSE(read_only.ok());
  EXPECT_NE(read_only.error().message.find("schema version 3 needs migrating"), std::string::npos);
  auto opened = open_store(path_.string(), OpenMode::ReadWrite);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  auto movies = (*opened)->movies();
  ASSERT_TRUE(movies.ok()) << movies.error().message;
  ASSERT_EQ(movies->size(), 1u);
  EXPECT_EQ((*movies)[0].title, "Tiburón");
  EXPECT_EQ((*movies)[0].tagline, "");
  EXPECT_TRUE((*movies)[0].keywords.empty());
}

TEST(OpenStore, MissingDatabaseIsNotCreatedForReading) {
  auto path = fs::temp_directory_path() / "cinerec-does-not-exist.db";
  fs::remove(path);
  auto opened = open_store(path.string(), OpenMode::ReadOnly);
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().message.find("does not exist"), std::string::npos);
  EXPECT_FALSE(fs::exists(path));
}

}  // namespace
}  // namespace cinerec
