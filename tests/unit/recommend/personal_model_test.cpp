// The personal model against an independent numpy computation (tests/reference/ease.py) on generated
// interactions, its persistence round trip, and the evaluation protocol on a fixture with a known answer.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "recommend/personal_model.h"
#include "recommend/rating_evaluation.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;

std::string python() {
  if (const char* p = std::getenv("CINEREC_PYTHON")) return p;
  return CINEREC_PYTHON;
}

// Users with tastes: each prefers one of three item groups, plus noise, so co-occurrence is structured.
std::vector<Interaction> generated(std::size_t users, std::size_t items, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<Interaction> out;
  for (std::uint32_t user = 0; user < users; ++user) {
    std::size_t group = user % 3;
    for (std::uint32_t item = 0; item < items; ++item) {
      double p = item % 3 == group ? 0.5 : 0.08;
      if (item == items - 1) p = 0.0;  // an item nobody rated: no collaborative signal
      if (u(rng) < p) out.push_back({user, item, u(rng) < 0.7 ? 4.5f : 2.0f, static_cast<std::int64_t>(item * 10 + user)});
    }
  }
  return out;
}

ItemNeighbours no_content(std::size_t items) { return ItemNeighbours::from_lists(std::vector<std::vector<std::pair<std::uint32_t, float>>>(items)); }

TEST(PersonalModel, EaseAndItemKnnMatchNumpy) {
  const std::size_t users = 60, items = 24;
  const double lambda = 5.0;
  auto interactions = generated(users, items, 7);
  fs::path dir = fs::temp_directory_path() / ("cinerec-ease-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    std::ofstream f(dir / "x.txt");
    for (const auto& x : interactions) f << x.user << " " << x.item << "\n";
  }
  std::string cmd = python() + " " + std::string(CINEREC_SOURCE_DIR) + "/tests/reference/ease.py " + (dir / "x.txt").string() +
                    " " + std::to_string(items) + " " + std::to_string(lambda) + " " + (dir / "ref.json").string();
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  auto ref = nlohmann::json::parse(std::ifstream(dir / "ref.json"));
  fs::remove_all(dir);

  std::vector<MovieId> ids(items);
  for (std::size_t i = 0; i < items; ++i) ids[i] = static_cast<MovieId>(100 + i);
  PersonalModelParams params;
  params.ease_lambda = lambda;
  params.neighbours = static_cast<std::uint32_t>(items);  // keep every positive weight
  auto model = PersonalModel::train(interactions, ids, no_content(items), params);
  ASSERT_TRUE(model.ok()) << model.error().message;
  // A history of one item scores every item with that item's row of the weights.
  for (std::uint32_t i = 0; i < items; ++i) {
    auto ease = model->scores({{i, 5.0f, 0}}, Scorer::Ease);
    auto knn = model->scores({{i, 5.0f, 0}}, Scorer::ItemKnn);
    for (std::size_t j = 0; j < items; ++j) {
      EXPECT_NEAR(ease[j], ref["ease"][i][j].get<double>(), 2e-5) << i << "→" << j;
      EXPECT_NEAR(knn[j], ref["knn"][i][j].get<double>(), 1e-6) << i << "→" << j;
    }
  }
  // The unrated item has no collaborative signal, and popularity counts ratings.
  auto pop = model->scores({}, Scorer::Popularity);
  EXPECT_EQ(pop[items - 1], 0.0f);
  std::size_t rated_item0 = 0;
  for (const auto& x : interactions) rated_item0 += x.item == 0;
  EXPECT_EQ(pop[0], static_cast<float>(rated_item0));
}

TEST(PersonalModel, ContentReachesUnratedItemsAndRecencyFavoursTheLatest) {
  // Items 0-3 rated by everyone in pairs {0,1} and {2,3}; item 4 unrated but content-close to item 2.
  std::vector<Interaction> x;
  for (std::uint32_t u = 0; u < 10; ++u) {
    std::uint32_t a = u % 2 == 0 ? 0 : 2;
    x.push_back({u, a, 5.0f, 1});
    x.push_back({u, a + 1, 5.0f, 2});
  }
  std::vector<std::vector<std::pair<std::uint32_t, float>>> content(5);
  content[2] = {{4, 0.9f}};
  PersonalModelParams params;
  params.ease_lambda = 1.0;
  auto model = PersonalModel::train(x, {1, 2, 3, 4, 5}, ItemNeighbours::from_lists(content), params);
  ASSERT_TRUE(model.ok()) << model.error().message;
  auto ease = model->scores({{2, 5.0f, 10}}, Scorer::Ease);
  EXPECT_EQ(ease[4], 0.0f);
  auto hybrid = model->scores({{2, 5.0f, 10}}, Scorer::Hybrid);
  EXPECT_GT(hybrid[4], 0.0f);
  EXPECT_GT(hybrid[3], hybrid[4]);  // collaborative evidence first
  // Liked 0 long ago and 2 just now: 2's partner (3) beats 0's partner (1).
  auto recent = model->scores({{0, 5.0f, 1}, {2, 5.0f, 100}}, Scorer::Hybrid);
  EXPECT_GT(recent[3], recent[1]);
  EXPECT_EQ(model->explain({{0, 5.0f, 1}, {2, 5.0f, 100}}, 3), 2);
  EXPECT_EQ(model->explain({{0, 5.0f, 1}, {2, 5.0f, 100}}, 1), 0);
}

