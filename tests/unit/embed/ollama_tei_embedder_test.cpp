// Ollama's /api/embed and Hugging Face TEI's /embed against fakes of each.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>

#include "embed/ollama_embedder.h"
#include "embed/tei_embedder.h"
#include "fake_server.h"

namespace cinerec {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::fake_vector;
using testing::FakeServer;
using testing::RecordedRequest;

HttpOptions quiet_http() {
  HttpOptions o;
  o.timeout = 5s;
  o.sleep = [](std::chrono::milliseconds) {};
  o.log = [](const std::string&) {};
  return o;
}

FakeServer::Handler ollama_handler(std::size_t dim) {
  return [dim](const RecordedRequest& req, httplib::Response& res) {
    const json body = json::parse(req.body);
    json embeddings = json::array();
    for (const auto& t : body.at("input")) embeddings.push_back(fake_vector(t.get<std::string>(), dim));
    res.set_content(json{{"model", body.at("model")}, {"embeddings", embeddings}}.dump(), "application/json");
  };
}

FakeServer::Handler tei_handler(std::size_t dim) {
  return [dim](const RecordedRequest& req, httplib::Response& res) {
    const json body = json::parse(req.body);
    json out = json::array();
    for (const auto& t : body.at("inputs")) out.push_back(fake_vector(t.get<std::string>(), dim));
    res.set_content(out.dump(), "application/json");
  };
}

TEST(OllamaEmbedder, SpeaksApiEmbed) {
  FakeServer server;
  server.on("POST", "/api/embed", ollama_handler(5));
  OllamaConfig c;
  c.host = "127.0.0.1:" + std::to_string(server.port());  // OLLAMA_HOST style, no scheme
  c.model = "nomic-embed-text";
  c.limits.max_inputs = 2;
  c.http = quiet_http();
  OllamaEmbedder e(c);
  EXPECT_EQ(e.endpoint(), server.base_url() + "/api/embed");
  auto r = e.embed({"uno", "dos", "tres"}, EmbedPurpose::Document);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[2], fake_vector("tres", 5));
  EXPECT_EQ(e.dimension(), 5u);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  const json body = json::parse(reqs[0].body);
  EXPECT_EQ(body["model"], "nomic-embed-text");
  EXPECT_EQ(body["input"], json({"uno", "dos"}));
  EXPECT_FALSE(body.contains("dimensions"));
  EXPECT_EQ(reqs[0].headers.count("authorization"), 0u);
}

TEST(OllamaEmbedder, ReportsOllamasErrorMessage) {
  FakeServer server;
  server.on("POST", "/api/embed", [](const RecordedRequest&, httplib::Response& res) {
    res.status = 404;
    res.set_content(R"({"error":"model \"nomic-embed-text\" not found, try pulling it first"})", "application/json");
  });
  OllamaConfig c;
  c.host = server.base_url();
  c.http = quiet_http();
  OllamaEmbedder e(c);
  auto r = e.embed({"x"}, EmbedPurpose::Document);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("HTTP 404: model \"nomic-embed-text\" not found, try pulling it first"),
            std::string::npos)
      << r.error().message;
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(OllamaEmbedder, Retries500ThenSucceeds) {
  FakeServer server;
  auto calls = std::make_shared<std::atomic<int>>(0);
  auto ok = ollama_handler(3);
  server.on("POST", "/api/embed", [calls, ok](const RecordedRequest& req, httplib::Response& res) {
    if (calls->fetch_add(1) == 0) {
      res.status = 500;
      res.set_content(R"({"error":"llama runner process has terminated"})", "application/json");
      return;
    }
    ok(req, res);
  });
  OllamaConfig c;
  c.host = server.base_url();
  c.http = quiet_http();
  OllamaEmbedder e(c);
  ASSERT_TRUE(e.embed({"x"}, EmbedPurpose::Document).ok());
  EXPECT_EQ(calls->load(), 2);
}

TEST(TeiEmbedder, AsksInfoForTheModelAndSpeaksEmbed) {
  FakeServer server;
  server.on("GET", "/info", [](const RecordedRequest&, httplib::Response& res) {
    res.set_content(R"({"model_id":"intfloat/multilingual-e5-small","max_client_batch_size":2,"max_input_length":512})",
                    "application/json");
  });
  server.on("POST", "/embed", tei_handler(4));
  TeiConfig c;
  c.base_url = server.base_url() + "/";
  c.api_key = "tei-SECRET-token";
  c.http = quiet_http();
  auto e = TeiEmbedder::create(c);
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ((*e)->model(), "intfloat/multilingual-e5-small");
  EXPECT_EQ((*e)->provider(), "tei");
  EXPECT_EQ((*e)->limits().max_inputs, 2u);
  auto r = (*e)->embed({"a", "b", "c"}, EmbedPurpose::Query);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0], fake_vector("a", 4));
  EXPECT_EQ((*r)[2], fake_vector("c", 4));
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 3u);  // /info, then two /embed batches of at most 2
  EXPECT_EQ(reqs[0].path, "/info");
  EXPECT_EQ(reqs[1].path, "/embed");
  for (const auto& r : reqs) EXPECT_EQ(r.headers.at("authorization"), "Bearer tei-SECRET-token");
  const json body = json::parse(reqs[1].body);
  EXPECT_EQ(body["inputs"], json({"a", "b"}));
  EXPECT_EQ(body["truncate"], true);
}

TEST(TeiEmbedder, ConfiguredModelSkipsInfo) {
  FakeServer server;
  server.on("POST", "/embed", tei_handler(4));
  TeiConfig c;
  c.base_url = server.base_url();
  c.model = "BAAI/bge-m3";
  c.http = quiet_http();
  auto e = TeiEmbedder::create(c);
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ((*e)->model(), "BAAI/bge-m3");
  ASSERT_TRUE((*e)->embed({"x"}, EmbedPurpose::Document).ok());
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].headers.count("authorization"), 0u);
}

TEST(TeiEmbedder, InfoWithoutModelIdIsAnError) {
  FakeServer server;
  server.on("GET", "/info", [](const RecordedRequest&, httplib::Response& res) {
    res.set_content(R"({"version":"1.5"})", "application/json");
  });
  TeiConfig c;
  c.base_url = server.base_url();
  c.http = quiet_http();
  auto e = TeiEmbedder::create(c);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "tei: GET /info has no model_id; set TEI_MODEL or --model");
}

TEST(TeiEmbedder, TeiErrorsAndBadShapes) {
  FakeServer server;
  auto calls = std::make_shared<std::atomic<int>>(0);
  server.on("POST", "/embed", [calls](const RecordedRequest&, httplib::Response& res) {
    if (calls->fetch_add(1) == 0) {
      res.status = 413;
      res.set_content(R"({"error":"batch size 40 > maximum allowed batch size 32","error_type":"Validation"})",
                      "application/json");
    } else {
      res.set_content(R"({"embeddings":[[1,2]]})", "application/json");
    }
  });
  TeiConfig c;
  c.base_url = server.base_url();
  c.model = "m";
  c.http = quiet_http();
  auto e = TeiEmbedder::create(c);
  ASSERT_TRUE(e.ok());
  auto r1 = (*e)->embed({"x"}, EmbedPurpose::Document);
  ASSERT_FALSE(r1.ok());
  EXPECT_NE(r1.error().message.find("HTTP 413: batch size 40 > maximum allowed batch size 32"), std::string::npos)
      << r1.error().message;
  auto r2 = (*e)->embed({"x"}, EmbedPurpose::Document);
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().message, "tei: response is not an array of embeddings");
}

}  // namespace
}  // namespace cinerec
