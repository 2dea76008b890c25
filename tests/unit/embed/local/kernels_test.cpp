// The encoder's hand-written kernels against plain double-precision loops.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "embed/local/int8_linear.h"
#include "embed/local/kernels.h"

namespace cinerec::local {
namespace {

std::vector<float> random_vector(std::size_t n, std::mt19937& rng, float scale = 1.0f) {
  std::normal_distribution<float> d(0.0f, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

TEST(EncoderKernels, SmallGemmMatchesNaiveProductOnRaggedShapes) {
  if (!detail::avx2_available()) GTEST_SKIP() << "no AVX2/FMA on this CPU";
  std::mt19937 rng(3);
  for (std::size_t m : {1u, 2u, 3u, 4u, 7u, 24u})
    for (std::size_t k : {1u, 8u, 13u, 384u})
      for (std::size_t n : {1u, 5u, 16u, 37u}) {
        const auto in = random_vector(m * k, rng), w = random_vector(n * k, rng);
        std::vector<float> out(m * n, -1.0f);
        // Two column ranges, as two threads would compute them.
        const std::size_t mid = n / 2;
        detail::small_gemm_avx2(in.data(), m, k, w.data(), 0, mid, out.data(), n);
        detail::small_gemm_avx2(in.data(), m, k, w.data(), mid, n, out.data(), n);
        for (std::size_t r = 0; r < m; ++r)
          for (std::size_t c = 0; c < n; ++c) {
            double ref = 0;
            for (std::size_t i = 0; i < k; ++i) ref += static_cast<double>(in[r * k + i]) * w[c * k + i];
            ASSERT_NEAR(out[r * n + c], ref, 1e-4 * (1 + std::sqrt(static_cast<double>(k))))
                << "m=" << m << " k=" << k << " n=" << n << " at " << r << "," << c;
          }
      }
}

TEST(EncoderKernels, GeluAndSoftmaxMatchTheExactFunctions) {
  std::vector<float> x;
  for (float v = -12.0f; v <= 12.0f; v += 0.01f) x.push_back(v);
  const std::vector<float> zero_bias(x.size(), 0.0f);
  auto g = x;
  add_bias_gelu(g.data(), 1, g.size(), zero_bias.data(), false);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double v = x[i];
    const double ref = 0.5 * v * (1.0 + std::erf(v / std::sqrt(2.0)));
    ASSERT_NEAR(g[i], ref, 2e-6 * (1 + std::abs(v))) << "gelu(" << v << ")";
  }
  std::mt19937 rng(5);
  for (std::size_t n : {1u, 7u, 8u, 9u, 200u}) {
    auto s = random_vector(n, rng, 6.0f);
    const auto orig = s;
    softmax(s.data(), n);
    double max = orig[0];
    for (float v : orig) max = std::max<double>(max, v);
    double sum = 0;
    for (float v : orig) sum += std::exp(v - max);
    for (std::size_t i = 0; i < n; ++i) ASSERT_NEAR(s[i], std::exp(orig[i] - max) / sum, 1e-6) << "n=" << n;
  }
}

}  // namespace
}  // namespace cinerec::local

namespace cinerec::local {
namespace {

TEST(Int8Linear, EqualsTheExactIntegerProductRescaled) {
  std::mt19937 rng(11);
  for (std::size_t m : {1u, 4u, 13u, 50u, 100u})
    for (std::size_t k : {5u, 16u, 40u, 70u})
      for (std::size_t n : {1u, 6u, 19u, 40u}) {
        const auto x = random_vector(m * k, rng), w = random_vector(n * k, rng);
        const Int8Matrix q = quantize_rows(w.data(), n, k);
        Int8Activations xq;
        // Rows quantized in two ranges, as threads do; columns computed in three ranges that start
        // inside the kernels' 16-column blocks.
        prepare_activations(m, q, xq);
        quantize_activation_rows(x.data(), m / 3, m, q, xq);
        quantize_activation_rows(x.data(), 0, m / 3, q, xq);
        std::vector<float> out(m * n, std::nanf(""));
        const std::size_t a = n / 3, b = 2 * n / 3 + 1;
        int8_linear(xq, q, 0, a, out.data(), n);
        int8_linear(xq, q, a, std::min(b, n), out.data(), n);
        int8_linear(xq, q, std::min(b, n), n, out.data(), n);
        for (std::size_t r = 0; r < m; ++r) {
          float max = 0;
          for (std::size_t i = 0; i < k; ++i) max = std::max(max, std::abs(x[r * k + i]));
          for (std::size_t c = 0; c < n; ++c) {
            std::int64_t dot = 0;
            double exact = 0;
            for (std::size_t i = 0; i < k; ++i) {
              // Independent re-quantization of the activation, checked against what the kernel reads.
              const long expected_q = std::lrint(x[r * k + i] * (1.0f / (max / 127.0f)));
              ASSERT_EQ(activation_value(xq, r, i), expected_q);
              dot += expected_q * q.values[c * q.stride + i];
              exact += static_cast<double>(x[r * k + i]) * w[c * k + i];
            }
            const double expected = static_cast<double>(dot) * xq.scales[r] * q.scales[c];
            ASSERT_NEAR(out[r * n + c], expected, 1e-5 * (1 + std::abs(expected))) << m << " " << k << " " << n;
            ASSERT_NEAR(out[r * n + c], exact, 0.05 * static_cast<double>(k)) << m << " " << k << " " << n;
          }
        }
      }
}

}  // namespace
}  // namespace cinerec::local
