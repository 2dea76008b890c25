// The Embedder interface: turns texts into vectors. Remote providers (OpenAI, Gemini, OpenAI-compatible
// servers) and the built-in local encoder all implement it; the recommender only sees this interface.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/result.h"

namespace cinerec {

// Some models embed a search query differently from the documents it searches (Gemini task types,
// e5 "query: " / "passage: " prefixes); providers that don't care ignore it.
enum class EmbedPurpose { Document, Query };

class Embedder {
 public:
  virtual ~Embedder() = default;
  // Provider name as chosen with --provider: "openai", "gemini", "openai-compatible", "ollama", "tei", "local".
  virtual std::string provider() const = 0;
  // Model id. Stored with every vector, so vectors of different models are never compared.
  virtual std::string model() const = 0;
  // Output dimension, or 0 while unknown (some servers only tell with their first answer).
  virtual std::size_t dimension() const = 0;
  // One vector per input text, in input order. Fails as a whole: no partial batches.
  virtual Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts,
                                                        EmbedPurpose purpose) = 0;
};

}  // namespace cinerec
