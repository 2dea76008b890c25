// The embedding pipeline and the query cache against a real SQLite store in a temporary file and an
// in-process embedder whose behaviour each test scripts.
#include "embed/embed_job.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <set>
#include <thread>
#include <unistd.h>

#include "embed/cached_query.h"
#include "embed/text_hash.h"
#include "fake_server.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;
using testing::fake_vector;

// Answers fake_vector(text, 4) for each text; can fail on a chosen call, raise a stop flag, or
// record how many calls ran at once.
class ScriptedEmbedder : public Embedder {
 public:
  std::string provider() const override { return "scripted"; }
  std::string model() const override { return "scripted-model"; }
  std::size_t dimension() const override { return 4; }
  Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts, EmbedPurpose purpose) override {
    int call;
    {
      std::lock_guard lock(mutex);
      call = calls++;
      ++running;
      max_running = std::max(max_running, running);
      for (const auto& t : texts) seen.push_back(t);
      purposes.push_back(purpose);
    }
    if (hold_ms) std::this_thread::sleep_for(std::chrono::milliseconds(hold_ms));
    std::lock_guard lock(mutex);
    --running;
    if (stop_after_call >= 0 && call >= stop_after_call && stop) stop->store(true);
    if (call == fail_on_call) return Error{"scripted: HTTP 500 on call " + std::to_string(call)};
    std::vector<std::vector<float>> out;
    for (const auto& t : texts) out.push_back(fake_vector(t, 4));
    return out;
  }

  std::mutex mutex;
  int calls = 0, running = 0, max_running = 0;
  int fail_on_call = -1, stop_after_call = -1, hold_ms = 0;
  std::atomic<bool>* stop = nullptr;
  std::vector<std::string> seen;
  std::vector<EmbedPurpose> purposes;
};

class EmbedJobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("cinerec-embedjob-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    fs::remove(path_);
    auto opened = open_store(path_.string(), OpenMode::CreateIfMissing);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
    std::vector<MovieRecord> records;
    for (int i = 0; i < 23; ++i) {
      MovieRecord r;
      r.title = "Movie " + std::to_string(i);
      r.description = "Description number " + std::to_string(i);
      records.push_back(r);
    }
    ASSERT_TRUE(store_->upsert_movies(records).ok());
  }
  void TearDown() override {
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }
  std::size_t stored(const std::string& model = "scripted-model") { return store_->vectors(model)->size(); }

  fs::path path_;
  std::unique_ptr<Store> store_;
};

TEST_F(EmbedJobTest, EmbedsEveryMovieInCommittedBatchesWithTextHashes) {
  ScriptedEmbedder e;
  std::vector<EmbedProgress> progress;
  auto s = run_embed_job(*store_, e, {5, 3, false}, [&](const EmbedProgress& p) { progress.push_back(p); });
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->embedded, 23u);
  EXPECT_EQ(s->batches, 5u);
  EXPECT_EQ(s->up_to_date, 0u);
  EXPECT_FALSE(s->stopped);
  EXPECT_EQ(e.calls, 5);
  for (auto p : e.purposes) EXPECT_EQ(p, EmbedPurpose::Document);
  ASSERT_EQ(progress.size(), 6u);  // the start, then one per committed batch
  EXPECT_EQ(progress.front().done, 0u);
  EXPECT_EQ(progress.back().done, 23u);
  EXPECT_EQ(progress.back().total, 23u);
  auto movies = *store_->movies();
  auto vectors = *store_->vectors("scripted-model");
  ASSERT_EQ(vectors.size(), 23u);
  for (std::size_t i = 0; i < vectors.size(); ++i) {
    EXPECT_EQ(vectors[i].movie, movies[i].id);
    EXPECT_EQ(vectors[i].values, fake_vector(movies[i].description, 4));
    EXPECT_EQ(vectors[i].text_hash, text_hash(movies[i].description));
  }
  // A rerun has nothing to do.
  auto again = run_embed_job(*store_, e, {5, 3, false});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->embedded, 0u);
  EXPECT_EQ(again->up_to_date, 23u);
  EXPECT_EQ(e.calls, 5);
}

TEST_F(EmbedJobTest, ConcurrencyIsBounded) {
  ScriptedEmbedder e;
  e.hold_ms = 30;
  auto s = run_embed_job(*store_, e, {2, 3, false});
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->embedded, 23u);
  EXPECT_LE(e.max_running, 3);
  std::set<std::string> unique(e.seen.begin(), e.seen.end());
  EXPECT_EQ(unique.size(), 23u);  // nothing embedded twice
  EXPECT_EQ(e.seen.size(), 23u);
}

