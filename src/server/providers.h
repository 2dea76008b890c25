// The embedding providers the server may use to answer a prompt, built lazily on first use and
// reused afterwards. "offline" (the recommender's built-in lexical path) is always available.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <variant>
#include <vector>

#include "embed/config_source.h"
#include "embed/embedder.h"
#include "embed/http_client.h"
#include "server/web_types.h"

namespace cinerec {

struct QueryEmbedding {
  std::string provider;
  std::string model;
  std::vector<float> vector;
};

struct ProviderInfo {
  std::string name;
  bool configured = false;  // its required settings are present (it may still be down)
};

class ProviderSet {
 public:
  ProviderSet(ConfigSource config, HttpOptions http);

  // "offline" first, then every provider the factory knows, with whether it is configured. Never
  // contacts a server; never includes a setting's value.
  std::vector<ProviderInfo> list() const;

  bool known(const std::string& name) const;

  // Embeds a prompt as a query with `provider` (not "offline"). Errors: 422 unknown_provider,
  // 503 provider_not_configured (a required setting is missing) or provider_unavailable (it could
  // not be built or did not answer). Calls to one provider are serialized, since an Embedder is not
  // required to be thread-safe; different providers run in parallel.
  std::variant<QueryEmbedding, ApiError> embed_query(const std::string& provider, const std::string& prompt);

 private:
  struct Slot {
    std::mutex mutex;
    std::unique_ptr<Embedder> embedder;
  };
  ConfigSource config_;
  HttpOptions http_;
  std::vector<std::string> names_;
  std::map<std::string, std::unique_ptr<Slot>> slots_;  // one per name in names_, fixed after construction
};

}  // namespace cinerec
