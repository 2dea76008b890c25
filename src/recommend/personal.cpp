#include "recommend/personal.h"

#include <algorithm>

#include "index/fusion.h"
#include "recommend/content_neighbours.h"

namespace cinerec {
namespace {

constexpr std::size_t kContentNeighbours = 50;

std::vector<MovieId> snapshot_ids(const Recommender& snapshot) {
  std::vector<MovieId> ids;
  for (const auto& m : snapshot.movies()) ids.push_back(m.id);
  return ids;
}

}  // namespace

Result<RatingData> load_rating_data(RatingStore& ratings, const Recommender& snapshot) {
  auto all = ratings.ratings();
  if (!all.ok()) return all.error();
  RatingData data;
  std::map<std::string, std::uint32_t> user_index;
  for (const auto& r : *all) {
    auto row = snapshot.row_of(r.movie);
    if (!row) {
      ++data.skipped;
      continue;
    }
    auto [it, inserted] = user_index.emplace(r.user, static_cast<std::uint32_t>(data.users.size()));
    if (inserted) data.users.push_back(r.user);
    data.interactions.push_back({it->second, static_cast<std::uint32_t>(*row), r.value, r.timestamp});
  }
  return data;
}

Result<PersonalModel> train_personal_model(const std::vector<Interaction>& interactions, const Recommender& snapshot,
                                           const PersonalModelParams& params) {
  return PersonalModel::train(interactions, snapshot_ids(snapshot), content_neighbours(snapshot, kContentNeighbours),
                              params);
}

Result<PersonalModel> train_and_store(RatingStore& ratings, const Recommender& snapshot,
                                      const PersonalModelParams& params) {
  auto version = ratings.ratings_version();
  if (!version.ok()) return version.error();
  auto data = load_rating_data(ratings, snapshot);
  if (!data.ok()) return data.error();
  auto model = train_personal_model(data->interactions, snapshot, params);
  if (!model.ok()) return model.error();
  CINEREC_TRY(ratings.put_trained_model({kPersonalModelName, model->serialize(), *version}));
  return model;
}

Result<PersonalModel> load_personal_model(RatingStore& ratings, const Recommender& snapshot, bool* stale) {
  auto stored = ratings.trained_model(kPersonalModelName);
  if (!stored.ok()) return stored.error();
  if (!*stored) return Error{"no trained personal model; import ratings (cinerec import-ratings) or run cinerec train"};
  auto model = PersonalModel::deserialize((*stored)->data);
  if (!model.ok()) return model.error();
  if (model->item_ids() != snapshot_ids(snapshot))
    return Error{"the catalog changed since the personal model was trained; run cinerec train"};
  if (stale) {
    auto version = ratings.ratings_version();
    if (!version.ok()) return version.error();
    *stale = *version != (*stored)->ratings_version;
  }
  return model;
}

Result<std::vector<HistoryItem>> user_history(RatingStore& ratings, const Recommender& snapshot,
                                              const std::string& user) {
  auto rated = ratings.user_ratings(user);
  if (!rated.ok()) return rated.error();
  std::vector<HistoryItem> history;
  for (const auto& r : *rated)
    if (auto row = snapshot.row_of(r.movie)) history.push_back({static_cast<std::uint32_t>(*row), r.value, r.timestamp});
  return history;
}

Result<Recommendations> recommend_from_history(const PersonalModel& model, const Recommender& snapshot,
                                               const std::string& user, const std::vector<HistoryItem>& history,
                                               std::size_t k, const MovieFilter& filter) {
  if (k == 0 || k > Recommender::kMaxK)
    return Error{"k must be between 1 and " + std::to_string(Recommender::kMaxK) + ", got " + std::to_string(k)};
  if (history.empty()) return Error{"user " + user + " has no ratings of catalog movies"};
  // A model of another snapshot would index movies() out of range; load_personal_model checks the ids,
  // this keeps the guarantee for a caller that pairs them itself.
  if (model.item_ids().size() != snapshot.movies().size())
    return Error{"the personal model has " + std::to_string(model.item_ids().size()) + " movies, the catalog " +
                 std::to_string(snapshot.movies().size()) + "; run cinerec train"};
  auto scores = model.scores(history, Scorer::Hybrid);
  auto allowed = snapshot.allowed_rows(filter);
  for (const auto& h : history)
    if (h.item < allowed.size()) allowed[h.item] = 0;
  std::vector<ScoredRow> ranked;
  for (std::size_t j = 0; j < scores.size() && j < allowed.size(); ++j)
    if (allowed[j]) ranked.push_back({static_cast<std::uint32_t>(j), scores[j]});
  sort_and_truncate(ranked, k);
  Recommendations out;
  out.query = "user " + user;
  out.provider = "personal";
  out.model = std::string("ease+content+recency");
  const auto& movies = snapshot.movies();
  for (const auto& hit : ranked) {
    Recommendation rec;
    rec.movie = &movies[hit.row];
    rec.score = hit.score;
    auto because = model.explain(history, hit.row);
    if (because >= 0) rec.closest_liked = &movies[static_cast<std::size_t>(because)];
    if (because >= 0 && snapshot.has_vector(hit.row) && snapshot.has_vector(static_cast<std::size_t>(because)))
      rec.closest_liked_similarity = dot(snapshot.vectors().row(hit.row),
                                         snapshot.vectors().row(static_cast<std::size_t>(because)), snapshot.vectors().dim);
    out.results.push_back(rec);
  }
  return out;
}

Result<Recommendations> recommend_for_user(const PersonalModel& model, const Recommender& snapshot,
                                           RatingStore& ratings, const std::string& user, std::size_t k,
                                           const MovieFilter& filter) {
  auto history = user_history(ratings, snapshot, user);
  if (!history.ok()) return history.error();
  return recommend_from_history(model, snapshot, user, *history, k, filter);
}

}  // namespace cinerec
