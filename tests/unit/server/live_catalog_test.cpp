#include "server/live_catalog.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "store/store.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;

class LiveCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("cinerec-live-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    remove_files();
    auto opened = open_store(path_.string(), OpenMode::CreateIfMissing);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    writer_ = std::move(opened).value();
    ASSERT_TRUE(writer_->upsert_movies({movie("El pianista")}).ok());
  }
  void TearDown() override {
    writer_.reset();
    remove_files();
  }
  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }
  static MovieRecord movie(std::string title) {
    MovieRecord r;
    r.title = std::move(title);
    r.description = "una historia de " + r.title;
    r.genres = {"Drama"};
    return r;
  }
  std::unique_ptr<LiveCatalog> open(std::vector<std::string>* log = nullptr, std::mutex* log_mutex = nullptr) {
    LiveCatalogOptions options;
    options.retry_interval = std::chrono::milliseconds(20);
    auto live = LiveCatalog::open(path_.string(), options, [log, log_mutex](const std::string& line) {
      if (!log) return;
      std::lock_guard lock(*log_mutex);
      log->push_back(line);
    });
    EXPECT_TRUE(live.ok()) << (live.ok() ? "" : live.error().message);
    return live.ok() ? std::move(live).value() : nullptr;
  }
  // Waits (up to 20 s, far above the 50 ms SQLite polling) until the served snapshot has `movies` movies.
  static bool wait_for_movies(const LiveCatalog& live, std::size_t movies) {
    for (int i = 0; i < 2000; ++i) {
      if (live.current()->recommender.movies().size() == movies) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }
  fs::path path_;
  std::unique_ptr<Store> writer_;
};

TEST_F(LiveCatalogTest, ServesTheCatalogAsOpened) {
  auto live = open();
  ASSERT_TRUE(live);
  auto snapshot = live->current();
  ASSERT_EQ(snapshot->recommender.movies().size(), 1u);
  EXPECT_EQ(snapshot->recommender.movies()[0].title, "El pianista");
  EXPECT_EQ(snapshot->version, *writer_->version());
  EXPECT_EQ(snapshot->view.stats().total, 1u);
  EXPECT_EQ(live->status().reloads, 0u);
  EXPECT_TRUE(live->status().database_reachable);
}

TEST_F(LiveCatalogTest, AWriteByAnotherConnectionIsServedAndOldSnapshotsStayValid) {
  std::vector<std::string> log;
  std::mutex log_mutex;
  auto live = open(&log, &log_mutex);
  ASSERT_TRUE(live);
  auto before = live->current();
  ASSERT_TRUE(writer_->upsert_movies({movie("Matrix"), movie("Roma")}).ok());
  ASSERT_TRUE(wait_for_movies(*live, 3));
  auto after = live->current();
  EXPECT_EQ(after->version, *writer_->version());
  EXPECT_EQ(after->view.stats().total, 3u);
  EXPECT_TRUE(after->recommender.find_title("Matrix").ok());
  // The snapshot a request already held is untouched and still usable.
  EXPECT_EQ(before->recommender.movies().size(), 1u);
  EXPECT_EQ(before->view.query(CatalogQuery{"pianista", {}, 1, 12}).total, 1u);
  EXPECT_EQ(live->status().reloads, 1u);
  std::lock_guard lock(log_mutex);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("reloaded version " + std::to_string(after->version)), std::string::npos) << log[0];
  EXPECT_NE(log[0].find("3 movies"), std::string::npos) << log[0];
}

TEST_F(LiveCatalogTest, ReadersDuringManyReloadsAlwaysSeeAConsistentSnapshot) {
  auto live = open();
  ASSERT_TRUE(live);
  std::atomic<bool> done{false};
  std::atomic<long> inconsistent{0}, reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!done) {
        auto s = live->current();
        // The view and the recommender of one snapshot always describe the same movies.
        if (s->view.stats().total != s->recommender.movies().size()) ++inconsistent;
        if (s->view.query(CatalogQuery{"", {}, 1, 100}).total != s->recommender.movies().size()) ++inconsistent;
        ++reads;
      }
    });
  }
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(writer_->upsert_movies({movie("Película " + std::to_string(i))}).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(15));
  }
  bool reached = wait_for_movies(*live, 21);
  done = true;
  for (auto& t : readers) t.join();
  EXPECT_TRUE(reached);
  EXPECT_EQ(inconsistent.load(), 0);
  EXPECT_GT(reads.load(), 0);
  EXPECT_EQ(live->current()->version, *writer_->version());
}

TEST_F(LiveCatalogTest, WithoutWatchingTheStartUpSnapshotIsKept) {
  LiveCatalogOptions options;
  options.watch = false;
  auto live = LiveCatalog::open(path_.string(), options, {});
  ASSERT_TRUE(live.ok()) << live.error().message;
  ASSERT_TRUE(writer_->upsert_movies({movie("Matrix")}).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ((*live)->current()->recommender.movies().size(), 1u);
}

TEST_F(LiveCatalogTest, OpeningAMissingDatabaseFails) {
  auto live = LiveCatalog::open((path_.parent_path() / "no-such-cinerec.db").string(), {}, {});
  ASSERT_FALSE(live.ok());
  EXPECT_NE(live.error().message.find("no-such-cinerec.db"), std::string::npos) << live.error().message;
}

}  // namespace
}  // namespace cinerec
