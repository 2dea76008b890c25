// The local encoder against independent references on generated models: token ids against
// SentencePiece (Unigram) and a Python BERT tokenizer (WordPiece), sentence embeddings against a
// float64 PyTorch forward pass (tests/local_encoder/make_models.py).
#include <gtest/gtest.h>

#include <cmath>

#include "embed/local/local_embedder.h"
#include "embed/local/tokenizer.h"
#include "reference_models.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;
using local::testing::read_reference;
using local::testing::reference_models_dir;

constexpr double kTolerance = 1e-4;

EmbedPurpose purpose_of(const nlohmann::json& c) {
  return c["purpose"] == "query" ? EmbedPurpose::Query : EmbedPurpose::Document;
}

// Token ids and embeddings of every reference case, embedded in batches of `batch_size`.
void expect_matches_reference(const std::string& model, std::size_t threads, std::size_t batch_size) {
  const fs::path root = reference_models_dir();
  ASSERT_FALSE(root.empty()) << "tests/local_encoder/make_models.py failed (python3-torch installed?)";
  const fs::path dir = root / model;
  LocalEmbedderOptions options;
  options.model_dir = dir.string();
  options.threads = threads;
  options.batch_size = batch_size;
  auto embedder = LocalEmbedder::open(options);
  ASSERT_TRUE(embedder.ok()) << embedder.error().message;
  const auto ref = read_reference(dir);
  ASSERT_EQ((*embedder)->config().max_tokens(), ref["max_tokens"].get<int>());

  for (const EmbedPurpose purpose : {EmbedPurpose::Document, EmbedPurpose::Query}) {
    std::vector<std::string> texts;
    std::vector<nlohmann::json> cases;
    for (const auto& c : ref["cases"]) {
      if (purpose_of(c) != purpose) continue;
      texts.push_back(c["text"].get<std::string>());
      cases.push_back(c);
      EXPECT_EQ((*embedder)->token_ids(texts.back(), purpose), c["ids"].get<std::vector<std::int32_t>>())
          << model << " text: " << texts.back();
    }
    ASSERT_FALSE(texts.empty());
    auto vectors = (*embedder)->embed(texts, purpose);
    ASSERT_TRUE(vectors.ok()) << vectors.error().message;
    ASSERT_EQ(vectors->size(), texts.size());
    for (std::size_t i = 0; i < texts.size(); ++i) {
      const auto expected = cases[i]["embedding"].get<std::vector<double>>();
      ASSERT_EQ((*vectors)[i].size(), expected.size());
      double worst = 0;
      for (std::size_t j = 0; j < expected.size(); ++j)
        worst = std::max(worst, std::abs((*vectors)[i][j] - expected[j]));
      EXPECT_LT(worst, kTolerance) << model << " threads=" << threads << " text: " << texts[i];
    }
  }
}

TEST(LocalEncoderParity, BertWordPieceClsPoolingMatchesPyTorch) {
  expect_matches_reference("bert", 1, 32);
}

TEST(LocalEncoderParity, XlmrUnigramMeanPoolingMatchesPyTorch) {
  expect_matches_reference("xlmr", 1, 32);
}

TEST(LocalEncoderParity, Fp16CheckpointMatchesPyTorchOnRoundedWeights) {
  expect_matches_reference("xlmr-f16", 1, 32);
}

TEST(LocalEncoderParity, TwoThreadsAndSmallBatchesGiveTheSameVectors) {
  expect_matches_reference("bert", 2, 5);
  expect_matches_reference("xlmr", 2, 3);
}

// One text per forward pass: short texts take the few-rows matrix product path.
TEST(LocalEncoderParity, SingleTextBatchesMatchPyTorch) {
  expect_matches_reference("bert", 1, 1);
  expect_matches_reference("xlmr", 2, 1);
}

// int8 dynamic quantization keeps every sentence vector within cosine 0.999 of the float64 reference.
void expect_int8_close_to_reference(const std::string& model) {
  const fs::path root = reference_models_dir();
  ASSERT_FALSE(root.empty());
  LocalEmbedderOptions options;
  options.model_dir = (root / model).string();
  options.threads = 2;
  options.int8 = true;
  auto embedder = LocalEmbedder::open(options);
  ASSERT_TRUE(embedder.ok()) << embedder.error().message;
  const auto ref = read_reference(root / model);
  std::vector<std::string> texts;
  std::vector<std::vector<double>> expected;
  for (const auto& c : ref["cases"]) {
    if (purpose_of(c) != EmbedPurpose::Document) continue;
    texts.push_back(c["text"].get<std::string>());
    expected.push_back(c["embedding"].get<std::vector<double>>());
  }
  auto vectors = (*embedder)->embed(texts, EmbedPurpose::Document);
  ASSERT_TRUE(vectors.ok()) << vectors.error().message;
  double worst = 1;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    double dot = 0, na = 0, nb = 0;
    for (std::size_t j = 0; j < expected[i].size(); ++j) {
      dot += (*vectors)[i][j] * expected[i][j];
      na += (*vectors)[i][j] * (*vectors)[i][j];
      nb += expected[i][j] * expected[i][j];
    }
    const double cosine = dot / std::sqrt(na * nb);
    worst = std::min(worst, cosine);
    EXPECT_GE(cosine, 0.999) << model << " text: " << texts[i];
  }
  // Quantization does change the vectors: a cosine of exactly 1 would mean int8 was not used.
  EXPECT_LT(worst, 1 - 1e-9);
}

TEST(LocalEncoderInt8, CosineToReferenceAtLeast0999) {
  expect_int8_close_to_reference("bert");
  expect_int8_close_to_reference("xlmr");
}

// Ids without the special tokens must equal those of `reference_file` in the model's directory.
void expect_tokenizer_matches(const std::string& model, const std::string& reference_file = "reference.json") {
  const fs::path root = reference_models_dir();
  ASSERT_FALSE(root.empty());
  auto tok = local::Tokenizer::load((root / model / "tokenizer.json").string());
  ASSERT_TRUE(tok.ok()) << tok.error().message;
  const auto ref = read_reference(root / model, reference_file);
  ASSERT_FALSE(ref["cases"].empty()) << model << "/" << reference_file;
  for (const auto& c : ref["cases"]) {
    auto ids = tok->encode(c["text"].get<std::string>(), 100000);
    // Reference ids exclude the special tokens the post-processor adds (one before, one after).
    ASSERT_GE(ids.size(), 2u);
    std::vector<std::int32_t> body(ids.begin() + 1, ids.end() - 1);
    EXPECT_EQ(body, c["ids"].get<std::vector<std::int32_t>>()) << model << " text: " << c["text"];
  }
}

TEST(LocalTokenizerParity, CasedWordPieceKeepsCaseAndAccents) { expect_tokenizer_matches("bert-cased"); }

// The same corpus through Hugging Face's tokenizers.js (tests/local_encoder/hf_token_ids.mjs), an
// implementation of tokenizer.json by its authors, for the uncased (lowercasing, accent stripping) and
// the cased WordPiece tokenizer.
TEST(LocalTokenizerParity, WordPieceMatchesHuggingFaceTokenizers) {
  expect_tokenizer_matches("bert", "hf_reference.json");
  expect_tokenizer_matches("bert-cased", "hf_reference.json");
}

TEST(LocalTokenizerParity, UnigramByteFallbackSpellsUnknownCharactersAsBytes) {
  expect_tokenizer_matches("unigram-bytes");
}

}  // namespace
}  // namespace cinerec
