#include "recommend/vector_search.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include <unistd.h>

#include "index/synthetic.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kRows = 3000, kDim = 32, kQueries = 50, kK = 10;

struct Catalog {
  std::vector<float> vectors, queries;
  std::vector<Movie> movies;
  std::vector<std::uint8_t> has_vector;
  MatrixView view() const { return {vectors.data(), kRows, kDim}; }
};

const Catalog& catalog() {
  static const Catalog c = [] {
    Catalog c;
    c.vectors = synthetic_unit_vectors({.rows = kRows, .dim = kDim, .clusters = 32, .seed = 5});
    c.queries = synthetic_unit_vectors({.rows = kQueries, .dim = kDim, .clusters = 32, .seed = 5, .first_row = 1u << 20});
    for (std::size_t i = 0; i < kRows; ++i) {
      Movie m;
      m.id = static_cast<MovieId>(i + 1);
      m.title = "m" + std::to_string(i);
      c.movies.push_back(m);
    }
    c.has_vector.assign(kRows, 1);
    return c;
  }();
  return c;
}

struct IndexFile {
  fs::path path = fs::temp_directory_path() / ("cinerec-vs-" + std::to_string(::getpid()) + ".hnsw");
  ~IndexFile() {
    fs::remove(path);
    fs::remove(path.string() + ".json");
  }
};

std::string fingerprint() {
  const auto& c = catalog();
  return vector_fingerprint("synthetic-32", c.movies, c.view(), c.has_vector);
}

VectorSearchOptions options_for(const IndexFile& f, VectorSearchMode mode = VectorSearchMode::Auto) {
  VectorSearchOptions o;
  o.mode = mode;
  o.index_path = f.path.string();
  o.auto_min_rows = 1000;
  return o;
}

void save_graph(const IndexFile& f, const std::string& tag) {
  auto graph = HnswIndex::build(catalog().view(), HnswParams{.M = 16, .ef_construction = 100, .seed = 1, .threads = 1});
  ASSERT_TRUE(graph.ok()) << graph.error().message;
  ASSERT_TRUE(graph->save(f.path.string(), tag).ok());
}

TEST(VectorSearch, FingerprintChangesWithAnyVectorIdOrModel) {
  const auto& c = catalog();
  const auto base = fingerprint();
  EXPECT_EQ(base, fingerprint());
  auto vectors = c.vectors;
  vectors[kDim * 1234 + 7] += 1e-6f;
  EXPECT_NE(base, vector_fingerprint("synthetic-32", c.movies, {vectors.data(), kRows, kDim}, c.has_vector));
  auto movies = c.movies;
  movies[10].id = 99999;
  EXPECT_NE(base, vector_fingerprint("synthetic-32", movies, c.view(), c.has_vector));
  EXPECT_NE(base, vector_fingerprint("other", c.movies, c.view(), c.has_vector));
}

TEST(VectorSearch, AFreshGraphAnswersWithTheExactNeighboursAndSaysSo) {
  IndexFile f;
  save_graph(f, fingerprint());
  const auto& c = catalog();
  auto search = VectorSearch::open(options_for(f), c.view(), fingerprint);
  ASSERT_TRUE(search.uses_graph()) << search.notice();
  EXPECT_EQ(search.notice(), "");
  std::vector<std::uint8_t> all(kRows, 1);
  std::size_t found = 0;
  for (std::size_t q = 0; q < kQueries; ++q) {
    std::string method;
    auto approx = search.nearest(c.view(), c.queries.data() + q * kDim, kK, all, &method);
    EXPECT_EQ(method, "hnsw (ef 64)");
    auto exact = cosine_top_k(c.view(), c.queries.data() + q * kDim, kK, &all);
    std::set<std::uint32_t> truth;
    for (const auto& r : exact) truth.insert(r.row);
    for (const auto& r : approx) found += truth.count(r.row);
  }
  EXPECT_GE(static_cast<double>(found) / (kQueries * kK), 0.99);

  // A filter that lets 5 % through still gives k allowed rows.
  std::vector<std::uint8_t> few(kRows, 0);
  for (std::size_t i = 0; i < kRows; i += 20) few[i] = 1;
  std::string method;
  auto filtered = search.nearest(c.view(), c.queries.data(), kK, few, &method);
  ASSERT_EQ(filtered.size(), kK);
  for (const auto& r : filtered) EXPECT_TRUE(few[r.row]);
  EXPECT_TRUE(method == "exact" || method.rfind("hnsw+filter", 0) == 0 || method.rfind("hnsw", 0) == 0) << method;
}

TEST(VectorSearch, AStaleOrMissingGraphFallsBackToTheScanWithANotice) {
  IndexFile f;
  const auto& c = catalog();
  std::vector<std::uint8_t> all(kRows, 1);
  // Asked for, but there is none.
  auto none = VectorSearch::open(options_for(f, VectorSearchMode::Hnsw), c.view(), fingerprint);
  EXPECT_FALSE(none.uses_graph());
  EXPECT_NE(none.notice().find("no HNSW index at " + f.path.string()), std::string::npos);
  // Auto without an index: the scan, silently.
  EXPECT_EQ(VectorSearch::open(options_for(f), c.view(), fingerprint).notice(), "");

  save_graph(f, "model=synthetic-32 rows=3000 dim=32 vectors=0000000000000000");
  auto stale = VectorSearch::open(options_for(f), c.view(), fingerprint);
  EXPECT_FALSE(stale.uses_graph());
  EXPECT_NE(stale.notice().find("was built from other vectors"), std::string::npos);
  EXPECT_NE(stale.notice().find("cinerec index"), std::string::npos);
  std::string method;
  auto rows = stale.nearest(c.view(), c.queries.data(), kK, all, &method);
  EXPECT_EQ(method, "exact");
  auto exact = cosine_top_k(c.view(), c.queries.data(), kK, &all);
  ASSERT_EQ(rows.size(), exact.size());
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i].row, exact[i].row);
}

TEST(VectorSearch, AutoKeepsSmallCatalogsAndExactModeOnTheScan) {
  IndexFile f;
  save_graph(f, fingerprint());
  const auto& c = catalog();
  auto small = options_for(f);
  small.auto_min_rows = kRows + 1;
  EXPECT_FALSE(VectorSearch::open(small, c.view(), fingerprint).uses_graph());
  EXPECT_FALSE(VectorSearch::open(options_for(f, VectorSearchMode::Exact), c.view(), fingerprint).uses_graph());
  EXPECT_TRUE(VectorSearch::open(options_for(f, VectorSearchMode::Hnsw), c.view(), fingerprint).uses_graph());
  EXPECT_FALSE(parse_vector_search_mode("fast").ok());
  EXPECT_EQ(*parse_vector_search_mode("hnsw"), VectorSearchMode::Hnsw);
}

}  // namespace
}  // namespace cinerec
