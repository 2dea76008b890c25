// The OpenAI embeddings protocol (POST {base}/v1/embeddings), spoken by OpenAI itself and by
// OpenAI-compatible servers (llama.cpp server, vLLM, LM Studio, LocalAI…).
#pragma once

#include <optional>
#include <string>

#include "embed/http_client.h"
#include "embed/remote_embedder.h"

namespace cinerec {

struct OpenAIConfig {
  std::string provider = "openai";  // "openai-compatible" for self-hosted servers
  // With or without a trailing "/v1" (the OpenAI SDKs' OPENAI_BASE_URL includes it).
  std::string base_url = "https://api.openai.com";
  std::string api_key;  // sent as "Authorization: Bearer"; empty = no Authorization header
  std::string model = "text-embedding-3-small";
  std::optional<int> dimensions;  // sent as "dimensions" (text-embedding-3 models can shorten)
  // OpenAI allows 2048 inputs and 300k tokens per request; stay well inside both.
  BatchLimits limits{512, 100'000};
  HttpOptions http;
};

// Dimension a well-known OpenAI model returns by default, or 0 when unknown.
std::size_t openai_default_dimension(const std::string& model);

class OpenAIEmbedder final : public RemoteEmbedder {
 public:
  explicit OpenAIEmbedder(OpenAIConfig config);

  // The endpoint requests go to, e.g. "https://api.openai.com/v1/embeddings".
  const std::string& endpoint() const { return endpoint_; }

 protected:
  // Newlines become spaces, as the original system did before calling OpenAI (OpenAI's own
  // guidance for its first embedding models). The purpose is ignored: the protocol has no task type.
  Result<std::vector<std::vector<float>>> embed_batch(std::span<const std::string> texts,
                                                      EmbedPurpose purpose) override;

 private:
  OpenAIConfig config_;
  std::string endpoint_;
  HttpClient http_;
};

}  // namespace cinerec
