// Synthetic catalogs for scale tests and benchmarks (a leaf module: uses catalog and index, used by cli): N movies with Spanish titles, descriptions, genres
// and years, plus their vectors (index/synthetic.h: clustered unit vectors). A movie's genre and
// description words come from its vector's cluster, so lexical and vector search agree on topics.
// Written a block at a time (constant memory): DIR/catalog.jsonl or DIR/catalog.csv, and
// DIR/vectors.npy whose row i is the vector of record i.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "catalog/movie.h"
#include "common/result.h"

namespace cinerec {

struct SyntheticCatalogSpec {
  std::size_t movies = 1000;
  std::size_t dim = 384;
  std::size_t clusters = 256;
  std::uint64_t seed = 1;
  std::string format = "jsonl";  // "jsonl" or "csv"
};

// Record i of the catalog the spec defines (deterministic; titles are unique).
MovieRecord synthetic_movie(const SyntheticCatalogSpec& spec, std::size_t i, std::uint32_t cluster);

struct SyntheticCatalogFiles {
  std::string catalog;
  std::string vectors;
};

// Writes the catalog and vectors files into `dir` (created if missing).
Result<SyntheticCatalogFiles> write_synthetic_catalog(const SyntheticCatalogSpec& spec, const std::string& dir);

}  // namespace cinerec
