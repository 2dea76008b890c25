// Near-duplicate films of a whole stored catalog (index/duplicates.h applied to the store's movies and
// the vectors of its main model), for `cinerec import` to warn about right after writing, so the same
// film entered twice under two titles is noticed when it comes in and not only when it is recommended.
#pragma once

#include <string>
#include <vector>

#include "catalog/movie.h"
#include "common/result.h"
#include "index/duplicates.h"
#include "store/store.h"

namespace cinerec {

struct DuplicateFilms {
  Movie a, b;                  // a comes first in catalog order
  double vector_cosine = 0.0;  // 0 when either has no vector of the model
  double text_cosine = 0.0;
};

// Every near-duplicate pair of the catalog in `store`, by catalog order of (a, b). Vectors are those of
// the model with the most vectors (none: text and year alone decide, index/duplicates.h); the text is
// analyzed in the catalog's detected language. Fails only when the store cannot be read.
Result<std::vector<DuplicateFilms>> catalog_duplicates(Store& store, const DuplicateOptions& options = {});

// One line for people: "\"A\" (1989) and \"B\" (1989) look like the same film (descriptions 0.59
// similar, vectors 0.85)".
std::string describe_duplicate(const DuplicateFilms& pair);

}  // namespace cinerec
