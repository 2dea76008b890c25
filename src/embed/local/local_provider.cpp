#include "embed/local/local_provider.h"

#include <charconv>
#include <filesystem>

#include "embed/local/local_embedder.h"

namespace cinerec {

Result<std::unique_ptr<Embedder>> make_local_embedder(const EmbedderChoice& choice, const ConfigSource& config) {
  LocalEmbedderOptions options;
  if (!choice.model_dir.empty()) {
    options.model_dir = choice.model_dir;
  } else if (auto dir = config.get("CINEREC_LOCAL_MODEL_DIR")) {
    options.model_dir = dir->value;
  } else {
    return Error{"local: not configured, set CINEREC_LOCAL_MODEL_DIR (or --model-dir) to a model directory "
                 "(see docs/LOCAL_ENCODER.md)"};
  }
  if (auto t = config.get("CINEREC_LOCAL_THREADS")) {
    std::size_t n = 0;
    auto [end, ec] = std::from_chars(t->value.data(), t->value.data() + t->value.size(), n);
    if (ec != std::errc() || end != t->value.data() + t->value.size() || n == 0)
      return Error{"CINEREC_LOCAL_THREADS (" + t->origin + "): expected a positive integer, got \"" + t->value + "\""};
    options.threads = n;
  }
  if (auto q = config.get("CINEREC_LOCAL_INT8")) {
    if (q->value != "0" && q->value != "1")
      return Error{"CINEREC_LOCAL_INT8 (" + q->origin + "): expected 0 or 1, got \"" + q->value + "\""};
    options.int8 = q->value == "1";
  }
  if (auto q = config.get("CINEREC_LOCAL_QUERY_PREFIX")) options.query_prefix = q->value;
  if (auto p = config.get("CINEREC_LOCAL_PASSAGE_PREFIX")) options.passage_prefix = p->value;
  if (choice.query_prefix) options.query_prefix = choice.query_prefix;
  if (choice.passage_prefix) options.passage_prefix = choice.passage_prefix;
  auto embedder = LocalEmbedder::open(options);
  if (!embedder.ok()) return Error{"local: " + embedder.error().message};
  return std::unique_ptr<Embedder>(std::move(embedder.value()));
}

ProviderStatus describe_local_provider(const ConfigSource& config) {
  ProviderStatus s;
  s.name = "local";
  s.summary = "built-in CPU encoder for BERT / XLM-R sentence-embedding models (no network)";
  auto dir = config.get("CINEREC_LOCAL_MODEL_DIR");
  if (dir) {
    const bool exists = std::filesystem::is_directory(dir->value);
    s.details.emplace_back("model dir", dir->value + " (" + dir->origin + ")" + (exists ? "" : " — does not exist"));
  } else {
    s.missing.push_back("CINEREC_LOCAL_MODEL_DIR (or --model-dir)");
  }
  s.configured = s.missing.empty();
  if (auto t = config.get("CINEREC_LOCAL_THREADS")) s.details.emplace_back("threads", t->value + " (" + t->origin + ")");
  if (auto q = config.get("CINEREC_LOCAL_INT8")) s.details.emplace_back("int8", q->value + " (" + q->origin + ")");
  for (const char* var : {"CINEREC_LOCAL_QUERY_PREFIX", "CINEREC_LOCAL_PASSAGE_PREFIX"})
    if (auto v = config.get(var)) s.details.emplace_back(var, "\"" + v->value + "\" (" + v->origin + ")");
  return s;
}

}  // namespace cinerec