TEST_F(EmbedJobTest, AnErrorKeepsWhatWasSavedAndARerunFinishes) {
  ScriptedEmbedder failing;
  failing.fail_on_call = 2;
  auto s = run_embed_job(*store_, failing, {5, 1, false});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message,
            "scripted: HTTP 500 on call 2 (10 of 23 movies were embedded and saved; rerun `cinerec embed` to continue)");
  EXPECT_EQ(failing.calls, 3);  // nothing sent after the failure
  EXPECT_EQ(stored(), 10u);

  ScriptedEmbedder ok;
  auto rerun = run_embed_job(*store_, ok, {5, 1, false});
  ASSERT_TRUE(rerun.ok()) << rerun.error().message;
  EXPECT_EQ(rerun->embedded, 13u);
  EXPECT_EQ(rerun->up_to_date, 10u);
  EXPECT_EQ(ok.seen.size(), 13u);
  EXPECT_EQ(stored(), 23u);
}

TEST_F(EmbedJobTest, StopSendsNothingNewButSavesWhatCameBack) {
  std::atomic<bool> stop{false};
  ScriptedEmbedder e;
  e.stop = &stop;
  e.stop_after_call = 1;
  auto s = run_embed_job(*store_, e, {5, 1, false}, {}, &stop);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(s->stopped);
  EXPECT_EQ(e.calls, 2);
  EXPECT_EQ(s->embedded, 10u);
  EXPECT_EQ(stored(), 10u);
}

TEST_F(EmbedJobTest, ChangedTextIsReEmbeddedAndImportedVectorsAreKept) {
  ScriptedEmbedder e;
  ASSERT_TRUE(run_embed_job(*store_, e, {100, 1, false}).ok());
  auto movies = *store_->movies();
  // Movie 0 gets a new description; movie 1's vector is replaced by one of unknown text (an import).
  MovieRecord changed = movies[0];
  changed.description = "A brand new description";
  ASSERT_TRUE(store_->upsert_movies({changed}).ok());
  ASSERT_TRUE(store_->put_vectors("scripted-model", {{movies[1].id, {1, 2, 3, 4}, ""}}).ok());

  auto plan = plan_embedding(*store_, "scripted-model", false);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->movies, std::vector<MovieId>{movies[0].id});
  EXPECT_EQ(plan->texts, std::vector<std::string>{"A brand new description"});
  EXPECT_EQ(plan->up_to_date, 22u);
  auto forced = plan_embedding(*store_, "scripted-model", true);
  EXPECT_EQ(forced->movies.size(), 23u);

  ScriptedEmbedder second;
  auto s = run_embed_job(*store_, second, {100, 1, false});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->embedded, 1u);
  EXPECT_EQ(second.seen, std::vector<std::string>{"A brand new description"});
}

TEST_F(EmbedJobTest, QueryCacheAvoidsASecondCall) {
  ScriptedEmbedder e;
  auto first = embed_query(e, "película de un pianista", store_.get());
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_FALSE(first->from_cache);
  EXPECT_TRUE(first->cache_warning.empty()) << first->cache_warning;
  EXPECT_EQ(e.purposes, std::vector<EmbedPurpose>{EmbedPurpose::Query});
  auto second = embed_query(e, "película de un pianista", store_.get());
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->from_cache);
  EXPECT_EQ(second->vector, first->vector);
  EXPECT_EQ(e.calls, 1);
  // Another prompt, or no cache, calls the embedder.
  ASSERT_TRUE(embed_query(e, "otra cosa", store_.get()).ok());
  ASSERT_TRUE(embed_query(e, "película de un pianista", nullptr).ok());
  EXPECT_EQ(e.calls, 3);
  // The cache is keyed by provider and model too, and does not touch the catalog version.
  const auto v = *store_->version();
  auto other = store_->cached_query_vector("scripted", "other-model", text_hash("película de un pianista"));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());
  ASSERT_TRUE(store_->cache_query_vector("p", "m", "h", {1, 2}).ok());
  EXPECT_EQ(*store_->version(), v);
  EXPECT_FALSE(store_->cache_query_vector("p", "m", "h", {0, 0}).ok());
}

}  // namespace
}  // namespace cinerec
