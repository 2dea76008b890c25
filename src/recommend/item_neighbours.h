// Sparse item-to-item weights: for each item (a row of the catalog snapshot), its strongest neighbours
// and their weights. This is what every item-based model here reduces to (EASE's B matrix, item-kNN
// cosines, content similarities), and what is persisted: n items x K neighbours grows linearly with
// the catalog, where a dense n x n matrix would not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cinerec {

class ItemNeighbours {
 public:
  ItemNeighbours() = default;
  // Keeps, for each of the n rows of `dense` (row-major n x n), the `keep` entries of largest weight
  // (ties by lower column), skipping the diagonal and weights <= 0: only positive evidence is kept.
  static ItemNeighbours from_dense(const float* dense, std::size_t n, std::size_t keep);
  // Builds from per-item lists of (neighbour, weight); each list is sorted by weight, best first.
  static ItemNeighbours from_lists(std::vector<std::vector<std::pair<std::uint32_t, float>>> lists);
  // Sorts a list best first (ties by lower neighbour, so results do not depend on input order) and
  // keeps at most `keep` entries: the form from_lists expects.
  static void keep_strongest(std::vector<std::pair<std::uint32_t, float>>& list, std::size_t keep);

  std::size_t items() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }
  std::size_t entries() const { return neighbour_.size(); }

  // scores[j] += w * weight(item → j) for every kept neighbour j of item.
  void accumulate(std::uint32_t item, float w, std::vector<float>& scores) const;
  // weight(item → neighbour), 0 when it is not kept. Linear in the item's list length.
  float weight(std::uint32_t item, std::uint32_t neighbour) const;

  // Little-endian binary form; deserialize checks sizes and neighbour ranges.
  void serialize(std::string& out) const;
  static Result<ItemNeighbours> deserialize(std::string_view& in);

 private:
  std::vector<std::uint32_t> offsets_;  // items + 1
  std::vector<std::uint32_t> neighbour_;
  std::vector<float> weight_;
};

}  // namespace cinerec
