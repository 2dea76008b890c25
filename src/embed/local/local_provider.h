// How the "local" provider is configured and built for the provider factory (provider_registry.h).
//
// Settings (environment first, then .env / api_keys.env):
//   CINEREC_LOCAL_MODEL_DIR       model directory (required unless --model-dir is given)
//   CINEREC_LOCAL_THREADS         forward-pass threads (default: one per hardware thread)
//   CINEREC_LOCAL_QUERY_PREFIX    text put before queries, e.g. "query: " for e5 models
//   CINEREC_LOCAL_PASSAGE_PREFIX  text put before documents, e.g. "passage: " for e5 models
//   CINEREC_LOCAL_INT8            1: int8-quantized linear layers (faster, cosine >= 0.999 to fp32)
// --model-dir, --query-prefix and --passage-prefix (EmbedderChoice) override the settings. Without any
// prefix setting, the model's config_sentence_transformers.json prompts apply, if any.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "embed/config_source.h"
#include "embed/embedder.h"
#include "embed/provider_registry.h"

namespace cinerec {

// Loads the local encoder from choice.model_dir (or CINEREC_LOCAL_MODEL_DIR when empty). Fails naming
// the missing setting, a malformed thread count, or the model file at fault.
Result<std::unique_ptr<Embedder>> make_local_embedder(const EmbedderChoice& choice, const ConfigSource& config);

// The local provider's configuration status, without loading the model.
ProviderStatus describe_local_provider(const ConfigSource& config);

}  // namespace cinerec
