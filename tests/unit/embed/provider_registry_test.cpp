#include "embed/provider_registry.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>

#include "fake_server.h"

namespace cinerec {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::fake_vector;
using testing::FakeServer;
using testing::RecordedRequest;

const std::string kOpenAIKey = "sk-REGISTRY-openai-key-123456";
const std::string kGeminiKey = "AIza-REGISTRY-gemini-key-7890";

ConfigSource config_with(std::map<std::string, std::string> env,
                         std::vector<std::pair<std::string, std::vector<DotenvEntry>>> files = {}) {
  return ConfigSource(
      [env](const std::string& name) -> std::optional<std::string> {
        auto it = env.find(name);
        if (it == env.end()) return std::nullopt;
        return it->second;
      },
      std::move(files));
}

EmbedderChoice pick(std::string provider, std::string model = {}, std::optional<int> dims = {}) {
  EmbedderChoice choice;
  choice.provider = std::move(provider);
  choice.model = std::move(model);
  choice.dimensions = dims;
  return choice;
}

HttpOptions quiet_http() {
  HttpOptions o;
  o.sleep = [](std::chrono::milliseconds) {};
  o.log = [](const std::string&) {};
  return o;
}

TEST(ProviderRegistry, KnowsTheRemoteProviders) {
  EXPECT_EQ(remote_provider_names(),
            (std::vector<std::string>{"openai", "gemini", "openai-compatible", "ollama", "tei"}));
}

TEST(ProviderRegistry, UnknownProviderListsTheKnownOnes) {
  auto e = make_embedder(pick("cohere"), config_with({}));
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message,
            "unknown embedding provider \"cohere\" (known: openai, gemini, openai-compatible, ollama, tei, local)");
}

TEST(ProviderRegistry, MissingSettingsNameTheVariableToSet) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"openai", "openai: not configured, set OPENAI_API_KEY (see `cinerec providers`)"},
      {"gemini", "gemini: not configured, set GEMINI_API_KEY (see `cinerec providers`)"},
      {"openai-compatible",
       "openai-compatible: not configured, set OPENAI_COMPATIBLE_BASE_URL and OPENAI_COMPATIBLE_MODEL (or "
       "--model) (see `cinerec providers`)"},
      {"tei", "tei: not configured, set TEI_BASE_URL (see `cinerec providers`)"},
  };
  for (const auto& [name, expected] : cases) {
    auto e = make_embedder(pick(name), config_with({}));
    ASSERT_FALSE(e.ok()) << name;
    EXPECT_EQ(e.error().message, expected);
  }
  // Ollama has working defaults (a local server), so it builds without any setting.
  auto ollama = make_embedder(pick("ollama"), config_with({}));
  ASSERT_TRUE(ollama.ok()) << ollama.error().message;
  EXPECT_EQ((*ollama)->model(), "nomic-embed-text");
}

TEST(ProviderRegistry, OpenAIFromEnvironmentTalksToOpenAIBaseUrl) {
  FakeServer server;
  server.on("POST", "/v1/embeddings", [](const RecordedRequest& req, httplib::Response& res) {
    const json body = json::parse(req.body);
    json data = json::array();
    for (std::size_t i = 0; i < body["input"].size(); ++i)
      data.push_back({{"index", i}, {"embedding", fake_vector(body["input"][i], 3)}});
    res.set_content(json{{"data", data}}.dump(), "application/json");
  });
  auto config = config_with({{"OPENAI_API_KEY", kOpenAIKey},
                             {"OPENAI_BASE_URL", server.base_url() + "/v1"},
                             {"OPENAI_EMBED_DIMENSIONS", "3"}});
  auto e = make_embedder(pick("openai"), config, quiet_http());
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ((*e)->provider(), "openai");
  EXPECT_EQ((*e)->model(), "text-embedding-3-small@3");
  EXPECT_EQ((*e)->dimension(), 3u);
  auto r = (*e)->embed({"hola"}, EmbedPurpose::Query);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0], fake_vector("hola", 3));
  auto req = server.requests().at(0);
  EXPECT_EQ(req.headers["authorization"], "Bearer " + kOpenAIKey);
  EXPECT_EQ(json::parse(req.body)["dimensions"], 3);

  // --model and --dimensions override the environment.
  auto other = make_embedder(pick("openai", "text-embedding-3-large", 256), config, quiet_http());
  ASSERT_TRUE(other.ok());
  EXPECT_EQ((*other)->model(), "text-embedding-3-large@256");
  EXPECT_EQ((*other)->dimension(), 256u);
}

TEST(ProviderRegistry, OriginalApiKeysFileConfiguresOpenAIAndGemini) {
  auto config = config_with({}, {{"api_keys.env",
                                  {{"openai_api_key", kOpenAIKey, 1}, {"gemini_api_key", kGeminiKey, 2}}}});
  auto openai = make_embedder(pick("openai"), config);
  ASSERT_TRUE(openai.ok()) << openai.error().message;
  auto gemini = make_embedder(pick("gemini"), config);
  ASSERT_TRUE(gemini.ok()) << gemini.error().message;
  EXPECT_EQ((*gemini)->model(), "gemini-embedding-001");
  EXPECT_EQ((*gemini)->dimension(), 3072u);
}

