// A prompt's query vector, through the store's query-embedding cache: asking the same thing twice
// with the same provider and model costs one API call.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "embed/embedder.h"
#include "store/store.h"

namespace cinerec {

struct QueryEmbedding {
  std::vector<float> vector;
  bool from_cache = false;
  std::string cache_warning;  // set when the cache could not be read or written (the query still works)
};

// Embeds `prompt` (EmbedPurpose::Query). With `cache` non-null, a vector cached under
// (embedder.provider(), embedder.model(), text_hash(prompt)) is returned without calling the
// embedder, and a freshly made one is stored. Cache failures never fail the query.
Result<QueryEmbedding> embed_query(Embedder& embedder, std::string_view prompt, Store* cache);

}  // namespace cinerec
