#include "cli/embedder_options.h"

#include <iostream>

namespace cinerec::cli {

void add_embedder_options(CLI::App* command, EmbedderOptions& options, bool add_model) {
  command->add_option("--provider", options.provider,
                      "embedding provider: openai, gemini, openai-compatible, ollama, tei, local "
                      "(default: $CINEREC_PROVIDER; see `cinerec providers`)");
  if (add_model) command->add_option("--model", options.model, "the provider's model (default: its configured one)");
  command->add_option("--dimensions", options.dimensions, "ask the model for this many dimensions (if it can shorten)")
      ->check(CLI::Range(1, 65536));
  command->add_option("--model-dir", options.model_dir, "local provider: the model directory");
  command->add_option("--query-prefix", options.query_prefix,
                      "local provider: text put before each query, e.g. \"query: \" for e5 models "
                      "(default: $CINEREC_LOCAL_QUERY_PREFIX, else the model's own prompts)");
  command->add_option("--passage-prefix", options.passage_prefix,
                      "local provider: text put before each movie text, e.g. \"passage: \" for e5 models "
                      "(default: $CINEREC_LOCAL_PASSAGE_PREFIX, else the model's own prompts)");
}

Result<ConfigSource> load_config() {
  EnvLookup env = process_environment();
  return ConfigSource::load(env, ConfigSource::default_files(env));
}

std::optional<std::string> chosen_provider(const EmbedderOptions& options, const ConfigSource& config) {
  if (!options.provider.empty()) return options.provider;
  return configured_default_provider(config);
}

Result<std::unique_ptr<Embedder>> build_embedder(const std::string& provider, const EmbedderOptions& options,
                                                 const ConfigSource& config, Wait wait) {
  EmbedderChoice choice;
  choice.provider = provider;
  choice.model = options.model;
  choice.dimensions = options.dimensions;
  choice.model_dir = options.model_dir;
  choice.query_prefix = options.query_prefix;
  choice.passage_prefix = options.passage_prefix;
  HttpOptions http;
  http.log = [](const std::string& line) { std::cerr << "cinerec: " << line << "\n" << std::flush; };
  if (wait == Wait::Interactive) {
    http.timeout = std::chrono::seconds(15);
    http.retry.max_attempts = 2;
    http.retry.max_retry_after = std::chrono::seconds(5);
  }
  return make_embedder(choice, config, http);
}

}  // namespace cinerec::cli
