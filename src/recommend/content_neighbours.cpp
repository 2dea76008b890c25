#include "recommend/content_neighbours.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

#include "common/text.h"
#include "index/lexical.h"
#include "index/stopwords.h"

namespace cinerec {
namespace {

using List = std::vector<std::pair<std::uint32_t, float>>;

// Cosines of unit vectors, a block of rows at a time through one BLAS product.
ItemNeighbours vector_neighbours(const MatrixView& m, std::size_t keep) {
  const std::size_t n = m.rows, block = 256;
  std::vector<List> lists(n);
  std::vector<float> sims(block * n);
  for (std::size_t start = 0; start < n; start += block) {
    std::size_t rows = std::min(block, n - start);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(rows), static_cast<int>(n),
                static_cast<int>(m.dim), 1.0f, m.row(start), static_cast<int>(m.dim), m.data, static_cast<int>(m.dim),
                0.0f, sims.data(), static_cast<int>(n));
    for (std::size_t r = 0; r < rows; ++r) {
      List row;
      for (std::size_t j = 0; j < n; ++j)
        if (j != start + r && sims[r * n + j] > 0.0f) row.emplace_back(static_cast<std::uint32_t>(j), sims[r * n + j]);
      ItemNeighbours::keep_strongest(row, keep);
      lists[start + r] = std::move(row);
    }
  }
  return ItemNeighbours::from_lists(std::move(lists));
}

// The catalog's language, judged on the descriptions as the recommender judges its texts.
std::string catalog_language(const std::vector<Movie>& movies) {
  std::vector<std::string> descriptions;
  descriptions.reserve(movies.size());
  for (const auto& m : movies) descriptions.push_back(m.description);
  return detect_language(descriptions);
}

// TF-IDF with (1 + ln tf) * ln(N / df) weights, genre tags as extra terms; terms in more than a tenth
// of the catalog carry little identity and would make the pairwise pass quadratic, so they are skipped.
ItemNeighbours text_neighbours(const std::vector<Movie>& movies, std::size_t keep) {
  const std::size_t n = movies.size();
  Analyzer analyzer(catalog_language(movies));
  std::vector<std::map<std::string, float>> tf(n);
  std::unordered_map<std::string, std::uint32_t> df;
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& t : analyzer.terms(movies[i].description)) tf[i][t] += 1.0f;
    for (const auto& g : movies[i].genres) tf[i]["genre:" + fold_for_search(g)] += 2.0f;
    for (const auto& [t, _] : tf[i]) ++df[t];
  }
  const std::size_t max_df = std::max<std::size_t>(2, n / 10);
  std::unordered_map<std::string, std::uint32_t> term_id;
  std::vector<std::vector<std::pair<std::uint32_t, float>>> postings;
  std::vector<std::vector<std::pair<std::uint32_t, float>>> docs(n);
  for (std::size_t i = 0; i < n; ++i) {
    double norm = 0.0;
    std::vector<std::pair<std::uint32_t, float>> weights;
    for (const auto& [t, count] : tf[i]) {
      auto d = df[t];
      if (d < 2 || d > max_df) continue;  // a term of one movie links it to nothing
      auto [it, inserted] = term_id.emplace(t, static_cast<std::uint32_t>(postings.size()));
      if (inserted) postings.emplace_back();
      float w = static_cast<float>((1.0 + std::log(count)) * std::log(static_cast<double>(n) / d));
      weights.emplace_back(it->second, w);
      norm += static_cast<double>(w) * w;
    }
    for (auto& [t, w] : weights) {
      w = static_cast<float>(w / std::sqrt(norm));
      postings[t].emplace_back(static_cast<std::uint32_t>(i), w);
    }
    docs[i] = std::move(weights);
  }
  std::vector<List> lists(n);
  std::vector<float> acc(n, 0.0f);
  std::vector<std::uint32_t> touched;
  for (std::size_t i = 0; i < n; ++i) {
    touched.clear();
    for (const auto& [t, w] : docs[i])
      for (const auto& [j, wj] : postings[t]) {
        if (acc[j] == 0.0f) touched.push_back(j);
        acc[j] += w * wj;
      }
    List row;
    for (auto j : touched) {
      if (j != i && acc[j] > 0.0f) row.emplace_back(j, acc[j]);
      acc[j] = 0.0f;
    }
    ItemNeighbours::keep_strongest(row, keep);
    lists[i] = std::move(row);
  }
  return ItemNeighbours::from_lists(std::move(lists));
}

}  // namespace

ItemNeighbours content_neighbours(const Recommender& recommender, std::size_t keep) {
  const auto& movies = recommender.movies();
  bool all_vectors = recommender.vectors().dim > 0 && !movies.empty();
  for (std::size_t i = 0; all_vectors && i < movies.size(); ++i) all_vectors = recommender.has_vector(i);
  if (all_vectors) return vector_neighbours(recommender.vectors(), keep);
  return text_neighbours(movies, keep);
}

}  // namespace cinerec
