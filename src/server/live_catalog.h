// LiveCatalog: what `cinerec serve` answers from, kept current while other processes write the
// catalog (an import on another replica, an embed job, a second server on the same database).
//
// The server answers every request from an immutable CatalogSnapshot (the recommender with its
// indexes, the catalog view and its statistics) taken from current(). A CatalogWatcher on its own
// connection tells when the catalog version changed; a loader thread, never a request thread, then
// reads a whole new snapshot through a connection of its own and swaps it in under a mutex. A request
// holds the shared_ptr it started with, so requests in flight finish on the old snapshot and none is
// dropped or fails while reloading; the old snapshot is freed when the last of them ends.
//
// Guarantees:
//  - open() fails (nothing starts) when the first snapshot cannot be loaded.
//  - After a committed write, current() serves it within the watcher's latency (PostgreSQL: the NOTIFY,
//    a few ms; SQLite: 50 ms polling) plus the time one load takes. Quick writes coalesce into one
//    reload of the newest version.
//  - While the database is unreachable the last snapshot keeps being served (the catalog is in
//    memory; no catalog request needs the database), status() says so, and the loader retries
//    every retry_interval until a reload succeeds. A change made during the outage is loaded once the
//    database is back.
//  - The log receives one line per reload, one per outage (start and end, as the watcher sees them)
//    and one per run of failed loads; lines name the store by describe() (a URL without its password),
//    never a secret.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/result.h"
#include "recommend/recommender.h"
#include "server/catalog_view.h"
#include "store/catalog_watcher.h"

namespace cinerec {

// One consistent view of the catalog. Immutable once built; the view points into recommender.movies(),
// so a snapshot is only ever handled through a shared_ptr and never moved. Anything else the server
// derives from the store to answer requests (e.g. the personal model, whose rows are this snapshot's
// movies) belongs here, loaded in LiveCatalog::load(), so it is reloaded and swapped with the catalog.
struct CatalogSnapshot {
  CatalogSnapshot(std::int64_t version, Recommender recommender);
  CatalogSnapshot(const CatalogSnapshot&) = delete;
  CatalogSnapshot& operator=(const CatalogSnapshot&) = delete;

  std::int64_t version;  // the catalog version read before the data: the data is at least this new
  Recommender recommender;
  CatalogView view;
  std::chrono::system_clock::time_point loaded_at;
};

struct LiveCatalogOptions {
  RecommenderOptions recommender;
  bool watch = true;  // false: serve the start-up snapshot only
  std::chrono::milliseconds retry_interval{500};  // between reload attempts while the database is down
  CatalogWatcherOptions watcher;
};

struct LiveCatalogStatus {
  bool database_reachable = true;  // as last seen by the watcher
  std::string database_error;      // the last failure's one-line message (no password); empty when reachable
  std::uint64_t reloads = 0;       // successful reloads since start (the start-up load not counted)
  double last_reload_ms = 0;       // how long the last successful reload took, from the change being seen
};

class LiveCatalog {
 public:
  using Log = std::function<void(const std::string& line)>;

  // Loads the first snapshot from `location` (as open_store takes it), then watches for changes.
  static Result<std::unique_ptr<LiveCatalog>> open(const std::string& location, LiveCatalogOptions options, Log log);

  // Stops watching and loading; waits for a load in progress (bounded by the store's timeouts).
  ~LiveCatalog();
  LiveCatalog(const LiveCatalog&) = delete;
  LiveCatalog& operator=(const LiveCatalog&) = delete;

  // The snapshot to answer one request from. Thread-safe; never null; cheap (a shared_ptr copy).
  std::shared_ptr<const CatalogSnapshot> current() const;

  LiveCatalogStatus status() const;

 private:
  LiveCatalog(std::unique_ptr<class Store> store, LiveCatalogOptions options, Log log);
  Result<std::shared_ptr<const CatalogSnapshot>> load();
  void loader_loop();
  void want(std::int64_t version);
  void set_unreachable(const std::string& message);
  void set_reachable();

  std::unique_ptr<class Store> store_;  // used by the loader only (the start-up load runs before it exists)
  LiveCatalogOptions options_;
  Log log_;

  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable wake_;
  std::shared_ptr<const CatalogSnapshot> current_;
  std::int64_t wanted_ = 0;  // the newest version the watcher reported
  bool reported_ = false;    // the watcher reported a version (before the first load finished)
  std::chrono::steady_clock::time_point wanted_since_;
  LiveCatalogStatus status_;
  bool stop_ = false;

  std::thread loader_;
  std::unique_ptr<CatalogWatcher> watcher_;  // declared last: destroyed first, so it stops calling want()
};

}  // namespace cinerec
