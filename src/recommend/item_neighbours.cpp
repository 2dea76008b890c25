#include "recommend/item_neighbours.h"

#include <algorithm>

#include "common/binary_io.h"

namespace cinerec {
using binary_io::get_array;
using binary_io::put_array;

ItemNeighbours ItemNeighbours::from_dense(const float* dense, std::size_t n, std::size_t keep) {
  std::vector<std::vector<std::pair<std::uint32_t, float>>> lists(n);
  std::vector<std::pair<std::uint32_t, float>> row;
  for (std::size_t i = 0; i < n; ++i) {
    row.clear();
    for (std::size_t j = 0; j < n; ++j) {
      float w = dense[i * n + j];
      if (j != i && w > 0.0f) row.emplace_back(static_cast<std::uint32_t>(j), w);
    }
    keep_strongest(row, keep);
    lists[i] = row;
  }
  return from_lists(std::move(lists));
}

void ItemNeighbours::keep_strongest(std::vector<std::pair<std::uint32_t, float>>& list, std::size_t keep) {
  auto better = [](const auto& a, const auto& b) { return a.second > b.second || (a.second == b.second && a.first < b.first); };
  if (list.size() > keep) {
    std::partial_sort(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(keep), list.end(), better);
    list.resize(keep);
  } else {
    std::sort(list.begin(), list.end(), better);
  }
}

ItemNeighbours ItemNeighbours::from_lists(std::vector<std::vector<std::pair<std::uint32_t, float>>> lists) {
  ItemNeighbours out;
  out.offsets_.push_back(0);
  for (const auto& list : lists) {
    for (const auto& [j, w] : list) {
      out.neighbour_.push_back(j);
      out.weight_.push_back(w);
    }
    out.offsets_.push_back(static_cast<std::uint32_t>(out.neighbour_.size()));
  }
  return out;
}

void ItemNeighbours::accumulate(std::uint32_t item, float w, std::vector<float>& scores) const {
  if (item + 1 >= offsets_.size()) return;
  for (std::uint32_t e = offsets_[item]; e < offsets_[item + 1]; ++e) scores[neighbour_[e]] += w * weight_[e];
}

float ItemNeighbours::weight(std::uint32_t item, std::uint32_t neighbour) const {
  if (item + 1 >= offsets_.size()) return 0.0f;
  for (std::uint32_t e = offsets_[item]; e < offsets_[item + 1]; ++e)
    if (neighbour_[e] == neighbour) return weight_[e];
  return 0.0f;
}

void ItemNeighbours::serialize(std::string& out) const {
  put_array(out, offsets_);
  put_array(out, neighbour_);
  put_array(out, weight_);
}

Result<ItemNeighbours> ItemNeighbours::deserialize(std::string_view& in) {
  ItemNeighbours out;
  if (!get_array(in, out.offsets_) || !get_array(in, out.neighbour_) || !get_array(in, out.weight_))
    return Error{"item neighbours: truncated data"};
  const std::size_t items = out.offsets_.empty() ? 0 : out.offsets_.size() - 1;
  if (out.offsets_.empty() || out.offsets_.front() != 0 || out.offsets_.back() != out.neighbour_.size() ||
      out.neighbour_.size() != out.weight_.size() || !std::is_sorted(out.offsets_.begin(), out.offsets_.end()))
    return Error{"item neighbours: inconsistent offsets"};
  for (auto j : out.neighbour_)
    if (j >= items) return Error{"item neighbours: neighbour " + std::to_string(j) + " out of range"};
  return out;
}

}  // namespace cinerec
