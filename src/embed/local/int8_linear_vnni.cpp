// AVX-512 VNNI kernel of int8_linear (compiled with -mavx512f -mavx512bw -mavx512vl -mavx512vnni):
// vpdpbusd multiplies 32 unsigned (activation + 128) by signed (weight) bytes per instruction into
// int32 lanes without intermediate saturation; the +128 bias is removed with the weight row sums.
#include <immintrin.h>

#include <algorithm>

#include "embed/local/int8_linear.h"

namespace cinerec::local::detail {

namespace {

inline std::int32_t hsum(__m256i v) {
  __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
  s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
  return _mm_cvtsi128_si32(s);
}

template <int R, int C>
void block(const std::uint8_t* const* x, const std::int8_t* const* w, std::size_t stride, std::int32_t* dots) {
  __m256i acc[R][C];
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) acc[r][c] = _mm256_setzero_si256();
  for (std::size_t i = 0; i < stride; i += 32) {
    __m256i wv[C];
    for (int c = 0; c < C; ++c) wv[c] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w[c] + i));
    for (int r = 0; r < R; ++r) {
      const __m256i xv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x[r] + i));
      for (int c = 0; c < C; ++c) acc[r][c] = _mm256_dpbusd_epi32(acc[r][c], xv, wv[c]);
    }
  }
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) dots[r * C + c] = hsum(acc[r][c]);
}

template <int C>
void column_block(const Int8Activations& a, std::size_t row_begin, std::size_t row_end, const Int8Matrix& w,
                  std::size_t n, float* out, std::size_t ldo) {
  const std::int8_t* wr[C];
  for (int c = 0; c < C; ++c) wr[c] = w.values.data() + (n + c) * w.stride;
  std::int32_t dots[3 * C];
  auto store = [&](std::size_t first, int count) {
    for (int i = 0; i < count; ++i)
      for (int c = 0; c < C; ++c)
        out[(first + i) * ldo + n + c] = static_cast<float>(dots[i * C + c] - 128 * w.sums[n + c]) *
                                         a.scales[first + i] * w.scales[n + c];
  };
  const std::uint8_t* xq = a.biased.data();
  std::size_t r = row_begin;
  for (; r + 3 <= row_end; r += 3) {
    const std::uint8_t* x[3] = {xq + r * w.stride, xq + (r + 1) * w.stride, xq + (r + 2) * w.stride};
    block<3, C>(x, wr, w.stride, dots);
    store(r, 3);
  }
  for (; r < row_end; ++r) {
    const std::uint8_t* x[1] = {xq + r * w.stride};
    block<1, C>(x, wr, w.stride, dots);
    store(r, 1);
  }
}

}  // namespace

void int8_linear_vnni(const Int8Activations& x, const Int8Matrix& w, std::size_t n_begin, std::size_t n_end,
                      float* out, std::size_t ldo) {
  // Row chunks whose activations (96 x stride bytes) stay in L1/L2 while every weight block passes.
  constexpr std::size_t kRowChunk = 96;
  for (std::size_t r0 = 0; r0 < x.rows; r0 += kRowChunk) {
    const std::size_t r1 = std::min(x.rows, r0 + kRowChunk);
    std::size_t n = n_begin;
    for (; n + 4 <= n_end; n += 4) column_block<4>(x, r0, r1, w, n, out, ldo);
    for (; n < n_end; ++n) column_block<1>(x, r0, r1, w, n, out, ldo);
  }
}

}  // namespace cinerec::local::detail
