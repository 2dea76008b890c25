#include "embed/gemini_embedder.h"

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

const std::string kKey = "AIzaSy-TESTKEY-gemini-0123456789";
const std::string kPath = "/v1beta/models/gemini-embedding-001:batchEmbedContents";

// A fake batchEmbedContents: the vector depends on the text and the task type, so a test can tell
// a query embedding from a document one.
FakeServer::Handler gemini_handler(std::size_t dim) {
  return [dim](const RecordedRequest& req, httplib::Response& res) {
    const json body = json::parse(req.body);
    json embeddings = json::array();
    for (const auto& r : body.at("requests")) {
      const std::string text = r.at("content").at("parts").at(0).at("text");
      embeddings.push_back({{"values", fake_vector(r.at("taskType").get<std::string>() + "|" + text, dim)}});
    }
    res.set_content(json{{"embeddings", embeddings}}.dump(), "application/json");
  };
}

GeminiConfig config_for(const FakeServer& server, std::vector<std::chrono::milliseconds>* sleeps = nullptr) {
  GeminiConfig c;
  c.base_url = server.base_url();
  c.api_key = kKey;
  c.dimensions = 4;
  c.http.timeout = 5s;
  c.http.sleep = [sleeps](std::chrono::milliseconds d) {
    if (sleeps) sleeps->push_back(d);
  };
  c.http.log = [](const std::string&) {};
  return c;
}

TEST(GeminiEmbedder, SendsTaskTypesAndTheKeyInAHeader) {
  FakeServer server;
  server.on("POST", kPath, gemini_handler(4));
  GeminiEmbedder e(config_for(server));
  EXPECT_EQ(e.provider(), "gemini");
  EXPECT_EQ(e.model(), "gemini-embedding-001@4");

  auto docs = e.embed({"El padrino", "Amélie"}, EmbedPurpose::Document);
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  EXPECT_EQ((*docs)[0], fake_vector("RETRIEVAL_DOCUMENT|El padrino", 4));
  EXPECT_EQ((*docs)[1], fake_vector("RETRIEVAL_DOCUMENT|Amélie", 4));
  auto query = e.embed({"película de un pianista"}, EmbedPurpose::Query);
  ASSERT_TRUE(query.ok()) << query.error().message;
  EXPECT_EQ((*query)[0], fake_vector("RETRIEVAL_QUERY|película de un pianista", 4));

  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  for (const auto& r : reqs) {
    EXPECT_EQ(r.path, kPath);
    EXPECT_EQ(r.query, "");  // never ?key=…
    EXPECT_EQ(r.headers.at("x-goog-api-key"), kKey);
    EXPECT_EQ(r.headers.count("authorization"), 0u);
  }
  const json body = json::parse(reqs[0].body);
  ASSERT_EQ(body["requests"].size(), 2u);
  EXPECT_EQ(body["requests"][0]["model"], "models/gemini-embedding-001");
  EXPECT_EQ(body["requests"][0]["taskType"], "RETRIEVAL_DOCUMENT");
  EXPECT_EQ(body["requests"][0]["outputDimensionality"], 4);
  EXPECT_EQ(body["requests"][0]["content"]["parts"][0]["text"], "El padrino");
  EXPECT_EQ(json::parse(reqs[1].body)["requests"][0]["taskType"], "RETRIEVAL_QUERY");
}

TEST(GeminiEmbedder, BatchesAtAHundredRequests) {
  FakeServer server;
  server.on("POST", kPath, gemini_handler(4));
  GeminiEmbedder e(config_for(server));
  std::vector<std::string> texts;
  for (int i = 0; i < 250; ++i) texts.push_back("movie " + std::to_string(i));
  auto r = e.embed(texts, EmbedPurpose::Document);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[249], fake_vector("RETRIEVAL_DOCUMENT|movie 249", 4));
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);
  EXPECT_EQ(json::parse(reqs[0].body)["requests"].size(), 100u);
  EXPECT_EQ(json::parse(reqs[2].body)["requests"].size(), 50u);
}

TEST(GeminiEmbedder, ModelsPrefixIsAccepted) {
  FakeServer server;
  server.on("POST", "/v1beta/models/text-embedding-004:batchEmbedContents", gemini_handler(768));
  GeminiConfig c = config_for(server);
  c.model = "models/text-embedding-004";
  c.dimensions.reset();
  GeminiEmbedder e(c);
  EXPECT_EQ(e.model(), "text-embedding-004");
  EXPECT_EQ(e.dimension(), 768u);
  ASSERT_TRUE(e.embed({"x"}, EmbedPurpose::Query).ok());
  EXPECT_FALSE(json::parse(server.requests().at(0).body)["requests"][0].contains("outputDimensionality"));
}

TEST(GeminiEmbedder, ErrorsCarryTheApiMessageButNotTheKey) {
  FakeServer server;
  server.on("POST", kPath, [](const RecordedRequest&, httplib::Response& res) {
    res.status = 400;
    res.set_content(R"({"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}})",
                    "application/json");
  });
  GeminiEmbedder e(config_for(server));
  auto r = e.embed({"x"}, EmbedPurpose::Document);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("HTTP 400: API key not valid. Please pass a valid API key."), std::string::npos)
      << r.error().message;
  EXPECT_EQ(r.error().message.find(kKey), std::string::npos);
}

TEST(GeminiEmbedder, Retries429ThenSucceeds) {
  FakeServer server;
  auto calls = std::make_shared<std::atomic<int>>(0);
  auto ok = gemini_handler(4);
  server.on("POST", kPath, [calls, ok](const RecordedRequest& req, httplib::Response& res) {
    if (calls->fetch_add(1) == 0) {
      res.status = 429;
      res.set_header("Retry-After", "1");
      res.set_content(R"({"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED"}})",
                      "application/json");
      return;
    }
    ok(req, res);
  });
  std::vector<std::chrono::milliseconds> sleeps;
  GeminiEmbedder e(config_for(server, &sleeps));
  ASSERT_TRUE(e.embed({"x"}, EmbedPurpose::Document).ok());
  EXPECT_EQ(sleeps, std::vector<std::chrono::milliseconds>{1000ms});
}

TEST(GeminiEmbedder, WrongShapesAndDimensionsAreErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"embedding":{"values":[1,2,3,4]}})", "response has no \"embeddings\" array"},
      {R"({"embeddings":[{"values":[1,2,3]}]})", "returned 3 dimensions for input 0, expected 4"},
      {R"({"embeddings":[{}]})", "embeddings[0].values is missing"},
      {R"({"embeddings":[{"values":[1,2,3,4]},{"values":[1,2,3,4]}]})", "asked for 1 embeddings, got 2"},
      {"not json", "response is not valid JSON"},
  };
  for (const auto& [body, expected] : cases) {
    FakeServer server;
    server.on("POST", kPath, [body](const RecordedRequest&, httplib::Response& res) {
      res.set_content(body, "application/json");
    });
    GeminiEmbedder e(config_for(server));
    auto r = e.embed({"x"}, EmbedPurpose::Document);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_NE(r.error().message.find(expected), std::string::npos) << r.error().message;
  }
}

}  // namespace
}  // namespace cinerec
