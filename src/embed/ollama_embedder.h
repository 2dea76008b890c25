// Ollama's native embedding endpoint: POST {host}/api/embed {"model", "input": [...]} answering
// {"embeddings": [[...], ...]}. No key: Ollama has no authentication of its own.
#pragma once

#include <optional>
#include <string>

#include "embed/http_client.h"
#include "embed/remote_embedder.h"

namespace cinerec {

struct OllamaConfig {
  // Like OLLAMA_HOST: "http://host:port", or "host:port" (http assumed).
  std::string host = "http://localhost:11434";
  std::string model = "nomic-embed-text";
  std::optional<int> dimensions;  // sent as "dimensions" (models that support truncation)
  BatchLimits limits{64, 100'000};
  HttpOptions http;
};

class OllamaEmbedder final : public RemoteEmbedder {
 public:
  explicit OllamaEmbedder(OllamaConfig config);
  const std::string& endpoint() const { return endpoint_; }

 protected:
  // The purpose is ignored: /api/embed has no task type.
  Result<std::vector<std::vector<float>>> embed_batch(std::span<const std::string> texts,
                                                      EmbedPurpose purpose) override;

 private:
  OllamaConfig config_;
  std::string endpoint_;
  HttpClient http_;
};

// "host:port" → "http://host:port"; URLs with a scheme are returned unchanged.
std::string with_http_scheme(const std::string& host);

}  // namespace cinerec
