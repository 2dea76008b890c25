// A fake HTTP API on 127.0.0.1 inside the test process: records every request it receives and
// answers with whatever the test's handler says. Used to check what cinerec sends to each
// embedding protocol without ever calling a real API.
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cinerec::testing {

struct RecordedRequest {
  std::string method;
  std::string path;
  std::string query;  // raw query string, e.g. "key=…" (must stay empty for our clients)
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

class FakeServer {
 public:
  using Handler = std::function<void(const RecordedRequest&, httplib::Response&)>;

  FakeServer() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() is a no-op until the accept loop runs, so wait for it before handing out the server.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeServer() {
    release();
    server_.stop();
    thread_.join();
  }

  // Routes METHOD path to `handler`; the request is recorded before the handler runs.
  void on(const std::string& method, const std::string& path, Handler handler) {
    auto wrapped = [this, handler](const httplib::Request& req, httplib::Response& res) {
      RecordedRequest r;
      r.method = req.method;
      r.path = req.path;
      for (const auto& [k, v] : req.params) r.query += (r.query.empty() ? "" : "&") + k + "=" + v;
      for (const auto& [k, v] : req.headers) {
        std::string name = k;
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers[name] = v;
      }
      r.body = req.body;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(r);
      }
      handler(r, res);
    };
    if (method == "POST") {
      server_.Post(path, wrapped);
    } else {
      server_.Get(path, wrapped);
    }
  }

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

  std::vector<RecordedRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  // For handlers simulating a hung server: blocks until the test ends (or `limit` passes).
  void hang(std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    std::unique_lock lock(mutex_);
    released_cv_.wait_for(lock, limit, [this] { return released_; });
  }

 private:
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    released_cv_.notify_all();
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mutex_;
  std::vector<RecordedRequest> requests_;
  std::condition_variable released_cv_;
  bool released_ = false;
};

// A deterministic, text-dependent, non-zero vector: what fake servers answer, so a test can
// check that each input got its own vector back in the right order.
inline std::vector<float> fake_vector(const std::string& text, std::size_t dim) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  std::vector<float> v(dim);
  for (std::size_t i = 0; i < dim; ++i) {
    v[i] = static_cast<float>(((h >> (i % 48)) & 0xffff) + 1) / 65536.0f + static_cast<float>(i);
  }
  return v;
}

}  // namespace cinerec::testing
