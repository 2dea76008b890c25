#include "index/duplicates.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <numeric>
#include <unordered_map>

#include "index/exact.h"
#include "index/lexical.h"

namespace cinerec {

namespace {

using SparseVector = std::vector<std::pair<std::uint32_t, double>>;  // sorted by term id, unit norm

std::vector<SparseVector> tfidf_vectors(const std::vector<DuplicateCandidate>& items, const std::string& language) {
  Analyzer analyzer(language);
  std::unordered_map<std::string, std::uint32_t> ids;
  std::vector<std::unordered_map<std::uint32_t, std::uint32_t>> counts(items.size());
  std::vector<std::uint32_t> df;
  for (std::size_t i = 0; i < items.size(); ++i) {
    for (auto& term : analyzer.terms(items[i].text)) {
      auto [it, inserted] = ids.try_emplace(std::move(term), static_cast<std::uint32_t>(df.size()));
      if (inserted) df.push_back(0);
      if (counts[i][it->second]++ == 0) ++df[it->second];
    }
  }
  const double n = static_cast<double>(items.size());
  std::vector<SparseVector> out(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    double norm = 0.0;
    for (auto [id, tf] : counts[i]) {
      double w = (1.0 + std::log(static_cast<double>(tf))) * std::log(n / df[id]);
      if (w <= 0.0) continue;
      out[i].emplace_back(id, w);
      norm += w * w;
    }
    norm = std::sqrt(norm);
    for (auto& [id, w] : out[i]) w /= norm;
    std::sort(out[i].begin(), out[i].end());
  }
  return out;
}

double sparse_dot(const SparseVector& a, const SparseVector& b) {
  double s = 0.0;
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].first < b[j].first) ++i;
    else if (a[i].first > b[j].first) ++j;
    else s += a[i++].second * b[j++].second;
  }
  return s;
}

}  // namespace

std::vector<DuplicatePair> find_duplicates(const std::vector<DuplicateCandidate>& items, std::size_t dim,
                                           const DuplicateOptions& options, const std::string& language) {
  std::vector<DuplicatePair> pairs;
  if (items.size() < 2) return pairs;
  auto text = tfidf_vectors(items, language);
  auto consider = [&](std::uint32_t a, std::uint32_t b) {
    const auto &x = items[a], &y = items[b];
    const bool years_known = x.year && y.year;
    if (years_known && std::abs(*x.year - *y.year) > options.max_year_gap) return;
    const bool vectors = x.vector && y.vector && dim > 0;
    double vc = vectors ? static_cast<double>(dot(x.vector, y.vector, dim)) : 0.0;
    if (vectors && vc < options.min_vector_cosine) return;
    double tc = sparse_dot(text[a], text[b]);
    double needed = !years_known ? options.min_text_cosine_alone
                    : vectors    ? options.min_text_cosine
                                 : options.min_text_cosine_same_year;
    if (tc < needed) return;
    pairs.push_back({a, b, vc, tc});
  };
  // Two films whose years are both known pair only within max_year_gap years, so rows are bucketed by
  // year and a dated row visits only its neighbouring years and the undated rows: on a large catalog
  // that skips almost every pair (all pairs would be n^2 / 2 checks).
  std::map<int, std::vector<std::uint32_t>> by_year;  // rows ascending within a year
  std::vector<std::uint32_t> undated;
  for (std::uint32_t i = 0; i < items.size(); ++i) {
    if (items[i].year) by_year[*items[i].year].push_back(i);
    else undated.push_back(i);
  }
  const auto n = static_cast<std::uint32_t>(items.size());
  for (std::uint32_t a = 0; a < n; ++a) {
    if (!items[a].year) {
      for (std::uint32_t b = a + 1; b < n; ++b) consider(a, b);
      continue;
    }
    const int year = *items[a].year;
    for (auto it = by_year.lower_bound(year - options.max_year_gap);
         it != by_year.end() && it->first <= year + options.max_year_gap; ++it) {
      const auto& rows = it->second;
      for (auto b = std::upper_bound(rows.begin(), rows.end(), a); b != rows.end(); ++b) consider(a, *b);
    }
    for (auto b = std::upper_bound(undated.begin(), undated.end(), a); b != undated.end(); ++b) consider(a, *b);
  }
  // The order of the all-pairs scan: by first row, then second.
  std::sort(pairs.begin(), pairs.end(),
            [](const DuplicatePair& p, const DuplicatePair& q) { return p.a != q.a ? p.a < q.a : p.b < q.b; });
  return pairs;
}

std::vector<std::uint32_t> duplicate_representatives(std::size_t n, const std::vector<DuplicatePair>& pairs) {
  std::vector<std::uint32_t> parent(n);
  std::iota(parent.begin(), parent.end(), 0u);
  auto find = [&](std::uint32_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const auto& p : pairs) {
    if (p.a >= n || p.b >= n) continue;
    auto ra = find(p.a), rb = find(p.b);
    if (ra != rb) parent[std::max(ra, rb)] = std::min(ra, rb);  // the lower row stays the root
  }
  std::vector<std::uint32_t> rep(n);
  for (std::uint32_t i = 0; i < n; ++i) rep[i] = find(i);
  return rep;
}

}  // namespace cinerec
