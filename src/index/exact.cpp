#include "index/exact.h"

#include <algorithm>
#include <cassert>

#include "index/block_kernels.h"
#include "index/dot_kernels.h"
#include "index/scan_engine.h"

namespace cinerec {
namespace detail {

float dot_portable(const float* a, const float* b, std::size_t n) {
  float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; ++i) s0 += a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

bool cpu_has_avx2_fma() {
  static const bool has = [] {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return false;
#endif
  }();
  return has;
}

float ip_distance_portable(const void* a, const void* b, const void* dim) {
  return 1.0f - dot_portable(static_cast<const float*>(a), static_cast<const float*>(b),
                             *static_cast<const std::size_t*>(dim));
}

DotFn chosen_dot() {
  static const DotFn fn = cpu_has_avx2_fma() ? &dot_avx2 : &dot_portable;
  return fn;
}

}  // namespace detail

float dot(const float* a, const float* b, std::size_t n) { return detail::chosen_dot()(a, b, n); }

const char* dot_kernel_name() { return detail::cpu_has_avx2_fma() ? "avx2-fma" : "portable"; }

namespace {

struct F32Scorer {
  const detail::BlockKernels& kernels;
  MatrixView matrix;
  const float* queries;
  struct Scratch {
    std::vector<const float*> rows;
  };
  Scratch make_scratch(std::size_t tile_rows, std::size_t) const { return Scratch{std::vector<const float*>(tile_rows)}; }
  void operator()(Scratch& s, const std::uint32_t* ids, std::size_t n, std::size_t q0, std::size_t nq, float* out,
                  std::size_t ld, detail::Prefetch next) const {
    for (std::size_t i = 0; i < n; ++i) s.rows[i] = matrix.row(ids[i]);
    kernels.f32(s.rows.data(), n, queries + q0 * matrix.dim, nq, matrix.dim, out, ld, next);
  }
  detail::Prefetch region(std::size_t begin, std::size_t end) const {
    return {matrix.row(begin), (end - begin) * matrix.dim * sizeof(float)};
  }
};

}  // namespace

std::vector<std::vector<ScoredRow>> cosine_top_k_batch(const MatrixView& matrix, const MatrixView& queries,
                                                       std::size_t k, const std::vector<std::uint8_t>* allowed,
                                                       const ScanOptions& options) {
  assert(queries.rows == 0 || queries.dim == matrix.dim);
  assert(allowed == nullptr || allowed->size() >= matrix.rows);
  // Rows past the end of a short filter never pass it.
  const std::size_t rows = allowed ? std::min(matrix.rows, allowed->size()) : matrix.rows;
  const detail::BlockKernels& kernels = options.kernels ? *options.kernels : detail::chosen_block_kernels();
  const detail::ScanPlan plan =
      detail::plan_scan(rows, matrix.dim, queries.rows, matrix.dim * sizeof(float), options.threads);
  return detail::scan_top_k(rows, queries.rows, std::min(k, rows), allowed ? allowed->data() : nullptr, plan,
                            F32Scorer{kernels, matrix, queries.data});
}

std::vector<ScoredRow> cosine_top_k(const MatrixView& matrix, const float* query, std::size_t k,
                                    const std::vector<std::uint8_t>* allowed) {
  auto results = cosine_top_k_batch(matrix, MatrixView{query, 1, matrix.dim}, k, allowed);
  return std::move(results[0]);
}

}  // namespace cinerec
