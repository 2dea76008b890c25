// The HTTP layer: serves a WebApp with cpp-httplib until SIGINT or SIGTERM.
//
// Guarantees: a fixed pool of worker threads; keep-alive with a bounded number of requests and an
// idle timeout per connection; read and write timeouts; request bodies over max_body_bytes are
// refused with 413 before the handler runs; on SIGINT/SIGTERM it stops accepting, lets requests in
// flight finish and returns. One access-log line per request on stderr: time, client address,
// method, path (never the query string, which may carry a prompt or a key), status, bytes and
// milliseconds; no header is ever logged.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "common/result.h"
#include "server/web_app.h"

namespace httplib {
class Server;
}

namespace cinerec {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                   // 0: any free port (the chosen one is passed to on_listening)
  std::size_t threads = 0;           // 0: 4 per hardware thread, at least 8
  int read_timeout_seconds = 10;
  int write_timeout_seconds = 10;
  int keep_alive_seconds = 5;        // idle time before a kept-alive connection is closed
  std::size_t keep_alive_max_requests = 100;
  std::size_t max_body_bytes = 64 * 1024;
  bool access_log = true;
  std::function<void(const std::string& host, int port)> on_listening;  // called once bound
};

// Writes "TIME message" as one line on stderr, never interleaved with access-log lines. Thread-safe.
// The message is cut at 500 bytes and control characters are replaced, so it cannot forge log lines.
void server_log(const std::string& message);

// Installs on `server` what serve() runs: the worker pool, keep-alive, timeouts and body limit of
// `options`, the routes of `app`, the error shapes of httplib's own errors and of exceptions, and the
// access log. serve() binds and listens; the HTTP fuzz target (tests/fuzz/fuzz_http.cpp) feeds raw
// request bytes to a server configured the same way. `app` must outlive `server`.
void configure_http_server(httplib::Server& server, const WebApp& app, const ServeOptions& options);

// Serves until SIGINT/SIGTERM. Fails when the address cannot be bound.
Status serve(const WebApp& app, const ServeOptions& options);

}  // namespace cinerec
