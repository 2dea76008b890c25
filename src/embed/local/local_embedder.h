// The "local" provider: sentence embeddings computed in-process by the built-in encoder from a
// Hugging Face / sentence-transformers model directory (config.json, model.safetensors,
// tokenizer.json, optional modules.json + 1_Pooling/). No network, no Python.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "embed/embedder.h"
#include "embed/local/encoder.h"
#include "embed/local/model_config.h"
#include "embed/local/tokenizer.h"

namespace cinerec {

struct LocalEmbedderOptions {
  std::string model_dir;
  // Text put before every query / document, e.g. "query: " and "passage: " for e5 models. Unset:
  // the model's config_sentence_transformers.json prompts, else nothing.
  std::optional<std::string> query_prefix;
  std::optional<std::string> passage_prefix;
  // Threads of the forward pass; 0 means one per hardware thread.
  std::size_t threads = 0;
  // Texts per forward pass; bounds memory, not results (vectors do not depend on batching).
  std::size_t batch_size = 32;
  // Dynamic int8 quantization of the linear layers: faster, vectors within about 1e-3 of cosine
  // of the float ones (measured by bench/run_encoder.sh and the parity tests).
  bool int8 = false;
};

class LocalEmbedder final : public Embedder {
 public:
  // Loads the model. Fails with the file and the problem: missing file, unsupported architecture,
  // tokenizer or pooling, tensors with unexpected names or shapes.
  static Result<std::unique_ptr<LocalEmbedder>> open(const LocalEmbedderOptions& options);

  std::string provider() const override { return "local"; }
  // The model directory's name, e.g. "multilingual-e5-small".
  std::string model() const override { return model_id_; }
  std::size_t dimension() const override { return encoder_->hidden_size(); }
  // Safe to call from several threads: calls are serialized (each already uses all the
  // encoder's threads).
  Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts,
                                                EmbedPurpose purpose) override;

  // The token ids embed() feeds the encoder for `text` (prefix, special tokens and truncation
  // included); for tests and diagnostics.
  std::vector<std::int32_t> token_ids(const std::string& text, EmbedPurpose purpose) const;
  const local::ModelConfig& config() const { return config_; }

 private:
  LocalEmbedder() = default;
  std::string with_prefix(const std::string& text, EmbedPurpose purpose) const;

  std::string model_id_;
  local::ModelConfig config_;
  std::string query_prefix_, passage_prefix_;
  std::size_t batch_size_ = 32;
  std::unique_ptr<local::Tokenizer> tokenizer_;
  std::unique_ptr<local::Encoder> encoder_;
  std::mutex encoder_mutex_;  // the encoder's scratch buffers serve one forward pass at a time
};

}  // namespace cinerec
