// Deterministic synthetic embeddings for tests and benchmarks: unit vectors scattered around random
// cluster centres, which mimics real embedding sets (topics) better than uniform noise and gives the
// near-ties that stress top-k selection and quantization.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cinerec {

struct SyntheticSpec {
  std::size_t rows = 0;
  std::size_t dim = 0;
  std::size_t clusters = 64;
  float spread = 0.6f;  // noise norm relative to the centre's norm (before normalization)
  std::uint64_t seed = 1;
  // Generate rows [first_row, first_row + rows) of the endless sequence this spec defines: queries
  // drawn from the same clusters as a catalog are the same spec with a first_row past the catalog.
  std::size_t first_row = 0;
};

// rows x dim floats, row-major, every row of unit norm. Row i depends only on (seed, dim, clusters, spread, first_row + i), so the result
// is identical whatever the thread count, and a prefix of a bigger set equals a smaller set.
// When `cluster_of` is non-null it receives each row's cluster number (for synthetic metadata).
std::vector<float> synthetic_unit_vectors(const SyntheticSpec& spec, unsigned threads = 0,
                                          std::vector<std::uint32_t>* cluster_of = nullptr);

}  // namespace cinerec
