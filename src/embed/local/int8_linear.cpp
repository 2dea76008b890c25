#include "embed/local/int8_linear.h"

#include <algorithm>
#include <cmath>

#include "embed/local/kernels.h"

namespace cinerec::local {

namespace detail {
bool vnni_available() {
#if defined(__x86_64__)
  static const bool available = __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512vl") &&
                                __builtin_cpu_supports("avx512bw");
  return available;
#else
  return false;
#endif
}
}  // namespace detail

namespace {

std::size_t padded(std::size_t cols) { return (cols + 63) / 64 * 64; }

float row_scale(const float* row, std::size_t cols) {
  float max = 0;
  for (std::size_t c = 0; c < cols; ++c) max = std::abs(row[c]) > max ? std::abs(row[c]) : max;
  return max > 0 ? max / 127.0f : 1.0f;
}

// Round to nearest, ties to even (what lrint does in the default rounding mode), by the 1.5 * 2^23
// trick, which compilers vectorize, unlike a call to lrint. Exact for |v| <= 2^22.
inline float round_even(float v) {
  constexpr float kMagic = 12582912.0f;
  return (v + kMagic) - kMagic;
}

int quantize(float v, float inv_scale) {
  return static_cast<int>(round_even(std::clamp(v * inv_scale, -127.0f, 127.0f)));
}

void pack_for_vnni(Int8Matrix& q) {
  constexpr std::size_t block = kVnniBlockColumns;
  const std::size_t blocks = (q.rows + block - 1) / block, groups = q.stride / 4;
  q.packed.assign(blocks * groups * block * 4, 0);
  for (std::size_t n = 0; n < q.rows; ++n) {
    const std::size_t b = n / block, i = n % block;
    for (std::size_t g = 0; g < groups; ++g)
      for (std::size_t j = 0; j < 4; ++j)
        q.packed[(b * groups + g) * block * 4 + 4 * i + j] = q.values[n * q.stride + 4 * g + j];
  }
  // Zeros for the padding rows, so the kernel loads a whole block's scales and sums at once.
  q.scales.resize(blocks * block, 0.0f);
  q.sums.resize(blocks * block, 0);
}

}  // namespace

Int8Matrix quantize_rows(const float* m, std::size_t rows, std::size_t cols) {
  Int8Matrix q;
  q.rows = rows;
  q.cols = cols;
  q.stride = padded(cols);
  q.values.assign(rows * q.stride, 0);
  q.scales.resize(rows);
  q.sums.assign(rows, 0);
  for (std::size_t r = 0; r < rows; ++r) {
    const float* row = m + r * cols;
    q.scales[r] = row_scale(row, cols);
    const float inv = 1.0f / q.scales[r];
    for (std::size_t c = 0; c < cols; ++c) {
      const int v = quantize(row[c], inv);
      q.values[r * q.stride + c] = static_cast<std::int8_t>(v);
      q.sums[r] += v;
    }
  }
  if (detail::vnni_available()) pack_for_vnni(q);
  return q;
}

void prepare_activations(std::size_t rows, const Int8Matrix& w, Int8Activations& out) {
  out.rows = rows;
  out.stride = w.stride;
  out.scales.resize(rows);
  // Every row, padding included, is written by quantize_activation_rows: no fill here.
  if (detail::vnni_available()) {
    out.biased.resize(rows * w.stride);
    out.wide.clear();
  } else {
    out.wide.resize(rows * w.stride);
    out.biased.clear();
  }
}

void quantize_activation_rows(const float* x, std::size_t begin, std::size_t end, const Int8Matrix& w,
                              Int8Activations& out) {
  for (std::size_t r = begin; r < end; ++r) {
    const float* row = x + r * w.cols;
    if (!out.biased.empty()) {
      // Padding columns hold 128 (value 0); their weights are 0, so they add nothing either way.
      out.scales[r] = detail::quantize_row_biased_vnni(row, w.cols, w.stride, out.biased.data() + r * w.stride);
      continue;
    }
    out.scales[r] = row_scale(row, w.cols);
    const float inv = 1.0f / out.scales[r];
    std::int16_t* dst = out.wide.data() + r * w.stride;
    for (std::size_t c = 0; c < w.cols; ++c) dst[c] = static_cast<std::int16_t>(quantize(row[c], inv));
    std::fill(dst + w.cols, dst + w.stride, std::int16_t{0});
  }
}

void quantize_activations(const float* x, std::size_t rows, const Int8Matrix& w, Int8Activations& out) {
  prepare_activations(rows, w, out);
  quantize_activation_rows(x, 0, rows, w, out);
}

int activation_value(const Int8Activations& a, std::size_t r, std::size_t c) {
  if (!a.biased.empty()) return static_cast<int>(a.biased[r * a.stride + c]) - 128;
  return a.wide[r * a.stride + c];
}

void int8_linear(const Int8Activations& x, const Int8Matrix& w, std::size_t n_begin, std::size_t n_end,
                 float* out, std::size_t ldo) {
  if (!x.biased.empty()) {
    detail::int8_linear_vnni(x, w, n_begin, n_end, out, ldo);
    return;
  }
  if (detail::avx2_available()) {
    detail::int8_linear_avx2(x, w, n_begin, n_end, out, ldo);
    return;
  }
  for (std::size_t r = 0; r < x.rows; ++r) {
    const std::int16_t* xr = x.wide.data() + r * x.stride;
    for (std::size_t n = n_begin; n < n_end; ++n) {
      const std::int8_t* wr = w.values.data() + n * w.stride;
      std::int32_t acc = 0;
      for (std::size_t c = 0; c < w.cols; ++c) acc += static_cast<std::int32_t>(xr[c]) * wr[c];
      out[r * ldo + n] = static_cast<float>(acc) * x.scales[r] * w.scales[n];
    }
  }
}

}  // namespace cinerec::local
