#include "embed/http_client.h"

#include <gtest/gtest.h>

#include <atomic>

#include "fake_server.h"

namespace cinerec {
namespace {

using namespace std::chrono_literals;
using testing::FakeServer;
using testing::RecordedRequest;

const std::string kKey = "sk-test-SECRET-0123456789abcdef";

// Options that record waits and logs instead of sleeping and printing.
struct Recorder {
  std::vector<std::chrono::milliseconds> sleeps;
  std::vector<std::string> logs;
  HttpOptions options(int attempts = 5) {
    HttpOptions o;
    o.retry.max_attempts = attempts;
    o.timeout = 5s;
    o.sleep = [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
    o.log = [this](const std::string& line) { logs.push_back(line); };
    o.jitter_seed = 42;
    return o;
  }
  std::string all_logs() const {
    std::string s;
    for (const auto& l : logs) s += l + "\n";
    return s;
  }
};

HttpRequest post(const FakeServer& server, const std::string& path) {
  HttpRequest r;
  r.url = server.base_url() + path;
  r.headers.push_back({"Content-Type", "application/json"});
  r.headers.push_back({"Authorization", "Bearer " + kKey, true});
  r.body = R"({"hello":"world"})";
  return r;
}

// Answers the statuses in `script` in turn, then 200 "ok".
FakeServer::Handler scripted(std::vector<std::function<void(httplib::Response&)>> script,
                             std::shared_ptr<std::atomic<int>> calls) {
  return [script, calls](const RecordedRequest&, httplib::Response& res) {
    const int n = calls->fetch_add(1);
    if (n < static_cast<int>(script.size())) {
      script[n](res);
    } else {
      res.set_content(R"({"ok":true})", "application/json");
    }
  };
}

TEST(HttpClient, SendsMethodHeadersAndBody) {
  FakeServer server;
  server.on("POST", "/echo", [](const RecordedRequest&, httplib::Response& res) {
    res.set_content("fine", "text/plain");
  });
  Recorder rec;
  HttpClient client(rec.options());
  auto r = client.send(post(server, "/echo"), "test");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "fine");
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].headers["authorization"], "Bearer " + kKey);
  EXPECT_EQ(reqs[0].headers["content-type"], "application/json");
  EXPECT_EQ(reqs[0].body, R"({"hello":"world"})");
  EXPECT_TRUE(rec.sleeps.empty());
}

TEST(HttpClient, HonoursRetryAfterOn429ThenSucceeds) {
  FakeServer server;
  auto calls = std::make_shared<std::atomic<int>>(0);
  server.on("POST", "/x", scripted({[](httplib::Response& res) {
                                      res.status = 429;
                                      res.set_header("Retry-After", "3");
                                      res.set_content(R"({"error":{"message":"Rate limit reached"}})",
                                                      "application/json");
                                    }},
                                   calls));
  Recorder rec;
  HttpClient client(rec.options());
  auto r = client.send(post(server, "/x"), "test");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(calls->load(), 2);
  ASSERT_EQ(rec.sleeps.size(), 1u);
  EXPECT_EQ(rec.sleeps[0], 3000ms);
  ASSERT_EQ(rec.logs.size(), 1u);
  EXPECT_NE(rec.logs[0].find("HTTP 429: Rate limit reached"), std::string::npos) << rec.logs[0];
  EXPECT_NE(rec.logs[0].find("attempt 2 of 5"), std::string::npos) << rec.logs[0];
}

TEST(HttpClient, RetryAfterMsWinsOverRetryAfter) {
  FakeServer server;
  auto calls = std::make_shared<std::atomic<int>>(0);
  server.on("POST", "/x", scripted({[](httplib::Response& res) {
                                      res.status = 429;
                                      res.set_header("Retry-After", "7");
                                      res.set_header("retry-after-ms", "1250");
                                    }},
                                   calls));
  Recorder rec;
  auto r = HttpClient(rec.options()).send(post(server, "/x"), "test");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(rec.sleeps.size(), 1u);
  EXPECT_EQ(rec.sleeps[0], 1250ms);
}

