#include "embed/gemini_embedder.h"

#include <nlohmann/json.hpp>

namespace cinerec {
namespace {

std::string bare_model(const std::string& model) {
  return model.starts_with("models/") ? model.substr(7) : model;
}

}  // namespace

std::size_t gemini_default_dimension(const std::string& model) {
  const std::string m = bare_model(model);
  if (m == "gemini-embedding-001") return 3072;
  if (m == "text-embedding-004" || m == "embedding-001") return 768;
  return 0;
}

GeminiEmbedder::GeminiEmbedder(GeminiConfig config)
    : RemoteEmbedder("gemini",
                     model_id(bare_model(config.model), config.dimensions,
                              gemini_default_dimension(config.model)),
                     config.dimensions ? static_cast<std::size_t>(*config.dimensions)
                                       : gemini_default_dimension(config.model),
                     config.limits),
      config_(std::move(config)),
      model_path_("models/" + bare_model(config_.model)),
      endpoint_(join_url(config_.base_url, "/v1beta/" + model_path_ + ":batchEmbedContents")),
      http_(config_.http) {}

Result<std::vector<std::vector<float>>> GeminiEmbedder::embed_batch(
    std::span<const std::string> texts, EmbedPurpose purpose) {
  const char* task = purpose == EmbedPurpose::Query ? "RETRIEVAL_QUERY" : "RETRIEVAL_DOCUMENT";
  nlohmann::json body;
  auto& requests = body["requests"] = nlohmann::json::array();
  for (const auto& t : texts) {
    nlohmann::json r;
    r["model"] = model_path_;
    r["content"]["parts"] = nlohmann::json::array({{{"text", t}}});
    r["taskType"] = task;
    if (config_.dimensions) r["outputDimensionality"] = *config_.dimensions;
    requests.push_back(std::move(r));
  }

  auto json = post_json(http_, endpoint_, {{"x-goog-api-key", config_.api_key, /*secret=*/true}}, body);
  if (!json.ok()) return json.error();
  auto found = array_field(*json, "embeddings");
  if (!found.ok()) return found.error();
  const nlohmann::json* embeddings = *found;
  if (embeddings->size() != texts.size()) {
    return error("asked for " + std::to_string(texts.size()) + " embeddings, got " +
                 std::to_string(embeddings->size()));
  }
  std::vector<std::vector<float>> out;
  out.reserve(texts.size());
  for (std::size_t i = 0; i < embeddings->size(); ++i) {
    const auto& item = (*embeddings)[i];
    const std::string where = "embeddings[" + std::to_string(i) + "]";
    if (!item.is_object() || !item.contains("values"))
      return error("response field " + where + ".values is missing");
    auto v = parse_vector(item["values"], where + ".values");
    if (!v.ok()) return v.error();
    out.push_back(std::move(v.value()));
  }
  return out;
}

}  // namespace cinerec
