// Hugging Face Text Embeddings Inference: POST {base}/embed {"inputs": [...]} answering
// [[...], ...]. A TEI server serves exactly one model; when none is configured, its id is read
// from GET {base}/info, so stored vectors always name the model that made them.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "embed/http_client.h"
#include "embed/remote_embedder.h"

namespace cinerec {

struct TeiConfig {
  std::string base_url;
  std::string model;    // empty = ask GET /info
  std::string api_key;  // optional (TEI's --api-key); sent as "Authorization: Bearer"
  bool truncate = true; // let the server cut inputs longer than the model's maximum
  BatchLimits limits{32, 100'000};  // 32 is TEI's default max_client_batch_size
  HttpOptions http;
};

class TeiEmbedder final : public RemoteEmbedder {
 public:
  // Resolves the model (GET /info when config.model is empty; a smaller max_client_batch_size
  // reported there lowers the batch size) and returns a ready embedder, or the error of /info.
  static Result<std::unique_ptr<TeiEmbedder>> create(TeiConfig config);
  const std::string& endpoint() const { return endpoint_; }

 protected:
  // The purpose is ignored: the model's own prompts, if any, are configured on the server.
  Result<std::vector<std::vector<float>>> embed_batch(std::span<const std::string> texts,
                                                      EmbedPurpose purpose) override;

 private:
  explicit TeiEmbedder(TeiConfig config);
  TeiConfig config_;
  std::string endpoint_;
  HttpClient http_;
};

}  // namespace cinerec
