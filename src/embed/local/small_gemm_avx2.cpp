// out[M, N] = in[M, K] · weight[N, K]^T for few rows M (short single texts), AVX2/FMA. OpenBLAS packs
// the whole weight matrix on every call, which for a dozen rows costs more than the arithmetic; here
// each block of 4 weight rows is read from memory once and reused from L1 for every input row. The
// weights (all of a model's, ~85 MB for MiniLM) stream from DRAM once per text, so while the first
// input rows pass over a block, the next block is prefetched: short rows (1.5 KB) give the hardware
// prefetcher too little to ramp up on.
#include <immintrin.h>

#include <array>

#include "embed/local/kernels.h"

namespace cinerec::local::detail {

namespace {

inline float hsum(__m256 v) {
  __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  s = _mm_add_ps(s, _mm_movehl_ps(s, s));
  s = _mm_add_ss(s, _mm_movehdup_ps(s));
  return _mm_cvtss_f32(s);
}

// Dot products of up to 3 input rows with up to 4 weight rows; when `next` is set, the C weight rows
// at next[0..C) are prefetched on the way (each step touches the line at the same offset).
template <int R, int C>
void block(const float* const* x, const float* const* w, std::size_t k, float* out, std::size_t ldo,
           const float* const* next) {
  __m256 acc[R][C];
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) acc[r][c] = _mm256_setzero_ps();
  std::size_t i = 0;
  for (; i + 8 <= k; i += 8) {
    if (next && (i & 15) == 0)
      for (int c = 0; c < C; ++c) _mm_prefetch(reinterpret_cast<const char*>(next[c] + i), _MM_HINT_T0);
    __m256 wv[C];
    for (int c = 0; c < C; ++c) wv[c] = _mm256_loadu_ps(w[c] + i);
    for (int r = 0; r < R; ++r) {
      const __m256 xv = _mm256_loadu_ps(x[r] + i);
      for (int c = 0; c < C; ++c) acc[r][c] = _mm256_fmadd_ps(xv, wv[c], acc[r][c]);
    }
  }
  for (int r = 0; r < R; ++r) {
    for (int c = 0; c < C; ++c) {
      float s = hsum(acc[r][c]);
      for (std::size_t j = i; j < k; ++j) s += x[r][j] * w[c][j];
      out[static_cast<std::size_t>(r) * ldo + static_cast<std::size_t>(c)] = s;
    }
  }
}

// All m input rows against C weight rows; the first pass prefetches `next` (may be null).
template <int C>
void rows_block(const float* in, std::size_t m, std::size_t k, const float* const* w, float* out, std::size_t ldo,
                const float* const* next) {
  std::size_t r = 0;
  for (; r + 3 <= m; r += 3) {
    const float* x[3] = {in + r * k, in + (r + 1) * k, in + (r + 2) * k};
    block<3, C>(x, w, k, out + r * ldo, ldo, r == 0 ? next : nullptr);
  }
  for (; r < m; ++r) {
    const float* x[1] = {in + r * k};
    block<1, C>(x, w, k, out + r * ldo, ldo, r == 0 ? next : nullptr);
  }
}

}  // namespace

void small_gemm_avx2(const float* in, std::size_t m, std::size_t k, const float* weight, std::size_t n_begin,
                     std::size_t n_end, float* out, std::size_t ldo) {
  auto rows_at = [&](std::size_t first) {
    return std::array<const float*, 4>{weight + first * k, weight + (first + 1) * k, weight + (first + 2) * k,
                                       weight + (first + 3) * k};
  };
  std::size_t n = n_begin;
  for (; n + 4 <= n_end; n += 4) {
    const auto w = rows_at(n);
    const bool has_next = n + 8 <= n_end;
    const auto next = has_next ? rows_at(n + 4) : w;
    rows_block<4>(in, m, k, w.data(), out + n, ldo, has_next ? next.data() : nullptr);
  }
  for (; n < n_end; ++n) {
    const float* w[1] = {weight + n * k};
    rows_block<1>(in, m, k, w, out + n, ldo, nullptr);
  }
}

}  // namespace cinerec::local::detail
