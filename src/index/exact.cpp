#include "index/exact.h"

#include <algorithm>
#include <cassert>

#include "index/dot_kernels.h"

namespace cinerec {
namespace detail {

float dot_portable(const float* a, const float* b, std::size_t n) {
  float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

bool cpu_has_avx2_fma() {
  static const bool has = [] {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return false;
#endif
  }();
  return has;
}

DotFn chosen_dot() {
  static const DotFn fn = cpu_has_avx2_fma() ? &dot_avx2 : &dot_portable;
  return fn;
}

}  // namespace detail

float dot(const float* a, const float* b, std::size_t n) { return detail::chosen_dot()(a, b, n); }

const char* dot_kernel_name() { return detail::cpu_has_avx2_fma() ? "avx2-fma" : "portable"; }

namespace {

// Heap order: the *worst* kept candidate sits on top, so one comparison decides whether a new row
// gets in. Worse = lower score, or equal score and higher row (lower row wins ties).
struct WorseFirst {
  bool operator()(const ScoredRow& a, const ScoredRow& b) const {
    if (a.score != b.score) return a.score > b.score;
    return a.row < b.row;
  }
};

}  // namespace

std::vector<ScoredRow> cosine_top_k(const MatrixView& matrix, const float* query, std::size_t k,
                                    const std::vector<std::uint8_t>* allowed) {
  std::vector<ScoredRow> heap;
  if (k == 0 || matrix.rows == 0) return heap;
  assert(allowed == nullptr || allowed->size() >= matrix.rows);
  const std::size_t rows =
      allowed ? std::min(matrix.rows, allowed->size()) : matrix.rows;  // rows past the filter never pass
  k = std::min(k, rows);
  heap.reserve(k);  // the scan below never allocates
  const detail::DotFn kernel = detail::chosen_dot();
  const std::uint8_t* mask = allowed ? allowed->data() : nullptr;
  const WorseFirst worse_first;

  for (std::size_t r = 0; r < rows; ++r) {
    if (mask && !mask[r]) continue;
    const float s = kernel(query, matrix.row(r), matrix.dim);
    if (heap.size() < k) {
      heap.push_back({static_cast<std::uint32_t>(r), s});
      std::push_heap(heap.begin(), heap.end(), worse_first);
    } else if (s > heap.front().score) {
      // Rows arrive in increasing order, so an equal score never beats a kept (lower) row.
      std::pop_heap(heap.begin(), heap.end(), worse_first);
      heap.back() = {static_cast<std::uint32_t>(r), s};
      std::push_heap(heap.begin(), heap.end(), worse_first);
    }
  }
  std::sort_heap(heap.begin(), heap.end(), worse_first);
  return heap;
}

}  // namespace cinerec
