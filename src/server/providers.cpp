#include "server/providers.h"

#include <algorithm>

#include "embed/provider_registry.h"

namespace cinerec {

ProviderSet::ProviderSet(ConfigSource config, HttpOptions http, std::chrono::milliseconds cooldown)
    : config_(std::move(config)), http_(std::move(http)), cooldown_(cooldown) {
  for (const auto& status : describe_providers(config_)) {
    names_.push_back(status.name);
    slots_[status.name] = std::make_unique<Slot>();
  }
}

std::vector<ProviderInfo> ProviderSet::list() const {
  std::vector<ProviderInfo> out{{"offline", true}};
  for (const auto& status : describe_providers(config_)) out.push_back({status.name, status.configured});
  return out;
}

bool ProviderSet::known(const std::string& name) const {
  return name == "offline" || slots_.count(name) > 0;
}

std::variant<ProviderVector, ApiError> ProviderSet::embed_query(const std::string& provider,
                                                                const std::string& prompt) {
  auto slot_it = slots_.find(provider);
  if (slot_it == slots_.end()) {
    std::string all = "offline";
    for (const auto& n : names_) all += ", " + n;
    return ApiError{422, "unknown_provider", "unknown provider \"" + provider + "\"; known: " + all};
  }
  Slot& slot = *slot_it->second;
  std::lock_guard lock(slot.mutex);
  if (slot.failed_at) {
    const auto since = Clock::now() - *slot.failed_at;
    if (since < cooldown_) {
      const auto wait = std::chrono::ceil<std::chrono::seconds>(cooldown_ - since).count();
      return ApiError{503, "provider_unavailable",
                      slot.failure + " (not asked again for " + std::to_string(wait) + " s)"};
    }
    slot.failed_at.reset();
  }
  auto answer = ask(provider, slot, prompt);
  if (auto* e = std::get_if<ApiError>(&answer); e && e->code == "provider_unavailable") {
    slot.failed_at = Clock::now();
    slot.failure = e->message;
  }
  return answer;
}

std::variant<ProviderVector, ApiError> ProviderSet::ask(const std::string& provider, Slot& slot,
                                                        const std::string& prompt) {
  if (!slot.embedder) {
    for (const auto& status : describe_providers(config_)) {
      if (status.name != provider || status.configured) continue;
      std::string missing;
      for (const auto& m : status.missing) missing += (missing.empty() ? "" : ", ") + m;
      return ApiError{503, "provider_not_configured",
                      "provider " + provider + " is not configured on this server (missing: " + missing + ")"};
    }
    EmbedderChoice choice;
    choice.provider = provider;
    auto made = make_embedder(choice, config_, http_);
    if (!made.ok()) return ApiError{503, "provider_unavailable", made.error().message};
    slot.embedder = std::move(made).value();
  }
  auto vectors = slot.embedder->embed({prompt}, EmbedPurpose::Query);
  if (!vectors.ok()) {
    // A refusal (a 4xx for this prompt) is the provider's answer, not an outage: no fallback, no cooldown.
    if (is_http_rejection(vectors.error())) return ApiError{503, "provider_rejected", vectors.error().message};
    return ApiError{503, "provider_unavailable", vectors.error().message};
  }
  if (vectors->size() != 1)
    return ApiError{503, "provider_unavailable", "provider " + provider + " returned no vector for the prompt"};
  return ProviderVector{slot.embedder->provider(), slot.embedder->model(), std::move(vectors->front())};
}

}  // namespace cinerec
