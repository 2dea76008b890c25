// Dynamic int8 quantization of the encoder's linear layers: weights quantized once per output row
// (symmetric, scale = max|w| / 127), activations per input row at every call, exact integer dot
// products rescaled to float. On CPUs with AVX-512 VNNI the products run on vpdpbusd (activations
// biased by +128 to unsigned, the bias removed with precomputed weight row sums) over a packed copy
// of the weights; otherwise int8 widened to int16 multiply-adds (AVX2), or plain loops. Costs about
// 1e-3 of cosine similarity.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cinerec::local {

// Output columns per packed block of the VNNI layout.
inline constexpr std::size_t kVnniBlockColumns = 16;

struct Int8Matrix {
  std::size_t rows = 0, cols = 0, stride = 0;  // stride: cols rounded up to 64 (zero padded)
  std::vector<std::int8_t> values;             // rows * stride
  // Per row; with VNNI padded with zeros to a whole number of 16-row blocks (the kernel loads 8 at a time).
  std::vector<float> scales;
  std::vector<std::int32_t> sums;              // per row: sum of values (removes the +128 bias)
  // The VNNI kernel's copy (empty without VNNI): blocks of 16 rows (output columns), in each, for
  // every group of 4 columns (k), 16 x 4 bytes: packed[(b * stride / 4 + g) * 64 + 4 * i + j] =
  // values[(16 b + i) * stride + 4 g + j]; rows past `rows` are zero.
  std::vector<std::int8_t> packed;
};

// Quantized activations in the form the active kernel reads.
struct Int8Activations {
  std::size_t rows = 0, stride = 0;
  std::vector<std::int16_t> wide;     // value, when the AVX2 / portable kernel runs
  std::vector<std::uint8_t> biased;   // value + 128, when the VNNI kernel runs
  std::vector<float> scales;          // per row
};

// Quantizes a row-major [rows, cols] float matrix.
Int8Matrix quantize_rows(const float* m, std::size_t rows, std::size_t cols);

// Quantizes activations [rows, cols] (scale = max|row| / 127) for products with `w` (cols == w.cols).
void quantize_activations(const float* x, std::size_t rows, const Int8Matrix& w, Int8Activations& out);

// The same in two steps, so that threads can share the rows: size `out` for `rows` activations of
// products with `w`, then quantize rows [begin, end) of x (each range by one thread, any order).
void prepare_activations(std::size_t rows, const Int8Matrix& w, Int8Activations& out);
void quantize_activation_rows(const float* x, std::size_t begin, std::size_t end, const Int8Matrix& w,
                              Int8Activations& out);

// The quantized value of activation (r, c), whichever form holds it.
int activation_value(const Int8Activations& a, std::size_t r, std::size_t c);

// out[r, n] = (x_q[r, :] · w_q[n, :]) * x_scale[r] * w_scale[n] for n in [n_begin, n_end); out
// rows are ldo apart. `x` must come from quantize_activations with the same `w`.
void int8_linear(const Int8Activations& x, const Int8Matrix& w, std::size_t n_begin, std::size_t n_end,
                 float* out, std::size_t ldo);

namespace detail {
bool vnni_available();
void int8_linear_avx2(const Int8Activations& x, const Int8Matrix& w, std::size_t n_begin, std::size_t n_end,
                      float* out, std::size_t ldo);
void int8_linear_vnni(const Int8Activations& x, const Int8Matrix& w, std::size_t n_begin, std::size_t n_end,
                      float* out, std::size_t ldo);
// Writes row (cols floats) as value + 128 bytes, padding to stride with 128; returns the row's scale.
float quantize_row_biased_vnni(const float* row, std::size_t cols, std::size_t stride, std::uint8_t* dst);
}  // namespace detail

}  // namespace cinerec::local
