// Nearest stored vectors to a query, for the recommender's vector-only paths (similar movies, prompts
// embedded by a provider with vector_only ranking): an exact scan (index/exact.h) or, on catalogs large
// enough to repay it, an HNSW graph (index/hnsw.h) built by `cinerec index` and persisted beside the
// store. The graph is used only when it was built from exactly the snapshot's vectors (a fingerprint
// of the model, movie ids and vector bytes is stored with it); otherwise the scan answers and says why.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "catalog/movie.h"
#include "common/result.h"
#include "index/exact.h"
#include "index/hnsw.h"

namespace cinerec {

enum class VectorSearchMode { Auto, Exact, Hnsw };

// "auto", "exact" or "hnsw"; an error naming the accepted values otherwise.
Result<VectorSearchMode> parse_vector_search_mode(const std::string& text);

struct VectorSearchOptions {
  VectorSearchMode mode = VectorSearchMode::Auto;
  std::string index_path;          // the persisted graph; empty: none (exact only)
  std::size_t ef = 64;             // HNSW candidate list per query (recall vs time)
  std::size_t auto_min_rows = 20000;  // Auto uses the graph from this many movies on
};

// What identifies the vectors a graph was built from: model, rows, ids and the vector bytes.
std::string vector_fingerprint(const std::string& model, const std::vector<Movie>& movies, const MatrixView& m,
                               const std::vector<std::uint8_t>& has_vector);

class VectorSearch {
 public:
  VectorSearch() = default;

  // Loads the graph at options.index_path when the mode and catalog size call for it and its tag
  // equals `fingerprint()`; otherwise keeps to the exact scan, with notice() saying why when the graph
  // was asked for (mode Hnsw) or exists but is stale. The fingerprint (a pass over every vector) is
  // only computed when there is a graph file to compare it with.
  static VectorSearch open(const VectorSearchOptions& options, const MatrixView& m,
                           const std::function<std::string()>& fingerprint);

  // Best `n` allowed rows for a unit query, best first (ties to the lower row). `method` is set to
  // "exact" or "hnsw (ef N)" (with "+filter" when the filter made the graph search widen).
  std::vector<ScoredRow> nearest(const MatrixView& m, const float* query, std::size_t n,
                                 const std::vector<std::uint8_t>& allowed, std::string* method) const;

  bool uses_graph() const { return graph_.has_value(); }
  const std::string& notice() const { return notice_; }

 private:
  std::optional<HnswIndex> graph_;
  std::size_t ef_ = 64;
  std::string notice_;
};

}  // namespace cinerec
