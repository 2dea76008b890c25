#include "recommend/examples.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <cmath>
#include <set>

#include "store/store.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;

// A tiny catalog in 3-d: two clusters (x: "war", y: "comedy") and one movie between them (z-ish).
// Vectors are chosen so every expected order can be read off by hand.
ExampleQuery examples(std::vector<MovieId> liked, std::vector<MovieId> disliked,
                      ExampleStrategy strategy = ExampleStrategy::Average) {
  ExampleQuery q;
  q.liked = std::move(liked);
  q.disliked = std::move(disliked);
  q.strategy = strategy;
  return q;
}

class ExamplesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("cinerec-examples-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    fs::remove(path_);
    auto store = open_store(path_.string(), OpenMode::CreateIfMissing);
    ASSERT_TRUE(store.ok()) << store.error().message;
    std::vector<MovieRecord> records;
    for (const auto& title : {"War1", "War2", "War3", "Com1", "Com2", "Com3", "Mixed", "NoVector"}) {
      MovieRecord r;
      r.title = title;
      r.description = std::string("about ") + title;
      records.push_back(r);
    }
    ASSERT_TRUE((*store)->upsert_movies(records).ok());
    auto movies = (*store)->movies();
    ASSERT_TRUE(movies.ok());
    for (const auto& m : *movies) id_[m.title] = m.id;
    std::vector<VectorWrite> vectors = {
        {id_["War1"], {1.0f, 0.0f, 0.0f}, ""},  {id_["War2"], {0.9f, 0.1f, 0.0f}, ""},
        {id_["War3"], {0.8f, 0.0f, 0.2f}, ""},  {id_["Com1"], {0.0f, 1.0f, 0.0f}, ""},
        {id_["Com2"], {0.1f, 0.9f, 0.0f}, ""},  {id_["Com3"], {0.0f, 0.8f, 0.3f}, ""},
        {id_["Mixed"], {0.55f, 0.65f, 0.1f}, ""},
    };
    ASSERT_TRUE((*store)->put_vectors("toy", vectors).ok());
    auto loaded = Recommender::load(**store);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    rec_.emplace(std::move(loaded).value());
  }
  void TearDown() override {
    rec_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }

  std::vector<std::string> titles(const Recommendations& recs) {
    std::vector<std::string> out;
    for (const auto& r : recs.results) out.push_back(r.movie->title);
    return out;
  }
  std::size_t rank_of(const Recommendations& recs, const std::string& title) {
    auto t = titles(recs);
    return static_cast<std::size_t>(std::find(t.begin(), t.end(), title) - t.begin());
  }
  Recommendations run(const ExampleQuery& q, std::size_t k = 10) {
    auto recs = recommend_from_examples(*rec_, q, k);
    EXPECT_TRUE(recs.ok()) << recs.error().message;
    return recs.ok() ? *recs : Recommendations{};
  }
  Recommendations run(std::vector<MovieId> liked, std::vector<MovieId> disliked, ExampleStrategy strategy) {
    return run(examples(std::move(liked), std::move(disliked), strategy));
  }

  fs::path path_;
  std::map<std::string, MovieId> id_;
  std::optional<Recommender> rec_;
};

TEST_F(ExamplesTest, LikedMoviesNeighboursRiseAndExamplesAreNeverReturned) {
  for (auto strategy : {ExampleStrategy::Average, ExampleStrategy::BestScore}) {
    auto recs = run({id_["War1"]}, {}, strategy);
    auto t = titles(recs);
    ASSERT_EQ(t.size(), 6u) << example_strategy_name(strategy);  // 7 with vectors, minus the example
    EXPECT_EQ(t[0], "War2");
    EXPECT_EQ(t[1], "War3");
    EXPECT_EQ(std::count(t.begin(), t.end(), "War1"), 0);
    EXPECT_EQ(std::count(t.begin(), t.end(), "NoVector"), 0);
    for (const auto& r : recs.results) EXPECT_EQ(r.closest_liked->title, "War1");
    // The reported similarity is the plain cosine with the liked movie.
    EXPECT_NEAR(recs.results[0].closest_liked_similarity, 0.9 / std::sqrt(0.82), 1e-6);
  }
}

TEST_F(ExamplesTest, DislikedMoviesNeighboursFall) {
  for (auto strategy : {ExampleStrategy::Average, ExampleStrategy::BestScore}) {
    // Mixed leans to comedy: Com2 is its nearest neighbour.
    auto liked_only = run({id_["Mixed"]}, {}, strategy);
    EXPECT_EQ(rank_of(liked_only, "Com2"), 0u) << example_strategy_name(strategy);
    // Disliking Com1, Com2's twin, sends Com2 below every war film; Com1 itself is never returned.
    auto with_dislike = run({id_["Mixed"]}, {id_["Com1"]}, strategy);
    for (const char* war : {"War1", "War2", "War3"})
      EXPECT_GT(rank_of(with_dislike, "Com2"), rank_of(with_dislike, war)) << example_strategy_name(strategy);
    EXPECT_EQ(rank_of(with_dislike, "Com1"), titles(with_dislike).size());
    EXPECT_EQ(rank_of(with_dislike, "Mixed"), titles(with_dislike).size());
  }
}

