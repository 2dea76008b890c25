// The one JSON shape of movies and recommendations, shared by the CLI (--json) and the HTTP API.
#pragma once

#include <nlohmann/json.hpp>

#include "catalog/movie.h"
#include "recommend/recommender.h"

namespace cinerec {

// {"id", "title", "score", "genres", "year", "poster"} for a ranked result; without "score" for a movie.
nlohmann::ordered_json movie_json(const Movie& movie);
// {"query", "provider", "model", "results": [...], "notices": [...]}. With `explain`, each result also
// has "explain": {"lexical", "vector", "intent", "matched_terms", "matched_words", "near"} (score parts,
// analyzed prompt terms found in the movie and the prompt words they came from, the title it was found
// through or null) and the top level has
// "understood": [...] (how the prompt was read). A result recommended from liked movies also has
// "closest_liked": {"id", "title", "similarity"}.
nlohmann::ordered_json recommendations_json(const Recommendations& recs, bool explain = false);

}  // namespace cinerec
