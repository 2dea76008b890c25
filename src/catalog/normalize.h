// Normalization of free-text catalog fields into the canonical forms the index and the UI use.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cinerec {

// The canonical Spanish genre tags, in display order.
const std::vector<std::string>& canonical_genres();

// Maps a free-text genre ("Drama criminal.", ": Animación, Aventura, Drama.", a whole LLM sentence,
// "Drama crimina.", "Science Fiction", a TMDB JSON list [{"id":18,"name":"Drama"}]) to canonical tags,
// in order of first mention, without repeats. Titles quoted inside sentences are ignored, so a title
// word is never taken for a genre. Returns an empty list when nothing is recognized.
std::vector<std::string> normalize_genres(std::string_view raw);

// A source's keyword list as separate keywords, trimmed, first occurrence kept, order kept: a JSON list
// of strings or of {"name": …} objects (TMDB's CSV), else text separated by commas, semicolons or '|'.
std::vector<std::string> normalize_keywords(std::string_view raw);

// Parses a release year: "1972", " 1972 ", "1972-03-24" (ISO date), "1972.0". Empty when the text holds
// no year between 1874 (the first motion picture) and 2100.
std::optional<int> normalize_year(std::string_view raw);

}  // namespace cinerec
