#include "index/duplicates.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <map>
#include <numeric>
#include <thread>
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

// Rows that may have text cosine >= t (t > 0) with a probing row, found without comparing all pairs
// and without missing any (prefix filtering, as in AllPairs, Bayardo et al. 2007, with the L2 bound
// of L2AP, Anastasiu & Karypis 2014). A row is indexed under all its terms but its lowest-weight ones,
// as many as keep a bound on their part of any cosine below t: then a row sharing none of the
// indexed terms cannot reach t. The bound is the lower of their norm (Cauchy-Schwarz with a unit
// vector) and the sum of each weight times the term's highest weight in any row. The terms left out
// are the catalog's common words (low idf), whose posting lists would be long.
class TextPrefixIndex {
 public:
  TextPrefixIndex(const std::vector<SparseVector>& text, const std::vector<double>& max_weight, double t)
      : text_(text), max_weight_(max_weight), postings_(max_weight.size()), probe_weight_(max_weight.size(), 0.0),
        t_(t) {}

  void add(std::uint32_t row) {
    const auto local = static_cast<std::uint32_t>(rows_.size());
    const SparseVector& v = text_[row];
    std::vector<std::size_t> by_weight(v.size());
    std::iota(by_weight.begin(), by_weight.end(), std::size_t{0});
    std::sort(by_weight.begin(), by_weight.end(), [&](std::size_t i, std::size_t j) {
      return v[i].second != v[j].second ? v[i].second < v[j].second : i < j;
    });
    double squares = 0.0, against_max = 0.0;  // of the terms left out
    std::size_t i = 0;
    for (; i < by_weight.size(); ++i) {
      const auto [term, w] = v[by_weight[i]];
      if (std::min(std::sqrt(squares + w * w), against_max + w * max_weight_[term]) >= t_) break;
      squares += w * w;
      against_max += w * max_weight_[term];
      left_out_.push_back(v[by_weight[i]]);
    }
    for (; i < by_weight.size(); ++i) postings_[v[by_weight[i]].first].push_back({local, v[by_weight[i]].second});
    rows_.push_back(row);
    left_out_end_.push_back(left_out_.size());
    left_out_bound_.push_back(std::min(std::sqrt(squares), against_max));
    partial_.push_back(0.0);
  }

  // Calls on_candidate(row) once for every added row whose text cosine with `probe` may reach t
  // (computed here to within rounding; the caller decides with its own exact sparse product).
  template <class F>
  void probe(std::uint32_t probe, F&& on_candidate) {
    for (auto [term, w] : text_[probe]) {
      probe_weight_[term] = w;
      for (auto [local, xw] : postings_[term]) {
        if (partial_[local] == 0.0) touched_.push_back(local);
        partial_[local] += w * xw;
      }
    }
    for (std::uint32_t local : touched_) {
      // cosine = partial (the indexed terms) + the left-out terms' part: first the bound, then the part
      double cosine = partial_[local];
      partial_[local] = 0.0;
      if (cosine + left_out_bound_[local] < t_) continue;
      for (std::size_t i = local ? left_out_end_[local - 1] : 0; i < left_out_end_[local]; ++i)
        cosine += left_out_[i].second * probe_weight_[left_out_[i].first];
      if (cosine >= t_ - 1e-9) on_candidate(rows_[local]);
    }
    touched_.clear();
    for (auto [term, w] : text_[probe]) probe_weight_[term] = 0.0;
  }

 private:
  struct Posting {
    std::uint32_t local;  // position in rows_
    double weight;
  };
  const std::vector<SparseVector>& text_;
  const std::vector<double>& max_weight_;       // by term id
  std::vector<std::vector<Posting>> postings_;  // by term id
  std::vector<double> probe_weight_;            // by term id: the probing row's weights, else 0
  double t_;
  // By local id: the added row, the end of its left-out terms in left_out_, their bound, and the
  // partial cosine of the current probe.
  std::vector<std::uint32_t> rows_;
  std::vector<std::size_t> left_out_end_;
  std::vector<double> left_out_bound_, partial_;
  SparseVector left_out_;
  std::vector<std::uint32_t> touched_;
};

}  // namespace

