// Reading precomputed embedding vectors keyed by title or by the source's id: the seed's
// movie_descriptions_embeddings.json (a JSON array of objects with "title" and "embedding"), JSON Lines
// of the same objects (each with a "title", an "id" of the catalog's source, e.g. a TMDB id, or both),
// or the original Django app's SQLite database (table movie_movie, column emb holding float64 bytes).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace cinerec {

struct TitledVector {
  std::string location;  // "file:line (record N)" or "file: movie_movie row N"
  std::string title;      // empty when the record names only an id
  std::vector<float> values;
  std::string source_id;  // the record's "id" (string or integer), empty when absent
  // "\"Title\"" or "id 603", for messages.
  std::string label() const;
};

// Fails with file:line on malformed input, a record without title and id or without embedding, non-numeric values,
// NaN/infinite/zero vectors, or vectors whose dimension differs from the first one's.
Result<std::vector<TitledVector>> read_embeddings_file(const std::string& path);

}  // namespace cinerec
