// Reading rating histories in the MovieLens format: ratings.csv (userId,movieId,rating,timestamp) and
// links.csv (movieId,imdbId,tmdbId), which says which TMDB / IMDb film each MovieLens id is. Nothing
// here touches a database: a file with any bad row is refused before anything is written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"

namespace cinerec {

struct RatingRow {
  std::string user;       // the source's user id, as written ("17")
  std::string item;       // the source's movie id ("2571")
  float rating = 0.0f;    // 0.5 … 5
  std::int64_t timestamp = 0;  // seconds since the epoch
  std::string location;   // "file:line"
};

// Reads every row. Columns are found by header name (userId, movieId, rating, timestamp; case-insensitive,
// extra columns ignored). Fails naming file:line and the field on: unreadable file, malformed CSV, a
// missing column, an empty id, a rating that is not a number in [0.5, 5], a timestamp that is not a
// non-negative integer, the same (user, movie) twice.
Result<std::vector<RatingRow>> read_ratings_file(const std::string& path);

// Catalog ids of one source movie: the TMDB id ("862") and the IMDb id with its "tt" prefix
// ("tt0114709"); either may be empty.
struct ExternalIds {
  std::string tmdb;
  std::string imdb;
};

// Reads links.csv into movieId → ids. Fails naming file:line on a malformed row or a repeated movieId.
Result<std::map<std::string, ExternalIds>> read_links_file(const std::string& path);

}  // namespace cinerec
