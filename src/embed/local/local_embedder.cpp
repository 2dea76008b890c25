#include "embed/local/local_embedder.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "embed/local/pooling.h"
#include "embed/local/safetensors.h"

namespace cinerec {

namespace fs = std::filesystem;

Result<std::unique_ptr<LocalEmbedder>> LocalEmbedder::open(const LocalEmbedderOptions& options) {
  auto config = local::load_model_config(options.model_dir);
  CINEREC_TRY(config);
  const fs::path dir(options.model_dir);
  auto tokenizer = local::Tokenizer::load((dir / "tokenizer.json").string());
  CINEREC_TRY(tokenizer);
  auto tensors = local::SafeTensors::load((dir / "model.safetensors").string());
  CINEREC_TRY(tensors);
  auto weights = local::load_encoder_weights(*tensors, config->encoder);
  CINEREC_TRY(weights);

  std::unique_ptr<LocalEmbedder> e(new LocalEmbedder());
  e->config_ = *config;
  e->query_prefix_ = options.query_prefix.value_or(config->sentence.query_prefix);
  e->passage_prefix_ = options.passage_prefix.value_or(config->sentence.passage_prefix);
  e->batch_size_ = std::max<std::size_t>(1, options.batch_size);
  std::size_t threads = options.threads;
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  e->tokenizer_ = std::make_unique<local::Tokenizer>(std::move(*tokenizer));
  e->encoder_ = std::make_unique<local::Encoder>(config->encoder, std::move(*weights), threads, options.int8);
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(dir, ec);
  e->model_id_ = (ec ? dir : canonical).filename().string();
  if (e->model_id_.empty()) e->model_id_ = (ec ? dir : canonical).parent_path().filename().string();
  return e;
}

std::string LocalEmbedder::with_prefix(const std::string& text, EmbedPurpose purpose) const {
  return (purpose == EmbedPurpose::Query ? query_prefix_ : passage_prefix_) + text;
}

std::vector<std::int32_t> LocalEmbedder::token_ids(const std::string& text, EmbedPurpose purpose) const {
  return tokenizer_->encode(with_prefix(text, purpose), static_cast<std::size_t>(config_.max_tokens()));
}

Result<std::vector<std::vector<float>>> LocalEmbedder::embed(const std::vector<std::string>& texts,
                                                             EmbedPurpose purpose) {
  std::vector<std::vector<float>> out;
  out.reserve(texts.size());
  const auto max_tokens = static_cast<std::size_t>(config_.max_tokens());
  for (std::size_t start = 0; start < texts.size(); start += batch_size_) {
    const std::size_t end = std::min(texts.size(), start + batch_size_);
    std::vector<std::string> chunk;
    for (std::size_t i = start; i < end; ++i) chunk.push_back(with_prefix(texts[i], purpose));
    const local::TokenBatch batch = tokenizer_->encode_batch(chunk, max_tokens);
    std::lock_guard<std::mutex> lock(encoder_mutex_);
    auto states = encoder_->hidden_states(batch);
    if (!states.ok()) return Error{"local embedder (" + model_id_ + "): " + states.error().message};
    auto vectors = local::pool_sentences(*states, batch.lengths, encoder_->hidden_size(),
                                         config_.sentence.pooling, config_.sentence.normalize);
    for (auto& v : vectors) out.push_back(std::move(v));
  }
  return out;
}

}  // namespace cinerec
