// Regression tests for crashes the fuzzers (tests/fuzz) found in the model-file readers: a model
// directory is downloaded input, so a malformed tokenizer.json or safetensors header must be an error
// naming the file, never undefined behavior (nlohmann's const operator[] on a missing key or index,
// a shape product that overflows).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "embed/local/safetensors.h"
#include "embed/local/tokenizer.h"

namespace cinerec::local {
namespace {

namespace fs = std::filesystem;

class MalformedModelFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cinerec-malformed-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& bytes) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
  std::string tokenizer_error(const std::string& json) {
    const std::string path = write("tokenizer.json", json);
    auto t = Tokenizer::load(path);
    if (t.ok()) return "(loaded)";
    EXPECT_EQ(t.error().message.rfind(path, 0), 0u) << "the error names the file: " << t.error().message;
    return t.error().message;
  }

  // The error of loading a safetensors file with this header and data size, or "(loaded)".
  std::string safetensors_error(const std::string& header, std::size_t data_bytes);

  fs::path dir_;
};

const std::string kUnigramModel = R"("model": {"type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["a", -1.0]]})";
const std::string kWordPieceModel =
    R"("model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2}})";

TEST_F(MalformedModelFileTest, SequenceNormalizerWithoutList) {
  EXPECT_NE(tokenizer_error("{" + kUnigramModel + R"(, "normalizer": {"type": "Sequence"}})").find("unexpected structure"),
            std::string::npos);
}

TEST_F(MalformedModelFileTest, ReplaceNormalizerWithoutPattern) {
  EXPECT_NE(tokenizer_error("{" + kUnigramModel + R"(, "normalizer": {"type": "Replace", "content": " "}})").find("unexpected structure"),
            std::string::npos);
}

TEST_F(MalformedModelFileTest, SequencePreTokenizerWithoutList) {
  EXPECT_NE(tokenizer_error("{" + kUnigramModel + R"(, "pre_tokenizer": {"type": "Sequence"}})").find("unexpected structure"),
            std::string::npos);
  EXPECT_NE(tokenizer_error("{" + kWordPieceModel + R"(, "pre_tokenizer": {"type": "Sequence"}})").find("unexpected structure"),
            std::string::npos);
}

TEST_F(MalformedModelFileTest, BertProcessingWithoutOrWithShortSpecialTokens) {
  EXPECT_NE(tokenizer_error("{" + kWordPieceModel + R"(, "post_processor": {"type": "BertProcessing"}})").find("unexpected structure"),
            std::string::npos);
  // ["[CLS]"] without the id: index 1 is past the end.
  EXPECT_NE(tokenizer_error("{" + kWordPieceModel +
                            R"(, "post_processor": {"type": "BertProcessing", "cls": ["[CLS]"], "sep": ["[SEP]", 2]}})")
                .find("unexpected structure"),
            std::string::npos);
}

TEST_F(MalformedModelFileTest, TemplateProcessingWithoutSpecialTokens) {
  EXPECT_NE(tokenizer_error("{" + kWordPieceModel +
                            R"(, "post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "[CLS]"}}]}})")
                .find("unexpected structure"),
            std::string::npos);
  EXPECT_NE(tokenizer_error("{" + kWordPieceModel + R"(, "post_processor": {"type": "TemplateProcessing"}})").find("unexpected structure"),
            std::string::npos);
}

