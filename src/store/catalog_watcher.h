// CatalogWatcher: tells a long-running process (a server replica) when another process changed the
// catalog, so it can reload its in-memory snapshot.
//
// It opens its own read-only store connection and, on a background thread, waits on
// Store::wait_for_change: with PostgreSQL it wakes on the NOTIFY of each committed write (typically a
// few milliseconds after the commit), with SQLite within 50 ms. on_change(version) runs on that thread
// once per observed version change (several quick writes may coalesce into one call). When the store
// is unreachable (a database restart), on_error(message) is called once per outage and the watcher
// keeps retrying every retry_interval; when it is back, on_recover() is called once and a change made
// meanwhile is reported as usual.
//
// Intended use in a server: keep the current Recommender in a std::shared_ptr<const Recommender>;
// in on_change, load a new one from a store of your own and swap the pointer (atomically). Requests
// that already hold the old snapshot finish on it, so none is dropped while reloading.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "common/result.h"

namespace cinerec {

struct CatalogWatcherOptions {
  // How often the thread checks whether it must stop, and the longest one wait lasts.
  std::chrono::milliseconds slice{200};
  // Pause between reconnection attempts while the store is unreachable.
  std::chrono::milliseconds retry_interval{500};
};

class CatalogWatcher {
 public:
  using OnChange = std::function<void(std::int64_t version)>;
  using OnError = std::function<void(const std::string& message)>;
  using OnRecover = std::function<void()>;

  // Opens `location` read-only and reads the current version (reported by version(), not on_change);
  // fails when the store cannot be opened now. Then watches until destroyed.
  static Result<std::unique_ptr<CatalogWatcher>> start(const std::string& location, OnChange on_change,
                                                       OnError on_error = {}, CatalogWatcherOptions options = {},
                                                       OnRecover on_recover = {});

  // Stops the thread; returns within about one slice, plus a callback that is running, or a few seconds
  // when the store is in the middle of reconnecting.
  ~CatalogWatcher();
  CatalogWatcher(const CatalogWatcher&) = delete;
  CatalogWatcher& operator=(const CatalogWatcher&) = delete;

  // The last version seen.
  std::int64_t version() const { return version_.load(); }

 private:
  CatalogWatcher() = default;
  void loop(std::string location, std::unique_ptr<class Store> store, OnChange on_change, OnError on_error,
            CatalogWatcherOptions options, OnRecover on_recover);

  std::atomic<std::int64_t> version_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace cinerec
