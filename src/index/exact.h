// Exact nearest-neighbour search: a full scan of a row-major float32 matrix, keeping the top k.
// Vectors are expected unit-norm (the store normalizes them), so the dot product is the cosine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cinerec {

// A borrowed view of `rows` vectors of `dim` floats, row after row. The caller keeps the memory alive.
struct MatrixView {
  const float* data = nullptr;
  std::size_t rows = 0;
  std::size_t dim = 0;
  const float* row(std::size_t i) const { return data + i * dim; }
};

struct ScoredRow {
  std::uint32_t row = 0;
  float score = 0.0f;
};

// Dot product of two float arrays of length n, using the fastest kernel this CPU supports.
float dot(const float* a, const float* b, std::size_t n);

// Name of the kernel dot() dispatches to on this CPU ("avx2-fma" or "portable").
const char* dot_kernel_name();

// The k rows of `matrix` with the highest dot product with `query`, best first; ties broken by lower
// row number, so results are deterministic. When `allowed` is non-null it has one byte per row and
// only rows whose byte is non-zero are candidates: the filter is applied during the scan, so up to k
// results come back whenever k rows pass it.
std::vector<ScoredRow> cosine_top_k(const MatrixView& matrix, const float* query, std::size_t k,
                                    const std::vector<std::uint8_t>* allowed = nullptr);

}  // namespace cinerec