std::vector<DuplicatePair> find_duplicates(const std::vector<DuplicateCandidate>& items, std::size_t dim,
                                           const DuplicateOptions& options, const std::string& language) {
  std::vector<DuplicatePair> pairs;
  if (items.size() < 2) return pairs;
  const auto text = tfidf_vectors(items, language);
  // Every check of a pair, in the order of cost: years, text, vectors.
  auto duplicate = [&](std::uint32_t a, std::uint32_t b) -> std::optional<DuplicatePair> {
    if (a > b) std::swap(a, b);
    const auto &x = items[a], &y = items[b];
    const bool years_known = x.year && y.year;
    if (years_known && std::abs(*x.year - *y.year) > options.max_year_gap) return std::nullopt;
    const bool vectors = x.vector && y.vector && dim > 0;
    const double needed = !years_known ? options.min_text_cosine_alone
                          : vectors    ? options.min_text_cosine
                                       : options.min_text_cosine_same_year;
    const double tc = sparse_dot(text[a], text[b]);
    if (tc < needed) return std::nullopt;
    const double vc = vectors ? static_cast<double>(dot(x.vector, y.vector, dim)) : 0.0;
    if (vectors && vc < options.min_vector_cosine) return std::nullopt;
    return DuplicatePair{a, b, vc, tc};
  };
  const auto n = static_cast<std::uint32_t>(items.size());
  const double dated_threshold = std::min(options.min_text_cosine, options.min_text_cosine_same_year);
  const double undated_threshold = options.min_text_cosine_alone;
  if (options.check_all_pairs || std::min(dated_threshold, undated_threshold) <= 0.0) {
    // (A threshold of 0 admits pairs that share no word: there is nothing to index.)
    for (std::uint32_t a = 0; a < n; ++a)
      for (std::uint32_t b = a + 1; b < n; ++b)
        if (auto p = duplicate(a, b)) pairs.push_back(*p);
    return pairs;
  }
  std::vector<double> max_weight;  // by term id: its highest weight in any row
  for (const auto& v : text)
    for (const auto& [id, w] : v) {
      if (id >= max_weight.size()) max_weight.resize(id + 1, 0.0);
      max_weight[id] = std::max(max_weight[id], w);
    }

  std::map<int, std::vector<std::uint32_t>> by_year;  // rows ascending
  std::vector<std::uint32_t> undated;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (items[i].year) by_year[*items[i].year].push_back(i);
    else undated.push_back(i);
  }
  // Dated pairs: one job per year, pairing its rows with each other and with the max_year_gap years
  // before it (pairs with later years belong to those years' jobs). Years are split over the threads.
  std::vector<int> years;
  for (const auto& [year, rows] : by_year) years.push_back(year);
  const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, std::max<std::size_t>(1, years.size()));
  std::vector<std::vector<DuplicatePair>> found(threads);
  // Each of `rows` against the rows in `index` and the ones before it, its pairs to `out`.
  auto pair_in_turn = [&](TextPrefixIndex& index, const std::vector<std::uint32_t>& rows,
                          std::vector<DuplicatePair>& out) {
    for (std::uint32_t row : rows) {
      index.probe(row, [&](std::uint32_t other) {
        if (auto p = duplicate(other, row)) out.push_back(*p);
      });
      index.add(row);
    }
  };
  auto run = [&](std::size_t t) {
    for (std::size_t j = t; j < years.size(); j += threads) {
      const int year = years[j];
      TextPrefixIndex index(text, max_weight, dated_threshold);
      for (auto it = by_year.lower_bound(year - options.max_year_gap); it->first < year; ++it)
        for (std::uint32_t row : it->second) index.add(row);
      pair_in_turn(index, by_year.at(year), found[t]);
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(run, t);
  run(0);
  for (auto& th : pool) th.join();
  for (auto& f : found) pairs.insert(pairs.end(), f.begin(), f.end());
  // Undated rows pair with every row, dated or not.
  if (!undated.empty()) {
    TextPrefixIndex index(text, max_weight, undated_threshold);
    for (const auto& [year, rows] : by_year)
      for (std::uint32_t row : rows) index.add(row);
    pair_in_turn(index, undated, pairs);
  }
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
