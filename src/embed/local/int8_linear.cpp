#include "embed/local/int8_linear.h"

#include <algorithm>
#include <cmath>

#include "embed/local/kernels.h"

namespace cinerec::local {

namespace {

std::size_t padded(std::size_t cols) { return (cols + 15) / 16 * 16; }

}  // namespace

Int8Matrix quantize_rows(const float* m, std::size_t rows, std::size_t cols) {
  Int8Matrix q;
  q.rows = rows;
  q.cols = cols;
  q.stride = padded(cols);
  q.values.assign(rows * q.stride, 0);
  q.scales.resize(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const float* row = m + r * cols;
    float max = 0;
    for (std::size_t c = 0; c < cols; ++c) max = std::max(max, std::abs(row[c]));
    const float scale = max > 0 ? max / 127.0f : 1.0f;
    q.scales[r] = scale;
    for (std::size_t c = 0; c < cols; ++c)
      q.values[r * q.stride + c] = static_cast<std::int8_t>(std::lrint(std::clamp(row[c] / scale, -127.0f, 127.0f)));
  }
  return q;
}

void quantize_activations(const float* x, std::size_t rows, std::size_t cols, std::size_t stride,
                          std::vector<std::int16_t>& out, std::vector<float>& scales) {
  out.assign(rows * stride, 0);
  scales.resize(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const float* row = x + r * cols;
    float max = 0;
    for (std::size_t c = 0; c < cols; ++c) max = std::max(max, std::abs(row[c]));
    const float scale = max > 0 ? max / 127.0f : 1.0f;
    const float inv = 1.0f / scale;
    scales[r] = scale;
    std::int16_t* dst = out.data() + r * stride;
    for (std::size_t c = 0; c < cols; ++c)
      dst[c] = static_cast<std::int16_t>(std::lrint(std::clamp(row[c] * inv, -127.0f, 127.0f)));
  }
}

void int8_linear(const std::int16_t* xq, const float* x_scales, std::size_t rows, const Int8Matrix& w,
                 std::size_t n_begin, std::size_t n_end, float* out, std::size_t ldo) {
  if (detail::avx2_available()) {
    detail::int8_linear_avx2(xq, x_scales, rows, w, n_begin, n_end, out, ldo);
    return;
  }
  for (std::size_t r = 0; r < rows; ++r) {
    const std::int16_t* x = xq + r * w.stride;
    for (std::size_t n = n_begin; n < n_end; ++n) {
      const std::int8_t* wr = w.values.data() + n * w.stride;
      std::int32_t acc = 0;
      for (std::size_t c = 0; c < w.cols; ++c) acc += static_cast<std::int32_t>(x[c]) * wr[c];
      out[r * ldo + n] = static_cast<float>(acc) * x_scales[r] * w.scales[n];
    }
  }
}

}  // namespace cinerec::local
