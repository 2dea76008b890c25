// Reading precomputed embedding vectors keyed by title: the seed's movie_descriptions_embeddings.json
// (a JSON array of objects with "title" and "embedding"), JSON Lines of the same objects, or the
// original Django app's SQLite database (table movie_movie, column emb holding numpy float64 bytes).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace cinerec {

struct TitledVector {
  std::string location;  // "file:line (record N)" or "file: movie_movie row N"
  std::string title;
  std::vector<float> values;
};

// Fails with file:line on malformed input, a record without title or embedding, non-numeric values,
// NaN/infinite/zero vectors, or vectors whose dimension differs from the first one's.
Result<std::vector<TitledVector>> read_embeddings_file(const std::string& path);

}  // namespace cinerec
