#include "embed/remote_embedder.h"

#include <nlohmann/json.hpp>

#include <cmath>

#include "common/json_parse.h"
#include "common/text.h"

namespace cinerec {

RemoteEmbedder::RemoteEmbedder(std::string provider, std::string model,
                               std::size_t expected_dimension, BatchLimits limits)
    : provider_(std::move(provider)),
      model_(std::move(model)),
      dimension_(expected_dimension),
      limits_(limits) {}

Error RemoteEmbedder::error(const std::string& message) const {
  return Error{provider_ + ": " + message};
}

Result<std::vector<std::vector<float>>> RemoteEmbedder::embed(const std::vector<std::string>& texts,
                                                              EmbedPurpose purpose) {
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (trim(texts[i]).empty()) return error("input " + std::to_string(i) + " is empty");
    std::size_t bad = 0;
    if (!is_valid_utf8(texts[i], &bad))
      return error("input " + std::to_string(i) + " is not valid UTF-8 at byte " + std::to_string(bad));
  }
  std::vector<std::vector<float>> out;
  out.reserve(texts.size());
  for (const BatchRange& range : plan_batches(texts, limits_)) {
    std::span<const std::string> batch(texts.data() + range.begin, range.end - range.begin);
    auto vectors = embed_batch(batch, purpose);
    if (!vectors.ok()) return vectors.error();
    if (vectors->size() != batch.size()) {
      return error("asked for " + std::to_string(batch.size()) + " embeddings, got " +
                   std::to_string(vectors->size()));
    }
    for (std::size_t k = 0; k < vectors->size(); ++k) {
      auto& v = (*vectors)[k];
      const std::size_t index = range.begin + k;
      if (v.empty()) return error("empty embedding for input " + std::to_string(index));
      std::size_t expected = dimension_.load();
      if (expected == 0 && dimension_.compare_exchange_strong(expected, v.size())) expected = v.size();
      if (v.size() != expected) {
        return error("model " + model_ + " returned " + std::to_string(v.size()) +
                     " dimensions for input " + std::to_string(index) + ", expected " +
                     std::to_string(expected));
      }
      double norm2 = 0;
      for (float x : v) {
        if (!std::isfinite(x)) return error("non-finite value in the embedding of input " + std::to_string(index));
        norm2 += static_cast<double>(x) * x;
      }
      if (norm2 == 0) return error("zero vector returned for input " + std::to_string(index));
      out.push_back(std::move(v));
    }
  }
  return out;
}

Result<nlohmann::json> RemoteEmbedder::post_json(const HttpClient& http, const std::string& url,
                                                 std::vector<HttpHeader> headers, const nlohmann::json& body) const {
  HttpRequest request;
  request.url = url;
  request.headers = std::move(headers);
  request.headers.push_back({"Content-Type", "application/json"});
  // Invalid UTF-8 was refused before (embed); `replace` only guards against what slips through.
  request.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  auto response = http.send(request, provider_);
  if (!response.ok()) return response.error();
  return parse_json(response->body);
}

Result<const nlohmann::json*> RemoteEmbedder::array_field(const nlohmann::json& response,
                                                          const std::string& field) const {
  const auto it = response.is_object() ? response.find(field) : response.end();
  if (!response.is_object() || it == response.end() || !it->is_array())
    return error("response has no \"" + field + "\" array");
  return &*it;
}

Result<std::vector<std::vector<float>>> RemoteEmbedder::parse_vectors(const nlohmann::json& array,
                                                                      const std::string& what) const {
  if (!array.is_array()) return error("response " + (what.empty() ? "" : "field " + what + " ") + "is not an array of embeddings");
  std::vector<std::vector<float>> out;
  out.reserve(array.size());
  for (std::size_t i = 0; i < array.size(); ++i) {
    auto v = parse_vector(array[i], what + "[" + std::to_string(i) + "]");
    if (!v.ok()) return v.error();
    out.push_back(std::move(v).value());
  }
  return out;
}

Result<nlohmann::json> RemoteEmbedder::parse_json(const std::string& body) const {
  JsonSyntaxError syntax;
  auto parsed = parse_json_text(body, &syntax);
  if (!parsed) return error("response is not valid JSON (byte " + std::to_string(syntax.offset + 1) + "): " + syntax.reason);
  return std::move(*parsed);
}

Result<std::vector<float>> RemoteEmbedder::parse_vector(const nlohmann::json& value,
                                                        const std::string& what) const {
  if (!value.is_array()) return error("response field " + what + " is not an array of numbers");
  std::vector<float> v;
  v.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_number())
      return error("response field " + what + "[" + std::to_string(i) + "] is not a number");
    v.push_back(value[i].get<float>());
  }
  return v;
}

std::string model_id(const std::string& model, std::optional<int> dimensions,
                     std::size_t default_dimension) {
  if (!dimensions || static_cast<std::size_t>(*dimensions) == default_dimension) return model;
  return model + "@" + std::to_string(*dimensions);
}

std::string join_url(std::string base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (!path.starts_with('/')) base += '/';
  base += path;
  return base;
}

}  // namespace cinerec
