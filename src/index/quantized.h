// Compact copies of a float32 matrix for faster scans: binary16 (2 bytes per value) or int8 with one
// float scale per vector (1 byte per value + 4 per vector). A scan reads the compact copy, keeps a
// generous candidate list, then rescores those candidates exactly in float32, so the returned scores
// are exact and the ranking matches the float32 search except when a true top-k row falls outside
// the candidate list (rare; measured by the tests as recall@10 against cosine_top_k_batch).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "index/exact.h"

namespace cinerec {

enum class VectorEncoding { kFloat16, kInt8 };

const char* encoding_name(VectorEncoding e);  // "fp16" / "int8"

class QuantizedMatrix {
 public:
  // Encodes every row of `m`. fp16 rounds to nearest even (values beyond ±65504 become ±Inf: unit
  // vectors never get there); int8 maps each row's largest |value| to 127 and rounds to nearest, so
  // values stay in [-127, 127].
  static QuantizedMatrix encode(const MatrixView& m, VectorEncoding encoding, const ScanOptions& options = {});

  VectorEncoding encoding() const { return encoding_; }
  std::size_t rows() const { return rows_; }
  std::size_t dim() const { return dim_; }
  // Storage per vector in bytes, scale included.
  std::size_t bytes_per_vector() const;

  const std::uint16_t* f16_row(std::size_t i) const { return f16_.data() + i * dim_; }
  const std::int8_t* i8_row(std::size_t i) const { return i8_.data() + i * dim_; }
  float scale(std::size_t i) const { return scales_[i]; }  // int8: value ≈ scale * code

 private:
  VectorEncoding encoding_ = VectorEncoding::kFloat16;
  std::size_t rows_ = 0;
  std::size_t dim_ = 0;
  std::vector<std::uint16_t> f16_;
  std::vector<std::int8_t> i8_;
  std::vector<float> scales_;
};

struct QuantizedScanOptions {
  ScanOptions scan;
  // Candidates rescored in float32: max(k * candidates_per_k, k + min_extra_candidates).
  std::size_t candidates_per_k = 4;
  std::size_t min_extra_candidates = 32;
};

// Top k per query like cosine_top_k_batch, scanning `compact` and rescoring candidates against
// `exact` (the float32 matrix `compact` was encoded from). Scores are exact float32 dot products.
std::vector<std::vector<ScoredRow>> quantized_top_k_batch(const QuantizedMatrix& compact, const MatrixView& exact,
                                                          const MatrixView& queries, std::size_t k,
                                                          const std::vector<std::uint8_t>* allowed = nullptr,
                                                          const QuantizedScanOptions& options = {});

namespace detail {
// int8 code for one vector; returns the scale (0 for an all-zero vector, whose codes are all 0).
float quantize_int8(const float* v, std::size_t n, std::int8_t* codes);
}  // namespace detail

}  // namespace cinerec
