// The embedding providers the server may use to answer a prompt, built lazily on first use and
// reused afterwards. "offline" (the recommender's built-in lexical path) is always available.
//
// A provider that fails (down, hanging, rate-limited past its retries, answering garbage) is not
// asked again for `cooldown`: requests in that window fail at once instead of each waiting the
// whole timeout, so a dead provider costs one slow request, not one per visitor.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "embed/config_source.h"
#include "embed/embedder.h"
#include "embed/http_client.h"
#include "server/web_types.h"

namespace cinerec {

// (Not named QueryEmbedding: embed/cached_query.h has that name in this namespace, and two
// different classes of one name are an ODR violation whose inline members the linker may mix up.)
struct ProviderVector {
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
  ProviderSet(ConfigSource config, HttpOptions http,
              std::chrono::milliseconds cooldown = std::chrono::seconds(30));

  // "offline" first, then every provider the factory knows, with whether it is configured. Never
  // contacts a server; never includes a setting's value.
  std::vector<ProviderInfo> list() const;

  bool known(const std::string& name) const;

  // Embeds a prompt as a query with `provider` (not "offline"). Errors: 422 unknown_provider,
  // 503 provider_not_configured (a required setting is missing) or provider_unavailable (it could
  // not be built or did not answer, or failed less than `cooldown` ago). Calls to one provider are
  // serialized, since an Embedder is not required to be thread-safe; different providers run in
  // parallel.
  std::variant<ProviderVector, ApiError> embed_query(const std::string& provider, const std::string& prompt);

 private:
  using Clock = std::chrono::steady_clock;
  struct Slot {
    std::mutex mutex;
    std::unique_ptr<Embedder> embedder;
    std::optional<Clock::time_point> failed_at;  // the last failure, while it is within the cooldown
    std::string failure;                         // its message
  };
  std::variant<ProviderVector, ApiError> ask(const std::string& provider, Slot& slot, const std::string& prompt);

  ConfigSource config_;
  HttpOptions http_;
  std::chrono::milliseconds cooldown_;
  std::vector<std::string> names_;
  std::map<std::string, std::unique_ptr<Slot>> slots_;  // one per name in names_, fixed after construction
};

}  // namespace cinerec
