#include "recommend/personal_model.h"

#include <algorithm>
#include <cmath>
#include "common/binary_io.h"
#include <map>
#include <numeric>

extern "C" {
// LAPACK (shipped inside OpenBLAS): Cholesky factorization and inverse of a symmetric positive
// definite matrix, column-major.
void spotrf_(const char* uplo, const int* n, float* a, const int* lda, int* info);
void spotri_(const char* uplo, const int* n, float* a, const int* lda, int* info);
}

namespace cinerec {
namespace {

constexpr char kMagic[] = "cinerec-personal-v1";

using binary_io::get;
using binary_io::put;

// Per-user item lists (deduplicated), the input of the co-occurrence matrix.
std::vector<std::vector<std::uint32_t>> items_by_user(const std::vector<Interaction>& interactions) {
  std::uint32_t users = 0;
  for (const auto& x : interactions) users = std::max(users, x.user + 1);
  std::vector<std::vector<std::uint32_t>> lists(users);
  for (const auto& x : interactions) lists[x.user].push_back(x.item);
  for (auto& l : lists) {
    std::sort(l.begin(), l.end());
    l.erase(std::unique(l.begin(), l.end()), l.end());
  }
  return lists;
}

void scale_to_max(std::vector<float>& v) {
  float top = 0.0f;
  for (float x : v) top = std::max(top, x);
  if (top > 0.0f)
    for (float& x : v) x /= top;
}

// Directed co-occurrence in each user's time line: j rated d <= window ratings after i adds 1/d to
// (i → j); divided by sqrt(n_i n_j) so popular films do not dominate.
ItemNeighbours sequence_neighbours(const std::vector<Interaction>& interactions, const std::vector<float>& popularity,
                                   const PersonalModelParams& params) {
  std::uint32_t users = 0;
  for (const auto& x : interactions) users = std::max(users, x.user + 1);
  std::vector<std::vector<const Interaction*>> timeline(users);
  for (const auto& x : interactions) timeline[x.user].push_back(&x);
  std::vector<std::map<std::uint32_t, float>> counts(popularity.size());
  for (auto& line : timeline) {
    std::stable_sort(line.begin(), line.end(), [](const Interaction* a, const Interaction* b) {
      return a->timestamp < b->timestamp || (a->timestamp == b->timestamp && a->item < b->item);
    });
    for (std::size_t a = 0; a < line.size(); ++a)
      for (std::size_t d = 1; d <= params.sequence_window && a + d < line.size(); ++d)
        counts[line[a]->item][line[a + d]->item] += 1.0f / static_cast<float>(d);
  }
  std::vector<std::vector<std::pair<std::uint32_t, float>>> lists(popularity.size());
  for (std::size_t i = 0; i < counts.size(); ++i) {
    for (const auto& [j, c] : counts[i])
      if (j != i) lists[i].emplace_back(j, c / std::sqrt(popularity[i] * popularity[j]));
    auto better = [](const auto& a, const auto& b) { return a.second > b.second || (a.second == b.second && a.first < b.first); };
    std::sort(lists[i].begin(), lists[i].end(), better);
    if (lists[i].size() > params.neighbours) lists[i].resize(params.neighbours);
  }
  return ItemNeighbours::from_lists(std::move(lists));
}

}  // namespace

const char* scorer_name(Scorer scorer) {
  switch (scorer) {
    case Scorer::Popularity: return "popularity";
    case Scorer::ItemKnn: return "item-knn";
    case Scorer::Content: return "content";
    case Scorer::Ease: return "ease";
    case Scorer::Hybrid: return "hybrid";
  }
  return "?";
}

Result<PersonalModel> PersonalModel::train(const std::vector<Interaction>& interactions, std::vector<MovieId> item_ids,
                                           ItemNeighbours content, const PersonalModelParams& params) {
  const std::size_t items = item_ids.size();
  if (interactions.empty()) return Error{"no ratings to train on"};
  if (content.items() != items)
    return Error{"content neighbours cover " + std::to_string(content.items()) + " items, the model " +
                 std::to_string(items)};
  PersonalModel model;
  model.params_ = params;
  model.item_ids_ = std::move(item_ids);
  model.content_ = std::move(content);
  model.popularity_.assign(items, 0.0f);
  for (const auto& x : interactions) {
    if (x.item >= items) return Error{"interaction with item " + std::to_string(x.item) + " beyond " + std::to_string(items)};
    model.popularity_[x.item] += 1.0f;
  }

  // Only items someone rated take part in the Gram matrix: the others have no collaborative signal.
  std::vector<std::uint32_t> compact;  // compact index → item
  std::vector<std::int64_t> index_of(items, -1);
  for (std::uint32_t i = 0; i < items; ++i)
    if (model.popularity_[i] > 0.0f) {
      index_of[i] = static_cast<std::int64_t>(compact.size());
      compact.push_back(i);
    }
  const std::size_t n = compact.size();
  std::vector<float> gram(n * n, 0.0f);
  for (const auto& list : items_by_user(interactions)) {
    for (auto a : list) {
      float* row = gram.data() + static_cast<std::size_t>(index_of[a]) * n;
      for (auto b : list) row[index_of[b]] += 1.0f;
    }
  }

  // Item-kNN: cosine of co-occurrence columns.
  {
    std::vector<float> cosine(n * n, 0.0f);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        if (float g = gram[i * n + j]; g > 0.0f)
          cosine[i * n + j] = g / std::sqrt(gram[i * n + i] * gram[j * n + j]);
    auto compact_knn = ItemNeighbours::from_dense(cosine.data(), n, params.neighbours);
    std::vector<std::vector<std::pair<std::uint32_t, float>>> lists(items);
    std::vector<float> row(n);
    for (std::size_t i = 0; i < n; ++i) {
      std::fill(row.begin(), row.end(), 0.0f);
      compact_knn.accumulate(static_cast<std::uint32_t>(i), 1.0f, row);
      for (std::size_t j = 0; j < n; ++j)
        if (row[j] > 0.0f) lists[compact[i]].emplace_back(compact[j], row[j]);
      std::sort(lists[compact[i]].begin(), lists[compact[i]].end(),
                [](const auto& a, const auto& b) { return a.second > b.second || (a.second == b.second && a.first < b.first); });
    }
    model.knn_ = ItemNeighbours::from_lists(std::move(lists));
  }

  // EASE: P = (G + lambda I)^-1 by Cholesky; G is symmetric, so row- and column-major agree.
  for (std::size_t i = 0; i < n; ++i) gram[i * n + i] += static_cast<float>(params.ease_lambda);
  const int dim = static_cast<int>(n);
  int info = 0;
  const char uplo = 'L';
  spotrf_(&uplo, &dim, gram.data(), &dim, &info);
  if (info != 0) return Error{"EASE: Cholesky factorization failed (info " + std::to_string(info) + "); raise lambda"};
  spotri_(&uplo, &dim, gram.data(), &dim, &info);
  if (info != 0) return Error{"EASE: inverse failed (info " + std::to_string(info) + ")"};
  // The lower triangle (column-major) holds P: P(i, j) for i >= j is at gram[j * n + i]. Mirror it.
  for (std::size_t j = 0; j < n; ++j)
    for (std::size_t i = j + 1; i < n; ++i) gram[i * n + j] = gram[j * n + i];
  // B(i, j) = -P(i, j) / P(j, j): row i of B is what history item i adds to each item j.
  std::vector<float> diagonal(n);
  for (std::size_t j = 0; j < n; ++j) diagonal[j] = gram[j * n + j];
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) gram[i * n + j] = i == j ? 0.0f : -gram[i * n + j] / diagonal[j];
  auto compact_ease = ItemNeighbours::from_dense(gram.data(), n, params.neighbours);
  std::vector<std::vector<std::pair<std::uint32_t, float>>> lists(items);
  std::vector<float> row(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::fill(row.begin(), row.end(), 0.0f);
    compact_ease.accumulate(static_cast<std::uint32_t>(i), 1.0f, row);
    for (std::size_t j = 0; j < n; ++j)
      if (row[j] > 0.0f) lists[compact[i]].emplace_back(compact[j], row[j]);
  }
  model.ease_ = ItemNeighbours::from_lists(std::move(lists));
  model.sequence_ = sequence_neighbours(interactions, model.popularity_, params);
  return model;
}

