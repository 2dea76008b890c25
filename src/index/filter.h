// Hard filters on catalog metadata (genre tags, year range), applied as a per-row mask *before* top-k
// so a filtered search still returns k results whenever k movies pass (no "filter after top-k" holes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog/movie.h"
#include "index/exact.h"  // ScoredRow

namespace cinerec {

struct MovieFilter {
  std::vector<std::string> genres;  // a movie passes when it has any of these canonical tags
  std::optional<int> year_from, year_to;
  bool empty() const { return genres.empty() && !year_from && !year_to; }
};

// One byte per movie, in the order of `movies` (= row order): 1 if the movie passes `filter`. Genres
// compare ignoring case and accents; year bounds are inclusive and a movie without a year fails any
// bound. An empty filter passes everything.
std::vector<std::uint8_t> filter_mask(const std::vector<Movie>& movies, const MovieFilter& filter);

// The hits whose row is allowed by `mask`, order kept. Rows beyond the mask are dropped.
std::vector<ScoredRow> keep_allowed(const std::vector<ScoredRow>& hits, const std::vector<std::uint8_t>& mask);

}  // namespace cinerec
