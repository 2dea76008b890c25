#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "index/fusion.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;
using Rows = std::vector<std::uint32_t>;

Rows rows_of(const std::vector<ScoredRow>& hits) {
  Rows r;
  for (const auto& h : hits) r.push_back(h.row);
  return r;
}

TEST(ReciprocalRankFusion, HandComputedScores) {
  // list A: 7, 3, 5   list B (weight 2): 3, 9
  std::vector<RankedList> lists = {{{{7, 9.f}, {3, 8.f}, {5, 1.f}}, 1.0}, {{{3, .9f}, {9, .5f}}, 2.0}};
  auto fused = reciprocal_rank_fusion(lists, 10, 60.0);
  ASSERT_EQ(rows_of(fused), (Rows{3, 9, 7, 5}));
  EXPECT_NEAR(fused[0].score, 1.0 / 62 + 2.0 / 61, 1e-7);
  EXPECT_NEAR(fused[1].score, 2.0 / 62, 1e-7);
  EXPECT_NEAR(fused[2].score, 1.0 / 61, 1e-7);
  EXPECT_NEAR(fused[3].score, 1.0 / 63, 1e-7);
  EXPECT_EQ(rows_of(reciprocal_rank_fusion(lists, 2, 60.0)), (Rows{3, 9}));
}

TEST(ReciprocalRankFusion, TiesGoToLowerRowAndDuplicatesCountOnce) {
  std::vector<RankedList> lists = {{{{8, 1.f}, {2, 1.f}}, 1.0}, {{{2, 1.f}, {8, 1.f}}, 1.0}};
  EXPECT_EQ(rows_of(reciprocal_rank_fusion(lists, 10)), (Rows{2, 8}));
  std::vector<RankedList> dup = {{{{4, 1.f}, {4, 1.f}, {1, 1.f}}, 1.0}};
  auto fused = reciprocal_rank_fusion(dup, 10, 60.0);
  ASSERT_EQ(rows_of(fused), (Rows{4, 1}));
  EXPECT_NEAR(fused[0].score, 1.0 / 61, 1e-7);
  EXPECT_NEAR(fused[1].score, 1.0 / 63, 1e-7);
  EXPECT_TRUE(reciprocal_rank_fusion({}, 10).empty());
  EXPECT_TRUE(reciprocal_rank_fusion(lists, 0).empty());
}

TEST(WeightedScoreFusion, HandComputedMinMaxAndMax) {
  // BM25-like list: 0 -> 4, 1 -> 2, 2 -> 1 ; cosine-like list: 1 -> 0.9, 2 -> 0.5, 3 -> 0.4
  std::vector<RankedList> lists = {{{{0, 4.f}, {1, 2.f}, {2, 1.f}}, 0.3}, {{{1, .9f}, {2, .5f}, {3, .4f}}, 0.7}};
  auto minmax = weighted_score_fusion(lists, 10, ScoreNormalization::MinMax);
  // row 0: .3*1 = .3 ; row 1: .3*(1/3) + .7*1 = .8 ; row 2: .3*0 + .7*(.1/.5) = .14 ; row 3: .7*0 = 0
  ASSERT_EQ(rows_of(minmax), (Rows{1, 0, 2, 3}));
  EXPECT_NEAR(minmax[0].score, 0.8, 1e-6);
  EXPECT_NEAR(minmax[1].score, 0.3, 1e-6);
  EXPECT_NEAR(minmax[2].score, 0.14, 1e-6);
  EXPECT_NEAR(minmax[3].score, 0.0, 1e-6);
  auto max = weighted_score_fusion(lists, 10, ScoreNormalization::Max);
  // row 0: .3 ; row 1: .3*.5 + .7 = .85 ; row 2: .3*.25 + .7*.5/.9 ; row 3: .7*.4/.9
  // = .85, .464, .3, .311: unlike min-max, the weakest cosine keeps most of its value.
  ASSERT_EQ(rows_of(max), (Rows{1, 2, 3, 0}));
  EXPECT_NEAR(max[0].score, 0.85, 1e-6);
  EXPECT_NEAR(max[1].score, 0.075 + 0.7 * 0.5 / 0.9, 1e-6);
  EXPECT_NEAR(max[2].score, 0.7 * 0.4 / 0.9, 1e-6);
  EXPECT_NEAR(max[3].score, 0.3, 1e-6);
}

TEST(WeightedScoreFusion, ConstantListNormalizesToOne) {
  std::vector<RankedList> lists = {{{{5, 2.f}, {6, 2.f}}, 1.0}};
  auto fused = weighted_score_fusion(lists, 10, ScoreNormalization::MinMax);
  ASSERT_EQ(rows_of(fused), (Rows{5, 6}));
  EXPECT_FLOAT_EQ(fused[0].score, 1.0f);
}

// Four unit vectors in 2-D: rows 0 and 1 are near-identical, row 2 is orthogonal to them.
std::vector<float> mmr_vectors() { return {1.f, 0.f, 0.99f, 0.14106736f, 0.f, 1.f, 0.70710678f, 0.70710678f}; }

TEST(Mmr, LambdaOneKeepsRelevanceOrder) {
  auto v = mmr_vectors();
  MatrixView m{v.data(), 4, 2};
  std::vector<ScoredRow> c = {{0, .9f}, {1, .85f}, {2, .5f}, {3, .4f}};
  EXPECT_EQ(rows_of(mmr_rerank(c, m, 1.0, 4)), (Rows{0, 1, 2, 3}));
}

