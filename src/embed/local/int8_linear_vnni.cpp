// AVX-512 VNNI kernels of int8_linear (compiled with -mavx512f -mavx512bw -mavx512vl -mavx512vnni).
// vpdpbusd multiplies 4 unsigned (activation + 128) by 4 signed (weight) bytes per int32 lane and adds
// them to the lane without intermediate saturation; the +128 bias is removed with the weight column
// sums. Weights are packed so that one 32-byte load holds 4 consecutive k of 8 output columns
// (Int8Matrix::packed): a lane accumulates one output, so no horizontal sums, and a tile of
// kTileRows rows x 16 columns keeps its 16 accumulators in registers (32 ymm with AVX-512VL).
#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "embed/local/int8_linear.h"

namespace cinerec::local::detail {

namespace {

constexpr std::size_t kBlock = kVnniBlockColumns;  // 16 output columns per packed block
constexpr int kTileRows = 8;

// acc[r][h] += x[r, 4g:4g+4] . w[16b + 8h + lane, 4g:4g+4] for every group g of the block; when
// `next` is set, the next block is prefetched on the way (a line per group, the same offset).
template <int R>
void tile(const std::uint8_t* x, std::size_t x_stride, const std::int8_t* block, std::size_t groups,
          const std::int8_t* next, __m256i (&acc)[kTileRows][2]) {
  for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
  for (std::size_t g = 0; g < groups; ++g) {
    if (next) _mm_prefetch(reinterpret_cast<const char*>(next + g * 64), _MM_HINT_T0);
    const __m256i w0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + g * 64));
    const __m256i w1 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(block + g * 64 + 32));
    for (int r = 0; r < R; ++r) {
      std::int32_t four;
      std::memcpy(&four, x + r * x_stride + g * 4, sizeof four);
      const __m256i xb = _mm256_set1_epi32(four);
      acc[r][0] = _mm256_dpbusd_epi32(acc[r][0], xb, w0);
      acc[r][1] = _mm256_dpbusd_epi32(acc[r][1], xb, w1);
    }
  }
}

// Rescales the tile's integer products to floats and stores the columns in [col_begin, col_end)
// of the block starting at column `first`.
template <int R>
void store(const __m256i (&acc)[kTileRows][2], const Int8Activations& a, std::size_t row, const Int8Matrix& w,
           std::size_t first, std::size_t col_begin, std::size_t col_end, float* out, std::size_t ldo) {
  __m256i bias[2];
  __m256 scale[2];
  for (int h = 0; h < 2; ++h) {
    bias[h] = _mm256_slli_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.sums.data() + first + 8 * h)), 7);
    scale[h] = _mm256_loadu_ps(w.scales.data() + first + 8 * h);
  }
  const bool whole = col_begin == first && col_end == first + kBlock;
  for (int r = 0; r < R; ++r) {
    const __m256 xs = _mm256_set1_ps(a.scales[row + r]);
    float* dst = out + (row + r) * ldo;
    alignas(32) float lanes[kBlock];
    for (int h = 0; h < 2; ++h) {
      const __m256 v = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_sub_epi32(acc[r][h], bias[h])), _mm256_mul_ps(scale[h], xs));
      if (whole)
        _mm256_storeu_ps(dst + first + 8 * h, v);
      else
        _mm256_store_ps(lanes + 8 * h, v);
    }
    if (!whole) std::copy(lanes + (col_begin - first), lanes + (col_end - first), dst + col_begin);
  }
}

template <int R>
void tile_and_store(const Int8Activations& a, std::size_t row, const Int8Matrix& w, std::size_t b,
                    bool prefetch_next, std::size_t col_begin, std::size_t col_end, float* out, std::size_t ldo) {
  const std::size_t groups = w.stride / 4;
  const std::int8_t* block = w.packed.data() + b * groups * 64;
  __m256i acc[kTileRows][2];
  tile<R>(a.biased.data() + row * a.stride, a.stride, block, groups, prefetch_next ? block + groups * 64 : nullptr, acc);
  store<R>(acc, a, row, w, b * kBlock, col_begin, col_end, out, ldo);
}

