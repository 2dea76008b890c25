#pragma once
#include <cstddef>

namespace cinerec::bench {
// out[r] = dot(m row r, q) for every row, AVX2/FMA, `threads` threads. Requires an AVX2 CPU.
void plain_scan(const float* m, std::size_t rows, std::size_t dim, const float* q, float* out, unsigned threads);
}  // namespace cinerec::bench
