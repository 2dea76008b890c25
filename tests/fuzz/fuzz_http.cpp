// The whole HTTP path of `cinerec serve` on arbitrary request bytes: httplib's request parsing (request
// line, headers, query string, chunked and fixed-length bodies), then cinerec's own translation and
// every route of the web app (the JSON API's query and body parsing, pages, posters, charts), configured
// exactly as serve() configures it (configure_http_server). A small catalog with vectors is created once
// in a temporary SQLite file.
//
// Properties, for every input:
//  - no crash, no sanitizer report, no exception escaping a handler (that would be a 500);
//  - every answer is a well-formed HTTP/1.1 response whose status is one the API documents;
//  - every /api answer is one JSON value; an /api error is {"error": {"code", "message"}} with non-empty
//    strings, and a 2xx /api answer is a JSON object;
//  - every response carries the security headers.
#include <httplib.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "server/http_server.h"
#include "server/live_catalog.h"
#include "server/web_app.h"
#include "store/store.h"

namespace fs = std::filesystem;
using namespace cinerec;

namespace {

// A connection whose peer sends the fuzz input and reads what the server writes.
class FuzzedStream : public httplib::Stream {
 public:
  FuzzedStream(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool is_readable() const override { return true; }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, std::size_t size) override {
    size = std::min(size, size_ - pos_);
    if (size) std::memcpy(ptr, data_ + pos_, size);
    pos_ += size;
    return static_cast<ssize_t>(size);
  }
  ssize_t write(const char* ptr, std::size_t size) override {
    written_.append(ptr, size);
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 40000;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = "127.0.0.1";
    port = 8080;
  }
  socket_t socket() const override { return 0; }
  const std::string& written() const { return written_; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
  std::string written_;
};

class FuzzServer : public httplib::Server {
 public:
  // One request from `stream`, answered as on a connection that closes after it. Returns the method
  // and path as httplib parsed them (empty when it answered before parsing, or not at all).
  std::pair<std::string, std::string> answer(httplib::Stream& stream) {
    asked_ = {};
    bool closed = false;
    process_request(stream, true, closed, nullptr);
    return asked_;
  }
  // The logger runs after every answered request (serve's access log is off here).
  void record_requests() {
    set_logger([this](const httplib::Request& req, const httplib::Response&) { asked_ = {req.method, req.path}; });
  }

