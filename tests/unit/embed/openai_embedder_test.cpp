#include "embed/openai_embedder.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>

#include "fake_server.h"

namespace cinerec {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::fake_vector;
using testing::FakeServer;
using testing::RecordedRequest;

const std::string kKey = "sk-proj-TESTKEY-abcdefghijklmnop";

// A fake /v1/embeddings: answers each input with fake_vector(input, dim), items in reverse order
// (allowed by the protocol, which carries an index) to prove the client sorts by index.
FakeServer::Handler openai_handler(std::size_t dim) {
  return [dim](const RecordedRequest& req, httplib::Response& res) {
    const json body = json::parse(req.body);
    json data = json::array();
    const auto& input = body.at("input");
    for (std::size_t i = input.size(); i-- > 0;) {
      data.push_back({{"object", "embedding"}, {"index", i},
                      {"embedding", fake_vector(input[i].get<std::string>(), dim)}});
    }
    json out = {{"object", "list"}, {"data", data}, {"model", body.at("model")},
                {"usage", {{"prompt_tokens", 1}, {"total_tokens", 1}}}};
    res.set_content(out.dump(), "application/json");
  };
}

struct Captured {
  std::vector<std::chrono::milliseconds> sleeps;
  std::vector<std::string> logs;
};

OpenAIConfig config_for(const FakeServer& server, Captured& cap) {
  OpenAIConfig c;
  c.base_url = server.base_url();
  c.api_key = kKey;
  c.model = "text-embedding-3-small";
  c.dimensions = 8;
  c.http.timeout = 5s;
  c.http.sleep = [&cap](std::chrono::milliseconds d) { cap.sleeps.push_back(d); };
  c.http.log = [&cap](const std::string& l) { cap.logs.push_back(l); };
  return c;
}

TEST(OpenAIEmbedder, SendsTheOpenAIRequestAndReturnsVectorsInOrder) {
  FakeServer server;
  server.on("POST", "/v1/embeddings", openai_handler(8));
  Captured cap;
  OpenAIEmbedder e(config_for(server, cap));
  EXPECT_EQ(e.provider(), "openai");
  // Vectors of a shortened model are stored apart from full-size ones.
  EXPECT_EQ(e.model(), "text-embedding-3-small@8");
  EXPECT_EQ(e.dimension(), 8u);
  const std::vector<std::string> texts = {"El padrino\nUna familia mafiosa", "Salvar al soldado Ryan\r\nGuerra",
                                          "Amélie"};
  auto r = e.embed(texts, EmbedPurpose::Document);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  // The server saw newlines replaced by spaces, and answered for what it saw.
  EXPECT_EQ((*r)[0], fake_vector("El padrino Una familia mafiosa", 8));
  EXPECT_EQ((*r)[1], fake_vector("Salvar al soldado Ryan Guerra", 8));
  EXPECT_EQ((*r)[2], fake_vector("Amélie", 8));

  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].path, "/v1/embeddings");
  EXPECT_EQ(reqs[0].query, "");
  EXPECT_EQ(reqs[0].headers["authorization"], "Bearer " + kKey);
  EXPECT_EQ(reqs[0].headers["content-type"], "application/json");
  const json body = json::parse(reqs[0].body);
  EXPECT_EQ(body["model"], "text-embedding-3-small");
  EXPECT_EQ(body["dimensions"], 8);
  EXPECT_EQ(body["encoding_format"], "float");
  EXPECT_EQ(body["input"], json({"El padrino Una familia mafiosa", "Salvar al soldado Ryan Guerra", "Amélie"}));
  EXPECT_TRUE(cap.logs.empty());
}

TEST(OpenAIEmbedder, BatchesByInputCountAndTokenBudget) {
  FakeServer server;
  server.on("POST", "/v1/embeddings", openai_handler(4));
  Captured cap;
  OpenAIConfig c = config_for(server, cap);
  c.dimensions = 4;
  c.limits = {2, 1000};
  OpenAIEmbedder by_count(c);
  std::vector<std::string> texts;
  for (int i = 0; i < 5; ++i) texts.push_back("movie " + std::to_string(i));
  auto r = by_count.embed(texts, EmbedPurpose::Document);
  ASSERT_TRUE(r.ok()) << r.error().message;
  for (int i = 0; i < 5; ++i) EXPECT_EQ((*r)[i], fake_vector(texts[i], 4)) << i;
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(json::parse(reqs[0].body)["input"].size(), 2u);
  EXPECT_EQ(json::parse(reqs[1].body)["input"].size(), 2u);
  EXPECT_EQ(json::parse(reqs[2].body)["input"].size(), 1u);

  c.limits = {100, 30};  // each 60-byte text is ~21 estimated tokens: one per request
  OpenAIEmbedder by_tokens(c);
  std::vector<std::string> long_texts(3, std::string(60, 'x'));
  ASSERT_TRUE(by_tokens.embed(long_texts, EmbedPurpose::Document).ok());
  EXPECT_EQ(server.requests().size(), 3u + 3u);
}

