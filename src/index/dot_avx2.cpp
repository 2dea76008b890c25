// AVX2/FMA dot product. Compiled with -mavx2 -mfma (see CMakeLists.txt); only reached through the
// run-time dispatcher in exact.cpp, so the rest of the binary still runs on CPUs without AVX2.
#include <immintrin.h>

#include "index/dot_kernels.h"

namespace cinerec::detail {

namespace {
inline float hsum256(__m256 v) {
  __m128 lo = _mm256_castps256_ps128(v);
  __m128 hi = _mm256_extractf128_ps(v, 1);
  lo = _mm_add_ps(lo, hi);
  __m128 shuf = _mm_movehdup_ps(lo);
  __m128 sums = _mm_add_ps(lo, shuf);
  shuf = _mm_movehl_ps(shuf, sums);
  sums = _mm_add_ss(sums, shuf);
  return _mm_cvtss_f32(sums);
}
}  // namespace

float dot_avx2(const float* a, const float* b, std::size_t n) {
  // Four accumulators hide the FMA latency; unaligned loads cost nothing extra on AVX2 hardware.
  __m256 acc0 = _mm256_setzero_ps();
  __m256 acc1 = _mm256_setzero_ps();
  __m256 acc2 = _mm256_setzero_ps();
  __m256 acc3 = _mm256_setzero_ps();
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
    acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 8), _mm256_loadu_ps(b + i + 8), acc1);
    acc2 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 16), _mm256_loadu_ps(b + i + 16), acc2);
    acc3 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i + 24), _mm256_loadu_ps(b + i + 24), acc3);
  }
  for (; i + 8 <= n; i += 8) {
    acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i), acc0);
  }
  float sum = hsum256(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3)));
  for (; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

}  // namespace cinerec::detail

namespace cinerec::detail {
float ip_distance_avx2(const void* a, const void* b, const void* dim) {
  return 1.0f - dot_avx2(static_cast<const float*>(a), static_cast<const float*>(b),
                         *static_cast<const std::size_t*>(dim));
}
}  // namespace cinerec::detail
