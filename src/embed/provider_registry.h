// The remote providers cinerec knows, how each is configured, and the factory that builds one.
//
// Settings (environment first, then .env / api_keys.env; see config_source.h):
//   openai             OPENAI_API_KEY (required), OPENAI_BASE_URL, OPENAI_EMBED_MODEL, OPENAI_EMBED_DIMENSIONS
//   gemini             GEMINI_API_KEY (required), GEMINI_BASE_URL, GEMINI_EMBED_MODEL, GEMINI_EMBED_DIMENSIONS
//   openai-compatible  OPENAI_COMPATIBLE_BASE_URL (required), OPENAI_COMPATIBLE_MODEL (required),
//                      OPENAI_COMPATIBLE_API_KEY, OPENAI_COMPATIBLE_DIMENSIONS
//   ollama             OLLAMA_HOST (default http://localhost:11434), OLLAMA_EMBED_MODEL, OLLAMA_EMBED_DIMENSIONS
//   tei                TEI_BASE_URL (required), TEI_MODEL (else asked from GET /info), TEI_API_KEY
//   all                CINEREC_HTTP_TIMEOUT (seconds per attempt), CINEREC_HTTP_MAX_ATTEMPTS
// --model / --dimensions on the command line override the *_MODEL / *_DIMENSIONS settings.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"
#include "embed/config_source.h"
#include "embed/embedder.h"
#include "embed/http_client.h"

namespace cinerec {

// Names accepted by make_embedder, in the order `cinerec providers` lists them.
const std::vector<std::string>& remote_provider_names();

struct EmbedderChoice {
  std::string provider;           // one of remote_provider_names()
  std::string model;              // empty = the provider's configured or default model
  std::optional<int> dimensions;  // empty = the provider's configured one, if any
  std::string model_dir;          // local: the model directory (--model-dir); empty = CINEREC_LOCAL_MODEL_DIR
  // local: text put before queries / documents (--query-prefix, --passage-prefix); unset = the
  // CINEREC_LOCAL_*_PREFIX setting, else the model's own prompts.
  std::optional<std::string> query_prefix, passage_prefix;
};

// Builds the chosen provider from `config` ("local" is built by make_local_embedder,
// embed/local/local_provider.h). `http` supplies defaults (logging, sleeping) that
// CINEREC_HTTP_TIMEOUT / CINEREC_HTTP_MAX_ATTEMPTS may override. Fails, without any network
// call except TEI's GET /info, when the provider is unknown or a required setting is missing
// (the error names the variable to set, never a value of a secret).
Result<std::unique_ptr<Embedder>> make_embedder(const EmbedderChoice& choice,
                                                const ConfigSource& config,
                                                const HttpOptions& http = {});

struct ProviderStatus {
  std::string name;
  std::string summary;               // one line: what the provider is
  bool configured = false;           // every required setting is present
  std::vector<std::string> missing;  // names of required settings that are absent
  // Effective settings with where each came from, e.g. {"model", "text-embedding-3-small (default)"},
  // {"api key", "set (api_keys.env:1)"}. Secrets are shown only as "set (origin)".
  std::vector<std::pair<std::string, std::string>> details;
};

// The status of every remote provider and of "local", without contacting any server or loading a model.
std::vector<ProviderStatus> describe_providers(const ConfigSource& config);

// The provider named by CINEREC_PROVIDER, if set.
std::optional<std::string> configured_default_provider(const ConfigSource& config);

}  // namespace cinerec
