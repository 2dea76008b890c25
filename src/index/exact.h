// Exact nearest-neighbour search: a full scan of a row-major float32 matrix, keeping the top k.
// Vectors are expected unit-norm (the store normalizes them), so the dot product is the cosine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cinerec {

namespace detail {
struct BlockKernels;
}

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
// Large matrices are scanned by every hardware thread (see ScanOptions).
std::vector<ScoredRow> cosine_top_k(const MatrixView& matrix, const float* query, std::size_t k,
                                    const std::vector<std::uint8_t>* allowed = nullptr);

struct ScanOptions {
  // 0: all hardware threads once the scan is big enough to repay starting them (~1 ms of work),
  // otherwise one; n > 0: exactly n threads (fewer only if there are fewer tiles of rows than n).
  unsigned threads = 0;
  // Kernel set to use; null = the fastest this CPU supports. Tests set it to force each kernel.
  const detail::BlockKernels* kernels = nullptr;
};

// cosine_top_k for many queries at once (queries.dim must equal matrix.dim): result i is the top k of
// queries.row(i), identical in rows and order to what cosine_top_k returns for that query alone.
// The matrix is streamed once per chunk of queries, so a batch costs far less than separate calls.
std::vector<std::vector<ScoredRow>> cosine_top_k_batch(const MatrixView& matrix, const MatrixView& queries,
                                                       std::size_t k,
                                                       const std::vector<std::uint8_t>* allowed = nullptr,
                                                       const ScanOptions& options = {});

}  // namespace cinerec
