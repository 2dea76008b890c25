// The one HTTP client every remote embedding provider uses (libcurl underneath). It owns the
// timeouts, the retry loop and the redaction of secrets, so no provider can get them wrong:
//  - retries 408/429/5xx and connection errors/timeouts with exponential backoff and jitter,
//    honouring Retry-After (and OpenAI's retry-after-ms);
//  - fails at once on other 4xx with the API's own error message;
//  - secret header values (API keys) never appear in logs or error messages: every message it
//    produces is scrubbed of them, and URLs are shown without user-info or query string.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "embed/retry_policy.h"

namespace cinerec {

struct HttpHeader {
  std::string name;
  std::string value;
  bool secret = false;  // value is a credential: redacted from every message the client emits
};

struct HttpRequest {
  std::string method = "POST";  // "GET" or "POST"
  std::string url;              // must not carry credentials: use a secret header instead
  std::vector<HttpHeader> headers;
  std::string body;             // sent for POST
};

struct HttpResponse {
  long status = 0;
  std::string body;
};

using LogSink = std::function<void(const std::string& line)>;
using Sleeper = std::function<void(std::chrono::milliseconds)>;

struct HttpOptions {
  std::chrono::milliseconds timeout{60'000};          // whole request, per attempt
  std::chrono::milliseconds connect_timeout{10'000};  // TCP + TLS handshake, per attempt
  RetryPolicy retry;
  std::size_t max_response_bytes = 256u << 20;  // a larger body is an error, not an OOM
  LogSink log;           // retry notices; empty = stderr
  Sleeper sleep;         // waits between attempts; empty = std::this_thread::sleep_for
  std::uint64_t jitter_seed = 0;  // 0 = seeded from std::random_device
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options = {});

  // Sends `request`, retrying as described above. Returns the first 2xx response; otherwise an
  // Error "<label>: <METHOD> <url>: <reason>" where reason is the API's message for HTTP errors or
  // curl's for transport errors, plus how many attempts were made. Thread-safe: each call uses its
  // own connection.
  Result<HttpResponse> send(const HttpRequest& request, std::string_view label) const;

  const HttpOptions& options() const { return options_; }

 private:
  HttpOptions options_;
};

// True when `error` came from HttpClient::send and says the server answered with a 4xx other than
// 408 / 429: it refused this request (bad input, wrong key, unknown model), which asking again or
// later will not change. False for transport errors, timeouts, 408 / 429 / 5xx and anything else.
// Reads the "HTTP <status>:" that send() writes right after the URL.
bool is_http_rejection(const Error& error);

// The human-readable error an API put in its error body: OpenAI/Gemini {"error":{"message":…}},
// Ollama/TEI {"error":"…"}, or {"message"|"detail":…}; otherwise the start of the body on one line.
std::string api_error_message(std::string_view body);

// `text` with every occurrence of each non-empty secret replaced by "[redacted]".
std::string redact(std::string text, const std::vector<std::string>& secrets);

// `url` fit for messages: user-info ("user:pass@") and query string removed.
std::string display_url(std::string_view url);

}  // namespace cinerec
