// cinerec serve: the web site and JSON API (src/server) over the catalog database.
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "embed/config_source.h"
#include "server/http_server.h"
#include "server/live_catalog.h"
#include "server/poster_files.h"
#include "server/providers.h"
#include "server/user_recommender.h"
#include "server/web_app.h"

namespace cinerec::cli {
namespace {

struct ServeArgs {
  ServeOptions server;
  std::string posters_dir;
  std::string model;
  int timeout_seconds = 10;
  bool no_reload = false;
  std::size_t db_connections = 4;
};

// CINEREC_PROVIDER_COOLDOWN: seconds a failed provider is not asked again (default 30, 0 = always ask).
Result<std::chrono::milliseconds> provider_cooldown(const ConfigSource& config) {
  auto setting = config.get("CINEREC_PROVIDER_COOLDOWN");
  if (!setting) return std::chrono::milliseconds(std::chrono::seconds(30));
  double seconds = -1;
  const auto& v = setting->value;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
  if (ec != std::errc() || end != v.data() + v.size() || !(seconds >= 0) || seconds > 86400)
    return Error{"CINEREC_PROVIDER_COOLDOWN (" + setting->origin + "): expected seconds from 0 to 86400, got \"" +
                 v.substr(0, 40) + "\""};
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

int run_serve(const GlobalOptions& global, ServeArgs& args) {
  args.server.read_timeout_seconds = args.server.write_timeout_seconds = args.timeout_seconds;
  LiveCatalogOptions live_options;
  auto recommender_choice = recommender_options(global, args.model);
  if (!recommender_choice.ok()) return fail(recommender_choice.error());
  live_options.recommender = std::move(recommender_choice).value();
  live_options.watch = !args.no_reload;
  auto live = LiveCatalog::open(global.db, live_options, server_log);
  if (!live.ok()) return fail(live.error());
  auto first = (*live)->current();

  std::filesystem::path posters_dir = args.posters_dir;
  if (posters_dir.empty())
    if (const char* env = std::getenv("CINEREC_POSTERS_DIR"); env && *env) posters_dir = env;
  if (posters_dir.empty()) posters_dir = PosterFiles::guess_dir(first->recommender.movies());
  PosterFiles posters(posters_dir);
  if (posters.dir().empty())
    std::cerr << "cinerec: no posters directory" << (posters_dir.empty() ? "" : " at " + posters_dir.string())
              << "; every movie shows the placeholder (set --posters-dir)\n";

  auto env = process_environment();
  auto config = ConfigSource::load(env, ConfigSource::default_files(env));
  if (!config.ok()) return fail(config.error());
  // A web visitor waits for the answer: fall back to the offline path sooner than the CLI would,
  // and never sit out a long Retry-After.
  HttpOptions http;
  http.timeout = std::chrono::seconds(20);
  http.retry.max_attempts = 2;
  http.retry.max_retry_after = std::chrono::seconds(5);
  auto cooldown = provider_cooldown(*config);
  if (!cooldown.ok()) return fail(cooldown.error());
  auto providers = std::make_unique<ProviderSet>(std::move(config).value(), http, *cooldown);

  auto users = std::make_unique<UserRecommender>(global.db, std::chrono::seconds(10), args.db_connections);
  if (auto loaded = users->preload(first->recommender); !loaded.ok())
    std::cerr << "cinerec: personal recommendations: " << loaded.error().message << "\n";

  std::size_t movies = first->recommender.movies().size();
  std::int64_t version = first->version;
  first.reset();  // a reload may free it
  WebApp app(**live, std::move(providers), std::move(posters), std::move(users));
  args.server.on_listening = [movies, version](const std::string& host, int port) {
    std::cout << "cinerec: serving " << movies << " movies (catalog version " << version << ") at http://" << host
              << ":" << port << "/  (Ctrl-C to stop)" << std::endl;
  };
  auto status = serve(app, args.server);
  if (!status.ok()) return fail(status.error());
  std::cerr << "cinerec: stopped\n";
  return 0;
}

}  // namespace

void register_serve_command(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<ServeArgs>();
  auto* serve = app.add_subcommand("serve", "serve the web site and the JSON API (/api/openapi.json)");
  add_vector_search_options(serve, global);
  serve->add_option("--host", args->server.host, "address to listen on")->capture_default_str();
  serve->add_option("--port", args->server.port, "port to listen on (0: any free port)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  serve->add_option("--threads", args->server.threads, "worker threads (0: 4 per core, at least 8)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1024));
  serve->add_option("--posters-dir", args->posters_dir,
                    "directory of poster images; nothing outside it is served (env CINEREC_POSTERS_DIR; "
                    "default: where the imported posters are)");
  serve->add_option("--model", args->model, "use this model's vectors (default: the model with the most vectors)");
  serve->add_option("--max-body", args->server.max_body_bytes, "largest request body in bytes (larger: 413)")
      ->capture_default_str()
      ->check(CLI::Range(1024, 16 << 20));
  serve->add_option("--timeout", args->timeout_seconds, "read and write timeout per request, in seconds")
      ->capture_default_str()
      ->check(CLI::Range(1, 600));
  serve->add_option("--db-connections", args->db_connections,
                    "most database connections for requests that read it (a user's ratings), pooled")
      ->capture_default_str()
      ->check(CLI::Range(1, 256));
  serve->add_flag("--no-reload", args->no_reload,
                  "serve the catalog as it was at start-up (default: reload it whenever any process changes it)");
  serve->add_flag("--no-access-log", [args](std::int64_t) { args->server.access_log = false; },
                  "do not log requests on stderr");
  serve->callback([&global, args] { global.run = [&global, args] { return run_serve(global, *args); }; });
}

}  // namespace cinerec::cli