// Found by fuzz_tokenizer_json in CI: a float where an id belongs went through get<int32_t>(), a
// static_cast of 1e300 to int (undefined behavior, UBSan float-cast-overflow). Every integer of a model
// file is now read by json_integer, which refuses floats and out-of-range values.
TEST_F(MalformedModelFileTest, FloatOrHugeNumbersWhereIntegersBelong) {
  const std::string float_vocab =
      R"("model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "a": 1e300}})";
  EXPECT_NE(tokenizer_error("{" + float_vocab + "}").find("must be an integer"), std::string::npos);
  EXPECT_NE(tokenizer_error("{" + kWordPieceModel +
                            R"(, "post_processor": {"type": "BertProcessing", "cls": ["[CLS]", -1e300], "sep": ["[SEP]", 2]}})")
                .find("must be an integer"),
            std::string::npos);
  EXPECT_NE(tokenizer_error("{" + kWordPieceModel +
                            R"(, "post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "[CLS]"}}],
                                 "special_tokens": {"[CLS]": {"ids": [99999999999]}}}})")
                .find("must be between"),
            std::string::npos);
  EXPECT_NE(tokenizer_error("{" + kWordPieceModel + R"(, "padding": {"pad_id": 3.5e40}})").find("must be an integer"),
            std::string::npos);
  EXPECT_NE(tokenizer_error(R"({"model": {"type": "WordPiece", "max_input_chars_per_word": 1e300, "vocab": {"[UNK]": 0}}})")
                .find("must be an integer"),
            std::string::npos);
  EXPECT_NE(tokenizer_error(R"({"model": {"type": "Unigram", "unk_id": 1e300, "vocab": [["<unk>", 0.0]]}})")
                .find("unk_id"),
            std::string::npos);
}

TEST_F(MalformedModelFileTest, WellFormedTokenizerStillLoads) {
  EXPECT_EQ(tokenizer_error("{" + kWordPieceModel +
                            R"(, "post_processor": {"type": "BertProcessing", "cls": ["[CLS]", 1], "sep": ["[SEP]", 2]}})"),
            "(loaded)");
}

std::string safetensors_file(const std::string& header, std::size_t data_bytes) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((header.size() >> (8 * i)) & 0xFF);
  return out + header + std::string(data_bytes, '\0');
}

std::string MalformedModelFileTest::safetensors_error(const std::string& header, std::size_t data_bytes) {
  auto st = SafeTensors::load(write("model.safetensors", safetensors_file(header, data_bytes)));
  return st.ok() ? "(loaded)" : st.error().message;
}

TEST_F(MalformedModelFileTest, SafetensorsShapeWhoseProductOverflows) {
  // 2^62 * 4 elements of 4 bytes wraps to 0 in 64 bits; before the fix the element count overflowed
  // (undefined behavior) and the byte-range check could be fooled into a 2^64-element allocation.
  const std::string error = safetensors_error(R"({"w": {"dtype": "F32", "shape": [4611686018427387904, 4, 4], "data_offsets": [0, 0]}})", 16);
  EXPECT_NE(error.find("larger than the file"), std::string::npos) << error;
}

TEST_F(MalformedModelFileTest, SafetensorsSpecWithWrongTypes) {
  const std::string error = safetensors_error(R"({"w": {"dtype": 5, "shape": [1], "data_offsets": [0, 4]}})", 4);
  EXPECT_NE(error.find("malformed header"), std::string::npos) << error;
}

TEST_F(MalformedModelFileTest, SafetensorsValidFileStillLoads) {
  const std::string path = write("model.safetensors",
      safetensors_file(R"({"w": {"dtype": "F32", "shape": [2, 1], "data_offsets": [0, 8]}})", 8));
  auto st = SafeTensors::load(path);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_TRUE(st->contains("w"));
}

TEST_F(MalformedModelFileTest, SafetensorsEmptyTensorLoads) {
  // Found by fuzz_safetensors: an F32 tensor of shape [0, 7] passed null pointers to memcpy (UBSan).
  const std::string path = write("model.safetensors",
      safetensors_file(R"({"empty": {"dtype": "F32", "shape": [0, 7], "data_offsets": [0, 0]}})", 0));
  auto st = SafeTensors::load(path);
  ASSERT_TRUE(st.ok()) << st.error().message;
  auto t = st->take("empty");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->elements(), 0);
  EXPECT_TRUE(t->data.empty());
}

TEST_F(MalformedModelFileTest, SafetensorsFloatOffsets) {
  const std::string error = safetensors_error(R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [-1e300, 4]}})", 4);
  EXPECT_NE(error.find("bad data_offsets"), std::string::npos) << error;
}

}  // namespace
}  // namespace cinerec::local
