#include "recommend/rating_evaluation.h"

#include <cmath>
#include <map>

namespace cinerec {

LeaveLastLikedOut leave_last_liked_out(const std::vector<Interaction>& interactions, float liked) {
  std::map<std::uint32_t, std::size_t> latest;  // user → index of the latest liked interaction
  for (std::size_t i = 0; i < interactions.size(); ++i) {
    const auto& x = interactions[i];
    if (x.rating < liked) continue;
    auto [it, inserted] = latest.emplace(x.user, i);
    const auto& best = interactions[it->second];
    if (!inserted && (x.timestamp > best.timestamp || (x.timestamp == best.timestamp && x.item > best.item)))
      it->second = i;
  }
  LeaveLastLikedOut split;
  std::vector<std::uint8_t> held(interactions.size(), 0);
  for (const auto& [user, index] : latest) {
    held[index] = 1;
    split.held_out.push_back({user, interactions[index].item});
  }
  for (std::size_t i = 0; i < interactions.size(); ++i)
    if (!held[i]) split.history.push_back(interactions[i]);
  return split;
}

RankingMetrics evaluate_leave_last_liked_out(const LeaveLastLikedOut& split, std::size_t items,
                                             const UserScorer& scorer) {
  std::map<std::uint32_t, std::vector<HistoryItem>> histories;
  for (const auto& x : split.history) histories[x.user].push_back({x.item, x.rating, x.timestamp});
  RankingMetrics metrics;
  std::vector<std::uint8_t> rated(items, 0);
  for (const auto& h : split.held_out) {
    const auto& history = histories[h.user];
    auto scores = scorer(history);
    for (const auto& x : history) rated[x.item] = 1;
    const float target = scores[h.item];
    std::size_t rank = 1;  // 1-based position of the held-out item
    for (std::size_t j = 0; j < items && rank <= 10; ++j) {
      if (rated[j] || j == h.item) continue;
      if (scores[j] > target || (scores[j] == target && j < h.item)) ++rank;
    }
    for (const auto& x : history) rated[x.item] = 0;
    if (rank <= 10) {
      metrics.hit_at_10 += 1.0;
      metrics.ndcg_at_10 += 1.0 / std::log2(static_cast<double>(rank) + 1.0);
    }
    ++metrics.users;
  }
  if (metrics.users > 0) {
    metrics.hit_at_10 /= static_cast<double>(metrics.users);
    metrics.ndcg_at_10 /= static_cast<double>(metrics.users);
  }
  return metrics;
}

}  // namespace cinerec