TEST(OpenAIEmbedder, BaseUrlMayIncludeV1) {
  FakeServer server;
  server.on("POST", "/v1/embeddings", openai_handler(8));
  Captured cap;
  OpenAIConfig c = config_for(server, cap);
  c.base_url = server.base_url() + "/v1/";
  OpenAIEmbedder e(c);
  EXPECT_EQ(e.endpoint(), server.base_url() + "/v1/embeddings");
  ASSERT_TRUE(e.embed({"x"}, EmbedPurpose::Query).ok());
}

TEST(OpenAIEmbedder, RetriesA429WithRetryAfterThenSucceeds) {
  FakeServer server;
  auto calls = std::make_shared<std::atomic<int>>(0);
  auto ok = openai_handler(8);
  server.on("POST", "/v1/embeddings", [calls, ok](const RecordedRequest& req, httplib::Response& res) {
    if (calls->fetch_add(1) == 0) {
      res.status = 429;
      res.set_header("Retry-After", "2");
      res.set_content(R"({"error":{"message":"Rate limit reached for requests","type":"requests"}})",
                      "application/json");
      return;
    }
    ok(req, res);
  });
  Captured cap;
  OpenAIEmbedder e(config_for(server, cap));
  auto r = e.embed({"a", "b"}, EmbedPurpose::Document);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[1], fake_vector("b", 8));
  EXPECT_EQ(cap.sleeps, std::vector<std::chrono::milliseconds>{2000ms});
  ASSERT_EQ(cap.logs.size(), 1u);
  EXPECT_NE(cap.logs[0].find("Rate limit reached"), std::string::npos);
  // Both attempts carried the same request.
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].body, reqs[1].body);
}

TEST(OpenAIEmbedder, Retries500ThenSucceeds) {
  FakeServer server;
  auto calls = std::make_shared<std::atomic<int>>(0);
  auto ok = openai_handler(8);
  server.on("POST", "/v1/embeddings", [calls, ok](const RecordedRequest& req, httplib::Response& res) {
    if (calls->fetch_add(1) == 0) {
      res.status = 500;
      res.set_content(R"({"error":{"message":"The server had an error"}})", "application/json");
      return;
    }
    ok(req, res);
  });
  Captured cap;
  OpenAIEmbedder e(config_for(server, cap));
  auto r = e.embed({"a"}, EmbedPurpose::Document);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(cap.sleeps.size(), 1u);
  EXPECT_EQ(calls->load(), 2);
}

TEST(OpenAIEmbedder, UnauthorizedFailsAtOnceWithTheApiMessageAndNoKey) {
  FakeServer server;
  server.on("POST", "/v1/embeddings", [](const RecordedRequest&, httplib::Response& res) {
    res.status = 401;
    res.set_content(R"({"error":{"message":"Incorrect API key provided: sk-proj-****mnop. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","code":"invalid_api_key"}})",
                    "application/json");
  });
  Captured cap;
  OpenAIEmbedder e(config_for(server, cap));
  auto r = e.embed({"a"}, EmbedPurpose::Document);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(server.requests().size(), 1u);
  const std::string& m = r.error().message;
  EXPECT_EQ(m.rfind("openai: POST " + server.base_url() + "/v1/embeddings: HTTP 401: Incorrect API key provided", 0), 0u) << m;
  EXPECT_EQ(m.find(kKey), std::string::npos);
  EXPECT_EQ(m.find("TESTKEY"), std::string::npos);
  EXPECT_TRUE(cap.sleeps.empty());
}

TEST(OpenAIEmbedder, TimeoutIsAnError) {
  FakeServer server;
  server.on("POST", "/v1/embeddings", [&server](const RecordedRequest&, httplib::Response& res) {
    server.hang();
  });
  Captured cap;
  OpenAIConfig c = config_for(server, cap);
  c.http.timeout = 150ms;
  c.http.retry.max_attempts = 2;
  OpenAIEmbedder e(c);
  auto r = e.embed({"a"}, EmbedPurpose::Document);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("timed out"), std::string::npos) << r.error().message;
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(OpenAIEmbedder, MalformedJsonIsAnError) {
  FakeServer server;
  server.on("POST", "/v1/embeddings", [](const RecordedRequest&, httplib::Response& res) {
    res.set_content(R"({"data": [{"embedding": [0.1, 0.2,)", "application/json");
  });
  Captured cap;
  OpenAIEmbedder e(config_for(server, cap));
  auto r = e.embed({"a"}, EmbedPurpose::Document);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.rfind("openai: response is not valid JSON (byte 35): ", 0), 0u) << r.error().message;
}

TEST(OpenAIEmbedder, ANumberBeyondADoubleIsAnErrorNotACrash) {
  FakeServer server;
  server.on("POST", "/v1/embeddings", [](const RecordedRequest&, httplib::Response& res) {
    res.set_content(R"({"data": [{"index": 0, "embedding": [0.1, 1e999]}]})", "application/json");
  });
  Captured cap;
  OpenAIEmbedder e(config_for(server, cap));
  auto r = e.embed({"a"}, EmbedPurpose::Document);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("number overflow parsing '1e999'"), std::string::npos) << r.error().message;
}

