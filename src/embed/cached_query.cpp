#include "embed/cached_query.h"

#include "embed/text_hash.h"

namespace cinerec {

Result<QueryEmbedding> embed_query(Embedder& embedder, std::string_view prompt, Store* cache) {
  QueryEmbedding out;
  const std::string provider = embedder.provider();
  const std::string model = embedder.model();
  const std::string hash = text_hash(prompt);
  if (cache) {
    auto hit = cache->cached_query_vector(provider, model, hash);
    if (!hit.ok()) {
      out.cache_warning = "query cache not read: " + hit.error().message;
    } else if (hit->has_value()) {
      out.vector = std::move(**hit);
      out.from_cache = true;
      return out;
    }
  }
  auto vectors = embedder.embed({std::string(prompt)}, EmbedPurpose::Query);
  if (!vectors.ok()) return vectors.error();
  if (vectors->size() != 1) return Error{provider + ": expected one query vector, got " + std::to_string(vectors->size())};
  out.vector = std::move(vectors->front());
  if (cache) {
    if (auto stored = cache->cache_query_vector(provider, model, hash, out.vector); !stored.ok())
      out.cache_warning = "query cache not written: " + stored.error().message;
  }
  return out;
}

}  // namespace cinerec
