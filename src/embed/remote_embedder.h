// Shared behaviour of every remote provider, so each wire protocol only encodes a request and
// decodes a response: input validation, splitting into request-sized batches, and checking what
// comes back (one vector per input, consistent and expected dimension, finite, non-zero).
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "embed/batching.h"
#include "embed/embedder.h"
#include "embed/http_client.h"

namespace cinerec {

class RemoteEmbedder : public Embedder {
 public:
  // expected_dimension 0 = learn it from the first response, then hold every later one to it.
  RemoteEmbedder(std::string provider, std::string model, std::size_t expected_dimension,
                 BatchLimits limits);

  std::string provider() const override { return provider_; }
  std::string model() const override { return model_; }
  std::size_t dimension() const override { return dimension_.load(); }
  const BatchLimits& limits() const { return limits_; }

  // Guarantees: one checked vector per text, in order, or an Error naming the provider and the
  // offending input index; no partial result. Safe to call from several threads at once.
  Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts,
                                                EmbedPurpose purpose) final;

 protected:
  // One request for a batch that already fits the limits. Returns one vector per text, in order.
  virtual Result<std::vector<std::vector<float>>> embed_batch(std::span<const std::string> texts,
                                                              EmbedPurpose purpose) = 0;

  // POSTs `body` as JSON to `url` with `headers` (Content-Type is added) and parses the answer.
  // Errors name the provider: transport and HTTP errors as HttpClient reports them (secrets
  // redacted), malformed JSON with its position.
  Result<nlohmann::json> post_json(const HttpClient& http, const std::string& url, std::vector<HttpHeader> headers,
                                   const nlohmann::json& body) const;
  // Parses a response body, with an error saying which provider sent malformed JSON and where.
  Result<nlohmann::json> parse_json(const std::string& body) const;
  // The array `response[field]`, or an error when the response is not an object holding one.
  Result<const nlohmann::json*> array_field(const nlohmann::json& response, const std::string& field) const;
  // Reads a JSON array of numbers as floats; `what` names it in errors ("data[3].embedding").
  Result<std::vector<float>> parse_vector(const nlohmann::json& value, const std::string& what) const;
  // Reads a JSON array of such arrays; element i is named `what[i]` in errors.
  Result<std::vector<std::vector<float>>> parse_vectors(const nlohmann::json& array, const std::string& what) const;
  // "<provider>: <message>"
  Error error(const std::string& message) const;

 private:
  std::string provider_;
  std::string model_;
  std::atomic<std::size_t> dimension_;
  BatchLimits limits_;
};

// The id under which a model's vectors are stored. Asking a model for a non-default number of
// dimensions makes different vectors (a 256-d text-embedding-3-small vector cannot be compared with
// a 1536-d one), so the id then says so: "text-embedding-3-small@256". `default_dimension` 0 means
// unknown, in which case any requested dimension shows.
std::string model_id(const std::string& model, std::optional<int> dimensions, std::size_t default_dimension);

// Joins a base URL and a path without doubling or dropping the '/'.
std::string join_url(std::string base, std::string_view path);

}  // namespace cinerec
