// Google Gemini embeddings: POST {base}/v1beta/models/{model}:batchEmbedContents. Documents and
// queries are embedded with different task types (RETRIEVAL_DOCUMENT / RETRIEVAL_QUERY), which is
// what makes Gemini's retrieval quality; the API key travels in the x-goog-api-key header, never
// in the URL (where proxies and logs would keep it).
#pragma once

#include <optional>
#include <string>

#include "embed/http_client.h"
#include "embed/remote_embedder.h"

namespace cinerec {

struct GeminiConfig {
  std::string base_url = "https://generativelanguage.googleapis.com";
  std::string api_key;
  std::string model = "gemini-embedding-001";  // "models/" prefix optional
  std::optional<int> dimensions;               // sent as outputDimensionality
  BatchLimits limits{100, 100'000};            // the API accepts at most 100 requests per batch
  HttpOptions http;
};

// Dimension a well-known Gemini model returns by default, or 0 when unknown.
std::size_t gemini_default_dimension(const std::string& model);

class GeminiEmbedder final : public RemoteEmbedder {
 public:
  explicit GeminiEmbedder(GeminiConfig config);
  const std::string& endpoint() const { return endpoint_; }

 protected:
  Result<std::vector<std::vector<float>>> embed_batch(std::span<const std::string> texts,
                                                      EmbedPurpose purpose) override;

 private:
  GeminiConfig config_;
  std::string model_path_;  // "models/<model>"
  std::string endpoint_;
  HttpClient http_;
};

}  // namespace cinerec