using TileFn = void (*)(const Int8Activations&, std::size_t, const Int8Matrix&, std::size_t, bool, std::size_t,
                        std::size_t, float*, std::size_t);
constexpr TileFn kTiles[kTileRows + 1] = {nullptr,           tile_and_store<1>, tile_and_store<2>,
                                          tile_and_store<3>, tile_and_store<4>, tile_and_store<5>,
                                          tile_and_store<6>, tile_and_store<7>, tile_and_store<8>};

}  // namespace

void int8_linear_vnni(const Int8Activations& x, const Int8Matrix& w, std::size_t n_begin, std::size_t n_end,
                      float* out, std::size_t ldo) {
  // Row chunks whose activations (64 x stride bytes, <= 96 KB) stay in L2 while the chunk's weight
  // blocks pass; each block (16 x stride bytes) is reused from L1 by every tile of the chunk.
  constexpr std::size_t kRowChunk = 64;
  const std::size_t b_begin = n_begin / kBlock, b_end = (n_end + kBlock - 1) / kBlock;
  for (std::size_t r0 = 0; r0 < x.rows; r0 += kRowChunk) {
    const std::size_t r1 = std::min(x.rows, r0 + kRowChunk);
    for (std::size_t b = b_begin; b < b_end; ++b) {
      const std::size_t col_begin = std::max(n_begin, b * kBlock), col_end = std::min(n_end, (b + 1) * kBlock);
      for (std::size_t r = r0; r < r1; r += kTileRows) {
        const std::size_t rows = std::min<std::size_t>(kTileRows, r1 - r);
        // The weights stream from memory once per text: the chunk's first tile fetches the next block.
        kTiles[rows](x, r, w, b, r == r0 && b + 1 < b_end, col_begin, col_end, out, ldo);
      }
    }
  }
}

// Quantizes one row to value + 128 (scale = max|row| / 127, round to nearest even as cvtps does in
// the default rounding mode) and fills the padding up to `stride` with 128 (value 0).
float quantize_row_biased_vnni(const float* row, std::size_t cols, std::size_t stride, std::uint8_t* dst) {
  const __m256 sign = _mm256_set1_ps(-0.0f);
  __m256 vmax = _mm256_setzero_ps();
  std::size_t c = 0;
  for (; c + 8 <= cols; c += 8) vmax = _mm256_max_ps(vmax, _mm256_andnot_ps(sign, _mm256_loadu_ps(row + c)));
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, vmax);
  float max = 0;
  for (float l : lanes) max = std::max(max, l);
  for (std::size_t i = c; i < cols; ++i) max = std::max(max, std::abs(row[i]));
  const float scale = max > 0 ? max / 127.0f : 1.0f;
  const float inv = 1.0f / scale;
  const __m256 vinv = _mm256_set1_ps(inv), lo = _mm256_set1_ps(-127.0f), hi = _mm256_set1_ps(127.0f);
  const __m256i bias = _mm256_set1_epi32(128);
  for (c = 0; c + 8 <= cols; c += 8) {
    const __m256 v = _mm256_min_ps(_mm256_max_ps(_mm256_mul_ps(_mm256_loadu_ps(row + c), vinv), lo), hi);
    // The zero-masked form of vpmovdb: the plain intrinsic's undefined pass-through operand trips GCC 12's
    // -Wmaybe-uninitialized.
    const __m128i bytes = _mm256_maskz_cvtepi32_epi8(0xFF, _mm256_add_epi32(_mm256_cvtps_epi32(v), bias));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(dst + c), bytes);
  }
  for (; c < cols; ++c) {
    const float v = std::clamp(row[c] * inv, -127.0f, 127.0f);
    dst[c] = static_cast<std::uint8_t>(static_cast<int>(std::nearbyint(v)) + 128);
  }
  std::fill(dst + cols, dst + stride, std::uint8_t{128});
  return scale;
}

}  // namespace cinerec::local::detail