TEST(Mmr, DiversityPushesTheNearDuplicateDown) {
  auto v = mmr_vectors();
  MatrixView m{v.data(), 4, 2};
  std::vector<ScoredRow> c = {{0, .9f}, {1, .85f}, {2, .5f}, {3, .4f}};
  auto r = mmr_rerank(c, m, 0.5, 3);
  // rel = {1, .9, .2, 0}. After 0: row1 .5*.9-.5*.99=-.045, row2 .5*.2-0=.1, row3 0-.5*.707 -> row 2.
  ASSERT_EQ(rows_of(r), (Rows{0, 2, 1}));
  EXPECT_FLOAT_EQ(r[1].score, 0.5f);  // original scores are kept
  EXPECT_EQ(mmr_rerank(c, m, 0.5, 10).size(), 4u);
  EXPECT_TRUE(mmr_rerank(c, m, 0.5, 0).empty());
  EXPECT_TRUE(mmr_rerank({}, m, 0.5, 3).empty());
}

std::string python() {
  if (const char* p = std::getenv("CINEREC_PYTHON")) return p;
  if (fs::exists("/usr/bin/python3")) return "/usr/bin/python3";
  return "python3";
}

TEST(Fusion, MatchesNumpyReferenceOnGeneratedLists) {
  std::mt19937 rng(77);
  std::normal_distribution<float> gauss;
  std::uniform_real_distribution<float> uni(0.f, 10.f);
  const std::size_t n_rows = 60, dim = 8, k = 15;
  std::vector<float> vectors(n_rows * dim);
  for (std::size_t r = 0; r < n_rows; ++r) {
    float norm = 0;
    for (std::size_t d = 0; d < dim; ++d) norm += std::pow(vectors[r * dim + d] = gauss(rng), 2.f);
    for (std::size_t d = 0; d < dim; ++d) vectors[r * dim + d] /= std::sqrt(norm);
  }
  auto random_list = [&](std::size_t len, double weight) {
    Rows all(n_rows);
    for (std::uint32_t i = 0; i < n_rows; ++i) all[i] = i;
    std::shuffle(all.begin(), all.end(), rng);
    RankedList l{{}, weight};
    for (std::size_t i = 0; i < len; ++i) l.hits.push_back({all[i], uni(rng)});
    sort_and_truncate(l.hits, len);
    return l;
  };
  std::vector<RankedList> lists = {random_list(30, 0.4), random_list(n_rows, 0.6), random_list(10, 1.5)};
  auto candidates = random_list(25, 1.0).hits;
  const std::vector<double> lambdas = {1.0, 0.7, 0.5, 0.2, 0.0};

  nlohmann::json in;
  for (const auto& l : lists) {
    nlohmann::json jl{{"weight", l.weight}, {"rows", nlohmann::json::array()}, {"scores", nlohmann::json::array()}};
    for (const auto& h : l.hits) {
      jl["rows"].push_back(h.row);
      jl["scores"].push_back(h.score);
    }
    in["lists"].push_back(jl);
  }
  in["k"] = k;
  in["rrf_k"] = 60.0;
  in["lambdas"] = lambdas;
  for (std::size_t r = 0; r < n_rows; ++r)
    in["vectors"].push_back(std::vector<float>(vectors.begin() + r * dim, vectors.begin() + (r + 1) * dim));
  for (const auto& h : candidates) {
    in["mmr_candidates"]["rows"].push_back(h.row);
    in["mmr_candidates"]["scores"].push_back(h.score);
  }

  fs::path dir = fs::temp_directory_path() / ("cinerec_fusion_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "in.json") << in.dump();
  fs::path script = fs::path(__FILE__).parent_path() / "../../reference/fusion_ref.py";
  std::string cmd = python() + " " + script.string() + " " + (dir / "in.json").string() + " " + (dir / "out.json").string();
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  std::ifstream out_file(dir / "out.json");
  auto out = nlohmann::json::parse(out_file);
  fs::remove_all(dir);

  auto expect_same = [](const std::vector<ScoredRow>& got, const nlohmann::json& want, const char* what) {
    ASSERT_EQ(got.size(), want.size()) << what;
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].row, want[i][0].get<std::uint32_t>()) << what << " #" << i;
      EXPECT_NEAR(got[i].score, want[i][1].get<double>(), 1e-5) << what << " #" << i;
    }
  };
  expect_same(reciprocal_rank_fusion(lists, k, 60.0), out["rrf"], "rrf");
  expect_same(weighted_score_fusion(lists, k, ScoreNormalization::MinMax), out["minmax"], "minmax");
  expect_same(weighted_score_fusion(lists, k, ScoreNormalization::Max), out["max"], "max");
  expect_same(weighted_score_fusion(lists, k, ScoreNormalization::None), out["none"], "none");
  MatrixView m{vectors.data(), n_rows, dim};
  for (std::size_t i = 0; i < lambdas.size(); ++i) {
    EXPECT_EQ(rows_of(mmr_rerank(candidates, m, lambdas[i], k)), out["mmr"][i].get<Rows>()) << "lambda " << lambdas[i];
  }
}

}  // namespace
}  // namespace cinerec
