// Raw hnswlib (its own inner-product space, compiled with AVX2 so it uses its fastest SIMD path on
// this machine), for comparison with cinerec's HnswIndex at equal M / ef_construction / ef.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace cinerec::bench {

class RawHnsw {
 public:
  RawHnsw(const float* data, std::size_t rows, std::size_t dim, std::size_t M, std::size_t ef_construction,
          unsigned threads);
  ~RawHnsw();
  // Labels of the k nearest rows, best first, searching with `ef` (ef is set per call, as hnswlib's
  // Python binding does; calls must not overlap).
  std::vector<std::uint32_t> search(const float* query, std::size_t k, std::size_t ef);
  std::size_t memory_bytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cinerec::bench
