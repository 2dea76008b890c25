// Internal to src/index: the bounded top-k selection shared by every scan, and the merge of
// per-thread partial results. Order everywhere: higher score first, then lower row.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "index/exact.h"

namespace cinerec::detail {

inline bool better(const ScoredRow& a, const ScoredRow& b) {
  return a.score != b.score ? a.score > b.score : a.row < b.row;
}

// Keeps the best `capacity` rows seen. Memory is reserved up front, so push() never allocates.
// Rows must be pushed in increasing order: then an equal score never displaces a kept row, which is
// what makes the lower row win ties.
class TopK {
 public:
  explicit TopK(std::size_t capacity) : capacity_(capacity) { heap_.reserve(capacity); }

  void push(std::uint32_t row, float score) {
    if (heap_.size() < capacity_) {
      heap_.push_back({row, score});
      std::push_heap(heap_.begin(), heap_.end(), better);  // worst kept row on top
    } else if (capacity_ != 0 && score > heap_.front().score) {
      std::pop_heap(heap_.begin(), heap_.end(), better);
      heap_.back() = {row, score};
      std::push_heap(heap_.begin(), heap_.end(), better);
    }
  }

  // Best first. Leaves the selector empty.
  std::vector<ScoredRow> take_sorted() {
    std::sort_heap(heap_.begin(), heap_.end(), better);
    return std::move(heap_);
  }

 private:
  std::size_t capacity_;
  std::vector<ScoredRow> heap_;
};

// The best `k` of several partial results (each from a disjoint row range).
inline std::vector<ScoredRow> merge_top_k(std::vector<std::vector<ScoredRow>>& parts, std::size_t k) {
  if (parts.size() == 1) {
    if (parts[0].size() > k) parts[0].resize(k);
    return std::move(parts[0]);
  }
  std::vector<ScoredRow> all;
  for (auto& p : parts) all.insert(all.end(), p.begin(), p.end());
  const std::size_t n = std::min(k, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n), all.end(), better);
  all.resize(n);
  return all;
}

}  // namespace cinerec::detail
