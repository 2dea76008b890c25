#include "recommend/json_output.h"

#include <cmath>

namespace cinerec {

static double rounded(float x) { return std::round(static_cast<double>(x) * 1e6) / 1e6; }

nlohmann::ordered_json movie_json(const Movie& movie) {
  nlohmann::ordered_json j;
  j["id"] = movie.id;
  j["title"] = movie.title;
  j["genres"] = movie.genres;
  j["year"] = movie.year ? nlohmann::ordered_json(*movie.year) : nlohmann::ordered_json(nullptr);
  j["poster"] = movie.poster.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(movie.poster);
  return j;
}

nlohmann::ordered_json recommendations_json(const Recommendations& recs, bool explain) {
  nlohmann::ordered_json j;
  j["query"] = recs.query;
  j["provider"] = recs.provider;
  j["model"] = recs.model;
  auto results = nlohmann::ordered_json::array();
  for (const auto& r : recs.results) {
    nlohmann::ordered_json item;
    item["id"] = r.movie->id;
    item["title"] = r.movie->title;
    item["score"] = rounded(r.score);
    auto movie = movie_json(*r.movie);
    item["genres"] = movie["genres"];
    item["year"] = movie["year"];
    item["poster"] = movie["poster"];
    if (r.closest_liked) {
      item["closest_liked"] = {{"id", r.closest_liked->id},
                               {"title", r.closest_liked->title},
                               {"similarity", rounded(r.closest_liked_similarity)}};
    }
    if (explain) {
      nlohmann::ordered_json why;
      why["lexical"] = rounded(r.lexical_score);
      why["vector"] = rounded(r.vector_score);
      why["intent"] = rounded(r.intent_score);
      why["matched_terms"] = r.matched_terms;
      why["matched_words"] = r.matched_words;
      why["near"] = r.near ? nlohmann::ordered_json(r.near->title) : nlohmann::ordered_json(nullptr);
      item["explain"] = std::move(why);
    }
    results.push_back(std::move(item));
  }
  j["results"] = std::move(results);
  j["notices"] = recs.notices;
  if (!recs.vector_search.empty()) j["vector_search"] = recs.vector_search;
  if (explain) j["understood"] = recs.understood;
  return j;
}

}  // namespace cinerec
