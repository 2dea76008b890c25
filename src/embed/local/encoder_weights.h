// The encoder's parameters, taken from a safetensors checkpoint by their Hugging Face names
// (BertModel / XLMRobertaModel layout, optionally under a "bert." / "roberta." / "model." prefix)
// and checked against config.json's sizes.
#pragma once

#include <vector>

#include "common/result.h"
#include "embed/local/model_config.h"
#include "embed/local/safetensors.h"

namespace cinerec::local {

struct LayerWeights {
  std::vector<float> qkv_weight;  // [3 * hidden, hidden]: query, key, value rows stacked
  std::vector<float> qkv_bias;    // [3 * hidden]
  std::vector<float> attn_out_weight, attn_out_bias;    // [hidden, hidden], [hidden]
  std::vector<float> attn_norm_gamma, attn_norm_beta;   // [hidden]
  std::vector<float> ffn_in_weight, ffn_in_bias;        // [intermediate, hidden], [intermediate]
  std::vector<float> ffn_out_weight, ffn_out_bias;      // [hidden, intermediate], [hidden]
  std::vector<float> ffn_norm_gamma, ffn_norm_beta;     // [hidden]
};

struct EncoderWeights {
  std::vector<float> word_embeddings;      // [vocab, hidden]
  std::vector<float> position_embeddings;  // [max_positions, hidden]
  std::vector<float> token_type_embedding; // [hidden]: row 0, the only segment a single text uses
  std::vector<float> embed_norm_gamma, embed_norm_beta;
  std::vector<LayerWeights> layers;
};

// Takes the tensors out of `file`. Fails naming the tensor for a missing tensor or a shape that
// disagrees with `config`. Tensors the encoder does not use (pooler, MLM head) are ignored.
Result<EncoderWeights> load_encoder_weights(SafeTensors& file, const EncoderConfig& config);

}  // namespace cinerec::local
