// Element-wise kernels of the encoder (everything but the matrix products). Each has a portable
// version and, on CPUs with AVX2+FMA, a vectorized one chosen at run time (exp with ~2e-7 relative
// error, erf with < 1.5e-7 absolute error), far inside the 1e-4 the parity tests allow.
#pragma once

#include <cstddef>

namespace cinerec::local {

// x[r] = LayerNorm(x[r] + residual[r]) * gamma + beta for each of `rows` rows of `dim` floats;
// residual may be null. Variance is the biased one, as torch.nn.LayerNorm uses.
void add_layer_norm(float* x, const float* residual, std::size_t rows, std::size_t dim,
                    const float* gamma, const float* beta, float eps);

// x[r] = x[r] + bias for each row.
void add_bias(float* x, std::size_t rows, std::size_t dim, const float* bias);

// x[r] = gelu(x[r] + bias): the exact erf form, or the tanh approximation when tanh_form.
void add_bias_gelu(float* x, std::size_t rows, std::size_t dim, const float* bias, bool tanh_form);

// Softmax of one row in place.
void softmax(float* x, std::size_t n);

namespace detail {
// The AVX2 variants (kernels_avx2.cpp); call only when avx2_available().
bool avx2_available();
void add_bias_gelu_avx2(float* x, std::size_t rows, std::size_t dim, const float* bias);
void softmax_avx2(float* x, std::size_t n);
// out[r, n] = dot(in[r, :], weight[n, :]) for r < m and n in [n_begin, n_end); out rows are ldo apart.
void small_gemm_avx2(const float* in, std::size_t m, std::size_t k, const float* weight, std::size_t n_begin,
                     std::size_t n_end, float* out, std::size_t ldo);
}  // namespace detail

}  // namespace cinerec::local
