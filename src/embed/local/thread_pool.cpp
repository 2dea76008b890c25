#include "embed/local/thread_pool.h"

#include <chrono>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace cinerec::local {

namespace {

// How long a thread spins for the next event before it blocks: longer than the gap between the
// parallel loops of one forward pass, short enough not to hold a core while the encoder is idle.
constexpr auto kSpin = std::chrono::microseconds(100);

// Spins until ready() or kSpin has passed; returns ready().
template <typename Ready>
bool spin_until(Ready&& ready) {
  const auto deadline = std::chrono::steady_clock::now() + kSpin;
  for (int i = 0;; ++i) {
    if (ready()) return true;
#if defined(__x86_64__)
    _mm_pause();
#endif
    if ((i & 63) == 63 && std::chrono::steady_clock::now() > deadline) return ready();
  }
}

}  // namespace

ThreadPool::ThreadPool(std::size_t threads) {
  for (std::size_t i = 1; i < threads; ++i) workers_.emplace_back([this, i] { work(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  start_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::run_parts() {
  for (;;) {
    std::size_t part;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (next_part_ >= parts_) return;
      part = next_part_++;
    }
    (*job_)(part);
  }
}

void ThreadPool::work(std::size_t) {
  std::size_t seen = 0;
  for (;;) {
    spin_until([&] { return stop_.load(std::memory_order_relaxed) || generation_.load(std::memory_order_acquire) != seen; });
    {
      std::unique_lock<std::mutex> lock(mutex_);
      start_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      ++busy_;
    }
    run_parts();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --busy_;
    }
    done_.notify_one();
  }
}

void ThreadPool::parallel_for(std::size_t parts, const std::function<void(std::size_t)>& fn) {
  if (workers_.empty() || parts <= 1) {
    for (std::size_t p = 0; p < parts; ++p) fn(p);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &fn;
    parts_ = parts;
    next_part_ = 0;
    ++generation_;
  }
  start_.notify_all();
  run_parts();
  auto finished = [&] { return busy_ == 0 && next_part_ >= parts_; };
  spin_until([&] {
    std::lock_guard<std::mutex> lock(mutex_);
    return finished();
  });
  std::unique_lock<std::mutex> lock(mutex_);
  // Workers that woke late find no parts left and leave at once; wait until none is inside.
  done_.wait(lock, finished);
  job_ = nullptr;
}

}  // namespace cinerec::local
