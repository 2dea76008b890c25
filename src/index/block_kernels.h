// Internal to src/index: kernels that score a block of rows against a block of queries at once, so a
// scan reads each row from memory once for all queries (query batching) and keeps many
// multiply-adds in flight. Rows come as pointers so filtered scans skip rows without copying them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cinerec::detail {

// Memory the caller will score next (the following tile of a scan). A kernel may request it into
// cache a line at a time, spread over its own arithmetic, so the next tile arrives while this one is
// scored: a batched scan is compute-bound per tile, and without this the two phases do not overlap
// (measured on 200k x 1536, batch 16: 99 -> 76 ms). Only a hint: results never depend on it.
struct Prefetch {
  const void* data = nullptr;
  std::size_t bytes = 0;
};

struct BlockKernels {
  const char* name;
  // out[q * ld + r] = dot(queries + q * dim, rows[r]) for r < nrows, q < nq.
  void (*f32)(const float* const* rows, std::size_t nrows, const float* queries, std::size_t nq,
              std::size_t dim, float* out, std::size_t ld, Prefetch next);
  // Same with rows stored as IEEE binary16; queries stay float32.
  void (*f16)(const std::uint16_t* const* rows, std::size_t nrows, const float* queries, std::size_t nq,
              std::size_t dim, float* out, std::size_t ld, Prefetch next);
  // Integer dot products of int8 rows and int8 queries. Values must lie in [-127, 127] (the
  // quantizer never produces -128), which keeps the AVX2 pairwise int16 sums from saturating.
  void (*i8)(const std::int8_t* const* rows, std::size_t nrows, const std::int8_t* queries, std::size_t nq,
             std::size_t dim, std::int32_t* out, std::size_t ld, Prefetch next);
  // float32 -> binary16, round to nearest even (identical results in every implementation).
  void (*to_f16)(const float* in, std::uint16_t* out, std::size_t n);
};

const BlockKernels& portable_block_kernels();
const BlockKernels& avx2_block_kernels();  // only valid when cpu_has_avx2_fma() (and F16C)
// The fastest set this CPU supports; chosen once.
const BlockKernels& chosen_block_kernels();

// Scalar binary16 conversions (also the reference for the SIMD ones).
std::uint16_t f32_to_f16(float f);
float f16_to_f32(std::uint16_t h);

}  // namespace cinerec::detail
