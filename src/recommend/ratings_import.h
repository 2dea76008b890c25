// Matching rating rows from a source (MovieLens…) to catalog movies, through the source's links to
// TMDB / IMDb ids that the catalog keeps as source_id.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "catalog/movie.h"
#include "catalog/ratings_file.h"
#include "store/rating_store.h"

namespace cinerec {

struct RatingMatch {
  std::vector<Rating> ratings;       // one per (user, catalog movie)
  std::size_t rows = 0;              // rating rows read
  std::size_t without_link = 0;      // the source movie is not in links
  std::size_t not_in_catalog = 0;    // linked (or direct) id that no catalog movie has
  std::size_t merged = 0;            // rows folded into another because two source ids are one film
  std::size_t users = 0;             // distinct users among the matched ratings
};

// Maps each row to a catalog movie: with `links`, through its TMDB id, else its IMDb id; without, the
// row's movie id must equal a movie's source_id. When two rows of a user reach the same film, the
// later one wins. Rows that match nothing are counted, not fatal.
RatingMatch match_ratings(const std::vector<RatingRow>& rows, const std::vector<Movie>& movies,
                          const std::optional<std::map<std::string, ExternalIds>>& links);

}  // namespace cinerec
