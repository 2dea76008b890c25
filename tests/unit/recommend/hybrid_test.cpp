// Recommender::recommend_by_vector: hybrid (BM25 + min-max normalized cosine + genre/era boost) and
// vector-only ranking of a prompt embedded by a provider, on a hand-made catalog whose cosines can be
// computed by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>

#include "recommend/recommender.h"
#include "store/store.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;

class HybridTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() / ("cinerec-hybrid-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    fs::remove(path_);
    auto store = open_store(path_.string(), OpenMode::CreateIfMissing);
    ASSERT_TRUE(store.ok()) << store.error().message;
    struct Row {
      const char* title;
      const char* description;
      const char* genre;
    };
    const Row rows[] = {
        {"Teclas", "un pianista sobrevive en la ciudad ocupada durante la guerra", "Drama"},
        {"Trincheras", "los soldados resisten en las trincheras de la guerra", "Bélico"},
        {"Carcajadas", "una comedia de enredos con mucha risa en un hotel", "Comedia"},
        {"Silencio", "un pianista solitario toca cada noche en un bar del puerto", "Drama"},
        {"Mareas", "una familia de pescadores espera el regreso del barco", "Drama"},
    };
    std::vector<MovieRecord> records;
    for (const auto& r : rows) {
      MovieRecord m;
      m.title = r.title;
      m.description = r.description;
      m.genres = {r.genre};
      m.year = 2000;
      records.push_back(m);
    }
    ASSERT_TRUE((*store)->upsert_movies(records).ok());
    auto movies = (*store)->movies();
    ASSERT_TRUE(movies.ok());
    for (const auto& m : *movies) id_[m.title] = m.id;
    // "Silencio" has no vector: it can only come up by its words.
    vectors_ = {{"Teclas", {1.0f, 0.0f, 0.0f}},
                {"Trincheras", {0.8f, 0.6f, 0.0f}},
                {"Carcajadas", {0.0f, 1.0f, 0.0f}},
                {"Mareas", {0.0f, 0.6f, 0.8f}}};
    std::vector<VectorWrite> writes;
    for (const auto& [title, v] : vectors_) writes.push_back({id_[title], v, ""});
    ASSERT_TRUE((*store)->put_vectors("toy", writes).ok());
    auto loaded = Recommender::load(**store);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    rec_.emplace(std::move(loaded).value());
  }
  void TearDown() override {
    rec_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix);
  }

  // Cosine of a stored (already unit) vector with the unit query, computed here independently.
  static double cosine(const std::vector<float>& a, const std::vector<float>& q) {
    double dot = 0, na = 0, nq = 0;
    for (std::size_t i = 0; i < a.size(); ++i) dot += a[i] * q[i], na += a[i] * a[i], nq += q[i] * q[i];
    return dot / std::sqrt(na * nq);
  }

  Recommendations run(const std::string& prompt, const std::vector<float>& q, bool vector_only, std::size_t k = 5) {
    RankingOptions ranking;
    ranking.vector_only = vector_only;
    auto recs = rec_->recommend_by_vector(prompt, q, "fake", "toy", k, {}, ranking);
    EXPECT_TRUE(recs.ok()) << recs.error().message;
    return recs.ok() ? std::move(recs).value() : Recommendations{};
  }

  static std::vector<std::string> titles(const Recommendations& recs) {
    std::vector<std::string> out;
    for (const auto& r : recs.results) out.push_back(r.movie->title);
    return out;
  }

  fs::path path_;
  std::map<std::string, MovieId> id_;
  std::map<std::string, std::vector<float>> vectors_;
  std::optional<Recommender> rec_;
};

TEST_F(HybridTest, VectorOnlyRanksByCosineAndSkipsMoviesWithoutVectors) {
  const std::vector<float> q = {0.0f, 2.0f, 0.0f};  // not unit: the recommender normalizes it
  auto recs = run("un pianista", q, /*vector_only=*/true);
  EXPECT_EQ(titles(recs), (std::vector<std::string>{"Carcajadas", "Trincheras", "Mareas", "Teclas"}));
  for (const auto& r : recs.results) {
    EXPECT_NEAR(r.score, cosine(vectors_[r.movie->title], q), 1e-6) << r.movie->title;
    EXPECT_EQ(r.lexical_score, 0.0f);
  }
}

