// cinerec embed [--provider P --model M] / cinerec providers
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/embedder_options.h"
#include "cli/progress.h"
#include "embed/embed_job.h"

namespace cinerec::cli {
namespace {

struct EmbedArgs {
  EmbedderOptions embedder;
  std::size_t batch_size = 64;
  std::optional<std::size_t> concurrency;
  bool force = false;
  bool quiet = false;
};

struct ProvidersArgs {
  bool json = false;
};

// Ctrl-C during `embed`: the first one lets the batches in flight finish and be saved; a second
// one quits at once (what is committed is safe either way).
std::atomic<bool> g_stop_requested{false};

extern "C" void on_interrupt(int) {
  if (g_stop_requested.exchange(true)) {
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
    return;
  }
  static const char kMessage[] = "\ncinerec: stopping after the batches in flight (Ctrl-C again to quit now)\n";
  (void)!::write(2, kMessage, sizeof kMessage - 1);
}

int run_embed(const GlobalOptions& global, const EmbedArgs& args) {
  auto config = load_config();
  if (!config.ok()) return fail(config.error());
  auto provider = chosen_provider(args.embedder, *config);
  if (!provider) return fail(Error{"no embedding provider chosen: pass --provider (see `cinerec providers`) or set CINEREC_PROVIDER"});
  auto store = open_db(global, OpenMode::ReadWrite);
  if (!store.ok()) return fail(store.error());
  auto embedder = build_embedder(*provider, args.embedder, *config);
  if (!embedder.ok()) return fail(embedder.error());

  EmbedJobOptions options;
  options.batch_size = args.batch_size;
  options.force = args.force;
  // The local encoder already uses every core for one batch; remote APIs gain from overlap.
  options.concurrency = args.concurrency.value_or(*provider == "local" ? 1 : 2);

  ProgressReporter progress(std::cerr, stderr_is_terminal(), "embedding with " + (*embedder)->model());
  std::function<void(const EmbedProgress&)> on_progress;
  if (!args.quiet) on_progress = [&](const EmbedProgress& p) { if (p.total) progress.update(p.done, p.total); };

  g_stop_requested = false;
  struct sigaction action {}, previous{};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &previous);
  auto summary = run_embed_job(**store, **embedder, options, on_progress, &g_stop_requested);
  sigaction(SIGINT, &previous, nullptr);
  progress.finish();
  if (!summary.ok()) return fail(summary.error());

  const auto& s = *summary;
  const std::string what = *provider + " " + s.model;
  if (s.stopped) {
    std::cout << "interrupted: embedded " << s.embedded << " movies with " << what << " before stopping; "
              << "run the same command again to continue\n";
    return 130;
  }
  if (s.embedded == 0) {
    std::cout << "all " << s.catalog_size << " movies already have " << s.model << " vectors; nothing to do\n";
  } else {
    std::cout << "embedded " << s.embedded << " movies with " << what << " in " << s.batches
              << (s.batches == 1 ? " batch" : " batches") << " (" << s.up_to_date << " already up to date)\n";
    store->reset();
    return refresh_vector_index(global);
  }
  return 0;
}

int run_providers(const GlobalOptions& global, const ProvidersArgs& args) {
  auto config = load_config();
  if (!config.ok()) return fail(config.error());
  const auto statuses = describe_providers(*config);
  const auto default_provider = configured_default_provider(*config);
  // Which models the catalog has vectors for: what a provider must produce to be comparable.
  std::vector<ModelSummary> models;
  bool have_catalog = false;
  if (auto store = open_db(global, OpenMode::ReadOnly); store.ok()) {
    if (auto m = (*store)->models(); m.ok()) {
      models = std::move(m).value();
      have_catalog = true;
    }
  }
  if (args.json) {
    nlohmann::json out;
    out["default"] = default_provider ? nlohmann::json(*default_provider) : nlohmann::json(nullptr);
    auto& list = out["providers"] = nlohmann::json::array();
    for (const auto& s : statuses) {
      nlohmann::json details = nlohmann::json::object();
      for (const auto& [k, v] : s.details) details[k] = v;
      list.push_back({{"name", s.name}, {"summary", s.summary}, {"configured", s.configured},
                      {"missing", s.missing}, {"details", details}});
    }
    auto& vectors = out["catalog_vectors"] = nlohmann::json::array();
    for (const auto& m : models) vectors.push_back({{"model", m.model}, {"dimension", m.dim}, {"count", m.count}});
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  for (const auto& s : statuses) {
    std::cout << s.name << (default_provider && *default_provider == s.name ? " (default)" : "") << ": "
              << (s.configured ? "configured" : "not configured") << " — " << s.summary << "\n";
    if (!s.missing.empty()) {
      std::cout << "    missing: ";
      for (std::size_t i = 0; i < s.missing.size(); ++i) std::cout << (i ? ", " : "") << s.missing[i];
      std::cout << "\n";
    }
    for (const auto& [k, v] : s.details) std::cout << "    " << k << ": " << v << "\n";
  }
  if (!have_catalog) {
    std::cout << "\nNo catalog at " << global.db << " (create it with: cinerec import FILE).\n";
  } else if (models.empty()) {
    std::cout << "\nThe catalog (" << global.db << ") has no embedding vectors yet.\n";
  } else {
    std::cout << "\nVectors in the catalog (" << global.db << "):\n";
    for (const auto& m : models) std::cout << "    " << m.model << ": " << m.count << " movies, " << m.dim << " dimensions\n";
  }
  return 0;
}

}  // namespace

void register_embed_commands(CLI::App& app, GlobalOptions& global) {
  auto embed_args = std::make_shared<EmbedArgs>();
  auto* embed = app.add_subcommand(
      "embed", "embed every movie that lacks a vector for the provider's model (or whose text changed); resumable");
  add_embedder_options(embed, embed_args->embedder, /*add_model=*/true);
  embed->add_option("--batch-size", embed_args->batch_size, "movies per request and per commit")
      ->capture_default_str()
      ->check(CLI::Range(1, 2048));
  embed->add_option("--concurrency", embed_args->concurrency, "requests in flight (default 2; 1 for local)")
      ->check(CLI::Range(1, 16));
  embed->add_flag("--force", embed_args->force, "re-embed movies whose vector is up to date");
  embed->add_flag("-q,--quiet", embed_args->quiet, "no progress output");
  embed->callback([&global, embed_args] { global.run = [&global, embed_args] { return run_embed(global, *embed_args); }; });

  auto providers_args = std::make_shared<ProvidersArgs>();
  auto* providers = app.add_subcommand("providers", "embedding providers: configured or not, and what is missing");
  providers->add_flag("--json", providers_args->json, "print JSON");
  providers->callback([&global, providers_args] {
    global.run = [&global, providers_args] { return run_providers(global, *providers_args); };
  });
}

}  // namespace cinerec::cli
