#include "embed/tei_embedder.h"

#include <nlohmann/json.hpp>

namespace cinerec {
namespace {

std::vector<HttpHeader> auth_headers(const TeiConfig& config) {
  std::vector<HttpHeader> headers;
  if (!config.api_key.empty())
    headers.push_back({"Authorization", "Bearer " + config.api_key, /*secret=*/true});
  return headers;
}

}  // namespace

TeiEmbedder::TeiEmbedder(TeiConfig config)
    : RemoteEmbedder("tei", config.model, 0, config.limits),
      config_(std::move(config)),
      endpoint_(join_url(config_.base_url, "/embed")),
      http_(config_.http) {}

Result<std::unique_ptr<TeiEmbedder>> TeiEmbedder::create(TeiConfig config) {
  if (config.base_url.empty()) return Error{"tei: no base URL configured (TEI_BASE_URL)"};
  if (config.model.empty()) {
    HttpClient http(config.http);
    HttpRequest request;
    request.method = "GET";
    request.url = join_url(config.base_url, "/info");
    request.headers = auth_headers(config);
    auto response = http.send(request, "tei");
    if (!response.ok()) return response.error();
    auto info = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
    if (info.is_discarded() || !info.is_object())
      return Error{"tei: GET /info did not answer a JSON object"};
    auto id = info.find("model_id");
    if (id == info.end() || !id->is_string() || id->get<std::string>().empty())
      return Error{"tei: GET /info has no model_id; set TEI_MODEL or --model"};
    config.model = id->get<std::string>();
    if (auto b = info.find("max_client_batch_size"); b != info.end() && b->is_number_unsigned()) {
      const auto server_max = b->get<std::size_t>();
      if (server_max > 0 && server_max < config.limits.max_inputs) config.limits.max_inputs = server_max;
    }
  }
  return std::unique_ptr<TeiEmbedder>(new TeiEmbedder(std::move(config)));
}

Result<std::vector<std::vector<float>>> TeiEmbedder::embed_batch(std::span<const std::string> texts,
                                                                 EmbedPurpose /*purpose*/) {
  nlohmann::json body;
  body["inputs"] = nlohmann::json(std::vector<std::string>(texts.begin(), texts.end()));
  body["truncate"] = config_.truncate;

  auto json = post_json(http_, endpoint_, auth_headers(config_), body);
  if (!json.ok()) return json.error();
  return parse_vectors(*json, "");
}

}  // namespace cinerec
