// What a Hugging Face / sentence-transformers model directory says about the encoder: config.json
// (architecture and sizes) plus the sentence-transformers files (modules.json, 1_Pooling/config.json,
// sentence_bert_config.json, config_sentence_transformers.json) that say how token vectors become one
// sentence vector.
#pragma once

#include <string>

#include "common/result.h"

namespace cinerec::local {

// BERT and XLM-RoBERTa share the layer layout; they differ in position ids (RoBERTa counts from
// pad_token_id + 1) and in the tokenizer.
enum class Architecture { Bert, XlmRoberta };
enum class Activation { GeluErf, GeluTanh };
enum class Pooling { Mean, Cls };

struct EncoderConfig {
  Architecture architecture = Architecture::Bert;
  Activation activation = Activation::GeluErf;
  int vocab_size = 0;
  int hidden_size = 0;
  int num_layers = 0;
  int num_heads = 0;
  int intermediate_size = 0;
  int max_position_embeddings = 0;
  int type_vocab_size = 0;
  int pad_token_id = 0;
  float layer_norm_eps = 1e-12f;

  // Longest input (special tokens included) the position table allows.
  int max_tokens() const;
};

struct SentenceConfig {
  Pooling pooling = Pooling::Mean;
  bool normalize = false;
  int max_seq_length = 0;      // 0: not given, the encoder's own limit applies
  std::string query_prefix;    // from config_sentence_transformers.json prompts, if any
  std::string passage_prefix;
};

struct ModelConfig {
  EncoderConfig encoder;
  SentenceConfig sentence;
  // Longest token sequence fed to the encoder: the sentence-transformers limit within the model's.
  int max_tokens() const;
};

// Reads the configuration files of `dir`. config.json is required; without modules.json the model is
// taken to be a plain encoder used with mean pooling and L2 normalization (how sentence-transformers
// wraps such a model). Fails naming the file and field for a missing file, an unsupported
// model_type / hidden_act / pooling mode, or a missing size.
Result<ModelConfig> load_model_config(const std::string& dir);

}  // namespace cinerec::local
