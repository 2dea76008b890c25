// What text of a movie is embedded as its document vector.
#pragma once

#include <string>

#include "catalog/movie.h"

namespace cinerec {

// The movie's description, as the original system embedded it (so vectors made by `cinerec embed`
// with text-embedding-3-small are interchangeable with the seed's); the title when the description
// is blank, so every movie gets a vector. Provider-specific rewriting (OpenAI's newline removal)
// happens later, in the provider, and is not part of this text or its hash.
std::string document_text(const MovieRecord& movie);

}  // namespace cinerec