TEST(HttpClient, RetriesServerErrorsWithExponentialBackoff) {
  FakeServer server;
  auto calls = std::make_shared<std::atomic<int>>(0);
  auto fail500 = [](httplib::Response& res) {
    res.status = 500;
    res.set_content("oops", "text/plain");
  };
  server.on("POST", "/x", scripted({fail500, fail500, fail500}, calls));
  Recorder rec;
  HttpOptions o = rec.options();
  o.retry.initial_delay = 400ms;
  auto r = HttpClient(o).send(post(server, "/x"), "test");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(calls->load(), 4);
  ASSERT_EQ(rec.sleeps.size(), 3u);
  // Equal jitter: the n-th wait lies in [d/2, d] with d = 400ms * 2^(n-1).
  for (std::size_t i = 0; i < 3; ++i) {
    const auto d = 400ms * (1 << i);
    EXPECT_GE(rec.sleeps[i], d / 2) << i;
    EXPECT_LE(rec.sleeps[i], d) << i;
  }
}

TEST(HttpClient, GivesUpAfterMaxAttemptsWithTheLastReason) {
  FakeServer server;
  server.on("POST", "/x", [](const RecordedRequest&, httplib::Response& res) {
    res.status = 503;
    res.set_content(R"({"error":{"message":"The engine is currently overloaded"}})", "application/json");
  });
  Recorder rec;
  auto r = HttpClient(rec.options(3)).send(post(server, "/x"), "openai");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(rec.sleeps.size(), 2u);
  const std::string& m = r.error().message;
  EXPECT_NE(m.find("openai: POST " + server.base_url() + "/x"), std::string::npos) << m;
  EXPECT_NE(m.find("HTTP 503: The engine is currently overloaded"), std::string::npos) << m;
  EXPECT_NE(m.find("gave up after 3 attempts"), std::string::npos) << m;
}

TEST(HttpClient, ClientErrorsFailAtOnceWithTheApiMessage) {
  for (int status : {400, 401, 404}) {
    FakeServer server;
    server.on("POST", "/x", [status](const RecordedRequest&, httplib::Response& res) {
      res.status = status;
      res.set_content(R"({"error":{"message":"Problem number )" + std::to_string(status) +
                          R"(","type":"invalid_request_error"}})",
                      "application/json");
    });
    Recorder rec;
    auto r = HttpClient(rec.options()).send(post(server, "/x"), "test");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(server.requests().size(), 1u) << status;
    EXPECT_TRUE(rec.sleeps.empty()) << status;
    EXPECT_NE(r.error().message.find("HTTP " + std::to_string(status) + ": Problem number " +
                                     std::to_string(status)),
              std::string::npos)
        << r.error().message;
  }
}

TEST(HttpClient, KeyNeverAppearsInErrorsOrLogsEvenWhenTheServerEchoesIt) {
  FakeServer server;
  auto calls = std::make_shared<std::atomic<int>>(0);
  // A hostile or careless server quoting the credential back in every error.
  server.on("POST", "/x", [calls](const RecordedRequest& req, httplib::Response& res) {
    res.status = calls->fetch_add(1) == 0 ? 500 : 401;
    res.set_content(R"({"error":{"message":"Incorrect API key provided: )" + kKey +
                        " (header was '" + req.headers.at("authorization") + "')\"}}",
                    "application/json");
  });
  Recorder rec;
  auto r = HttpClient(rec.options()).send(post(server, "/x"), "test");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.find(kKey), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("Incorrect API key provided: [redacted]"), std::string::npos)
      << r.error().message;
  ASSERT_EQ(rec.logs.size(), 1u);
  EXPECT_EQ(rec.all_logs().find(kKey), std::string::npos) << rec.all_logs();
  EXPECT_EQ(rec.all_logs().find("SECRET"), std::string::npos) << rec.all_logs();
}

