// ConnectionPool<T>: at most `capacity` store connections (RatingStore, Store…) shared by the threads
// of a server, each lent to one thread at a time. A PostgreSQL connection is not thread-safe and one
// connection behind a mutex makes concurrent requests queue on each other's round trips; one
// connection per request costs a TCP + authentication handshake each time. The pool keeps the
// connections it opened and lends them again.
//
// Guarantees:
//  - At most `capacity` objects exist at once (lent + idle). A request for one while all are lent
//    waits until one is returned, at most `wait`, then fails with a message saying so.
//  - Connections are opened lazily by the factory, outside the pool's lock (opening takes a round
//    trip; other threads keep borrowing and returning meanwhile). A factory failure is returned as is
//    and takes no slot.
//  - An idle connection is lent before a new one is opened (most recently returned first, whose
//    server-side state is warm).
//  - A Lease returns its connection when it is destroyed; discard() closes it instead (e.g. after an
//    error that may have left it in an unknown state), freeing its slot.
//  - The pool must outlive its leases.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace cinerec {

template <class T>
class ConnectionPool {
 public:
  using Factory = std::function<Result<std::unique_ptr<T>>()>;

  class Lease {
   public:
    Lease(Lease&& other) noexcept : pool_(std::exchange(other.pool_, nullptr)), item_(std::move(other.item_)) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    ~Lease() {
      if (pool_) pool_->give_back(std::move(item_));
    }
    T& operator*() const { return *item_; }
    T* operator->() const { return item_.get(); }
    // Closes the connection instead of returning it.
    void discard() {
      item_.reset();
      if (pool_) std::exchange(pool_, nullptr)->give_back(nullptr);
    }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<T> item) : pool_(pool), item_(std::move(item)) {}
    ConnectionPool* pool_;
    std::unique_ptr<T> item_;
  };

  ConnectionPool(Factory factory, std::size_t capacity, std::chrono::milliseconds wait)
      : factory_(std::move(factory)), capacity_(capacity == 0 ? 1 : capacity), wait_(wait) {}
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  Result<Lease> acquire() {
    std::unique_lock lock(mutex_);
    if (!returned_.wait_for(lock, wait_, [&] { return !idle_.empty() || open_ < capacity_; }))
      return Error{"all " + std::to_string(capacity_) + " database connections stayed busy for " +
                   std::to_string(wait_.count()) + " ms"};
    if (!idle_.empty()) {
      std::unique_ptr<T> item = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(item));
    }
    ++open_;  // the slot is taken while the factory runs unlocked
    lock.unlock();
    auto made = factory_();
    if (!made.ok()) {
      give_back(nullptr);
      return made.error();
    }
    return Lease(this, std::move(made).value());
  }

  std::size_t capacity() const { return capacity_; }
  // Connections that exist now, lent or idle.
  std::size_t open_count() const {
    std::lock_guard lock(mutex_);
    return open_;
  }
  std::size_t idle_count() const {
    std::lock_guard lock(mutex_);
    return idle_.size();
  }

 private:
  // `item` null: the slot is freed (a discarded lease or a failed factory).
  void give_back(std::unique_ptr<T> item) {
    {
      std::lock_guard lock(mutex_);
      if (item)
        idle_.push_back(std::move(item));
      else
        --open_;
    }
    returned_.notify_one();
  }

  Factory factory_;
  const std::size_t capacity_;
  const std::chrono::milliseconds wait_;
  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable returned_;
  std::vector<std::unique_ptr<T>> idle_;
  std::size_t open_ = 0;
};

}  // namespace cinerec
