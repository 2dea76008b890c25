// The movie model shared by every module: what the catalog knows about one film.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cinerec {

using MovieId = std::int64_t;

// A movie as read from an input file, normalized but not yet stored. Raw fields keep the text exactly
// as the source had it, so normalization can be improved later without re-reading the source.
struct MovieRecord {
  std::string title;
  std::string description;
  std::string genre_raw;            // free text from the source, e.g. ": Drama bélico."
  std::vector<std::string> genres;  // canonical Spanish tags, e.g. {"Drama", "Bélico"}
  std::string year_raw;             // as in the source, e.g. "1972"
  std::optional<int> year;          // empty when year_raw is not a plausible release year
  std::string poster;               // path of the poster image; empty means "use the placeholder"
  std::string source;               // where the record came from, e.g. "seed", "tmdb"
  std::string source_id;            // the source's own id (TMDB id…); empty when it has none
  std::string tagline;              // a one-line pitch, when the source has one (TMDB's tagline)
  std::vector<std::string> keywords;  // subject keywords from the source ("time travel", "boxing"…)
};

// A stored movie: a record plus the store's id.
struct Movie : MovieRecord {
  MovieId id = 0;
};

}  // namespace cinerec
