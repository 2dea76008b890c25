#include "index/fusion.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

namespace cinerec {

void sort_and_truncate(std::vector<ScoredRow>& rows, std::size_t k) {
  auto better = [](const ScoredRow& a, const ScoredRow& b) {
    return a.score != b.score ? a.score > b.score : a.row < b.row;
  };
  if (rows.size() > k) {
    std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(k), rows.end(), better);
    rows.resize(k);
  } else {
    std::sort(rows.begin(), rows.end(), better);
  }
}

namespace {

// Sums per-row contributions in double and hands back rows in first-seen order; the caller sorts.
class Accumulator {
 public:
  void add(std::uint32_t row, double value) {
    auto [it, inserted] = index_.try_emplace(row, sums_.size());
    if (inserted) sums_.push_back({row, 0.0});
    sums_[it->second].second += value;
  }
  std::vector<ScoredRow> ranked(std::size_t k) const {
    std::vector<ScoredRow> out;
    out.reserve(sums_.size());
    for (const auto& [row, sum] : sums_) out.push_back({row, static_cast<float>(sum)});
    sort_and_truncate(out, k);
    return out;
  }

 private:
  std::unordered_map<std::uint32_t, std::size_t> index_;
  std::vector<std::pair<std::uint32_t, double>> sums_;
};

}  // namespace

std::vector<ScoredRow> reciprocal_rank_fusion(const std::vector<RankedList>& lists, std::size_t k, double rrf_k) {
  Accumulator acc;
  for (const auto& list : lists) {
    std::unordered_map<std::uint32_t, bool> seen;
    std::size_t rank = 0;
    for (const auto& hit : list.hits) {
      ++rank;
      if (!seen.try_emplace(hit.row, true).second) continue;
      acc.add(hit.row, list.weight / (rrf_k + static_cast<double>(rank)));
    }
  }
  return acc.ranked(k);
}

std::vector<ScoredRow> weighted_score_fusion(const std::vector<RankedList>& lists, std::size_t k,
                                             ScoreNormalization normalization) {
  Accumulator acc;
  for (const auto& list : lists) {
    if (list.hits.empty()) continue;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto& hit : list.hits) {
      lo = std::min(lo, static_cast<double>(hit.score));
      hi = std::max(hi, static_cast<double>(hit.score));
    }
    std::unordered_map<std::uint32_t, bool> seen;
    for (const auto& hit : list.hits) {
      if (!seen.try_emplace(hit.row, true).second) continue;
      double s = hit.score;
      switch (normalization) {
        case ScoreNormalization::MinMax:
          s = hi > lo ? (s - lo) / (hi - lo) : 1.0;
          break;
        case ScoreNormalization::Max:
          s = hi > 0.0 ? s / hi : 0.0;
          break;
        case ScoreNormalization::None:
          break;
      }
      acc.add(hit.row, list.weight * s);
    }
  }
  return acc.ranked(k);
}

std::vector<ScoredRow> mmr_rerank(const std::vector<ScoredRow>& candidates, const RowSimilarity& similarity,
                                  double lambda, std::size_t k) {
  lambda = std::clamp(lambda, 0.0, 1.0);
  const std::size_t n = candidates.size();
  k = std::min(k, n);
  if (k == 0) return {};
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& c : candidates) {
    lo = std::min(lo, static_cast<double>(c.score));
    hi = std::max(hi, static_cast<double>(c.score));
  }
  std::vector<double> relevance(n);
  for (std::size_t i = 0; i < n; ++i) relevance[i] = hi > lo ? (candidates[i].score - lo) / (hi - lo) : 1.0;

  // Candidates are considered in ranking order (score desc, row asc), so "first wins" on equal MMR
  // values means the better-ranked candidate wins.
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto &x = candidates[a], &y = candidates[b];
    return x.score != y.score ? x.score > y.score : x.row < y.row;
  });

  std::vector<double> max_sim(n, -std::numeric_limits<double>::infinity());
  std::vector<bool> picked(n, false);
  std::vector<ScoredRow> out;
  out.reserve(k);
  while (out.size() < k) {
    std::size_t best = n;
    double best_value = -std::numeric_limits<double>::infinity();
    for (std::size_t i : order) {
      if (picked[i]) continue;
      double penalty = out.empty() ? 0.0 : max_sim[i];
      double value = lambda * relevance[i] - (1.0 - lambda) * penalty;
      if (best == n || value > best_value) {
        best = i;
        best_value = value;
      }
    }
    picked[best] = true;
    out.push_back(candidates[best]);
    for (std::size_t i = 0; i < n; ++i) {
      if (!picked[i]) max_sim[i] = std::max(max_sim[i], similarity(candidates[i].row, candidates[best].row));
    }
  }
  return out;
}

std::vector<ScoredRow> mmr_rerank(const std::vector<ScoredRow>& candidates, const MatrixView& vectors,
                                  double lambda, std::size_t k) {
  return mmr_rerank(
      candidates,
      [&](std::uint32_t a, std::uint32_t b) {
        return static_cast<double>(dot(vectors.row(a), vectors.row(b), vectors.dim));
      },
      lambda, k);
}

}  // namespace cinerec
