// The local provider refuses broken model directories with an error naming the file and problem.
#include <gtest/gtest.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "embed/local/local_embedder.h"
#include "embed/local/safetensors.h"
#include "reference_models.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;

// A writable copy of the generated BERT model directory.
class BrokenModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path root = local::testing::reference_models_dir();
    ASSERT_FALSE(root.empty());
    dir_ = fs::temp_directory_path() / ("cinerec-broken-model-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::copy(root / "bert", dir_, fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string open_error() {
    LocalEmbedderOptions options;
    options.model_dir = dir_.string();
    options.threads = 1;
    auto e = LocalEmbedder::open(options);
    return e.ok() ? std::string("(opened)") : e.error().message;
  }
  nlohmann::json read(const std::string& name) {
    std::ifstream in(dir_ / name);
    return nlohmann::json::parse(in);
  }
  void write(const std::string& name, const nlohmann::json& j) { std::ofstream(dir_ / name) << j.dump(); }

  fs::path dir_;
};

TEST_F(BrokenModelTest, MissingDirectory) {
  fs::remove_all(dir_);
  EXPECT_NE(open_error().find("does not exist"), std::string::npos) << open_error();
}

TEST_F(BrokenModelTest, MissingWeights) {
  fs::remove(dir_ / "model.safetensors");
  const std::string err = open_error();
  EXPECT_NE(err.find("model.safetensors"), std::string::npos) << err;
}

TEST_F(BrokenModelTest, MissingTokenizer) {
  fs::remove(dir_ / "tokenizer.json");
  const std::string err = open_error();
  EXPECT_NE(err.find("tokenizer.json"), std::string::npos) << err;
}

TEST_F(BrokenModelTest, UnsupportedArchitecture) {
  auto config = read("config.json");
  config["model_type"] = "gpt2";
  write("config.json", config);
  const std::string err = open_error();
  EXPECT_NE(err.find("unsupported model_type 'gpt2'"), std::string::npos) << err;
}

TEST_F(BrokenModelTest, UnsupportedTokenizerModel) {
  auto tok = read("tokenizer.json");
  tok["model"]["type"] = "BPE";
  write("tokenizer.json", tok);
  const std::string err = open_error();
  EXPECT_NE(err.find("unsupported tokenizer model 'BPE'"), std::string::npos) << err;
}

TEST_F(BrokenModelTest, UnsupportedPoolingMode) {
  auto pooling = read("1_Pooling/config.json");
  pooling["pooling_mode_cls_token"] = false;
  pooling["pooling_mode_max_tokens"] = true;
  write("1_Pooling/config.json", pooling);
  const std::string err = open_error();
  EXPECT_NE(err.find("pooling_mode_max_tokens"), std::string::npos) << err;
}

TEST_F(BrokenModelTest, ShapeDisagreeingWithConfig) {
  auto config = read("config.json");
  config["intermediate_size"] = config["intermediate_size"].get<int>() * 2;
  write("config.json", config);
  const std::string err = open_error();
  EXPECT_NE(err.find("encoder.layer.0.intermediate.dense.weight"), std::string::npos) << err;
  EXPECT_NE(err.find("has shape"), std::string::npos) << err;
}

TEST_F(BrokenModelTest, FewerLayersInCheckpointThanConfig) {
  auto config = read("config.json");
  config["num_hidden_layers"] = config["num_hidden_layers"].get<int>() + 1;
  write("config.json", config);
  const std::string err = open_error();
  EXPECT_NE(err.find("missing tensor 'encoder.layer.2.attention.self.query.weight'"), std::string::npos) << err;
}

TEST_F(BrokenModelTest, MoreLayersInCheckpointThanConfig) {
  auto config = read("config.json");
  config["num_hidden_layers"] = 1;
  write("config.json", config);
  const std::string err = open_error();
  EXPECT_NE(err.find("more layers"), std::string::npos) << err;
}

TEST_F(BrokenModelTest, TruncatedWeights) {
  const auto size = fs::file_size(dir_ / "model.safetensors");
  fs::resize_file(dir_ / "model.safetensors", size - 100);
  const std::string err = open_error();
  EXPECT_NE(err.find("truncated"), std::string::npos) << err;
}

TEST(SafeTensorsTest, HalfPrecisionConversionIsExact) {
  EXPECT_EQ(local::half_to_float(0x3C00), 1.0f);
  EXPECT_EQ(local::half_to_float(0xC000), -2.0f);
  EXPECT_EQ(local::half_to_float(0x7BFF), 65504.0f);
  EXPECT_EQ(local::half_to_float(0x0001), 5.9604644775390625e-8f);  // smallest subnormal
  EXPECT_EQ(local::half_to_float(0x03FF), 6.097555160522461e-5f);   // largest subnormal
  EXPECT_EQ(local::half_to_float(0x8000), -0.0f);
  EXPECT_TRUE(std::isinf(local::half_to_float(0x7C00)));
  EXPECT_TRUE(std::isnan(local::half_to_float(0x7E00)));
  EXPECT_EQ(local::bfloat16_to_float(0x3F80), 1.0f);
  EXPECT_EQ(local::bfloat16_to_float(0xC0A0), -5.0f);
}

TEST(SafeTensorsTest, RejectsUnsupportedDtype) {
  const fs::path path = fs::temp_directory_path() / ("cinerec-i64-" + std::to_string(::getpid()) + ".safetensors");
  std::string header = R"({"t":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}})";
  header.append((8 - header.size() % 8) % 8, ' ');
  {
    std::ofstream out(path, std::ios::binary);
    const std::uint64_t n = header.size();
    out.write(reinterpret_cast<const char*>(&n), 8);
    out << header << std::string(8, '\0');
  }
  auto t = local::SafeTensors::load(path.string());
  fs::remove(path);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("unsupported dtype I64"), std::string::npos) << t.error().message;
}

}  // namespace
}  // namespace cinerec
