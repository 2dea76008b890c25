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

  HttpRequest request;
  request.url = endpoint_;
  request.headers.push_back({"Content-Type", "application/json"});
  request.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);

  auto response = http_.send(request, provider());
  if (!response.ok()) return response.error();
  auto json = parse_json(response->body);
  if (!json.ok()) return json.error();
  const auto embeddings = json->is_object() ? json->find("embeddings") : json->end();
  if (!json->is_object() || embeddings == json->end() || !embeddings->is_array())
    return error("response has no \"embeddings\" array");
  std::vector<std::vector<float>> out;
  out.reserve(embeddings->size());
  for (std::size_t i = 0; i < embeddings->size(); ++i) {
    auto v = parse_vector((*embeddings)[i], "embeddings[" + std::to_string(i) + "]");
    if (!v.ok()) return v.error();
    out.push_back(std::move(v.value()));
  }
  return out;
}

}  // namespace cinerec
