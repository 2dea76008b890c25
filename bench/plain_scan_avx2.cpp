// The bandwidth yardstick: the simplest AVX2 scan that could be written (one dot product per row,
// scores to an array, no top-k, no tiling), split over threads. Whatever it reads per second is what
// this machine's memory delivers to a scan right now; every other method is reported against it.
#include "plain_scan.h"

#include <immintrin.h>

#include <thread>
#include <vector>

namespace cinerec::bench {
namespace {
void scan_range(const float* m, std::size_t begin, std::size_t end, std::size_t dim, const float* q, float* out) {
  for (std::size_t r = begin; r < end; ++r) {
    const float* row = m + r * dim;
    __m256 a = _mm256_setzero_ps(), b = _mm256_setzero_ps();
    std::size_t i = 0;
    for (; i + 16 <= dim; i += 16) {
      a = _mm256_fmadd_ps(_mm256_loadu_ps(row + i), _mm256_loadu_ps(q + i), a);
      b = _mm256_fmadd_ps(_mm256_loadu_ps(row + i + 8), _mm256_loadu_ps(q + i + 8), b);
    }
    float t[8];
    _mm256_storeu_ps(t, _mm256_add_ps(a, b));
    float s = t[0] + t[1] + t[2] + t[3] + t[4] + t[5] + t[6] + t[7];
    for (; i < dim; ++i) s += row[i] * q[i];
    out[r] = s;
  }
}
}  // namespace

void plain_scan(const float* m, std::size_t rows, std::size_t dim, const float* q, float* out, unsigned threads) {
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back(scan_range, m, rows * t / threads, rows * (t + 1) / threads, dim, q, out);
  scan_range(m, 0, rows / threads, dim, q, out);
  for (auto& th : pool) th.join();
}

}  // namespace cinerec::bench
