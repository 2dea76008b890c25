// The one JSON shape of movies and recommendations, shared by the CLI (--json) and the HTTP API.
#pragma once

#include <nlohmann/json.hpp>

#include "catalog/movie.h"
#include "recommend/recommender.h"

namespace cinerec {

// {"id", "title", "score", "genres", "year", "poster"} for a ranked result; without "score" for a movie.
nlohmann::ordered_json movie_json(const Movie& movie);
// {"query", "provider", "model", "results": [...], "notices": [...]}
nlohmann::ordered_json recommendations_json(const Recommendations& recs);

}  // namespace cinerec
