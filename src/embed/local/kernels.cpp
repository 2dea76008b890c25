#include "embed/local/kernels.h"

#include <algorithm>
#include <cmath>

namespace cinerec::local {

namespace detail {
bool avx2_available() {
#if defined(__x86_64__) || defined(__i386__)
  static const bool available = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return available;
#else
  return false;
#endif
}
}  // namespace detail

void add_layer_norm(float* x, const float* residual, std::size_t rows, std::size_t dim,
                    const float* gamma, const float* beta, float eps) {
  for (std::size_t r = 0; r < rows; ++r) {
    float* row = x + r * dim;
    if (residual) {
      const float* res = residual + r * dim;
      for (std::size_t i = 0; i < dim; ++i) row[i] += res[i];
    }
    // Two passes in double-free float: dim is small (<= 4096), so the sums stay accurate.
    float sum = 0;
    for (std::size_t i = 0; i < dim; ++i) sum += row[i];
    const float mean = sum / static_cast<float>(dim);
    float sq = 0;
    for (std::size_t i = 0; i < dim; ++i) {
      const float d = row[i] - mean;
      sq += d * d;
    }
    const float inv = 1.0f / std::sqrt(sq / static_cast<float>(dim) + eps);
    for (std::size_t i = 0; i < dim; ++i) row[i] = (row[i] - mean) * inv * gamma[i] + beta[i];
  }
}

void add_bias(float* x, std::size_t rows, std::size_t dim, const float* bias) {
  for (std::size_t r = 0; r < rows; ++r) {
    float* row = x + r * dim;
    for (std::size_t i = 0; i < dim; ++i) row[i] += bias[i];
  }
}

void add_bias_gelu(float* x, std::size_t rows, std::size_t dim, const float* bias, bool tanh_form) {
  if (!tanh_form && detail::avx2_available()) {
    detail::add_bias_gelu_avx2(x, rows, dim, bias);
    return;
  }
  constexpr float kInvSqrt2 = 0.70710678118654752f;
  constexpr float kSqrt2OverPi = 0.79788456080286536f;
  for (std::size_t r = 0; r < rows; ++r) {
    float* row = x + r * dim;
    for (std::size_t i = 0; i < dim; ++i) {
      const float v = row[i] + bias[i];
      row[i] = tanh_form ? 0.5f * v * (1.0f + std::tanh(kSqrt2OverPi * (v + 0.044715f * v * v * v)))
                         : 0.5f * v * (1.0f + std::erf(v * kInvSqrt2));
    }
  }
}

void softmax(float* x, std::size_t n) {
  if (detail::avx2_available()) {
    detail::softmax_avx2(x, n);
    return;
  }
  const float max = *std::max_element(x, x + n);
  float sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = std::exp(x[i] - max);
    sum += x[i];
  }
  const float inv = 1.0f / sum;
  for (std::size_t i = 0; i < n; ++i) x[i] *= inv;
}

}  // namespace cinerec::local
