// Approximate nearest neighbours for large catalogs: an HNSW graph (hnswlib, header-only, from
// Debian's libhnswlib-dev) behind a small interface. Rows are numbered 0..size()-1 in insertion order,
// like the rows of the MatrixView they came from. Scores returned are exact float32 dot products
// (recomputed with cinerec's kernel), ordered like cosine_top_k: higher score, then lower row.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "index/exact.h"

namespace cinerec {

struct HnswParams {
  std::size_t M = 16;                 // graph degree (layer 0 gets 2M)
  std::size_t ef_construction = 200;  // candidate list while inserting: build time vs graph quality
  std::uint64_t seed = 100;           // level assignment; a single-threaded build is reproducible
  unsigned threads = 0;               // build threads; 0 = all hardware threads
};

struct HnswSearchInfo {
  // "hnsw": one graph search; "hnsw+filter": graph search(es) with a wider candidate list until k
  // allowed rows were found; "exact": the filter let so few rows through that scanning them was cheaper
  // (or the graph could not find k of them), so the result is exact.
  std::string method;
  std::size_t candidates = 0;  // size of the widest graph search (0 for exact)
};

class HnswIndex {
 public:
  HnswIndex();
  HnswIndex(HnswIndex&&) noexcept;
  HnswIndex& operator=(HnswIndex&&) noexcept;
  ~HnswIndex();

  // Builds the graph over every row of `m` (rows should be unit-norm: the metric is the dot product).
  static Result<HnswIndex> build(const MatrixView& m, const HnswParams& params = {});

  // Appends rows: they get numbers size() .. size()+rows.rows-1. Capacity grows as needed.
  Status add(const MatrixView& rows, unsigned threads = 0);

  // Writes the graph to `path` and its description (dimension, rows, parameters, `tag`) to
  // `path`.json, each through a temporary file renamed into place, so a crash never leaves a
  // half-written index under the real name. `tag` is for the caller (e.g. the embedding model and
  // catalog version the index was built from), returned by load_tag().
  Status save(const std::string& path, const std::string& tag = "") const;

  // Loads what save() wrote. Fails with a one-line error when a file is missing, unreadable,
  // truncated or of another format, or when `expected_dim` (if non-zero) differs.
  static Result<HnswIndex> load(const std::string& path, std::size_t expected_dim = 0);
  // The tag save() stored, without loading the graph.
  static Result<std::string> load_tag(const std::string& path);
  // The parameters the graph was built with (M, ef_construction, seed; threads 0), without loading it.
  static Result<HnswParams> load_params(const std::string& path);

  // The rows below size() whose vector differs from m's, bit for bit, ascending. Requires m.dim ==
  // dim() and m.rows >= size(). Empty: the graph holds m's first rows, and add() of the others gives
  // the index of all of m.
  std::vector<std::uint32_t> changed_rows(const MatrixView& m) const;

  // Gives each of `rows` (below size()) m's vector for it, in place: the row's links and its
  // neighbours' are rebuilt around the new vector (hnswlib's updatePoint), the other rows are kept.
  // Single-threaded; about the cost of inserting the rows anew.
  Status update(const MatrixView& m, const std::vector<std::uint32_t>& rows);

  std::size_t size() const;
  std::size_t dim() const;
  const HnswParams& params() const;
  std::size_t memory_bytes() const;  // vectors + graph, as allocated by hnswlib

  // The best k rows for `query`, exploring max(ef, k) candidates. With `allowed` (one byte per row),
  // only rows whose byte is non-zero are returned, and k of them whenever k rows pass: the search widens,
  // or falls back to an exact scan of the allowed rows. Safe to call from several threads at once.
  std::vector<ScoredRow> search(const float* query, std::size_t k, std::size_t ef,
                                const std::vector<std::uint8_t>* allowed = nullptr,
                                HnswSearchInfo* info = nullptr) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cinerec