TEST(HttpClient, TimesOutAndRetriesAHungServer) {
  FakeServer server;
  server.on("POST", "/slow", [&server](const RecordedRequest&, httplib::Response& res) {
    server.hang();
    res.set_content("too late", "text/plain");
  });
  Recorder rec;
  HttpOptions o = rec.options(2);
  o.timeout = 200ms;
  auto r = HttpClient(o).send(post(server, "/slow"), "test");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("timed out"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("gave up after 2 attempts"), std::string::npos) << r.error().message;
  EXPECT_EQ(rec.sleeps.size(), 1u);
}

TEST(HttpClient, RetriesConnectionErrors) {
  int port = 0;
  {
    FakeServer closed;  // bind a port, then close it, so nothing listens there
    port = closed.port();
  }
  Recorder rec;
  HttpRequest req;
  req.url = "http://127.0.0.1:" + std::to_string(port) + "/x";
  auto r = HttpClient(rec.options(3)).send(req, "test");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(rec.sleeps.size(), 2u);
  EXPECT_NE(r.error().message.find("gave up after 3 attempts"), std::string::npos) << r.error().message;
}

TEST(HttpClient, RefusesToWaitLongerThanItsLimit) {
  FakeServer server;
  server.on("POST", "/x", [](const RecordedRequest&, httplib::Response& res) {
    res.status = 429;
    res.set_header("Retry-After", "3600");
  });
  Recorder rec;
  auto r = HttpClient(rec.options()).send(post(server, "/x"), "test");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_TRUE(rec.sleeps.empty());
  EXPECT_NE(r.error().message.find("retry after 3600.0 s"), std::string::npos) << r.error().message;
}

TEST(HttpClient, GetRequests) {
  FakeServer server;
  server.on("GET", "/info", [](const RecordedRequest&, httplib::Response& res) {
    res.set_content(R"({"model_id":"m"})", "application/json");
  });
  HttpRequest req;
  req.method = "GET";
  req.url = server.base_url() + "/info";
  auto r = HttpClient(Recorder().options()).send(req, "test");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(server.requests().at(0).method, "GET");
  EXPECT_EQ(r->body, R"({"model_id":"m"})");
}

TEST(HttpClient, RefusesOversizedResponses) {
  FakeServer server;
  server.on("POST", "/big", [](const RecordedRequest&, httplib::Response& res) {
    res.set_content(std::string(4096, 'x'), "text/plain");
  });
  HttpOptions o = Recorder().options(1);
  o.max_response_bytes = 1024;
  auto r = HttpClient(o).send(post(server, "/big"), "test");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("response larger than"), std::string::npos) << r.error().message;
}

TEST(ApiErrorMessage, ReadsEachApiShape) {
  EXPECT_EQ(api_error_message(R"({"error":{"message":"bad key","code":"x"}})"), "bad key");
  EXPECT_EQ(api_error_message(R"({"error":"model not found"})"), "model not found");
  EXPECT_EQ(api_error_message(R"({"message":"m"})"), "m");
  EXPECT_EQ(api_error_message(R"({"detail":"d"})"), "d");
  EXPECT_EQ(api_error_message("<html>\nBad\nGateway</html>"), "<html> Bad Gateway</html>");
  EXPECT_EQ(api_error_message(""), "(empty response body)");
}

TEST(Redact, ReplacesEveryOccurrence) {
  EXPECT_EQ(redact("a KEY b KEYKEY", {"KEY", ""}), "a [redacted] b [redacted][redacted]");
}

TEST(DisplayUrl, DropsUserInfoAndQuery) {
  EXPECT_EQ(display_url("https://user:pw@host:8080/v1/x?key=abc#f"), "https://host:8080/v1/x");
  EXPECT_EQ(display_url("http://127.0.0.1:9/a@b"), "http://127.0.0.1:9/a@b");
  EXPECT_EQ(display_url("http://h/p"), "http://h/p");
}

}  // namespace
}  // namespace cinerec
