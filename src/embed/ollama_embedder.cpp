#include "embed/ollama_embedder.h"

#include <nlohmann/json.hpp>

namespace cinerec {

std::string with_http_scheme(const std::string& host) {
  if (host.find("://") != std::string::npos) return host;
  return "http://" + host;
}

OllamaEmbedder::OllamaEmbedder(OllamaConfig config)
    : RemoteEmbedder("ollama", model_id(config.model, config.dimensions, 0),
                     config.dimensions ? static_cast<std::size_t>(*config.dimensions) : 0,
                     config.limits),
      config_(std::move(config)),
      endpoint_(join_url(with_http_scheme(config_.host), "/api/embed")),
      http_(config_.http) {}

Result<std::vector<std::vector<float>>> OllamaEmbedder::embed_batch(
    std::span<const std::string> texts, EmbedPurpose /*purpose*/) {
  nlohmann::json body;
  body["model"] = config_.model;
  body["input"] = nlohmann::json(std::vector<std::string>(texts.begin(), texts.end()));
  if (config_.dimensions) body["dimensions"] = *config_.dimensions;

  auto json = post_json(http_, endpoint_, {}, body);
  if (!json.ok()) return json.error();
  auto embeddings = array_field(*json, "embeddings");
  if (!embeddings.ok()) return embeddings.error();
  return parse_vectors(**embeddings, "embeddings");
}

}  // namespace cinerec
