// `cinerec recommend --provider P`: the prompt is embedded by an embedding provider (through the
// query cache) and movies are ranked by BM25 fused with the cosine against the catalog's vectors of
// the same model (Recommender::recommend_by_vector).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "cli/embedder_options.h"
#include "common/result.h"
#include "index/filter.h"
#include "recommend/recommender.h"

namespace cinerec::cli {

// A prompt as the provider embedded it.
struct EmbeddedPrompt {
  std::string provider;
  std::string model;  // the catalog vectors it is comparable with
  std::vector<float> vector;
};

// How a command turns the prompt into recommendations, given the recommender loaded with the
// provider's model: `by_vector` from the prompt's embedding (in that model's space), `offline` when the
// offline path stands in for a provider that did not answer (the recommender then holds the catalog's
// default model). Both may fail (an unknown liked title, say); the error is printed like any other.
struct PromptRanking {
  std::function<Result<Recommendations>(const Recommender&, const EmbeddedPrompt&)> by_vector;
  std::function<Result<Recommendations>(const Recommender&)> offline;
};

// Refuses, before any API call, a provider whose model has no vectors in the catalog, naming the
// `cinerec embed` command that makes them. With use_cache, the database is opened for writing so
// new query vectors are cached; a read-only database just disables the cache (with a notice).
// A configured provider that does not answer (down, hanging past the timeout, rate-limited past
// the retries, answering garbage) does not fail the command when `fallback` is set: the offline
// path answers instead, and a notice on stderr and in the recommendations' notices says why. The
// wait is bounded by the interactive HTTP settings (embedder_options.h).
// The recommendations point into the recommender's movies, so they are handed to `print` while it
// is alive; returns what `print` returns.
int recommend_with_provider(const GlobalOptions& global, const std::string& provider, const EmbedderOptions& options,
                            const ConfigSource& config, bool use_cache, bool fallback, std::string_view prompt,
                            const PromptRanking& ranking,
                            const std::function<int(const Result<Recommendations>&)>& print);

// The prompt alone: BM25 fused with the cosine (Recommender::recommend_by_vector), or recommend_offline.
PromptRanking rank_prompt(std::string_view prompt, std::size_t k, const MovieFilter& filter,
                          const RankingOptions& ranking);

// The `cinerec embed …` command that makes vectors for this provider and options.
std::string embed_command(const std::string& provider, const EmbedderOptions& options, const std::string& model);

}  // namespace cinerec::cli
