// The personal model: what to watch next from a rating history. An item-item collaborative model
// (EASE, Steck 2019: B = I - P diagMat(1/diag(P)), P = (X'X + lambda I)^-1, diagonal forced to zero)
// fused with content neighbours (for films few people rated), recency (the latest ratings weigh most)
// and sequence (what people rate right after the films this person rated last). Item-kNN (cosine of co-occurrence), content-only and popularity are kept as references for
// evaluation. Everything is reduced to sparse per-item neighbour lists, so scoring a user touches
// |history| x K weights and the persisted model grows linearly with the catalog.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/movie.h"
#include "common/result.h"
#include "recommend/item_neighbours.h"

namespace cinerec {

// One rating, with the movie as an item index (0 … items-1) and the user as an index.
struct Interaction {
  std::uint32_t user = 0;
  std::uint32_t item = 0;
  float rating = 0.0f;
  std::int64_t timestamp = 0;
};

// One rated movie of the person being recommended for.
struct HistoryItem {
  std::uint32_t item = 0;
  float rating = 0.0f;
  std::int64_t timestamp = 0;
};

// Tuned on the MovieLens ratings with leave-last-liked-out (docs/PERSONAL.md).
struct PersonalModelParams {
  double ease_lambda = 250.0;
  std::uint32_t neighbours = 200;          // kept per item for EASE and item-kNN
  // Recency: the k-th most recent rating (k = 0 for the latest) weighs 1 + boost * 2^(-k / half_life).
  double recency_boost = 10.0;
  double recency_half_life = 2.0;
  double content_weight = 0.10;            // content score (scaled to max 1) added to the CF score (max 1)
  // Sequence: films people rate shortly after a film (within `sequence_window` ratings, weight 1/gap),
  // normalized like a cosine; scored from the history with recency weights, scaled to max 1.
  double sequence_weight = 0.5;
  std::uint32_t sequence_window = 5;
  float liked_threshold = 3.5f;            // content neighbours are taken from ratings at least this high
};

enum class Scorer { Popularity, ItemKnn, Content, Ease, Hybrid };
const char* scorer_name(Scorer scorer);

class PersonalModel {
 public:
  // Trains on interactions over `item_ids.size()` items (item i is movie item_ids[i]); `content` has
  // one neighbour list per item. Fails when there are no interactions or the inverse fails.
  static Result<PersonalModel> train(const std::vector<Interaction>& interactions, std::vector<MovieId> item_ids,
                                     ItemNeighbours content, const PersonalModelParams& params = {});

  // A score for every item (higher is better) for a person with `history`; items of the history get
  // whatever the model says: callers exclude them. Unknown items in the history are ignored.
  std::vector<float> scores(const std::vector<HistoryItem>& history, Scorer scorer = Scorer::Hybrid) const;

  // The item of the history (rated at least liked_threshold, or any when none is) whose recency-weighted
  // EASE + content + sequence weights towards `item` are largest: what a "because you liked …" says. -1 when the history is empty.
  std::int64_t explain(const std::vector<HistoryItem>& history, std::uint32_t item) const;

  const std::vector<MovieId>& item_ids() const { return item_ids_; }
  const PersonalModelParams& params() const { return params_; }

  std::string serialize() const;
  static Result<PersonalModel> deserialize(std::string_view data);

 private:
  std::vector<float> history_weights(const std::vector<HistoryItem>& history) const;

  PersonalModelParams params_;
  std::vector<MovieId> item_ids_;
  std::vector<float> popularity_;  // interactions per item
  ItemNeighbours ease_, knn_, content_, sequence_;
};

}  // namespace cinerec
