#include "embed/dotenv.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "embed/config_source.h"

namespace cinerec {
namespace {

TEST(Dotenv, ParsesTheOriginalApiKeysFile) {
  auto r = parse_dotenv("openai_api_key=sk-abc123\ngemini_api_key=AIza-xyz\n", "api_keys.env");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].name, "openai_api_key");
  EXPECT_EQ((*r)[0].value, "sk-abc123");
  EXPECT_EQ((*r)[0].line, 1);
  EXPECT_EQ((*r)[1].name, "gemini_api_key");
  EXPECT_EQ((*r)[1].value, "AIza-xyz");
  EXPECT_EQ((*r)[1].line, 2);
}

TEST(Dotenv, ParsesCommentsQuotesExportAndCrlf) {
  const std::string text =
      "\xEF\xBB\xBF# comment\r\n"
      "\n"
      "export A=1\r\n"
      "B = spaced value   # trailing comment\n"
      "C=\"double \\\"quoted\\\"\\nline\"  # c\n"
      "D='single $HOME \\n'\n"
      "E=url#fragment\n"
      "F=\"multi\n"
      "line\"\n"
      "G=\n"
      "H=last\n";
  auto r = parse_dotenv(text, ".env");
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::map<std::string, std::pair<std::string, int>> got;
  for (const auto& e : *r) got[e.name] = {e.value, e.line};
  EXPECT_EQ(got["A"], std::make_pair(std::string("1"), 3));
  EXPECT_EQ(got["B"], std::make_pair(std::string("spaced value"), 4));
  EXPECT_EQ(got["C"], std::make_pair(std::string("double \"quoted\"\nline"), 5));
  EXPECT_EQ(got["D"], std::make_pair(std::string("single $HOME \\n"), 6));
  EXPECT_EQ(got["E"], std::make_pair(std::string("url#fragment"), 7));
  EXPECT_EQ(got["F"], std::make_pair(std::string("multi\nline"), 8));
  EXPECT_EQ(got["G"], std::make_pair(std::string(""), 10));
  EXPECT_EQ(got["H"], std::make_pair(std::string("last"), 11));
}

TEST(Dotenv, ErrorsSayFileAndLineButNeverTheValue) {
  struct Case {
    std::string text;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"A=1\nthis line has sk-secret-value\n", "x.env:2: expected '=' after the name"},
      // A key pasted alone on a line reads as a name without '=': it must not be echoed either.
      {"sk-secret-value\n", "x.env:1: expected '=' after the name"},
      {"export sk-secret-value # my key\n", "x.env:1: expected '=' after the name"},
      {"A=1\n\n=sk-secret-value\n", "x.env:3: expected NAME=value"},
      {"A=1\nB=\"sk-secret-value\n", "x.env:2: unterminated \"-quoted value of B"},
      {"B='sk-secret-value' trailing\n", "x.env:1: unexpected text after the quoted value of B"},
  };
  for (const auto& c : cases) {
    auto r = parse_dotenv(c.text, "x.env");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.error().message.rfind(c.expected, 0), 0u) << r.error().message;
    EXPECT_EQ(r.error().message.find("sk-secret-value"), std::string::npos) << r.error().message;
  }
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cinerec-dotenv-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  std::filesystem::path dir_;
};

using ConfigSourceTest = TempDir;

TEST_F(ConfigSourceTest, EnvironmentWinsThenFilesInOrderCaseInsensitively) {
  const auto env_file = write(".env", "OPENAI_BASE_URL=http://from-dotenv\nOPENAI_API_KEY=sk-dotenv\n");
  const auto keys_file = write("api_keys.env", "openai_api_key=sk-original\ngemini_api_key=g-key\ngemini_api_key=g-key-2\n");
  EnvLookup env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "OPENAI_BASE_URL") return "http://from-env";
    return std::nullopt;
  };
  auto config = ConfigSource::load(env, {env_file, keys_file, dir_ / "missing.env"});
  ASSERT_TRUE(config.ok()) << config.error().message;
  auto base = config->get("OPENAI_BASE_URL");
  ASSERT_TRUE(base);
  EXPECT_EQ(base->value, "http://from-env");
  EXPECT_EQ(base->origin, "environment");
  auto key = config->get("OPENAI_API_KEY");
  ASSERT_TRUE(key);
  EXPECT_EQ(key->value, "sk-dotenv");
  EXPECT_EQ(key->origin, env_file.string() + ":2");
  auto gemini = config->get("GEMINI_API_KEY");
  ASSERT_TRUE(gemini);
  EXPECT_EQ(gemini->value, "g-key-2");  // the last assignment in a file wins
  EXPECT_EQ(gemini->origin, keys_file.string() + ":3");
  EXPECT_FALSE(config->get("TEI_BASE_URL"));
}

TEST_F(ConfigSourceTest, MalformedFileFailsWithPathAndLine) {
  const auto bad = write("api_keys.env", "openai_api_key=sk-1\nnonsense sk-2\n");
  auto config = ConfigSource::load([](const std::string&) { return std::nullopt; }, {bad});
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message.rfind(bad.string() + ":2: ", 0), 0u) << config.error().message;
  EXPECT_EQ(config.error().message.find("sk-"), std::string::npos);
}

TEST_F(ConfigSourceTest, DefaultFilesHonourCinerecEnvFile) {
  EnvLookup none = [](const std::string&) { return std::nullopt; };
  EXPECT_EQ(ConfigSource::default_files(none),
            (std::vector<std::filesystem::path>{".env", "api_keys.env"}));
  EnvLookup some = [](const std::string& n) -> std::optional<std::string> {
    if (n == "CINEREC_ENV_FILE") return "/etc/cinerec.env";
    return std::nullopt;
  };
  EXPECT_EQ(ConfigSource::default_files(some), (std::vector<std::filesystem::path>{"/etc/cinerec.env"}));
}

}  // namespace
}  // namespace cinerec