TEST_F(ExamplesTest, AverageMatchesQdrantFormula) {
  // avg_pos + (avg_pos - avg_neg) with pos {War1, Com1}, neg {Com2}: target ∝ (1.1, 0.1, 0) after
  // 2*(0.5, 0.5, 0) - (0.1, 0.9, 0)/|.|; the best is War2, whose cosine is computed by hand below.
  auto recs = run({id_["War1"], id_["Com1"]}, {id_["Com2"]}, ExampleStrategy::Average);
  const double n_com2 = std::sqrt(0.82);
  const double tx = 1.0 - 0.1 / n_com2, ty = 1.0 - 0.9 / n_com2;
  const double tn = std::sqrt(tx * tx + ty * ty);
  const double war2 = (0.9 * tx + 0.1 * ty) / (tn * std::sqrt(0.82));
  ASSERT_FALSE(recs.results.empty());
  EXPECT_EQ(recs.results[0].movie->title, "War2");
  EXPECT_NEAR(recs.results[0].score, war2, 1e-5);
}

TEST_F(ExamplesTest, BestScoreFormulaAndNegativeOnly) {
  // Closer to the positive: sigmoid(best positive); closer to a negative: -sigmoid(best negative).
  auto recs = run({id_["War1"]}, {id_["Com1"]}, ExampleStrategy::BestScore);
  auto sig = [](double x) { return 0.5 * (x / (1.0 + std::fabs(x)) + 1.0); };
  for (const auto& r : recs.results) {
    if (r.movie->title == "War2") {
      EXPECT_NEAR(r.score, sig(0.9 / std::sqrt(0.82)), 1e-6);
    }
    if (r.movie->title == "Com2") {
      EXPECT_NEAR(r.score, -sig(0.9 / std::sqrt(0.82)), 1e-6);
    }
  }
  // Only dislikes: the movies farthest from them first, and nothing is "closest liked".
  auto away = run({}, {id_["Com1"]}, ExampleStrategy::BestScore);
  EXPECT_EQ(titles(away).front(), "War1");
  EXPECT_EQ(away.results.front().closest_liked, nullptr);
  auto average = recommend_from_examples(*rec_, examples({}, {id_["Com1"]}, ExampleStrategy::Average), 5);
  ASSERT_FALSE(average.ok());
  EXPECT_NE(average.error().message.find("best-score"), std::string::npos);
}

TEST_F(ExamplesTest, PromptVectorIsOneMorePositive) {
  ExampleQuery q;
  q.disliked = {id_["War1"]};
  q.prompt = "comedia";
  q.prompt_vector = std::vector<float>{0.0f, 2.0f, 0.0f};  // not unit: normalized inside
  auto recs = run(q, 3);
  // Target 2*(0,1,0) - (1,0,0): Com1, the prompt's own direction, is not an example and comes first.
  EXPECT_EQ(titles(recs).front(), "Com1");
  EXPECT_EQ(recs.results.front().closest_liked, nullptr);
  q.prompt_vector = std::vector<float>{1.0f, 0.0f};
  auto wrong = recommend_from_examples(*rec_, q, 3);
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message.find("2 dimensions"), std::string::npos);
}

TEST_F(ExamplesTest, BadExamplesAreRefused) {
  auto none = recommend_from_examples(*rec_, {}, 5);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("nothing to recommend from"), std::string::npos);
  auto both = recommend_from_examples(*rec_, examples({id_["War1"]}, {id_["War1"]}), 5);
  ASSERT_FALSE(both.ok());
  EXPECT_NE(both.error().message.find("\"War1\" is both liked and disliked"), std::string::npos);
  auto no_vector = recommend_from_examples(*rec_, examples({id_["NoVector"]}, {}), 5);
  ASSERT_FALSE(no_vector.ok());
  EXPECT_NE(no_vector.error().message.find("\"NoVector\" has no embedding vector"), std::string::npos);
  auto unknown = recommend_from_examples(*rec_, examples({999999}, {}), 5);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("no movie with id 999999"), std::string::npos);
  EXPECT_FALSE(parse_example_strategy("median").ok());
  EXPECT_EQ(*parse_example_strategy("best_score"), ExampleStrategy::BestScore);
}

}  // namespace
}  // namespace cinerec
