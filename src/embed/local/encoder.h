// The transformer encoder forward pass (BERT / XLM-R layout). Matrix products
// run on OpenBLAS; the work of a batch is spread over the encoder's own threads.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "common/result.h"
#include "embed/local/encoder_weights.h"
#include "embed/local/int8_linear.h"
#include "embed/local/model_config.h"
#include "embed/local/thread_pool.h"
#include "embed/local/tokenizer.h"

namespace cinerec::local {

class Encoder {
 public:
  // threads >= 1. Sets OpenBLAS to one thread per call for the whole process: the encoder's own
  // threads split each product instead. With int8, the four linear layers of every block run on
  // dynamically quantized int8 (int8_linear.h) and their float weights are released.
  Encoder(EncoderConfig config, EncoderWeights weights, std::size_t threads, bool int8 = false);

  // Last hidden states of every real token (attention mask 1), sequences packed one after another:
  // row t of the [sum(lengths), hidden] result. Padding never influences a real token, exactly as a
  // padded batch with an additive -inf attention mask. Fails for a token id outside the vocabulary
  // or a sequence longer than the position table. One call at a time per Encoder (scratch buffers).
  Result<std::vector<float>> hidden_states(const TokenBatch& batch);

  std::size_t hidden_size() const { return static_cast<std::size_t>(config_.hidden_size); }
  std::size_t threads() const { return pool_->size(); }

 private:
  void linear(const float* in, std::size_t rows, std::size_t in_dim, const std::vector<float>& weight,
              const Int8Matrix* quantized, std::size_t out_dim, float* out);
  void attention(const std::vector<std::size_t>& offsets, const std::vector<std::size_t>& lengths);

  EncoderConfig config_;
  EncoderWeights weights_;
  struct QuantizedLayer {
    Int8Matrix qkv, attn_out, ffn_in, ffn_out;
  };
  std::vector<QuantizedLayer> quantized_;  // empty unless int8
  Int8Activations xq_;
  std::unique_ptr<ThreadPool> pool_;
  // Scratch buffers reused across calls.
  std::vector<float> qkv_, context_, ffn_, tmp_;
  std::vector<std::vector<float>> scores_;  // one per thread
};

}  // namespace cinerec::local