TEST(ProviderRegistry, HttpSettingsApply) {
  FakeServer server;
  server.on("POST", "/v1/embeddings", [](const RecordedRequest&, httplib::Response& res) {
    res.status = 503;
    res.set_content(R"({"error":{"message":"busy"}})", "application/json");
  });
  auto config = config_with({{"OPENAI_COMPATIBLE_BASE_URL", server.base_url()},
                             {"OPENAI_COMPATIBLE_MODEL", "bge-m3"},
                             {"CINEREC_HTTP_MAX_ATTEMPTS", "2"},
                             {"CINEREC_HTTP_TIMEOUT", "2.5"}});
  auto e = make_embedder(pick("openai-compatible"), config, quiet_http());
  ASSERT_TRUE(e.ok()) << e.error().message;
  auto r = (*e)->embed({"x"}, EmbedPurpose::Document);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("gave up after 2 attempts"), std::string::npos) << r.error().message;
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(ProviderRegistry, BadNumbersAndModelNamesAreErrors) {
  auto bad_dims = make_embedder(pick("openai"), config_with({{"OPENAI_API_KEY", kOpenAIKey},
                                                         {"OPENAI_EMBED_DIMENSIONS", "many"}}));
  ASSERT_FALSE(bad_dims.ok());
  EXPECT_EQ(bad_dims.error().message,
            "OPENAI_EMBED_DIMENSIONS (environment): expected a positive integer, got \"many\"");
  auto bad_timeout = make_embedder(pick("ollama"), config_with({{"CINEREC_HTTP_TIMEOUT", "-1"}}));
  ASSERT_FALSE(bad_timeout.ok());
  EXPECT_EQ(bad_timeout.error().message, "CINEREC_HTTP_TIMEOUT (environment): expected seconds > 0, got \"-1\"");
  auto bad_model = make_embedder(pick("gemini", "../../v1/files?x=1"), config_with({{"GEMINI_API_KEY", kGeminiKey}}));
  ASSERT_FALSE(bad_model.ok());
  EXPECT_EQ(bad_model.error().message, "gemini: invalid model name \"../../v1/files?x=1\" (--model)");
}

TEST(ProviderRegistry, DescribeProvidersShowsStatusAndOriginsButNeverKeys) {
  auto config = config_with({{"OPENAI_API_KEY", kOpenAIKey},
                             {"OPENAI_BASE_URL", "https://user:pw@proxy.example/v1"},
                             {"TEI_BASE_URL", "http://tei:8080"}},
                            {{"api_keys.env", {{"gemini_api_key", kGeminiKey, 2}}}});
  auto statuses = describe_providers(config);
  ASSERT_EQ(statuses.size(), 6u);  // the five remote providers and local
  std::map<std::string, ProviderStatus> by_name;
  std::string everything;
  for (const auto& s : statuses) {
    by_name[s.name] = s;
    everything += s.name + s.summary;
    for (const auto& m : s.missing) everything += m;
    for (const auto& [k, v] : s.details) everything += k + "=" + v + "\n";
  }
  EXPECT_EQ(everything.find(kOpenAIKey), std::string::npos);
  EXPECT_EQ(everything.find(kGeminiKey), std::string::npos);
  EXPECT_EQ(everything.find("pw@"), std::string::npos);

  const auto detail = [&](const std::string& provider, const std::string& key) {
    for (const auto& [k, v] : by_name[provider].details)
      if (k == key) return v;
    return std::string("<none>");
  };
  EXPECT_TRUE(by_name["openai"].configured);
  EXPECT_EQ(detail("openai", "api key"), "set (environment)");
  EXPECT_EQ(detail("openai", "base URL"), "https://proxy.example/v1 (environment)");
  EXPECT_EQ(detail("openai", "model"), "text-embedding-3-small (default)");
  EXPECT_TRUE(by_name["gemini"].configured);
  EXPECT_EQ(detail("gemini", "api key"), "set (api_keys.env:2)");
  EXPECT_FALSE(by_name["openai-compatible"].configured);
  EXPECT_EQ(by_name["openai-compatible"].missing,
            (std::vector<std::string>{"OPENAI_COMPATIBLE_BASE_URL", "OPENAI_COMPATIBLE_MODEL (or --model)"}));
  EXPECT_EQ(detail("openai-compatible", "api key"), "not set (optional)");
  EXPECT_TRUE(by_name["ollama"].configured);
  EXPECT_EQ(detail("ollama", "base URL"), "http://localhost:11434 (default)");
  EXPECT_TRUE(by_name["tei"].configured);
  EXPECT_EQ(detail("tei", "model"), "asked from the server (GET /info)");

  auto none = describe_providers(config_with({}));
  EXPECT_FALSE(none[0].configured);
  EXPECT_EQ(none[0].missing, std::vector<std::string>{"OPENAI_API_KEY"});
}

}  // namespace
}  // namespace cinerec
