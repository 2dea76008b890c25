#include "recommend/catalog_duplicates.h"

#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "index/stopwords.h"

namespace cinerec {

Result<std::vector<DuplicateFilms>> catalog_duplicates(Store& store, const DuplicateOptions& options) {
  auto movies = store.movies();
  if (!movies.ok()) return movies.error();
  auto models = store.models();
  if (!models.ok()) return models.error();
  // Unit vectors by movie, of the model with the most vectors (models() lists it first).
  std::unordered_map<MovieId, std::vector<float>> unit;
  std::size_t dim = 0;
  if (!models->empty()) {
    auto vectors = store.vectors(models->front().model);
    if (!vectors.ok()) return vectors.error();
    dim = models->front().dim;
    for (auto& v : *vectors) {
      if (v.values.size() != dim) continue;
      double norm = 0.0;
      for (float x : v.values) norm += static_cast<double>(x) * x;
      if (!(norm > 0.0) || !std::isfinite(norm)) continue;
      const double inv = 1.0 / std::sqrt(norm);
      for (float& x : v.values) x = static_cast<float>(x * inv);
      unit.emplace(v.movie, std::move(v.values));
    }
  }
  std::vector<DuplicateCandidate> candidates;
  std::vector<std::string> texts;
  candidates.reserve(movies->size());
  for (const auto& m : *movies) {
    auto it = unit.find(m.id);
    candidates.push_back({it == unit.end() ? nullptr : it->second.data(), m.description, m.year});
    texts.push_back(m.title);
    texts.push_back(m.description);
  }
  std::vector<DuplicateFilms> out;
  for (const auto& p : find_duplicates(candidates, dim, options, detect_language(texts)))
    out.push_back({(*movies)[p.a], (*movies)[p.b], p.vector_cosine, p.text_cosine});
  return out;
}

std::string describe_duplicate(const DuplicateFilms& pair) {
  auto film = [](const Movie& m) {
    return "\"" + m.title + "\"" + (m.year ? " (" + std::to_string(*m.year) + ")" : std::string());
  };
  char evidence[96];
  if (pair.vector_cosine > 0.0)
    std::snprintf(evidence, sizeof evidence, "descriptions %.2f similar, vectors %.2f", pair.text_cosine,
                  pair.vector_cosine);
  else
    std::snprintf(evidence, sizeof evidence, "descriptions %.2f similar", pair.text_cosine);
  return film(pair.a) + " and " + film(pair.b) + " look like the same film (" + evidence + ")";
}

}  // namespace cinerec
