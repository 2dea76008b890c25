// The local provider through the provider factory: settings, errors, and the same vectors as the
// embedder built directly.
#include <gtest/gtest.h>

#include <map>

#include "embed/local/local_embedder.h"
#include "embed/local/local_provider.h"
#include "embed/provider_registry.h"
#include "reference_models.h"

namespace cinerec {
namespace {

ConfigSource settings(std::map<std::string, std::string> env) {
  return ConfigSource(
      [env](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        if (it == env.end()) return std::nullopt;
        return it->second;
      },
      {});
}

EmbedderChoice local_choice(const std::string& model_dir = "") {
  EmbedderChoice c;
  c.provider = "local";
  c.model_dir = model_dir;
  return c;
}

TEST(LocalProvider, WithoutModelDirNamesTheSetting) {
  auto e = make_embedder(local_choice(), settings({}));
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("set CINEREC_LOCAL_MODEL_DIR (or --model-dir)"), std::string::npos)
      << e.error().message;
  const auto status = describe_local_provider(settings({}));
  EXPECT_FALSE(status.configured);
  EXPECT_EQ(status.missing, std::vector<std::string>{"CINEREC_LOCAL_MODEL_DIR (or --model-dir)"});
}

TEST(LocalProvider, RejectsABadThreadCount) {
  const auto dir = (local::testing::reference_models_dir() / "xlmr").string();
  auto e = make_embedder(local_choice(dir), settings({{"CINEREC_LOCAL_THREADS", "two"}}));
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("CINEREC_LOCAL_THREADS (environment): expected a positive integer"),
            std::string::npos)
      << e.error().message;
}

TEST(LocalProvider, FactoryBuildsTheModelOfTheSettingOrTheFlag) {
  const auto root = local::testing::reference_models_dir();
  ASSERT_FALSE(root.empty());
  const auto dir = (root / "xlmr").string();
  auto from_setting = make_embedder(local_choice(), settings({{"CINEREC_LOCAL_MODEL_DIR", dir}}));
  ASSERT_TRUE(from_setting.ok()) << from_setting.error().message;
  // The flag wins over the setting.
  auto from_flag = make_embedder(local_choice(dir), settings({{"CINEREC_LOCAL_MODEL_DIR", "/nonexistent"}}));
  ASSERT_TRUE(from_flag.ok()) << from_flag.error().message;
  EXPECT_EQ((*from_flag)->provider(), "local");
  EXPECT_EQ((*from_flag)->model(), "xlmr");
  EXPECT_EQ((*from_flag)->dimension(), 64u);

  LocalEmbedderOptions options;
  options.model_dir = dir;
  options.threads = 1;
  auto direct = LocalEmbedder::open(options);
  ASSERT_TRUE(direct.ok());
  const std::vector<std::string> texts{"Una película de piratas", "Drama en Sevilla"};
  auto a = (*from_flag)->embed(texts, EmbedPurpose::Query);
  auto b = (*direct)->embed(texts, EmbedPurpose::Query);
  ASSERT_TRUE(a.ok() && b.ok());
  for (std::size_t i = 0; i < texts.size(); ++i)
    for (std::size_t j = 0; j < 64; ++j) EXPECT_NEAR((*a)[i][j], (*b)[i][j], 1e-6);
}

TEST(LocalProvider, PrefixSettingsOverrideTheModelPrompts) {
  const auto root = local::testing::reference_models_dir();
  ASSERT_FALSE(root.empty());
  LocalEmbedderOptions options;
  options.model_dir = (root / "xlmr").string();
  options.threads = 1;
  auto model_prompts = LocalEmbedder::open(options);
  options.query_prefix = "";
  auto no_prompt = LocalEmbedder::open(options);
  ASSERT_TRUE(model_prompts.ok() && no_prompt.ok());
  // The generated model's config_sentence_transformers.json says "query: ".
  const auto with = (*model_prompts)->token_ids("cine", EmbedPurpose::Query);
  const auto without = (*no_prompt)->token_ids("cine", EmbedPurpose::Query);
  EXPECT_GT(with.size(), without.size());
  EXPECT_EQ((*no_prompt)->token_ids("query: cine", EmbedPurpose::Query), with);
}

TEST(LocalProvider, PrefixFlagsOverrideTheSettings) {
  const auto root = local::testing::reference_models_dir();
  ASSERT_FALSE(root.empty());
  const auto env = settings({{"CINEREC_LOCAL_QUERY_PREFIX", ""}, {"CINEREC_LOCAL_PASSAGE_PREFIX", "doc: "}});
  auto choice = local_choice((root / "xlmr").string());
  auto from_settings = make_embedder(choice, env);
  choice.query_prefix = "consulta: ";
  choice.passage_prefix = "";
  auto from_flags = make_embedder(choice, env);
  ASSERT_TRUE(from_settings.ok() && from_flags.ok());
  auto* settings_only = dynamic_cast<LocalEmbedder*>(from_settings->get());
  auto* flags = dynamic_cast<LocalEmbedder*>(from_flags->get());
  ASSERT_TRUE(settings_only && flags);
  EXPECT_EQ(flags->token_ids("cine", EmbedPurpose::Query), settings_only->token_ids("consulta: cine", EmbedPurpose::Query));
  EXPECT_EQ(settings_only->token_ids("cine", EmbedPurpose::Document), flags->token_ids("doc: cine", EmbedPurpose::Document));
}

}  // namespace
}  // namespace cinerec
