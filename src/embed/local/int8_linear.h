// Dynamic int8 quantization of the encoder's linear layers: weights quantized once per output row
// (symmetric, scale = max|w| / 127), activations per input row at every call, integer dot products
// (int8 x int8 widened to int16 multiply-adds, exact int32 sums), rescaled to float. Trades about
// 1e-3 of cosine similarity for 4x less weight memory traffic and 2x the multiply-add rate.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cinerec::local {

struct Int8Matrix {
  std::size_t rows = 0, cols = 0, stride = 0;  // stride: cols rounded up to 16 (zero padded)
  std::vector<std::int8_t> values;             // rows * stride
  std::vector<float> scales;                   // per row
};

// Quantizes a row-major [rows, cols] float matrix.
Int8Matrix quantize_rows(const float* m, std::size_t rows, std::size_t cols);

// Quantizes activations [rows, cols] for int8_linear into `out` (int16 holding int8 values, rows of
// `stride` entries) and `scales`; `stride` as Int8Matrix::stride for cols.
void quantize_activations(const float* x, std::size_t rows, std::size_t cols, std::size_t stride,
                          std::vector<std::int16_t>& out, std::vector<float>& scales);

// out[r, n] = (x_q[r, :] · w_q[n, :]) * x_scale[r] * w_scale[n] for n in [n_begin, n_end); out
// rows are ldo apart. Uses AVX2 when available.
void int8_linear(const std::int16_t* xq, const float* x_scales, std::size_t rows, const Int8Matrix& w,
                 std::size_t n_begin, std::size_t n_end, float* out, std::size_t ldo);

namespace detail {
void int8_linear_avx2(const std::int16_t* xq, const float* x_scales, std::size_t rows, const Int8Matrix& w,
                      std::size_t n_begin, std::size_t n_end, float* out, std::size_t ldo);
}  // namespace detail

}  // namespace cinerec::local