TEST(PersonalModel, SequenceFavoursWhatPeopleRateNext) {
  // Everyone rates 0, then 1, then 2 (and 3 unrelated): co-occurrence is symmetric, so EASE cannot tell
  // 1 from 2 after 0; the time line can (1 comes right after 0, 2 two ratings later).
  std::vector<Interaction> x;
  for (std::uint32_t u = 0; u < 6; ++u) {
    x.push_back({u, 0, 5.0f, 1});
    x.push_back({u, 1, 5.0f, 2});
    x.push_back({u, 2, 5.0f, 3});
    if (u % 2) x.push_back({u, 3, 5.0f, 0});
  }
  PersonalModelParams without;
  without.sequence_weight = 0.0;
  auto flat = PersonalModel::train(x, {1, 2, 3, 4}, no_content(4), without);
  ASSERT_TRUE(flat.ok());
  auto flat_scores = flat->scores({{0, 5.0f, 9}}, Scorer::Hybrid);
  EXPECT_NEAR(flat_scores[1], flat_scores[2], 1e-6);
  auto model = PersonalModel::train(x, {1, 2, 3, 4}, no_content(4));
  ASSERT_TRUE(model.ok());
  auto scores = model->scores({{0, 5.0f, 9}}, Scorer::Hybrid);
  // EASE part equal (1 after scaling), sequence 1 vs 1/2 (scaled): 1.5 vs 1.25.
  EXPECT_NEAR(scores[1], 1.0f + 0.5f * 1.0f, 1e-5);
  EXPECT_NEAR(scores[2], 1.0f + 0.5f * 0.5f, 1e-5);
}

TEST(PersonalModel, SerializationRoundTripAndCorruption) {
  auto interactions = generated(30, 12, 3);
  auto model = PersonalModel::train(interactions, std::vector<MovieId>(12, 1), no_content(12));
  ASSERT_TRUE(model.ok());
  auto blob = model->serialize();
  auto back = PersonalModel::deserialize(blob);
  ASSERT_TRUE(back.ok()) << back.error().message;
  std::vector<HistoryItem> history = {{1, 4.0f, 5}, {4, 2.0f, 9}};
  for (auto scorer : {Scorer::Popularity, Scorer::ItemKnn, Scorer::Ease, Scorer::Hybrid})
    EXPECT_EQ(back->scores(history, scorer), model->scores(history, scorer)) << scorer_name(scorer);
  EXPECT_EQ(back->serialize(), blob);
  EXPECT_FALSE(PersonalModel::deserialize(blob.substr(0, blob.size() - 3)).ok());
  EXPECT_FALSE(PersonalModel::deserialize(blob + "x").ok());
  EXPECT_FALSE(PersonalModel::deserialize("junk").ok());
}

TEST(RatingEvaluation, LeaveLastLikedOutKnownAnswer) {
  // User 0: liked 1 (t=5) and 2 (t=7, held out), disliked 3 (t=9, later but not liked).
  // User 1: liked 4 at t=3 only: held out, empty history. User 2: nothing liked: not evaluated.
  std::vector<Interaction> x = {{0, 1, 4.0f, 5}, {0, 2, 4.5f, 7}, {0, 3, 2.0f, 9}, {1, 4, 5.0f, 3}, {2, 0, 1.0f, 1}};
  auto split = leave_last_liked_out(x);
  ASSERT_EQ(split.held_out.size(), 2u);
  EXPECT_EQ(split.held_out[0].user, 0u);
  EXPECT_EQ(split.held_out[0].item, 2u);
  EXPECT_EQ(split.held_out[1].item, 4u);
  EXPECT_EQ(split.history.size(), 3u);
  // Scores = item index over 30 items: user 0 ranks 29..4 then 2 (1 and 3 are history, excluded): item 2
  // has 26 better unrated items → miss. User 1: item 4 has 25 better → miss. Reverse order: user 0 has
  // 0 better (item 0 is lower... 0 scores 30, 2 scores 28: item 0 better → rank 2); user 1: items 0..3
  // score higher → rank 5.
  auto ascending = evaluate_leave_last_liked_out(split, 30, [](const std::vector<HistoryItem>&) {
    std::vector<float> s(30);
    for (std::size_t i = 0; i < 30; ++i) s[i] = static_cast<float>(i);
    return s;
  });
  EXPECT_EQ(ascending.users, 2u);
  EXPECT_EQ(ascending.hit_at_10, 0.0);
  auto descending = evaluate_leave_last_liked_out(split, 30, [](const std::vector<HistoryItem>&) {
    std::vector<float> s(30);
    for (std::size_t i = 0; i < 30; ++i) s[i] = static_cast<float>(30 - i);
    return s;
  });
  EXPECT_DOUBLE_EQ(descending.hit_at_10, 1.0);
  EXPECT_NEAR(descending.ndcg_at_10, (1.0 / std::log2(3.0) + 1.0 / std::log2(6.0)) / 2.0, 1e-12);
  // Ties go to the lower index: all-equal scores put item 2 after item 0 for user 0 (rank 2).
  auto flat = evaluate_leave_last_liked_out(split, 30, [](const std::vector<HistoryItem>&) {
    return std::vector<float>(30, 1.0f);
  });
  EXPECT_NEAR(flat.ndcg_at_10, (1.0 / std::log2(3.0) + 1.0 / std::log2(6.0)) / 2.0, 1e-12);
}

}  // namespace
}  // namespace cinerec