std::vector<float> PersonalModel::history_weights(const std::vector<HistoryItem>& history) const {
  std::vector<std::size_t> order(history.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return history[a].timestamp > history[b].timestamp; });
  std::vector<float> weights(history.size());
  for (std::size_t k = 0; k < order.size(); ++k)
    weights[order[k]] = static_cast<float>(1.0 + params_.recency_boost *
                                                     std::exp2(-static_cast<double>(k) / params_.recency_half_life));
  return weights;
}

std::vector<float> PersonalModel::scores(const std::vector<HistoryItem>& history, Scorer scorer) const {
  const std::size_t items = item_ids_.size();
  std::vector<float> out(items, 0.0f);
  if (scorer == Scorer::Popularity) {
    out = popularity_;
    return out;
  }
  auto weights = history_weights(history);
  auto add = [&](const ItemNeighbours& neighbours, bool liked_only, bool recency, std::vector<float>& into) {
    for (std::size_t h = 0; h < history.size(); ++h) {
      if (history[h].item >= items) continue;
      if (liked_only && history[h].rating < params_.liked_threshold) continue;
      neighbours.accumulate(history[h].item, recency ? weights[h] : 1.0f, into);
    }
  };
  switch (scorer) {
    case Scorer::ItemKnn: add(knn_, false, false, out); break;
    case Scorer::Content: add(content_, true, false, out); break;
    case Scorer::Ease: add(ease_, false, false, out); break;
    case Scorer::Hybrid: {
      add(ease_, false, true, out);
      scale_to_max(out);
      std::vector<float> content(items, 0.0f);
      add(content_, true, true, content);
      scale_to_max(content);
      for (std::size_t j = 0; j < items; ++j) out[j] += static_cast<float>(params_.content_weight) * content[j];
      if (params_.sequence_weight > 0.0) {
        std::vector<float> sequence(items, 0.0f);
        add(sequence_, false, true, sequence);
        scale_to_max(sequence);
        for (std::size_t j = 0; j < items; ++j) out[j] += static_cast<float>(params_.sequence_weight) * sequence[j];
      }
      break;
    }
    case Scorer::Popularity: break;
  }
  return out;
}

