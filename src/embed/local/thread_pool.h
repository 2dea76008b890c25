// A fixed set of worker threads for the encoder's parallel loops. The encoder owns its threads (and
// keeps OpenBLAS single-threaded inside them) so that "threads = N" means N busy cores, never
// N OpenBLAS threads plus N of ours competing for them. A forward pass is dozens of short parallel
// loops back to back, so a waiting thread first spins for a moment (as OpenMP runtimes do) before it
// sleeps: a futex wake-up per loop cost more than the loop on short texts.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cinerec::local {

class ThreadPool {
 public:
  // threads >= 1; the calling thread is one of them, so threads - 1 workers are started.
  explicit ThreadPool(std::size_t threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  std::size_t size() const { return workers_.size() + 1; }

  // Runs fn(part) for part in [0, parts) spread over the threads; returns when all are done.
  // fn must not throw. Not reentrant: one parallel_for at a time per pool.
  void parallel_for(std::size_t parts, const std::function<void(std::size_t)>& fn);

 private:
  void work(std::size_t worker);
  void run_parts();

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable start_, done_;
  const std::function<void(std::size_t)>* job_ = nullptr;
  std::size_t parts_ = 0;
  std::size_t next_part_ = 0;
  std::size_t busy_ = 0;
  std::atomic<std::size_t> generation_{0};  // written under mutex_, read without it while spinning
  std::atomic<bool> stop_{false};
};

}  // namespace cinerec::local
