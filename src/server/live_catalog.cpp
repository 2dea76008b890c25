#include "server/live_catalog.h"

#include <cstdio>
#include <utility>

#include "store/store.h"

namespace cinerec {

namespace {

std::size_t movies_with_vectors(const Recommender& r) {
  std::size_t n = 0;
  for (const auto& m : r.movies())
    if (r.vector_of(m.id)) ++n;
  return n;
}

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

CatalogSnapshot::CatalogSnapshot(std::int64_t version_, Recommender recommender_)
    : version(version_),
      recommender(std::move(recommender_)),
      view(recommender.movies()),
      loaded_at(std::chrono::system_clock::now()) {}

LiveCatalog::LiveCatalog(std::unique_ptr<Store> store, LiveCatalogOptions options, Log log)
    : store_(std::move(store)), options_(std::move(options)), log_(std::move(log)) {
  if (!log_) log_ = [](const std::string&) {};
}

Result<std::unique_ptr<LiveCatalog>> LiveCatalog::open(const std::string& location, LiveCatalogOptions options,
                                                       Log log) {
  auto store = open_store(location, OpenMode::ReadOnly);
  if (!store.ok()) return store.error();
  std::unique_ptr<LiveCatalog> live(new LiveCatalog(std::move(store).value(), std::move(options), std::move(log)));
  LiveCatalog* self = live.get();
  // The watcher starts before the first load, so a write committed while loading is reported, not missed.
  if (self->options_.watch) {
    auto watcher = CatalogWatcher::start(
        location, [self](std::int64_t version) { self->want(version); },
        [self](const std::string& message) { self->set_unreachable(message); }, self->options_.watcher,
        [self] { self->set_reachable(); });
    if (!watcher.ok()) return watcher.error();
    self->watcher_ = std::move(watcher).value();
  }
  auto first = self->load();
  if (!first.ok()) return first.error();  // ~LiveCatalog stops the watcher
  {
    std::lock_guard lock(self->mutex_);
    self->current_ = *first;
    // A version the watcher reported meanwhile may be newer than what was read: the loader then reloads.
    if (!self->reported_) self->wanted_ = (*first)->version;
    self->wanted_since_ = std::chrono::steady_clock::now();
  }
  if (self->options_.watch) self->loader_ = std::thread(&LiveCatalog::loader_loop, self);
  return live;
}

LiveCatalog::~LiveCatalog() {
  watcher_.reset();
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (loader_.joinable()) loader_.join();
}

std::shared_ptr<const CatalogSnapshot> LiveCatalog::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

LiveCatalogStatus LiveCatalog::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

Result<std::shared_ptr<const CatalogSnapshot>> LiveCatalog::load() {
  // The version first: a write committed while the data is read makes the snapshot newer than its
  // version says, never older, and the watcher reports that write, so it is loaded again.
  auto version = store_->version();
  if (!version.ok()) return version.error();
  auto recommender = Recommender::load(*store_, options_.recommender);
  if (!recommender.ok()) return recommender.error();
  return std::make_shared<const CatalogSnapshot>(*version, std::move(recommender).value());
}

void LiveCatalog::want(std::int64_t version) {
  {
    std::lock_guard lock(mutex_);
    reported_ = true;
    if (version == wanted_) return;
    wanted_ = version;
    wanted_since_ = std::chrono::steady_clock::now();
  }
  wake_.notify_all();
}

void LiveCatalog::set_unreachable(const std::string& message) {
  std::int64_t serving = 0;
  {
    std::lock_guard lock(mutex_);
    status_.database_error = message;
    if (!status_.database_reachable) return;
    status_.database_reachable = false;
    serving = current_ ? current_->version : 0;
  }
  log_("catalog: database unreachable (" + message + "); serving catalog version " + std::to_string(serving) +
       " from memory until it is back");
}

void LiveCatalog::set_reachable() {
  {
    std::lock_guard lock(mutex_);
    if (status_.database_reachable) return;
    status_.database_reachable = true;
    status_.database_error.clear();
  }
  log_("catalog: database reachable again");
}

void LiveCatalog::loader_loop() {
  bool failing = false;  // logged once per run of failed loads
  std::unique_lock lock(mutex_);
  for (;;) {
    // Versions are compared for inequality, not order, so a database recreated from scratch reloads too.
    wake_.wait(lock, [&] { return stop_ || wanted_ != current_->version; });
    if (stop_) return;
    const std::int64_t target = wanted_;
    const auto since = wanted_since_;
    const std::int64_t old_version = current_->version;
    lock.unlock();
    auto loaded = load();
    if (!loaded.ok()) {
      // Not necessarily an outage (the watcher reports those): a statement timeout, a bad row. The
      // old snapshot keeps serving meanwhile.
      if (!failing)
        log_("catalog: loading version " + std::to_string(target) + " failed (" + loaded.error().message +
             "); still serving version " + std::to_string(old_version) + ", retrying");
      failing = true;
      lock.lock();
      wake_.wait_for(lock, options_.retry_interval, [&] { return stop_; });
      continue;
    }
    failing = false;
    const auto& snapshot = **loaded;
    const double took = ms_since(since);
    char line[256];
    std::snprintf(line, sizeof line,
                  "catalog: reloaded version %lld (was %lld): %zu movies, %zu with vectors, %.1f ms after the change "
                  "was seen",
                  static_cast<long long>(snapshot.version), static_cast<long long>(old_version),
                  snapshot.recommender.movies().size(), movies_with_vectors(snapshot.recommender), took);
    lock.lock();
    auto old = std::exchange(current_, std::move(loaded).value());
    // Nothing newer reported while loading: what was read is the version to keep.
    if (wanted_ == target) wanted_ = current_->version;
    ++status_.reloads;
    status_.last_reload_ms = took;
    lock.unlock();
    old.reset();  // freed here, outside the lock, unless a request still holds it
    log_(line);
    lock.lock();
  }
}

}  // namespace cinerec
