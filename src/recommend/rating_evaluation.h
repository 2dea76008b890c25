// Offline evaluation of personal recommendations on rating histories, leave-last-liked-out: for each
// user the latest rating >= 4.0 is held out and everything else is history; every catalog item the
// user has not rated is ranked, and the held-out one should come near the top.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "recommend/personal_model.h"

namespace cinerec {

struct HeldOut {
  std::uint32_t user = 0;
  std::uint32_t item = 0;
};

struct LeaveLastLikedOut {
  std::vector<Interaction> history;  // every interaction but the held-out ones
  std::vector<HeldOut> held_out;     // one per user with a liked rating, by user
};

// Splits interactions. A user's latest liked rating (rating >= liked, latest timestamp, ties to the
// larger item index so the split is deterministic) is held out; users without one keep everything.
LeaveLastLikedOut leave_last_liked_out(const std::vector<Interaction>& interactions, float liked = 4.0f);

struct RankingMetrics {
  double hit_at_10 = 0.0;   // share of users whose held-out item ranks in the top 10
  double ndcg_at_10 = 0.0;  // mean of 1 / log2(rank + 1) for ranks <= 10 (one relevant item)
  std::size_t users = 0;
};

// Scores every item for one user from their history (what a model's scores() returns).
using UserScorer = std::function<std::vector<float>(const std::vector<HistoryItem>& history)>;

// Ranks, for each held-out pair, all `items` except those in the user's history, by `scorer` (ties go
// to the lower item index, as in every ranking of the project) and averages hit@10 and NDCG@10.
RankingMetrics evaluate_leave_last_liked_out(const LeaveLastLikedOut& split, std::size_t items,
                                             const UserScorer& scorer);

}  // namespace cinerec
