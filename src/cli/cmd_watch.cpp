// cinerec watch: prints the catalog version now and whenever any process changes the catalog. For
// operators and scripts ("wait until the import on the other machine has landed"), and the same
// CatalogWatcher a server replica uses to reload.
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>

#include "cli/commands.h"
#include "store/catalog_watcher.h"

namespace cinerec::cli {
namespace {

struct WatchArgs {
  std::size_t changes = 0;  // stop after this many changes; 0 = never
  double timeout = 0;       // stop after this many seconds; 0 = never
};

int run_watch(const GlobalOptions& global, const WatchArgs& args) {
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t seen = 0;
  // Held until the first wait, so the starting version prints before any change.
  std::unique_lock lock(mutex);
  auto watcher = CatalogWatcher::start(
      global.db,
      [&](std::int64_t version) {
        std::lock_guard lock(mutex);
        std::cout << "catalog version " << version << std::endl;
        ++seen;
        changed.notify_all();
      },
      [](const std::string& message) { std::cerr << "warning: " << message << "; retrying" << std::endl; });
  if (!watcher.ok()) return fail(watcher.error());
  std::cout << "catalog version " << (*watcher)->version() << std::endl;
  auto done = [&] { return args.changes > 0 && seen >= args.changes; };
  if (args.timeout > 0) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(args.timeout);
    if (!changed.wait_until(lock, deadline, done) && args.changes > 0)
      return fail(Error{"no catalog change within " + std::to_string(static_cast<long>(args.timeout)) + " s (" +
                        std::to_string(seen) + " of " + std::to_string(args.changes) + " seen)"});
  } else {
    changed.wait(lock, done);
  }
  return 0;
}

}  // namespace

void register_watch_commands(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<WatchArgs>();
  auto* watch = app.add_subcommand("watch", "print the catalog version now and each time any process changes it");
  watch->add_option("--changes", args->changes, "exit after this many changes (default: run until stopped)");
  watch->add_option("--timeout", args->timeout, "exit after this many seconds (an error if --changes were not seen)")
      ->check(CLI::NonNegativeNumber);
  watch->callback([&global, args] { global.run = [&global, args] { return run_watch(global, *args); }; });
}

}  // namespace cinerec::cli
