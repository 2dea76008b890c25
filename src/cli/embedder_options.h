// Choosing and building an embedding provider from the command line, shared by `embed`,
// `recommend --provider` and `providers`. Settings come from the environment, then ./.env and
// ./api_keys.env (or CINEREC_ENV_FILE); see embed/provider_registry.h for the variables.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "embed/config_source.h"
#include "embed/embedder.h"
#include "embed/provider_registry.h"

namespace cinerec::cli {

struct EmbedderOptions {
  std::string provider;           // --provider; empty = CINEREC_PROVIDER
  std::string model;              // --model
  std::optional<int> dimensions;  // --dimensions
  std::string model_dir;          // --model-dir (local provider)
  std::optional<std::string> query_prefix, passage_prefix;  // --query-prefix, --passage-prefix (local)
};

// Adds --provider, --dimensions, --model-dir, --query-prefix and --passage-prefix. `model_help` is the help text of --model, which
// is added only when `add_model` is set (recommend already has its own --model).
void add_embedder_options(CLI::App* command, EmbedderOptions& options, bool add_model);

// The environment plus the default dotenv files; fails with "<file>:<line>: …" on a malformed file.
Result<ConfigSource> load_config();

// --provider if given, else CINEREC_PROVIDER, else nothing.
std::optional<std::string> chosen_provider(const EmbedderOptions& options, const ConfigSource& config);

// How long a command waits for a provider. Batch: the HTTP client's defaults (60 s per attempt, 5
// attempts), since `embed` runs unattended. Interactive: someone waits at the prompt (`recommend`),
// so 15 s per attempt, 2 attempts, no Retry-After longer than 5 s, at most about 31 s in all.
// CINEREC_HTTP_TIMEOUT / CINEREC_HTTP_MAX_ATTEMPTS override either.
enum class Wait { Batch, Interactive };

// Builds the provider named by `provider` with the command line's model, dimensions and model
// directory. HTTP retry notices go to stderr as "cinerec: …" lines, with keys redacted.
Result<std::unique_ptr<Embedder>> build_embedder(const std::string& provider, const EmbedderOptions& options,
                                                 const ConfigSource& config, Wait wait = Wait::Batch);

}  // namespace cinerec::cli
