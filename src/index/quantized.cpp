#include "index/quantized.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <thread>

#include "index/block_kernels.h"
#include "index/scan_engine.h"

namespace cinerec {

const char* encoding_name(VectorEncoding e) { return e == VectorEncoding::kFloat16 ? "fp16" : "int8"; }

namespace detail {

float quantize_int8(const float* v, std::size_t n, std::int8_t* codes) {
  float max_abs = 0.0f;
  for (std::size_t i = 0; i < n; ++i) max_abs = std::max(max_abs, std::fabs(v[i]));
  if (max_abs == 0.0f) {
    std::fill(codes, codes + n, std::int8_t{0});
    return 0.0f;
  }
  const float inv = 127.0f / max_abs;
  for (std::size_t i = 0; i < n; ++i) {
    const float c = std::nearbyint(v[i] * inv);
    codes[i] = static_cast<std::int8_t>(std::clamp(c, -127.0f, 127.0f));
  }
  return max_abs / 127.0f;
}

}  // namespace detail

std::size_t QuantizedMatrix::bytes_per_vector() const {
  return encoding_ == VectorEncoding::kFloat16 ? dim_ * 2 : dim_ + sizeof(float);
}

QuantizedMatrix QuantizedMatrix::encode(const MatrixView& m, VectorEncoding encoding, const ScanOptions& options) {
  const detail::BlockKernels& kernels = options.kernels ? *options.kernels : detail::chosen_block_kernels();
  QuantizedMatrix q;
  q.encoding_ = encoding;
  q.rows_ = m.rows;
  q.dim_ = m.dim;
  if (encoding == VectorEncoding::kFloat16) {
    q.f16_.resize(m.rows * m.dim);
  } else {
    q.i8_.resize(m.rows * m.dim);
    q.scales_.resize(m.rows);
  }
  auto encode_range = [&](std::size_t begin, std::size_t end) {
    for (std::size_t r = begin; r < end; ++r) {
      if (encoding == VectorEncoding::kFloat16) {
        kernels.to_f16(m.row(r), q.f16_.data() + r * m.dim, m.dim);
      } else {
        q.scales_[r] = detail::quantize_int8(m.row(r), m.dim, q.i8_.data() + r * m.dim);
      }
    }
  };
  std::size_t threads = options.threads;
  if (threads == 0) threads = m.rows * m.dim >= (1u << 22) ? std::max(1u, std::thread::hardware_concurrency()) : 1;
  threads = std::max<std::size_t>(1, std::min(threads, m.rows));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(encode_range, m.rows * t / threads, m.rows * (t + 1) / threads);
  encode_range(0, m.rows / threads);
  for (auto& th : pool) th.join();
  return q;
}

namespace {

struct F16Scorer {
  const detail::BlockKernels& kernels;
  const QuantizedMatrix& m;
  const float* queries;
  struct Scratch {
    std::vector<const std::uint16_t*> rows;
  };
  Scratch make_scratch(std::size_t tile_rows, std::size_t) const { return Scratch{std::vector<const std::uint16_t*>(tile_rows)}; }
  void operator()(Scratch& s, const std::uint32_t* ids, std::size_t n, std::size_t q0, std::size_t nq, float* out,
                  std::size_t ld, detail::Prefetch next) const {
    for (std::size_t i = 0; i < n; ++i) s.rows[i] = m.f16_row(ids[i]);
    kernels.f16(s.rows.data(), n, queries + q0 * m.dim(), nq, m.dim(), out, ld, next);
  }
  detail::Prefetch region(std::size_t begin, std::size_t end) const {
    return {m.f16_row(begin), (end - begin) * m.dim() * sizeof(std::uint16_t)};
  }
};

struct I8Scorer {
  const detail::BlockKernels& kernels;
  const QuantizedMatrix& m;
  const std::int8_t* queries;  // int8 codes, nq x dim
  const float* query_scales;
  struct Scratch {
    std::vector<const std::int8_t*> rows;
    std::vector<std::int32_t> dots;
  };
  Scratch make_scratch(std::size_t tile_rows, std::size_t query_chunk) const {
    return Scratch{std::vector<const std::int8_t*>(tile_rows), std::vector<std::int32_t>(tile_rows * query_chunk)};
  }
  void operator()(Scratch& s, const std::uint32_t* ids, std::size_t n, std::size_t q0, std::size_t nq, float* out,
                  std::size_t ld, detail::Prefetch next) const {
    for (std::size_t i = 0; i < n; ++i) s.rows[i] = m.i8_row(ids[i]);
    kernels.i8(s.rows.data(), n, queries + q0 * m.dim(), nq, m.dim(), s.dots.data(), ld, next);
    for (std::size_t q = 0; q < nq; ++q) {
      const float qs = query_scales[q0 + q];
      for (std::size_t i = 0; i < n; ++i) out[q * ld + i] = float(s.dots[q * ld + i]) * (qs * m.scale(ids[i]));
    }
  }
  detail::Prefetch region(std::size_t begin, std::size_t end) const { return {m.i8_row(begin), (end - begin) * m.dim()}; }
};

}  // namespace

std::vector<std::vector<ScoredRow>> quantized_top_k_batch(const QuantizedMatrix& compact, const MatrixView& exact,
                                                          const MatrixView& queries, std::size_t k,
                                                          const std::vector<std::uint8_t>* allowed,
                                                          const QuantizedScanOptions& options) {
  assert(compact.rows() == exact.rows && compact.dim() == exact.dim);
  assert(queries.rows == 0 || queries.dim == exact.dim);
  const std::size_t rows = allowed ? std::min(exact.rows, allowed->size()) : exact.rows;
  k = std::min(k, rows);
  const std::size_t keep = std::min(rows, std::max(k * options.candidates_per_k, k + options.min_extra_candidates));
  const detail::BlockKernels& kernels = options.scan.kernels ? *options.scan.kernels : detail::chosen_block_kernels();
  const std::uint8_t* mask = allowed ? allowed->data() : nullptr;
  const std::size_t dim = exact.dim;

  std::vector<std::vector<ScoredRow>> candidates;
  if (compact.encoding() == VectorEncoding::kFloat16) {
    const auto plan = detail::plan_scan(rows, dim, queries.rows, compact.bytes_per_vector(), options.scan.threads);
    candidates = detail::scan_top_k(rows, queries.rows, keep, mask, plan, F16Scorer{kernels, compact, queries.data});
  } else {
    std::vector<std::int8_t> qcodes(queries.rows * dim);
    std::vector<float> qscales(queries.rows);
    for (std::size_t q = 0; q < queries.rows; ++q)
      qscales[q] = detail::quantize_int8(queries.row(q), dim, qcodes.data() + q * dim);
    const auto plan = detail::plan_scan(rows, dim, queries.rows, compact.bytes_per_vector(), options.scan.threads);
    candidates = detail::scan_top_k(rows, queries.rows, keep, mask, plan,
                                    I8Scorer{kernels, compact, qcodes.data(), qscales.data()});
  }

  // Exact rescoring: a handful of random row reads per query, negligible next to the scan. The same
  // float32 kernel as cosine_top_k_batch, so scores are bit-identical to the exact search's.
  std::vector<const float*> rows_ptr(keep);
  std::vector<float> exact_scores(keep);
  for (std::size_t q = 0; q < queries.rows; ++q) {
    auto& c = candidates[q];
    for (std::size_t i = 0; i < c.size(); ++i) rows_ptr[i] = exact.row(c[i].row);
    kernels.f32(rows_ptr.data(), c.size(), queries.row(q), 1, dim, exact_scores.data(), c.size(), {});
    for (std::size_t i = 0; i < c.size(); ++i) c[i].score = exact_scores[i];
    const std::size_t n = std::min(k, c.size());
    std::partial_sort(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(n), c.end(), detail::better);
    c.resize(n);
  }
  return candidates;
}

}  // namespace cinerec
