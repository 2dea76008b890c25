#include "recommend/vector_search.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

namespace cinerec {

namespace {

// A 64-bit multiply-xorshift mix, fed 8 bytes at a time: fast enough to fingerprint a million
// 1536-d vectors at load (GB/s), and any changed bit changes the result with overwhelming probability.
struct Fingerprint {
  std::uint64_t h = 0x9E3779B97F4A7C15ull;
  void add(std::uint64_t word) {
    h ^= word + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
  void add_bytes(const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      add(w);
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, p + i, size - i);
    add(tail ^ size);
  }
};

constexpr std::size_t kFewBlocked = 64;

}  // namespace

Result<VectorSearchMode> parse_vector_search_mode(const std::string& text) {
  if (text == "auto") return VectorSearchMode::Auto;
  if (text == "exact") return VectorSearchMode::Exact;
  if (text == "hnsw") return VectorSearchMode::Hnsw;
  return Error{"unknown vector search \"" + text + "\" (expected auto, exact or hnsw)"};
}

std::string vector_fingerprint(const std::string& model, const std::vector<Movie>& movies, const MatrixView& m,
                               const std::vector<std::uint8_t>& has_vector) {
  Fingerprint f;
  f.add_bytes(model.data(), model.size());
  f.add(m.rows);
  f.add(m.dim);
  for (std::size_t i = 0; i < movies.size(); ++i) {
    f.add(static_cast<std::uint64_t>(movies[i].id));
    f.add(i < has_vector.size() ? has_vector[i] : 0);
  }
  if (m.rows > 0 && m.dim > 0) f.add_bytes(m.data, m.rows * m.dim * sizeof(float));
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(f.h));
  return "model=" + model + " rows=" + std::to_string(m.rows) + " dim=" + std::to_string(m.dim) +
         " vectors=" + hex;
}

VectorSearch VectorSearch::open(const VectorSearchOptions& options, const MatrixView& m,
                                const std::function<std::string()>& fingerprint) {
  VectorSearch s;
  s.ef_ = options.ef;
  if (options.mode == VectorSearchMode::Exact || m.rows == 0) return s;
  const bool asked = options.mode == VectorSearchMode::Hnsw;
  if (!asked && m.rows < options.auto_min_rows) return s;
  std::error_code ec;
  if (options.index_path.empty() || !std::filesystem::exists(options.index_path, ec)) {
    if (asked)
      s.notice_ = "no HNSW index" + (options.index_path.empty() ? std::string() : " at " + options.index_path) +
                  "; searched exactly (build one with: cinerec index)";
    return s;
  }
  auto tag = HnswIndex::load_tag(options.index_path);
  if (!tag.ok() || *tag != fingerprint()) {
    s.notice_ = "the HNSW index " + options.index_path +
                (tag.ok() ? " was built from other vectors" : " is unreadable: " + tag.error().message) +
                "; searched exactly (rebuild it with: cinerec index)";
    return s;
  }
  auto graph = HnswIndex::load(options.index_path, m.dim);
  if (!graph.ok()) {
    s.notice_ = graph.error().message + "; searched exactly (rebuild it with: cinerec index)";
    return s;
  }
  if (graph->size() != m.rows) {
    s.notice_ = "the HNSW index " + options.index_path + " has " + std::to_string(graph->size()) +
                " rows, the catalog " + std::to_string(m.rows) + "; searched exactly (rebuild it with: cinerec index)";
    return s;
  }
  s.graph_ = std::move(graph).value();
  return s;
}

std::vector<ScoredRow> VectorSearch::nearest(const MatrixView& m, const float* query, std::size_t n,
                                             const std::vector<std::uint8_t>& allowed, std::string* method) const {
  if (!graph_) {
    if (method) *method = "exact";
    return cosine_top_k(m, query, n, &allowed);
  }
  HnswSearchInfo info;
  // A handful of excluded rows (the movie itself, rows without a vector) are dropped from a slightly
  // longer plain search; a real filter goes to the graph, which widens its search or scans.
  std::vector<std::uint32_t> blocked;
  for (std::size_t r = 0; r < allowed.size() && blocked.size() <= kFewBlocked; ++r)
    if (!allowed[r]) blocked.push_back(static_cast<std::uint32_t>(r));
  std::vector<ScoredRow> rows;
  if (blocked.size() <= kFewBlocked) {
    rows = graph_->search(query, n + blocked.size(), ef_, nullptr, &info);
    rows.erase(std::remove_if(rows.begin(), rows.end(),
                              [&](const ScoredRow& r) { return std::binary_search(blocked.begin(), blocked.end(), r.row); }),
               rows.end());
    if (rows.size() > n) rows.resize(n);
  } else {
    rows = graph_->search(query, n, ef_, &allowed, &info);
  }
  if (method) *method = info.method == "exact" ? "exact" : info.method + " (ef " + std::to_string(ef_) + ")";
  return rows;
}

}  // namespace cinerec