TEST(OpenAIEmbedder, ResponsesOfTheWrongShapeAreErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"object":"list"})", "response has no \"data\" array"},
      {R"({"data":[]})", "asked for 1 embeddings, got 0"},
      {R"({"data":[{"index":0}]})", "data[0].embedding is missing"},
      {R"({"data":[{"index":5,"embedding":[1]}]})", "data[0].index is out of range"},
      {R"({"data":[{"index":0,"embedding":[1,"x",3,4,5,6,7,8]}]})", "data[0].embedding[1] is not a number"},
      {R"({"data":[{"index":0,"embedding":[0,0,0,0,0,0,0,0]}]})", "zero vector returned for input 0"},
  };
  for (const auto& [body, expected] : cases) {
    FakeServer server;
    server.on("POST", "/v1/embeddings", [body](const RecordedRequest&, httplib::Response& res) {
      res.set_content(body, "application/json");
    });
    Captured cap;
    OpenAIEmbedder e(config_for(server, cap));
    auto r = e.embed({"a"}, EmbedPurpose::Document);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_NE(r.error().message.find(expected), std::string::npos) << r.error().message;
  }
}

TEST(OpenAIEmbedder, WrongDimensionIsAnError) {
  FakeServer server;
  server.on("POST", "/v1/embeddings", openai_handler(5));  // asked for 8
  Captured cap;
  OpenAIEmbedder e(config_for(server, cap));
  auto r = e.embed({"a", "b"}, EmbedPurpose::Document);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "openai: model text-embedding-3-small@8 returned 5 dimensions for input 0, expected 8");
}

TEST(OpenAIEmbedder, KnownModelsHaveTheirDefaultDimension) {
  FakeServer server;
  server.on("POST", "/v1/embeddings", openai_handler(3));
  Captured cap;
  OpenAIConfig c = config_for(server, cap);
  c.dimensions.reset();
  OpenAIEmbedder e(c);
  EXPECT_EQ(e.dimension(), 1536u);
  EXPECT_EQ(e.model(), "text-embedding-3-small");
  auto r = e.embed({"a"}, EmbedPurpose::Document);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("returned 3 dimensions for input 0, expected 1536"), std::string::npos);
  EXPECT_FALSE(json::parse(server.requests().at(0).body).contains("dimensions"));
}

TEST(OpenAIEmbedder, EmptyInputsAreRefusedBeforeAnyRequest) {
  FakeServer server;
  server.on("POST", "/v1/embeddings", openai_handler(8));
  Captured cap;
  OpenAIEmbedder e(config_for(server, cap));
  auto r = e.embed({"ok", "  \n"}, EmbedPurpose::Document);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "openai: input 1 is empty");
  EXPECT_TRUE(server.requests().empty());
  auto none = e.embed({}, EmbedPurpose::Document);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(ModelId, NamesNonDefaultDimensions) {
  EXPECT_EQ(model_id("text-embedding-3-small", std::nullopt, 1536), "text-embedding-3-small");
  EXPECT_EQ(model_id("text-embedding-3-small", 1536, 1536), "text-embedding-3-small");
  EXPECT_EQ(model_id("text-embedding-3-small", 256, 1536), "text-embedding-3-small@256");
  EXPECT_EQ(model_id("bge-m3", 1024, 0), "bge-m3@1024");
}

TEST(OpenAICompatible, LearnsTheDimensionAndSendsNoKeyWhenNoneIsSet) {
  FakeServer server;
  server.on("POST", "/v1/embeddings", openai_handler(6));
  Captured cap;
  OpenAIConfig c = config_for(server, cap);
  c.provider = "openai-compatible";
  c.api_key.clear();
  c.model = "nomic-embed-text-v1.5.Q8_0.gguf";
  c.dimensions.reset();
  OpenAIEmbedder e(c);
  EXPECT_EQ(e.provider(), "openai-compatible");
  EXPECT_EQ(e.dimension(), 0u);
  auto r = e.embed({"a", "b"}, EmbedPurpose::Query);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(e.dimension(), 6u);
  auto reqs = server.requests();
  EXPECT_EQ(reqs.at(0).headers.count("authorization"), 0u);
  EXPECT_EQ(json::parse(reqs.at(0).body)["model"], "nomic-embed-text-v1.5.Q8_0.gguf");
}

TEST(OpenAICompatible, DimensionChangingBetweenCallsIsAnError) {
  FakeServer server;
  auto calls = std::make_shared<std::atomic<int>>(0);
  server.on("POST", "/v1/embeddings", [calls](const RecordedRequest& req, httplib::Response& res) {
    openai_handler(calls->fetch_add(1) == 0 ? 6 : 7)(req, res);
  });
  Captured cap;
  OpenAIConfig c = config_for(server, cap);
  c.provider = "openai-compatible";
  c.dimensions.reset();
  OpenAIEmbedder e(c);
  ASSERT_TRUE(e.embed({"a"}, EmbedPurpose::Document).ok());
  auto r = e.embed({"b"}, EmbedPurpose::Document);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("returned 7 dimensions for input 0, expected 6"), std::string::npos);
}

}  // namespace
}  // namespace cinerec
