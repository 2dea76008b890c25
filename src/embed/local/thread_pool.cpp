#include "embed/local/thread_pool.h"

namespace cinerec::local {

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
  std::unique_lock<std::mutex> lock(mutex_);
  // Workers that woke late find no parts left and leave at once; wait until none is inside.
  done_.wait(lock, [&] { return busy_ == 0 && next_part_ >= parts_; });
  job_ = nullptr;
}

}  // namespace cinerec::local
