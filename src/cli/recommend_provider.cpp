#include "cli/recommend_provider.h"

#include <iostream>

#include "embed/cached_query.h"
#include "embed/http_client.h"
#include "embed/provider_registry.h"

namespace cinerec::cli {

std::string embed_command(const std::string& provider, const EmbedderOptions& options, const std::string& model) {
  std::string cmd = "cinerec embed --provider " + provider;
  // The stored model id may carry "@<dimensions>"; the command takes the model and --dimensions.
  const std::string bare = model.substr(0, model.find('@'));
  if (!bare.empty()) cmd += " --model " + bare;
  if (options.dimensions) cmd += " --dimensions " + std::to_string(*options.dimensions);
  if (!options.model_dir.empty()) cmd += " --model-dir " + options.model_dir;
  if (options.query_prefix) cmd += " --query-prefix '" + *options.query_prefix + "'";
  if (options.passage_prefix) cmd += " --passage-prefix '" + *options.passage_prefix + "'";
  return cmd;
}

namespace {

// The offline answer to a prompt the provider could not embed, with a notice saying so.
int answer_offline(Store& store, const std::string& provider, const Error& failure, const PromptRanking& ranking,
                   std::vector<std::string> notices, const std::function<int(const Result<Recommendations>&)>& print) {
  const std::string notice = "provider " + provider + " did not answer (" + failure.message +
                             "); these are the offline recommendations (--no-fallback makes this an error)";
  std::cerr << "cinerec: " << notice << "\n";
  auto recommender = Recommender::load(store);
  if (!recommender.ok()) return print(recommender.error());
  auto recs = ranking.offline(*recommender);
  if (recs.ok()) {
    notices.push_back(notice);
    for (auto& n : notices) recs->notices.push_back(std::move(n));
  }
  return print(recs);
}

bool is_configured(const std::string& provider, const ConfigSource& config) {
  for (const auto& status : describe_providers(config))
    if (status.name == provider) return status.configured;
  return false;
}

}  // namespace

int recommend_with_provider(const GlobalOptions& global, const std::string& provider, const EmbedderOptions& options,
                            const ConfigSource& config, bool use_cache, bool fallback, std::string_view prompt,
                            const PromptRanking& ranking,
                            const std::function<int(const Result<Recommendations>&)>& print) {
  std::vector<std::string> notices;
  std::unique_ptr<Store> store;
  if (use_cache) {
    auto writable = open_db(global, OpenMode::ReadWrite);
    if (writable.ok()) {
      store = std::move(writable).value();
    } else {
      notices.push_back("query cache off (" + writable.error().message + ")");
      use_cache = false;
    }
  }
  if (!store) {
    auto readonly = open_db(global, OpenMode::ReadOnly);
    if (!readonly.ok()) return print(readonly.error());
    store = std::move(readonly).value();
  }
  auto embedder = build_embedder(provider, options, config, Wait::Interactive);
  if (!embedder.ok()) {
    // Building fails without a network call, except TEI's GET /info: only a configured provider
    // counts as not answering; missing settings stay an error that names them.
    if (!fallback || !is_configured(provider, config)) return print(embedder.error());
    return answer_offline(*store, provider, embedder.error(), ranking, std::move(notices), print);
  }
  const std::string model = (*embedder)->model();

  // Vectors of different models live in different spaces: comparing them would rank noise.
  auto models = store->models();
  if (!models.ok()) return print(models.error());
  std::size_t model_count = 0;
  std::string available;
  for (const auto& m : *models) {
    if (m.model == model) model_count = m.count;
    available += (available.empty() ? "" : ", ") + m.model + " (" + std::to_string(m.count) + " movies)";
  }
  if (model_count == 0) {
    return print(Error{"the catalog has no vectors from " + model + ", the model " + provider +
                       " embeds the prompt with (" +
                       (available.empty() ? std::string("it has no vectors at all") : "it has: " + available) +
                       "); run: " + embed_command(provider, options, model)});
  }
  auto load_options = recommender_options(global, model);
  if (!load_options.ok()) return print(load_options.error());
  auto recommender = Recommender::load(*store, *load_options);
  if (!recommender.ok()) return print(recommender.error());
  auto query = embed_query(**embedder, prompt, use_cache ? store.get() : nullptr);
  if (!query.ok()) {
    // A provider that answered "no" (a 4xx: this prompt, key or model is refused) did answer.
    if (!fallback || is_http_rejection(query.error())) return print(query.error());
    return answer_offline(*store, provider, query.error(), ranking, std::move(notices), print);
  }
  if (!query->cache_warning.empty()) notices.push_back(query->cache_warning);
  auto recs = ranking.by_vector(*recommender, EmbeddedPrompt{provider, model, std::move(query->vector)});
  if (!recs.ok()) return print(recs);
  const std::size_t movies = recommender->movies().size();
  if (model_count < movies) {
    notices.push_back("only " + std::to_string(model_count) + " of " + std::to_string(movies) + " movies have " +
                      model + " vectors; the others can only come up by their words until you run: " +
                      embed_command(provider, options, model));
  }
  for (auto& n : notices) recs->notices.push_back(std::move(n));
  return print(recs);
}

PromptRanking rank_prompt(std::string_view prompt, std::size_t k, const MovieFilter& filter,
                          const RankingOptions& ranking) {
  const std::string text(prompt);
  return PromptRanking{
      [=](const Recommender& r, const EmbeddedPrompt& q) {
        return r.recommend_by_vector(text, q.vector, q.provider, q.model, k, filter, ranking);
      },
      [=](const Recommender& r) { return r.recommend_offline(text, k, filter, ranking); },
  };
}

}  // namespace cinerec::cli
