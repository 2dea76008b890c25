#include "embed/local/model_config.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "common/json_number.h"

namespace cinerec::local {

namespace fs = std::filesystem;
using nlohmann::json;

int EncoderConfig::max_tokens() const {
  // RoBERTa positions start after the padding index, so the first pad_token_id + 1 rows are unused.
  if (architecture == Architecture::XlmRoberta) return max_position_embeddings - pad_token_id - 1;
  return max_position_embeddings;
}

int ModelConfig::max_tokens() const {
  const int model_limit = encoder.max_tokens();
  if (sentence.max_seq_length > 0) return std::min(sentence.max_seq_length, model_limit);
  return model_limit;
}

namespace {

Result<json> read_json(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return Error{path.string() + ": cannot open (missing file?)"};
  json j = json::parse(in, nullptr, false);
  if (j.is_discarded()) return Error{path.string() + ": not valid JSON"};
  return j;
}

Result<int> required_int(const json& j, const char* key, const fs::path& file) {
  if (!j.contains(key) || !j[key].is_number_integer() || j[key].get<int>() <= 0)
    return Error{file.string() + ": field '" + key + "' missing or not a positive integer"};
  return j[key].get<int>();
}

Status read_encoder(const fs::path& dir, EncoderConfig& out) {
  const fs::path file = dir / "config.json";
  auto j = read_json(file);
  CINEREC_TRY(j);
  const json& c = *j;
  const std::string type = c.value("model_type", "");
  if (type == "bert") out.architecture = Architecture::Bert;
  else if (type == "xlm-roberta" || type == "roberta") out.architecture = Architecture::XlmRoberta;
  else
    return Error{file.string() + ": unsupported model_type '" + type +
                 "' (supported: bert, xlm-roberta, roberta)"};

  const std::string act = c.value("hidden_act", "gelu");
  if (act == "gelu") out.activation = Activation::GeluErf;
  else if (act == "gelu_new" || act == "gelu_pytorch_tanh") out.activation = Activation::GeluTanh;
  else return Error{file.string() + ": unsupported hidden_act '" + act + "' (gelu, gelu_new are)"};

  const std::string pos = c.value("position_embedding_type", "absolute");
  if (pos != "absolute")
    return Error{file.string() + ": unsupported position_embedding_type '" + pos + "' (absolute is)"};

  struct Field { const char* key; int* dst; };
  for (Field f : {Field{"vocab_size", &out.vocab_size}, Field{"hidden_size", &out.hidden_size},
                  Field{"num_hidden_layers", &out.num_layers},
                  Field{"num_attention_heads", &out.num_heads},
                  Field{"intermediate_size", &out.intermediate_size},
                  Field{"max_position_embeddings", &out.max_position_embeddings}}) {
    auto v = required_int(c, f.key, file);
    CINEREC_TRY(v);
    *f.dst = *v;
  }
  if (out.hidden_size % out.num_heads != 0)
    return Error{file.string() + ": hidden_size is not a multiple of num_attention_heads"};
  out.type_vocab_size = static_cast<int>(json_integer_or(c, "type_vocab_size", 0, 0, INT32_MAX));
  out.pad_token_id = static_cast<int>(
      json_integer_or(c, "pad_token_id", out.architecture == Architecture::XlmRoberta ? 1 : 0, 0, INT32_MAX));
  out.layer_norm_eps = c.value("layer_norm_eps", 1e-12f);
  if (out.max_tokens() <= 2) return Error{file.string() + ": max_position_embeddings too small"};
  return Status::Ok();
}

Status read_pooling(const fs::path& file, SentenceConfig& out) {
  auto j = read_json(file);
  CINEREC_TRY(j);
  const bool mean = j->value("pooling_mode_mean_tokens", false);
  const bool cls = j->value("pooling_mode_cls_token", false);
  for (const char* unsupported : {"pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens",
                                  "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"}) {
    if (j->value(unsupported, false))
      return Error{file.string() + ": unsupported pooling mode " + unsupported + " (mean, cls are)"};
  }
  if (mean == cls)
    return Error{file.string() + ": exactly one of pooling_mode_mean_tokens, pooling_mode_cls_token must be true"};
  out.pooling = mean ? Pooling::Mean : Pooling::Cls;
  return Status::Ok();
}

Status read_sentence(const fs::path& dir, SentenceConfig& out) {
  const fs::path modules_file = dir / "modules.json";
  if (!fs::exists(modules_file)) {
    out.pooling = Pooling::Mean;
    out.normalize = true;
  } else {
    auto modules = read_json(modules_file);
    CINEREC_TRY(modules);
    if (!modules->is_array()) return Error{modules_file.string() + ": expected a JSON array"};
    bool pooling_seen = false;
    for (const auto& m : *modules) {
      const std::string type = m.value("type", "");
      const std::string path = m.value("path", "");
      if (type == "sentence_transformers.models.Pooling") {
        CINEREC_TRY(read_pooling(dir / path / "config.json", out));
        pooling_seen = true;
      } else if (type == "sentence_transformers.models.Normalize") {
        out.normalize = true;
      } else if (type != "sentence_transformers.models.Transformer") {
        return Error{modules_file.string() + ": unsupported module type '" + type + "'"};
      }
    }
    if (!pooling_seen) return Error{modules_file.string() + ": no sentence_transformers.models.Pooling module"};
  }

  const fs::path st_file = dir / "sentence_bert_config.json";
  if (fs::exists(st_file)) {
    auto st = read_json(st_file);
    CINEREC_TRY(st);
    out.max_seq_length = static_cast<int>(json_integer_or(*st, "max_seq_length", 0, 0, INT32_MAX));
  }
  const fs::path prompts_file = dir / "config_sentence_transformers.json";
  if (fs::exists(prompts_file)) {
    auto p = read_json(prompts_file);
    CINEREC_TRY(p);
    if (p->contains("prompts") && (*p)["prompts"].is_object()) {
      const json& prompts = (*p)["prompts"];
      out.query_prefix = prompts.value("query", "");
      out.passage_prefix = prompts.value("passage", prompts.value("document", ""));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<ModelConfig> load_model_config(const std::string& dir) {
  if (!fs::is_directory(dir)) return Error{dir + ": model directory does not exist"};
  ModelConfig config;
  try {
    CINEREC_TRY(read_encoder(dir, config.encoder));
    CINEREC_TRY(read_sentence(dir, config.sentence));
  } catch (const json::exception& e) {
    return Error{dir + ": a configuration field has the wrong type: " + e.what()};
  }
  return config;
}

}  // namespace cinerec::local
