#include "recommend/ratings_import.h"

#include <set>

namespace cinerec {

RatingMatch match_ratings(const std::vector<RatingRow>& rows, const std::vector<Movie>& movies,
                          const std::optional<std::map<std::string, ExternalIds>>& links) {
  std::map<std::string, MovieId> by_source_id;
  for (const auto& m : movies)
    if (!m.source_id.empty()) by_source_id.emplace(m.source_id, m.id);  // first (lowest id) wins

  RatingMatch match;
  match.rows = rows.size();
  std::map<std::pair<std::string, MovieId>, std::size_t> position;  // (user, movie) → index in ratings
  std::set<std::string> users;
  for (const auto& row : rows) {
    std::optional<MovieId> movie;
    if (links) {
      auto link = links->find(row.item);
      if (link == links->end()) {
        ++match.without_link;
        continue;
      }
      for (const auto* id : {&link->second.tmdb, &link->second.imdb}) {
        if (id->empty()) continue;
        if (auto it = by_source_id.find(*id); it != by_source_id.end()) {
          movie = it->second;
          break;
        }
      }
    } else if (auto it = by_source_id.find(row.item); it != by_source_id.end()) {
      movie = it->second;
    }
    if (!movie) {
      ++match.not_in_catalog;
      continue;
    }
    Rating rating{row.user, *movie, row.rating, row.timestamp};
    auto [it, inserted] = position.emplace(std::pair{row.user, *movie}, match.ratings.size());
    if (inserted) {
      match.ratings.push_back(std::move(rating));
      users.insert(row.user);
    } else {
      ++match.merged;
      if (rating.timestamp > match.ratings[it->second].timestamp) match.ratings[it->second] = std::move(rating);
    }
  }
  match.users = users.size();
  return match;
}

}  // namespace cinerec
