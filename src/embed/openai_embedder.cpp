#include "embed/openai_embedder.h"

#include <nlohmann/json.hpp>


namespace cinerec {
namespace {

std::string endpoint_for(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.ends_with("/v1")) return base + "/embeddings";
  return join_url(base, "/v1/embeddings");
}

std::string without_newlines(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;  // CRLF: one space
    out += (text[i] == '\n' || text[i] == '\r') ? ' ' : text[i];
  }
  return out;
}

}  // namespace

std::size_t openai_default_dimension(const std::string& model) {
  if (model == "text-embedding-3-small" || model == "text-embedding-ada-002") return 1536;
  if (model == "text-embedding-3-large") return 3072;
  return 0;
}

OpenAIEmbedder::OpenAIEmbedder(OpenAIConfig config)
    : RemoteEmbedder(config.provider,
                     model_id(config.model, config.dimensions,
                              config.provider == "openai" ? openai_default_dimension(config.model) : 0),
                     config.dimensions ? static_cast<std::size_t>(*config.dimensions)
                     : config.provider == "openai" ? openai_default_dimension(config.model)
                                                   : 0,
                     config.limits),
      config_(std::move(config)),
      endpoint_(endpoint_for(config_.base_url)),
      http_(config_.http) {}

Result<std::vector<std::vector<float>>> OpenAIEmbedder::embed_batch(
    std::span<const std::string> texts, EmbedPurpose /*purpose*/) {
  nlohmann::json body;
  body["model"] = config_.model;
  auto& input = body["input"] = nlohmann::json::array();
  for (const auto& t : texts) input.push_back(without_newlines(t));
  body["encoding_format"] = "float";
  if (config_.dimensions) body["dimensions"] = *config_.dimensions;

  std::vector<HttpHeader> headers;
  if (!config_.api_key.empty()) headers.push_back({"Authorization", "Bearer " + config_.api_key, /*secret=*/true});
  auto json = post_json(http_, endpoint_, std::move(headers), body);
  if (!json.ok()) return json.error();
  auto found = array_field(*json, "data");
  if (!found.ok()) return found.error();
  const nlohmann::json* data = *found;
  if (data->size() != texts.size()) {
    return error("asked for " + std::to_string(texts.size()) + " embeddings, got " +
                 std::to_string(data->size()));
  }
  // Items carry their input index; OpenAI returns them in order but does not promise it.
  std::vector<std::vector<float>> out(texts.size());
  std::vector<bool> seen(texts.size(), false);
  for (std::size_t i = 0; i < data->size(); ++i) {
    const auto& item = (*data)[i];
    const std::string where = "data[" + std::to_string(i) + "]";
    if (!item.is_object()) return error("response field " + where + " is not an object");
    std::size_t index = i;
    if (auto it = item.find("index"); it != item.end()) {
      if (!it->is_number_unsigned() || it->get<std::size_t>() >= texts.size())
        return error("response field " + where + ".index is out of range");
      index = it->get<std::size_t>();
    }
    if (seen[index]) return error("response has two embeddings for input " + std::to_string(index));
    seen[index] = true;
    auto it = item.find("embedding");
    if (it == item.end()) return error("response field " + where + ".embedding is missing");
    auto v = parse_vector(*it, where + ".embedding");
    if (!v.ok()) return v.error();
    out[index] = std::move(v.value());
  }
  return out;
}

}  // namespace cinerec