 private:
  std::pair<std::string, std::string> asked_;
};

MovieRecord movie(const char* title, const char* description, std::vector<std::string> genres, int year) {
  MovieRecord r;
  r.title = title;
  r.description = description;
  r.genres = std::move(genres);
  r.genre_raw = r.genres.front();
  r.year = year;
  r.year_raw = std::to_string(year);
  r.source = "fuzz";
  return r;
}

struct App {
  fs::path db;
  std::unique_ptr<LiveCatalog> live;
  std::unique_ptr<WebApp> web;
  FuzzServer server;
};

App* make_app() {
  auto* app = new App;
  app->db = fs::temp_directory_path() / ("cinerec-fuzz-http-" + std::to_string(::getpid()) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(app->db.string() + suffix);
  {
    auto store = open_store(app->db.string(), OpenMode::CreateIfMissing);
    FUZZ_CHECK(store.ok(), "the fixture database opens");
    const std::vector<MovieRecord> records = {
        movie("El pianista", "Un pianista judío sobrevive en Varsovia durante la segunda guerra mundial.",
              {"Drama", "Histórico"}, 2002),
        movie("Dunkerque", "Soldados británicos esperan la evacuación en la playa de Dunkerque.", {"Bélico"}, 2017),
        movie("El padrino", "La familia Corleone y el crimen organizado en Nueva York.", {"Crimen", "Drama"}, 1972),
        movie("Toy Story", "Juguetes que cobran vida cuando nadie los mira; una comedia para la familia.",
              {"Animación", "Comedia"}, 1995),
        movie("Alien", "Una tripulación espacial enfrenta a una criatura mortal.", {"Ciencia ficción", "Terror"}, 1979),
        movie("Amélie", "Una joven tímida de París decide cambiar la vida de los demás.", {"Comedia", "Romance"}, 2001),
    };
    auto upserted = (*store)->upsert_movies(records);
    FUZZ_CHECK(upserted.ok(), "the fixture movies are stored");
    auto movies = (*store)->movies();
    FUZZ_CHECK(movies.ok(), "the fixture movies are read back");
    std::vector<VectorWrite> vectors;
    for (std::size_t i = 0; i < movies->size(); ++i) {
      VectorWrite v;
      v.movie = (*movies)[i].id;
      v.values.assign(8, 0.1f);
      v.values[i % 8] = 1.0f;
      vectors.push_back(std::move(v));
    }
    FUZZ_CHECK((*store)->put_vectors("fuzz-model", vectors).ok(), "the fixture vectors are stored");
  }
  LiveCatalogOptions options;
  options.watch = false;
  auto live = LiveCatalog::open(app->db.string(), options, [](const std::string&) {});
  FUZZ_CHECK(live.ok(), "the fixture catalog loads");
  app->live = std::move(live).value();
  // No provider settings at all (not even the process environment): a provider named in a request is
  // "not configured", and nothing ever leaves the machine.
  ConfigSource no_settings([](const std::string&) { return std::optional<std::string>(); }, {});
  auto providers = std::make_unique<ProviderSet>(std::move(no_settings), HttpOptions{});
  app->web = std::make_unique<WebApp>(*app->live, std::move(providers), PosterFiles(fs::path()),
                                      std::make_unique<UserRecommender>(app->db.string()));
  ServeOptions serve;
  serve.access_log = false;
  serve.threads = 1;
  configure_http_server(app->server, *app->web, serve);
  app->server.record_requests();
  return app;
}

bool documented_status(int status) {
  for (int s : {200, 304, 400, 404, 405, 413, 414, 415, 416, 422, 431, 503})
    if (status == s) return true;
  return false;
}

// The response's status, headers and body, from the bytes the server wrote.
struct Written {
  int status = 0;
  std::string head;
  std::string body;
};

Written parse_written(const std::string& out) {
  Written w;
  const auto end = out.find("\r\n\r\n");
  FUZZ_CHECK(end != std::string::npos, "the response has a complete header");
  w.head = out.substr(0, end + 2);
  w.body = out.substr(end + 4);
  FUZZ_CHECK(w.head.rfind("HTTP/1.1 ", 0) == 0 && w.head.size() > 12, "the response starts with a status line");
  w.status = std::stoi(w.head.substr(9, 3));
  return w;
}

bool has_header(const std::string& head, std::string_view name) {
  return head.find("\r\n" + std::string(name) + ": ") != std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static App* app = make_app();
  FuzzedStream stream(data, size);
  const auto [method, path] = app->server.answer(stream);
  if (stream.written().empty()) return 0;  // httplib drops some malformed requests without answering

  const Written w = parse_written(stream.written());
  FUZZ_CHECK(w.status != 500, "no request makes a handler fail (an exception reached the server)");
  FUZZ_CHECK(documented_status(w.status), "the status is one the API documents");
  FUZZ_CHECK(has_header(w.head, "X-Content-Type-Options") && has_header(w.head, "Content-Security-Policy"),
             "every response carries the security headers");

  const bool api = path.starts_with("/api/") && path != "/api/openapi.json";
  if (!api || method == "HEAD" || w.status == 304 || w.status == 405) return 0;

  const auto body = nlohmann::json::parse(w.body, nullptr, false);
  FUZZ_CHECK(!body.is_discarded(), "an /api answer is JSON");
  if (w.status >= 400) {
    FUZZ_CHECK(body.is_object() && body.contains("error") && body["error"].is_object(), "an /api error has \"error\"");
    const auto& error = body["error"];
    FUZZ_CHECK(error.contains("code") && error["code"].is_string() && !error["code"].get<std::string>().empty(),
               "an /api error has a code");
    FUZZ_CHECK(error.contains("message") && error["message"].is_string() &&
                   !error["message"].get<std::string>().empty(),
               "an /api error has a message");
  } else {
    FUZZ_CHECK(body.is_object(), "a successful /api answer is a JSON object");
  }
  return 0;
}