TEST_F(HybridTest, HybridScoreIsHalfRelativeBm25PlusHalfMinMaxCosinePlusIntent) {
  const std::vector<float> q = {0.0f, 1.0f, 0.0f};
  auto recs = run("un pianista", q, /*vector_only=*/false);
  ASSERT_EQ(recs.results.size(), 5u);
  // Min-max over the movies with a vector: cosines are 0 (Teclas), 0.6, 1 and 0.6.
  double low = 1e9, high = -1e9;
  for (const auto& [title, v] : vectors_) low = std::min(low, cosine(v, q)), high = std::max(high, cosine(v, q));
  ASSERT_NEAR(low, 0.0, 1e-9);
  ASSERT_NEAR(high, 1.0, 1e-9);
  std::map<std::string, const Recommendation*> by_title;
  for (const auto& r : recs.results) by_title[r.movie->title] = &r;
  for (const auto& r : recs.results) {
    const auto& title = r.movie->title;
    const double c = vectors_.count(title) ? cosine(vectors_[title], q) : 0.0;
    const double meaning = vectors_.count(title) ? (c - low) / (high - low) : 0.0;
    EXPECT_NEAR(r.vector_score, c, 1e-6) << title;
    EXPECT_NEAR(r.score, 0.5 * r.lexical_score + 0.5 * meaning + 0.2 * r.intent_score, 1e-6) << title;
  }
  // The two pianist films are the only lexical hits; the better one has relative BM25 1.
  EXPECT_GT(by_title["Teclas"]->lexical_score, 0.0f);
  EXPECT_GT(by_title["Silencio"]->lexical_score, 0.0f);
  EXPECT_FLOAT_EQ(std::max(by_title["Teclas"]->lexical_score, by_title["Silencio"]->lexical_score), 1.0f);
  EXPECT_EQ(by_title["Carcajadas"]->lexical_score, 0.0f);
  // The movie without a vector comes up by its words, with the word that matched.
  EXPECT_EQ(by_title["Silencio"]->vector_score, 0.0f);
  EXPECT_EQ(by_title["Silencio"]->matched_terms, (std::vector<std::string>{"pianist"}));
  EXPECT_EQ(recs.provider, "fake");
  EXPECT_EQ(recs.model, "toy");
}

TEST_F(HybridTest, WordsAndMeaningTogetherBeatEitherAlone) {
  // The vector leans to the comedy, the words name the war: the war film that is also close in
  // meaning wins in hybrid, while the vector alone puts the comedy first.
  const std::vector<float> q = {0.2f, 1.0f, 0.0f};
  EXPECT_EQ(titles(run("soldados", q, /*vector_only=*/true)).front(), "Carcajadas");
  EXPECT_EQ(titles(run("soldados", q, /*vector_only=*/false)).front(), "Trincheras");
}

TEST_F(HybridTest, GenreCuesBoostInHybridMode) {
  const std::vector<float> q = {0.0f, 0.6f, 0.8f};  // exactly Mareas
  auto recs = run("algo de risa", q, /*vector_only=*/false, 2);
  ASSERT_FALSE(recs.results.empty());
  for (const auto& r : recs.results) {
    EXPECT_EQ(r.intent_score, r.movie->title == "Carcajadas" ? 1.0f : 0.0f) << r.movie->title;
  }
  EXPECT_FALSE(recs.understood.empty());
}

TEST_F(HybridTest, FiltersApplyInBothModes) {
  MovieFilter drama;
  drama.genres = {"Drama"};
  for (bool vector_only : {true, false}) {
    RankingOptions ranking;
    ranking.vector_only = vector_only;
    auto recs = rec_->recommend_by_vector("soldados", {0.8f, 0.6f, 0.0f}, "fake", "toy", 5, drama, ranking);
    ASSERT_TRUE(recs.ok());
    ASSERT_FALSE(recs->results.empty());
    for (const auto& r : recs->results) EXPECT_EQ(r.movie->genres, std::vector<std::string>{"Drama"});
  }
}

TEST_F(HybridTest, RefusesWrongModelDimensionZeroAndNonFiniteVectors) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_FALSE(rec_->recommend_by_vector("x", {1, 0, 0}, "fake", "other", 3).ok());
  EXPECT_FALSE(rec_->recommend_by_vector("x", {1, 0}, "fake", "toy", 3).ok());
  EXPECT_FALSE(rec_->recommend_by_vector("x", {0, 0, 0}, "fake", "toy", 3).ok());
  EXPECT_FALSE(rec_->recommend_by_vector("x", {nan, 0, 0}, "fake", "toy", 3).ok());
  EXPECT_FALSE(rec_->recommend_by_vector("   ", {1, 0, 0}, "fake", "toy", 3).ok());
  EXPECT_FALSE(rec_->recommend_by_vector("x", {1, 0, 0}, "fake", "toy", 0).ok());
}

}  // namespace
}  // namespace cinerec
