// Truncation, special tokens and padding with attention masks.
#include <gtest/gtest.h>

#include "embed/local/tokenizer.h"
#include "reference_models.h"

namespace cinerec::local {
namespace {

TEST(TokenizerBatchTest, PadsToLongestWithMasksAndTruncatesKeepingSpecialTokens) {
  const auto root = testing::reference_models_dir();
  ASSERT_FALSE(root.empty());
  auto tok = Tokenizer::load((root / "xlmr" / "tokenizer.json").string());
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  const std::string long_text(400, 'a');
  const auto batch = tok->encode_batch({"hola", "", long_text}, 16);
  ASSERT_EQ(batch.batch, 3u);
  ASSERT_EQ(batch.width, 16u);
  EXPECT_EQ(batch.lengths[1], 2u);  // <s> </s>
  EXPECT_EQ(batch.lengths[2], 16u);
  for (std::size_t b = 0; b < 3; ++b) {
    EXPECT_EQ(batch.ids[b * 16], 0) << "row " << b << " starts with <s>";
    EXPECT_EQ(batch.ids[b * 16 + batch.lengths[b] - 1], 2) << "row " << b << " ends with </s>";
    for (std::size_t i = 0; i < 16; ++i) {
      EXPECT_EQ(batch.mask[b * 16 + i], i < batch.lengths[b] ? 1 : 0);
      if (i >= batch.lengths[b]) {
        EXPECT_EQ(batch.ids[b * 16 + i], tok->pad_id());
      }
    }
  }
  EXPECT_EQ(tok->pad_id(), 1);
}

}  // namespace
}  // namespace cinerec::local
