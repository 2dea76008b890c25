// Keys never appear in errors or logs, whatever a failing provider answers: every remote provider is
// pointed at a fake server that echoes the request's credentials (Authorization, x-goog-api-key,
// query string, body) back in its error bodies, under every kind of failure (4xx, 429 and 5xx with
// retries, garbage and wrong-shape 200s), and the error message plus every retry log line is searched
// for the key and for its distinctive middle part.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "embed/config_source.h"
#include "embed/http_client.h"
#include "embed/provider_registry.h"
#include "fake_server.h"

namespace cinerec {
namespace {

using testing::FakeServer;
using testing::RecordedRequest;

const std::string kSecretCore = "LEAKCHECK0123456789abcdefXYZ";

struct Provider {
  std::string name;
  std::string key;
  std::map<std::string, std::string> env;  // besides the key and base URL
  std::string key_var, base_var, base_suffix;
};

std::vector<Provider> providers() {
  return {
      {"openai", "sk-proj-" + kSecretCore, {}, "OPENAI_API_KEY", "OPENAI_BASE_URL", "/v1"},
      {"gemini", "AIza" + kSecretCore, {}, "GEMINI_API_KEY", "GEMINI_BASE_URL", ""},
      {"openai-compatible", "ck-" + kSecretCore, {{"OPENAI_COMPATIBLE_MODEL", "bge-m3"}},
       "OPENAI_COMPATIBLE_API_KEY", "OPENAI_COMPATIBLE_BASE_URL", ""},
      {"tei", "hf_" + kSecretCore, {{"TEI_MODEL", "bge-m3"}}, "TEI_API_KEY", "TEI_BASE_URL", ""},
  };
}

// What the server puts in every answer: everything the client sent that could carry the key.
std::string echo(const RecordedRequest& r) {
  std::string all;
  for (const auto& [k, v] : r.headers) all += k + ": " + v + "; ";
  return "request " + r.method + " " + r.path + "?" + r.query + " headers " + all + " body " + r.body.substr(0, 200);
}

struct Failure {
  std::string what;
  int status;
  bool json_error;  // {"error": {"message": echo}} vs raw text
};

const std::vector<Failure> kFailures = {
    {"400", 400, true}, {"401", 401, true},  {"403", 403, true},          {"404", 404, false},
    {"429", 429, true}, {"500", 500, false}, {"503", 503, true},          {"garbage 200", 200, false},
    {"wrong-shape 200", 200, true},
};

void expect_no_key(const std::string& text, const Provider& p, const std::string& context) {
  EXPECT_EQ(text.find(p.key), std::string::npos) << context << ": " << text;
  EXPECT_EQ(text.find(kSecretCore), std::string::npos) << context << ": " << text;
  EXPECT_EQ(text.find(kSecretCore.substr(4, 16)), std::string::npos) << context << ": " << text;
}

TEST(KeyLeak, NoProviderFailurePrintsTheKey) {
  for (const auto& p : providers()) {
    for (const auto& f : kFailures) {
      FakeServer server;
      auto handler = [&f](const RecordedRequest& r, httplib::Response& res) {
        res.status = f.status;
        if (r.method == "GET" && r.path == "/info" && f.status == 200) {
          // TEI asks which model it serves before anything else.
          res.set_content(R"({"model_id": "bge-m3", "max_client_batch_size": 32})", "application/json");
          return;
        }
        if (f.json_error) {
          nlohmann::json body = {{"error", {{"message", "invalid key: " + echo(r)}, {"code", f.status}}},
                                 {"data", {{{"embedding", echo(r)}}}}};
          res.set_content(body.dump(), "application/json");
        } else {
          res.set_content("<html>upstream said: " + echo(r) + "</html>", "text/html");
        }
        if (f.status == 429 || f.status == 503) res.set_header("Retry-After", "0");
      };
      server.on("POST", ".*", handler);
      server.on("GET", ".*", handler);

      std::map<std::string, std::string> env = p.env;
      env[p.key_var] = p.key;
      env[p.base_var] = server.base_url() + p.base_suffix;
      env["CINEREC_HTTP_MAX_ATTEMPTS"] = "2";
      ConfigSource config([env](const std::string& n) -> std::optional<std::string> {
        auto it = env.find(n);
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
      }, {});
      std::vector<std::string> logs;
      HttpOptions http;
      http.sleep = [](std::chrono::milliseconds) {};
      http.log = [&logs](const std::string& line) { logs.push_back(line); };

      const std::string context = p.name + " / " + f.what;
      std::string seen;
      EmbedderChoice choice;
      choice.provider = p.name;
      auto embedder = make_embedder(choice, config, http);
      if (!embedder.ok()) {
        seen = embedder.error().message;
      } else {
        auto r = (*embedder)->embed({"una película de un pianista"}, EmbedPurpose::Query);
        ASSERT_FALSE(r.ok()) << context << ": a failing server must fail the call";
        seen = r.error().message;
      }
      EXPECT_FALSE(seen.empty()) << context;
      expect_no_key(seen, p, context + " (error)");
      for (const auto& line : logs) expect_no_key(line, p, context + " (log)");
      // The fake server did receive the key: the test would notice a leak if there were one.
      bool key_sent = false;
      for (const auto& r : server.requests()) key_sent |= echo(r).find(kSecretCore) != std::string::npos;
      EXPECT_TRUE(key_sent) << context << ": the key never reached the server, the check proves nothing";
    }
  }
}

}  // namespace
}  // namespace cinerec
