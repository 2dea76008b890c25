#include "embed/local/encoder_weights.h"

#include <string>

namespace cinerec::local {

namespace {

class Loader {
 public:
  Loader(SafeTensors& file, std::string prefix) : file_(file), prefix_(std::move(prefix)) {}

  // Takes `name` (or its LayerNorm gamma/beta spelling) and checks its shape.
  Status take(const std::string& name, std::vector<std::int64_t> shape, std::vector<float>& out) {
    std::string full = prefix_ + name;
    if (!file_.contains(full)) {
      const std::string alt = legacy_name(full);
      if (!alt.empty() && file_.contains(alt)) full = alt;
    }
    auto t = file_.take(full);
    CINEREC_TRY(t);
    if (t->shape != shape) {
      Tensor expected{shape, {}};
      return Error{file_.path() + ": tensor '" + full + "' has shape " + t->shape_string() +
                   ", config.json implies " + expected.shape_string()};
    }
    out = std::move(t->data);
    return Status::Ok();
  }

 private:
  // Old TensorFlow-converted checkpoints name LayerNorm parameters gamma / beta.
  static std::string legacy_name(const std::string& name) {
    const auto swap_suffix = [&](const std::string& from, const std::string& to) -> std::string {
      if (name.size() > from.size() && name.compare(name.size() - from.size(), from.size(), from) == 0 &&
          name.find("LayerNorm") != std::string::npos)
        return name.substr(0, name.size() - from.size()) + to;
      return {};
    };
    auto alt = swap_suffix(".weight", ".gamma");
    return alt.empty() ? swap_suffix(".bias", ".beta") : alt;
  }

  SafeTensors& file_;
  std::string prefix_;
};

void append(std::vector<float>& dst, const std::vector<float>& src) {
  dst.insert(dst.end(), src.begin(), src.end());
}

}  // namespace

Result<EncoderWeights> load_encoder_weights(SafeTensors& file, const EncoderConfig& c) {
  std::string prefix;
  for (const char* candidate : {"", "bert.", "roberta.", "model."}) {
    if (file.contains(std::string(candidate) + "embeddings.word_embeddings.weight")) {
      prefix = candidate;
      break;
    }
    if (std::string(candidate) == "model.")
      return Error{file.path() + ": no 'embeddings.word_embeddings.weight' tensor: not a BERT / XLM-R "
                                 "encoder checkpoint"};
  }
  Loader load(file, prefix);
  const std::int64_t h = c.hidden_size, f = c.intermediate_size;
  EncoderWeights w;
  CINEREC_TRY(load.take("embeddings.word_embeddings.weight", {c.vocab_size, h}, w.word_embeddings));
  CINEREC_TRY(load.take("embeddings.position_embeddings.weight", {c.max_position_embeddings, h},
                        w.position_embeddings));
  if (c.type_vocab_size > 0) {
    std::vector<float> types;
    CINEREC_TRY(load.take("embeddings.token_type_embeddings.weight", {c.type_vocab_size, h}, types));
    w.token_type_embedding.assign(types.begin(), types.begin() + h);
  } else {
    w.token_type_embedding.assign(static_cast<std::size_t>(h), 0.0f);
  }
  CINEREC_TRY(load.take("embeddings.LayerNorm.weight", {h}, w.embed_norm_gamma));
  CINEREC_TRY(load.take("embeddings.LayerNorm.bias", {h}, w.embed_norm_beta));

  for (int i = 0; i < c.num_layers; ++i) {
    const std::string p = "encoder.layer." + std::to_string(i) + ".";
    LayerWeights l;
    std::vector<float> weight, bias;
    for (const char* part : {"query", "key", "value"}) {
      CINEREC_TRY(load.take(p + "attention.self." + part + ".weight", {h, h}, weight));
      CINEREC_TRY(load.take(p + "attention.self." + part + ".bias", {h}, bias));
      append(l.qkv_weight, weight);
      append(l.qkv_bias, bias);
    }
    CINEREC_TRY(load.take(p + "attention.output.dense.weight", {h, h}, l.attn_out_weight));
    CINEREC_TRY(load.take(p + "attention.output.dense.bias", {h}, l.attn_out_bias));
    CINEREC_TRY(load.take(p + "attention.output.LayerNorm.weight", {h}, l.attn_norm_gamma));
    CINEREC_TRY(load.take(p + "attention.output.LayerNorm.bias", {h}, l.attn_norm_beta));
    CINEREC_TRY(load.take(p + "intermediate.dense.weight", {f, h}, l.ffn_in_weight));
    CINEREC_TRY(load.take(p + "intermediate.dense.bias", {f}, l.ffn_in_bias));
    CINEREC_TRY(load.take(p + "output.dense.weight", {h, f}, l.ffn_out_weight));
    CINEREC_TRY(load.take(p + "output.dense.bias", {h}, l.ffn_out_bias));
    CINEREC_TRY(load.take(p + "output.LayerNorm.weight", {h}, l.ffn_norm_gamma));
    CINEREC_TRY(load.take(p + "output.LayerNorm.bias", {h}, l.ffn_norm_beta));
    w.layers.push_back(std::move(l));
  }
  const std::string extra = prefix + "encoder.layer." + std::to_string(c.num_layers) + ".attention.self.query.weight";
  if (file.contains(extra))
    return Error{file.path() + ": checkpoint has more layers than num_hidden_layers=" +
                 std::to_string(c.num_layers) + " in config.json"};
  return w;
}

}  // namespace cinerec::local
