#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>

#include "recommend/evaluation.h"

namespace cinerec {
namespace {

TEST(ParseEvalTsv, ReadsCasesSkippingCommentsAndBlankLines) {
  auto cases = parse_eval_tsv("# header\n\nun pianista\tEl pianista\r\nmafia\tEl padrino| El padrino II |\n", "dev.tsv");
  ASSERT_TRUE(cases.ok()) << cases.error().message;
  ASSERT_EQ(cases->size(), 2u);
  EXPECT_EQ((*cases)[0].prompt, "un pianista");
  EXPECT_EQ((*cases)[0].relevant, (std::vector<std::string>{"El pianista"}));
  EXPECT_EQ((*cases)[0].line, 3u);
  EXPECT_EQ((*cases)[1].relevant, (std::vector<std::string>{"El padrino", "El padrino II"}));
  EXPECT_EQ((*cases)[1].line, 4u);
}

TEST(ParseEvalTsv, ErrorsSayWhereAndWhat) {
  auto no_tab = parse_eval_tsv("ok\tA\nsin tabulador\n", "f.tsv");
  ASSERT_FALSE(no_tab.ok());
  EXPECT_EQ(no_tab.error().message, "f.tsv:2: expected 'prompt<TAB>title|title', found no tab");
  auto no_title = parse_eval_tsv("prompt\t | \n", "f.tsv");
  ASSERT_FALSE(no_title.ok());
  EXPECT_EQ(no_title.error().message, "f.tsv:1: no relevant title after the tab");
  auto no_prompt = parse_eval_tsv("  \tA\n", "f.tsv");
  ASSERT_FALSE(no_prompt.ok());
  EXPECT_EQ(no_prompt.error().message, "f.tsv:1: empty prompt");
  auto bad_utf8 = parse_eval_tsv("ab\xff\tA\n", "f.tsv");
  ASSERT_FALSE(bad_utf8.ok());
  EXPECT_EQ(bad_utf8.error().message, "f.tsv:1: invalid UTF-8 at byte 3");
  EXPECT_FALSE(load_eval_file("/nonexistent/dev.tsv").ok());
}

TEST(ScoreCase, FirstHitAndNdcgByHand) {
  EvalCase c{"q", {"A", "B", "C"}, 1};
  // ranking: X, a (relevant, accents/case ignored), Y, B, A again (counts once)
  auto r = score_case(c, {"X", "á", "Y", "B", "A"});
  ASSERT_TRUE(r.first_hit.has_value());
  EXPECT_EQ(*r.first_hit, 2u);
  // DCG = 1/log2(3) + 1/log2(5); ideal = 1 + 1/log2(3) + 1/log2(4)
  double dcg = 1 / std::log2(3.0) + 1 / std::log2(5.0);
  double ideal = 1 + 1 / std::log2(3.0) + 1 / std::log2(4.0);
  EXPECT_NEAR(r.ndcg10, dcg / ideal, 1e-12);
}

TEST(ScoreCase, HitsBeyondTenCountForRankButNotNdcg) {
  std::vector<std::string> ranked(11, "X");
  ranked[10] = "A";
  auto r = score_case({"q", {"A"}, 1}, ranked);
  EXPECT_EQ(*r.first_hit, 11u);
  EXPECT_EQ(r.ndcg10, 0.0);
  auto miss = score_case({"q", {"A"}, 1}, {"X", "Y"});
  EXPECT_FALSE(miss.first_hit.has_value());
}

TEST(Summarize, AveragesByHand) {
  std::vector<EvalCaseResult> results = {
      score_case({"a", {"A"}, 1}, {"A", "X"}),                                   // rank 1
      score_case({"b", {"B"}, 2}, {"X", "Y", "Z", "W", "B"}),                    // rank 5
      score_case({"c", {"C"}, 3}, {"1", "2", "3", "4", "5", "6", "7", "C"}),     // rank 8
      score_case({"d", {"D"}, 4}, {"X"}),                                        // missed
  };
  auto s = summarize(results);
  EXPECT_EQ(s.cases, 4u);
  EXPECT_DOUBLE_EQ(s.hit1, 0.25);
  EXPECT_DOUBLE_EQ(s.hit5, 0.5);
  EXPECT_DOUBLE_EQ(s.hit10, 0.75);
  EXPECT_NEAR(s.mrr, (1 + 1 / 5.0 + 1 / 8.0) / 4, 1e-12);
  EXPECT_NEAR(s.ndcg10, (1 + 1 / std::log2(6.0) + 1 / std::log2(9.0)) / 4, 1e-12);
  auto j = eval_summary_json(s);
  ASSERT_EQ(j["missed"].size(), 1u);
  EXPECT_EQ(j["missed"][0]["line"], 4);
  EXPECT_EQ(j["missed"][0]["prompt"], "d");
  EXPECT_EQ(summarize({}).mrr, 0.0);
}

TEST(Evaluate, RunsTheRankerAndStopsOnItsFirstError) {
  std::vector<EvalCase> cases = {{"a", {"A"}, 3}, {"b", {"B"}, 7}};
  auto ok = evaluate(cases, [](const std::string& p) -> Result<std::vector<std::string>> {
    return std::vector<std::string>{p == "a" ? "A" : "X"};
  });
  ASSERT_TRUE(ok.ok());
  EXPECT_DOUBLE_EQ(ok->hit1, 0.5);
  auto bad = evaluate(cases, [](const std::string& p) -> Result<std::vector<std::string>> {
    if (p == "b") return Error{"boom"};
    return std::vector<std::string>{};
  });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "line 7: boom");
}

// The shipped dev sets must parse and be large enough to mean something.
TEST(DevSets, ParseAndHaveEnoughPrompts) {
  auto es = load_eval_file(std::string(CINEREC_TEST_DATA_DIR) + "/dev-es.tsv");
  ASSERT_TRUE(es.ok()) << es.error().message;
  EXPECT_GE(es->size(), 60u);
  auto en = load_eval_file(std::string(CINEREC_TEST_DATA_DIR) + "/dev-en.tsv");
  ASSERT_TRUE(en.ok()) << en.error().message;
  EXPECT_GE(en->size(), 20u);
}

}  // namespace
}  // namespace cinerec
