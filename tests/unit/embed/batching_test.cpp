#include "embed/batching.h"

#include <gtest/gtest.h>

namespace cinerec {
namespace {

std::vector<std::pair<std::size_t, std::size_t>> pairs(const std::vector<BatchRange>& r) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  for (const auto& b : r) out.emplace_back(b.begin, b.end);
  return out;
}

TEST(Batching, SplitsByInputCount) {
  std::vector<std::string> texts(7, "short");
  EXPECT_EQ(pairs(plan_batches(texts, {3, 1000})),
            (std::vector<std::pair<std::size_t, std::size_t>>{{0, 3}, {3, 6}, {6, 7}}));
  EXPECT_TRUE(plan_batches({}, {3, 1000}).empty());
}

TEST(Batching, SplitsByTokenBudgetAndIsolatesOversizedTexts) {
  // estimate_tokens: bytes / 3 + 1, so 30 bytes = 11 tokens and 300 bytes = 101 tokens.
  const std::string t30(30, 'a'), t300(300, 'b');
  ASSERT_EQ(estimate_tokens(t30), 11u);
  std::vector<std::string> texts = {t30, t30, t30, t300, t30};
  EXPECT_EQ(pairs(plan_batches(texts, {100, 25})),
            (std::vector<std::pair<std::size_t, std::size_t>>{{0, 2}, {2, 3}, {3, 4}, {4, 5}}));
}

}  // namespace
}  // namespace cinerec
