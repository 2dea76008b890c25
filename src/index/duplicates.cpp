#include "index/duplicates.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>
#include <numeric>
#include <thread>
#include <unordered_map>

#include "index/block_kernels.h"
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

// Calls on_pair(a, b, cosine) for every a of `left` and b of `right` (both ascending, rows with
// vectors) with a < b whose vector cosine is at least min_cosine. The products go through the block
// kernels: a chunk of left rows copied side by side (the queries) against tiles of right rows, so each
// tile is read once per chunk; one product at a time was 80 % of loading a 100,000-movie catalog.
void close_vector_pairs(const std::vector<DuplicateCandidate>& items, std::size_t dim,
                        const std::vector<std::uint32_t>& left, const std::vector<std::uint32_t>& right,
                        float min_cosine, const std::function<void(std::uint32_t, std::uint32_t, float)>& on_pair) {
  const detail::BlockKernels& kernels = detail::chosen_block_kernels();
  constexpr std::size_t kChunk = 32, kTile = 96;
  std::vector<float> queries(kChunk * dim), scores(kChunk * kTile);
  std::vector<const float*> tile(kTile);
  for (std::size_t q0 = 0; q0 < left.size(); q0 += kChunk) {
    const std::size_t nq = std::min(kChunk, left.size() - q0);
    for (std::size_t q = 0; q < nq; ++q) std::copy_n(items[left[q0 + q]].vector, dim, queries.data() + q * dim);
    for (auto it = std::upper_bound(right.begin(), right.end(), left[q0]); it < right.end();) {
      const std::size_t nt = std::min<std::size_t>(kTile, static_cast<std::size_t>(right.end() - it));
      for (std::size_t i = 0; i < nt; ++i) tile[i] = items[it[i]].vector;
      kernels.f32(tile.data(), nt, queries.data(), nq, dim, scores.data(), kTile, {});
      for (std::size_t q = 0; q < nq; ++q)
        for (std::size_t i = 0; i < nt; ++i)
          if (it[i] > left[q0 + q] && scores[q * kTile + i] >= min_cosine) on_pair(left[q0 + q], it[i], scores[q * kTile + i]);
      it += static_cast<std::ptrdiff_t>(nt);
    }
  }
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
  struct Bucket {
    std::vector<std::uint32_t> with_vector, without_vector;  // rows ascending
  };
  std::map<int, Bucket> by_year;
  std::vector<std::uint32_t> undated;
  const bool use_vectors = dim > 0;
  for (std::uint32_t i = 0; i < items.size(); ++i) {
    if (!items[i].year) undated.push_back(i);
    else if (use_vectors && items[i].vector) by_year[*items[i].year].with_vector.push_back(i);
    else by_year[*items[i].year].without_vector.push_back(i);
  }
  auto after = [](const std::vector<std::uint32_t>& rows, std::uint32_t a) {
    return std::upper_bound(rows.begin(), rows.end(), a);
  };
  // Pairs with a missing vector or an undated side, one by one: no vector product, or few rows.
  const auto n = static_cast<std::uint32_t>(items.size());
  for (std::uint32_t a = 0; a < n; ++a) {
    if (!items[a].year) {
      for (std::uint32_t b = a + 1; b < n; ++b) consider(a, b);
      continue;
    }
    const bool a_has_vector = use_vectors && items[a].vector;
    const int year = *items[a].year;
    for (auto it = by_year.lower_bound(year - options.max_year_gap);
         it != by_year.end() && it->first <= year + options.max_year_gap; ++it) {
      for (auto b = after(it->second.without_vector, a); b != it->second.without_vector.end(); ++b) consider(a, *b);
      if (!a_has_vector)
        for (auto b = after(it->second.with_vector, a); b != it->second.with_vector.end(); ++b) consider(a, *b);
    }
    for (auto b = after(undated, a); b != undated.end(); ++b) consider(a, *b);
  }
  // Dated rows with vectors against the rows with vectors of their neighbouring years: the products in
  // blocks (close_vector_pairs), the text checked only for pairs whose vectors are close. Years are
  // split over the hardware threads.
  std::vector<std::pair<int, std::vector<std::uint32_t>>> work;  // (year, partner rows ascending)
  for (const auto& [year, bucket] : by_year) {
    if (bucket.with_vector.empty()) continue;
    std::vector<std::uint32_t> partners;
    for (auto it = by_year.lower_bound(year - options.max_year_gap);
         it != by_year.end() && it->first <= year + options.max_year_gap; ++it)
      partners.insert(partners.end(), it->second.with_vector.begin(), it->second.with_vector.end());
    std::sort(partners.begin(), partners.end());
    work.emplace_back(year, std::move(partners));
  }
  const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, std::max<std::size_t>(1, work.size()));
  std::vector<std::vector<DuplicatePair>> found(threads);
  auto run = [&](std::size_t t) {
    for (std::size_t w = t; w < work.size(); w += threads)
      close_vector_pairs(items, dim, by_year.at(work[w].first).with_vector, work[w].second,
                         static_cast<float>(options.min_vector_cosine), [&](std::uint32_t a, std::uint32_t b, float vc) {
                           const double tc = sparse_dot(text[a], text[b]);
                           if (tc >= options.min_text_cosine) found[t].push_back({a, b, vc, tc});
                         });
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(run, t);
  run(0);
  for (auto& th : pool) th.join();
  for (auto& f : found) pairs.insert(pairs.end(), f.begin(), f.end());
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