std::int64_t PersonalModel::explain(const std::vector<HistoryItem>& history, std::uint32_t item) const {
  const std::size_t items = item_ids_.size();
  bool any_liked = false;
  for (const auto& h : history) any_liked |= h.rating >= params_.liked_threshold;
  auto weights = history_weights(history);
  std::int64_t best = -1;
  float best_value = -1.0f;
  for (std::size_t h = 0; h < history.size(); ++h) {
    if (history[h].item >= items || (any_liked && history[h].rating < params_.liked_threshold)) continue;
    float value = weights[h] * (ease_.weight(history[h].item, item) +
                                static_cast<float>(params_.content_weight) * content_.weight(history[h].item, item) +
                                static_cast<float>(params_.sequence_weight) * sequence_.weight(history[h].item, item));
    if (best < 0 || value > best_value) {
      best = history[h].item;
      best_value = value;
    }
  }
  return best;
}

std::string PersonalModel::serialize() const {
  std::string out(kMagic, sizeof kMagic);
  put(out, params_.ease_lambda);
  put(out, params_.neighbours);
  put(out, params_.recency_boost);
  put(out, params_.recency_half_life);
  put(out, params_.content_weight);
  put(out, params_.liked_threshold);
  put(out, params_.sequence_weight);
  put(out, params_.sequence_window);
  put<std::uint64_t>(out, item_ids_.size());
  for (auto id : item_ids_) put(out, id);
  for (float p : popularity_) put(out, p);
  ease_.serialize(out);
  knn_.serialize(out);
  content_.serialize(out);
  sequence_.serialize(out);
  return out;
}

Result<PersonalModel> PersonalModel::deserialize(std::string_view in) {
  if (in.size() < sizeof kMagic || std::memcmp(in.data(), kMagic, sizeof kMagic) != 0)
    return Error{"not a cinerec personal model (or an older format): retrain with cinerec train"};
  in.remove_prefix(sizeof kMagic);
  PersonalModel m;
  std::uint64_t items = 0;
  if (!get(in, m.params_.ease_lambda) || !get(in, m.params_.neighbours) || !get(in, m.params_.recency_boost) ||
      !get(in, m.params_.recency_half_life) || !get(in, m.params_.content_weight) ||
      !get(in, m.params_.liked_threshold) || !get(in, m.params_.sequence_weight) ||
      !get(in, m.params_.sequence_window) || !get(in, items) || items > in.size() / 12)
    return Error{"personal model: truncated header"};
  m.item_ids_.resize(items);
  m.popularity_.resize(items);
  for (auto& id : m.item_ids_)
    if (!get(in, id)) return Error{"personal model: truncated item ids"};
  for (auto& p : m.popularity_)
    if (!get(in, p)) return Error{"personal model: truncated popularity"};
  for (auto* part : {&m.ease_, &m.knn_, &m.content_, &m.sequence_}) {
    auto read = ItemNeighbours::deserialize(in);
    if (!read.ok()) return Error{"personal model: " + read.error().message};
    if (read->items() != items) return Error{"personal model: neighbour lists cover the wrong number of items"};
    *part = std::move(read).value();
  }
  if (!in.empty()) return Error{"personal model: " + std::to_string(in.size()) + " unexpected trailing bytes"};
  return m;
}

}  // namespace cinerec
