#include "store/catalog_watcher.h"

#include "store/store.h"

namespace cinerec {

Result<std::unique_ptr<CatalogWatcher>> CatalogWatcher::start(const std::string& location, OnChange on_change,
                                                              OnError on_error, CatalogWatcherOptions options,
                                                              OnRecover on_recover) {
  auto store = open_store(location, OpenMode::ReadOnly);
  if (!store.ok()) return store.error();
  auto version = (*store)->version();
  if (!version.ok()) return version.error();
  std::unique_ptr<CatalogWatcher> watcher(new CatalogWatcher());
  watcher->version_ = *version;
  watcher->thread_ = std::thread(&CatalogWatcher::loop, watcher.get(), location, std::move(store).value(),
                                 std::move(on_change), std::move(on_error), options, std::move(on_recover));
  return watcher;
}

CatalogWatcher::~CatalogWatcher() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void CatalogWatcher::loop(std::string location, std::unique_ptr<Store> store, OnChange on_change, OnError on_error,
                          CatalogWatcherOptions options, OnRecover on_recover) {
  bool failing = false;
  auto pause = [&] {
    for (auto waited = std::chrono::milliseconds(0); waited < options.retry_interval && !stop_;
         waited += std::chrono::milliseconds(20))
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  };
  while (!stop_) {
    if (!store) {
      // The store reconnects by itself after a blip; reopening covers a store that could not.
      auto reopened = open_store(location, OpenMode::ReadOnly);
      if (!reopened.ok()) {
        if (!failing && on_error) on_error(reopened.error().message);
        failing = true;
        pause();
        continue;
      }
      store = std::move(reopened).value();
    }
    auto current = store->wait_for_change(version_, options.slice);
    if (!current.ok()) {
      if (!failing && on_error) on_error(current.error().message);
      failing = true;
      store.reset();
      pause();
      continue;
    }
    if (failing && on_recover) on_recover();
    failing = false;
    if (*current != version_) {
      version_ = *current;
      if (on_change) on_change(*current);
    }
  }
}

}  // namespace cinerec
