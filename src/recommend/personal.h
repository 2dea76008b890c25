// Personal recommendations end to end: rating histories from a RatingStore, items from a Recommender
// snapshot (item i of the model is movies()[i]), the model trained, persisted and reloaded.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "recommend/personal_model.h"
#include "recommend/recommender.h"
#include "store/rating_store.h"

namespace cinerec {

// The name the model is stored under in the RatingStore.
inline constexpr const char* kPersonalModelName = "personal";

struct RatingData {
  std::vector<Interaction> interactions;   // items are rows of the snapshot
  std::vector<std::string> users;          // user index → the source's user id
  std::size_t skipped = 0;                 // ratings of movies no longer in the snapshot
};

// Every stored rating as interactions over the snapshot's rows.
Result<RatingData> load_rating_data(RatingStore& ratings, const Recommender& snapshot);

// Content neighbours of the snapshot and the model trained on `interactions`.
Result<PersonalModel> train_personal_model(const std::vector<Interaction>& interactions, const Recommender& snapshot,
                                           const PersonalModelParams& params = {});

// Trains on every stored rating and stores the model; returns it.
Result<PersonalModel> train_and_store(RatingStore& ratings, const Recommender& snapshot,
                                      const PersonalModelParams& params = {});

// The stored model, checked against the snapshot (same movies in the same rows). `stale` is set when
// ratings changed since it was trained.
Result<PersonalModel> load_personal_model(RatingStore& ratings, const Recommender& snapshot, bool* stale = nullptr);

// `user`'s ratings of the snapshot's movies as a history (items are rows), oldest first; empty when the
// user is unknown or rated no movie of the snapshot.
Result<std::vector<HistoryItem>> user_history(RatingStore& ratings, const Recommender& snapshot,
                                              const std::string& user);

// The k best movies outside `history`, each with the liked movie it owes most to (closest_liked).
// `model` must have been trained on (or loaded for) `snapshot`. Fails when the history is empty or the
// model's items are not the snapshot's rows.
Result<Recommendations> recommend_from_history(const PersonalModel& model, const Recommender& snapshot,
                                               const std::string& user, const std::vector<HistoryItem>& history,
                                               std::size_t k, const MovieFilter& filter = {});

// user_history then recommend_from_history. Fails when the user has no ratings of catalog movies.
Result<Recommendations> recommend_for_user(const PersonalModel& model, const Recommender& snapshot,
                                           RatingStore& ratings, const std::string& user, std::size_t k,
                                           const MovieFilter& filter = {});

}  // namespace cinerec
