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
  return q;
}

void quantize_activations(const float* x, std::size_t rows, const Int8Matrix& w, Int8Activations& out) {
  const bool vnni = detail::vnni_available();
  out.rows = rows;
  out.stride = w.stride;
  out.scales.resize(rows);
  if (vnni) {
    // Padding columns hold 128 (value 0); their weights are 0, so they add nothing either way.
    out.biased.assign(rows * w.stride, 128);
    out.wide.clear();
  } else {
    out.wide.assign(rows * w.stride, 0);
    out.biased.clear();
  }
  for (std::size_t r = 0; r < rows; ++r) {
    const float* row = x + r * w.cols;
    out.scales[r] = row_scale(row, w.cols);
    const float inv = 1.0f / out.scales[r];
    // Separate loops per form, so each vectorizes.
    if (vnni) {
      std::uint8_t* dst = out.biased.data() + r * w.stride;
      for (std::size_t c = 0; c < w.cols; ++c) dst[c] = static_cast<std::uint8_t>(quantize(row[c], inv) + 128);
    } else {
      std::int16_t* dst = out.wide.data() + r * w.stride;
      for (std::size_t c = 0; c < w.cols; ++c) dst[c] = static_cast<std::int16_t>(quantize(row[c], inv));
    }
  }
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
