#include "server/http_server.h"

#include <fcntl.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <atomic>
#include <chrono>
#include <ctime>
#include <iostream>
#include <mutex>
#include <thread>

namespace cinerec {

namespace {

using Clock = std::chrono::steady_clock;

// Each request is handled start to finish on one worker thread, so the routing hook and the
// logger meet here.
thread_local Clock::time_point request_start;
thread_local bool request_started = false;

std::mutex log_mutex;

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Control characters in a logged path could forge log lines.
std::string printable(const std::string& text, std::size_t max) {
  std::string out;
  for (char c : text.substr(0, max)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  if (text.size() > max) out += "...";
  return out;
}

void log_request(const httplib::Request& req, const httplib::Response& res) {
  std::string ms = "-";
  if (request_started) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - request_start).count();
    ms = std::to_string(us / 1000) + "." + std::to_string(us / 100 % 10);
    request_started = false;
  }
  std::lock_guard lock(log_mutex);
  std::cerr << utc_now() << ' ' << req.remote_addr << " \"" << printable(req.method, 16) << ' '
            << printable(req.path, 300) << "\" " << res.status << ' ' << res.body.size() << "B " << ms << "ms"
            << std::endl;
}

const char* reason_code(int status) {
  switch (status) {
    case 400: return "bad_request";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 413: return "payload_too_large";
    case 414: return "uri_too_long";
    case 416: return "range_not_satisfiable";
    default: return status >= 500 ? "internal" : "error";
  }
}

WebRequest to_web_request(const httplib::Request& req) {
  WebRequest w;
  w.method = req.method;
  w.path = req.path;
  for (const auto& [k, v] : req.params) w.query.emplace(k, v);
  w.body = req.body;
  w.content_type = req.get_header_value("Content-Type");
  w.if_none_match = req.get_header_value("If-None-Match");
  return w;
}

void apply(const WebResponse& w, httplib::Response& res) {
  res.status = w.status;
  for (const auto& [k, v] : w.headers) res.set_header(k, v);
  if (w.status == 304) return;
  res.set_content(w.body, w.content_type.empty() ? "application/octet-stream" : w.content_type);
}

// SIGINT/SIGTERM may be delivered to any thread (libraries such as OpenBLAS start threads before
// main), so the handler only writes the signal number to a pipe; a watcher thread reads it and stops
// the server outside any signal handler.
int stop_pipe[2] = {-1, -1};

extern "C" void on_stop_signal(int sig) {
  const int saved = errno;
  char c = static_cast<char>(sig);
  [[maybe_unused]] auto n = write(stop_pipe[1], &c, 1);
  errno = saved;
}

struct StopSignals {
  struct sigaction old_int {}, old_term {};
  bool installed = false;
  StopSignals() {
    if (stop_pipe[0] < 0 && pipe2(stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    installed = true;
  }
  ~StopSignals() {
    if (!installed) return;
    sigaction(SIGINT, &old_int, nullptr);
    sigaction(SIGTERM, &old_term, nullptr);
  }
  // The signal received within `ms` milliseconds, or 0.
  static int wait(int ms) {
    pollfd fd{stop_pipe[0], POLLIN, 0};
    if (poll(&fd, 1, ms) <= 0) return 0;
    char c = 0;
    return read(stop_pipe[0], &c, 1) == 1 ? c : 0;
  }
};

}  // namespace

void server_log(const std::string& message) {
  std::lock_guard lock(log_mutex);
  std::cerr << utc_now() << ' ' << printable(message, 500) << std::endl;
}

void configure_http_server(httplib::Server& server, const WebApp& app, const ServeOptions& options) {
  std::size_t threads = options.threads;
  if (threads == 0) threads = std::max<std::size_t>(8, 4 * std::max(1u, std::thread::hardware_concurrency()));
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_keep_alive_max_count(options.keep_alive_max_requests);
  server.set_keep_alive_timeout(options.keep_alive_seconds);
  server.set_read_timeout(options.read_timeout_seconds, 0);
  server.set_write_timeout(options.write_timeout_seconds, 0);
  server.set_payload_max_length(options.max_body_bytes);
  // Without it a kept-alive connection waits for the client's delayed ACK (40 ms on Linux) between a
  // response's header and body writes: every request after a connection's first took over 40 ms.
  server.set_tcp_nodelay(true);

  server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    request_start = Clock::now();
    request_started = true;
    return httplib::Server::HandlerResponse::Unhandled;
  });
  auto handler = [&app](const httplib::Request& req, httplib::Response& res) { apply(app.handle(to_web_request(req)), res); };
  const std::string any = "/.*";
  server.Get(any, handler);
  server.Post(any, handler);
  server.Put(any, handler);
  server.Patch(any, handler);
  server.Delete(any, handler);
  server.Options(any, handler);
  // Errors raised by httplib itself (oversized body, malformed request) get the API's error shape.
  server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    std::string message = res.status == 413 ? "the request body is larger than the server accepts"
                                            : "the request could not be processed (HTTP " + std::to_string(res.status) + ")";
    WebResponse error = error_response(res.status, reason_code(res.status), message);
    add_security_headers(error);
    apply(error, res);
  });
  server.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    {
      std::lock_guard lock(log_mutex);
      std::cerr << utc_now() << " error handling " << printable(req.path, 300) << ": " << printable(what, 300) << std::endl;
    }
    WebResponse error = error_response(500, "internal", "internal error");
    add_security_headers(error);
    apply(error, res);
  });
  if (options.access_log) server.set_logger(log_request);
}

Status serve(const WebApp& app, const ServeOptions& options) {
  StopSignals signals;
  if (!signals.installed) return Error{"cannot install the SIGINT/SIGTERM handlers (pipe: " + std::string(std::strerror(errno)) + ")"};

  httplib::Server server;
  configure_http_server(server, app, options);

  // SO_REUSEADDR only: httplib's default also sets SO_REUSEPORT, which would let a second server bind
  // the same port and silently share its connections.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });

  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.host);
    if (port < 0) return Error{"cannot listen on " + options.host + ": no free port"};
  } else if (!server.bind_to_port(options.host, port)) {
    return Error{"cannot listen on " + options.host + ":" + std::to_string(port) +
                 " (address in use, or not an address of this machine?)"};
  }

  std::atomic<bool> done{false}, stopped{false};
  std::thread watcher([&] {
    while (!done) {
      int sig = StopSignals::wait(200);
      if (sig == SIGINT || sig == SIGTERM) {
        {
          std::lock_guard lock(log_mutex);
          std::cerr << utc_now() << " received " << (sig == SIGINT ? "SIGINT" : "SIGTERM")
                    << ", finishing requests in flight and stopping" << std::endl;
        }
        stopped = true;
        // stop() only acts on a running server: wait for the accept loop if a signal came first.
        for (int i = 0; i < 200 && !server.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        server.stop();
        return;
      }
    }
  });
  if (options.on_listening) options.on_listening(options.host, port);
  bool ok = server.listen_after_bind();
  done = true;
  watcher.join();
  if (!ok && !stopped) return Error{"the server on " + options.host + ":" + std::to_string(port) + " stopped unexpectedly"};
  return Status::Ok();
}

}  // namespace cinerec
