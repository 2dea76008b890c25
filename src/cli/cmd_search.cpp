// cinerec similar TITLE / cinerec recommend ["PROMPT"] [--like TITLE]... [--dislike TITLE]...
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/embedder_options.h"
#include "cli/recommend_provider.h"
#include "cli/table.h"
#include "common/text.h"
#include "recommend/examples.h"
#include "recommend/json_output.h"
#include "recommend/personal.h"
#include "recommend/recommender.h"

namespace cinerec::cli {
namespace {

struct SearchArgs {
  std::string text;  // title or prompt
  std::size_t k = 5;
  bool json = false;
  std::string model;
  std::vector<std::string> genres;
  std::optional<int> year_from, year_to;
  bool explain = false;
  RankingOptions ranking;
  std::vector<std::string> liked, disliked;  // titles
  std::string strategy = "average";
  std::string user;  // a user id of the imported ratings
  EmbedderOptions embedder;  // recommend: embed the prompt with a provider (--provider / CINEREC_PROVIDER)
  bool no_cache = false;     // recommend: bypass the query-embedding cache
  bool no_fallback = false;  // recommend: a provider that does not answer is an error, not the offline path
};

MovieFilter filter_of(const SearchArgs& args) { return MovieFilter{args.genres, args.year_from, args.year_to}; }

int print(const Result<Recommendations>& recs, const SearchArgs& args) {
  if (!recs.ok()) return fail(recs.error());
  if (args.json) std::cout << recommendations_json(*recs, args.explain).dump(2) << "\n";
  else print_recommendations(std::cout, *recs, args.explain);
  return 0;
}

Result<Recommender> load_recommender(const GlobalOptions& global, const SearchArgs& args) {
  auto options = recommender_options(global, args.model);
  if (!options.ok()) return options.error();
  auto store = open_db(global, OpenMode::ReadOnly);
  if (!store.ok()) return store.error();
  return Recommender::load(**store, *options);
}

int run_similar(const GlobalOptions& global, const SearchArgs& args) {
  auto recommender = load_recommender(global, args);
  if (!recommender.ok()) return fail(recommender.error());
  auto movie = recommender->find_title(args.text);
  if (!movie.ok()) return fail(movie.error());
  return print(recommender->similar((*movie)->id, args.k, filter_of(args), args.ranking), args);
}

// With an embedding provider chosen (--provider or CINEREC_PROVIDER), answers `prompt` through it and
// returns the exit code; nullopt when none is chosen. A malformed dotenv file matters only to someone
// asking for a provider; otherwise (a foreign ./.env, say) the environment alone decides whether
// CINEREC_PROVIDER is set.
std::optional<int> answer_with_chosen_provider(const GlobalOptions& global, const SearchArgs& args,
                                               std::string_view prompt, const PromptRanking& ranking) {
  auto config = load_config();
  if (!config.ok() && !args.embedder.provider.empty()) return fail(config.error());
  const ConfigSource settings = config.ok() ? std::move(config).value() : ConfigSource();
  auto provider = chosen_provider(args.embedder, settings);
  if (!provider) return std::nullopt;
  EmbedderOptions options = args.embedder;
  options.model = args.model;  // with a provider, --model names its model (and so the vectors compared)
  return recommend_with_provider(global, *provider, options, settings, !args.no_cache, !args.no_fallback, prompt,
                                 ranking, [&](const Result<Recommendations>& recs) { return print(recs, args); });
}

// Likes and dislikes, with the prompt (if any) as one more liked example: embedded by the chosen
// provider (then the catalog's vectors of its model are the ones compared) or placed by the offline path.
int run_recommend_examples(const GlobalOptions& global, const SearchArgs& args) {
  auto strategy = parse_example_strategy(args.strategy);
  if (!strategy.ok()) return fail(strategy.error());
  const std::string prompt(trim(args.text));
  const std::size_t k = args.k;
  const MovieFilter filter = filter_of(args);
  // The titles are found in whichever snapshot answers (the provider's model or the offline default);
  // `prompt_vector`, when given, is the prompt's place in that snapshot's space, made by `provider`.
  auto rank = [&, strategy = *strategy](const Recommender& recommender, std::optional<std::vector<float>> prompt_vector,
                                        const std::string& provider) -> Result<Recommendations> {
    ExampleQuery query;
    query.strategy = strategy;
    for (const auto& [titles, ids] : {std::pair{&args.liked, &query.liked}, std::pair{&args.disliked, &query.disliked}}) {
      for (const auto& title : *titles) {
        auto movie = recommender.find_title(title);
        if (!movie.ok()) return movie.error();
        ids->push_back((*movie)->id);
      }
    }
    if (prompt_vector) {
      query.prompt = prompt;
      query.prompt_vector = std::move(prompt_vector);
      query.provider = provider;
    }
    return recommend_from_examples(recommender, query, k, filter);
  };
  PromptRanking ranking{
      [&](const Recommender& recommender, const EmbeddedPrompt& embedded) {
        return rank(recommender, embedded.vector, embedded.provider);
      },
      [&](const Recommender& recommender) -> Result<Recommendations> {
        if (prompt.empty()) return rank(recommender, std::nullopt, "");
        auto vector = recommender.offline_prompt_vector(prompt);
        if (!vector.ok()) return vector.error();
        return rank(recommender, std::move(vector).value(), "offline");
      },
  };
  if (!prompt.empty()) {
    if (auto valid = validate_prompt(prompt); !valid.ok()) return fail(valid.error());
    if (auto answered = answer_with_chosen_provider(global, args, prompt, ranking)) return *answered;
  }
  auto recommender = load_recommender(global, args);
  if (!recommender.ok()) return fail(recommender.error());
  return print(ranking.offline(*recommender), args);
}

int run_recommend_user(const GlobalOptions& global, const SearchArgs& args) {
  if (!args.text.empty() || !args.liked.empty() || !args.disliked.empty())
    return fail(Error{"--user recommends from the user's ratings alone; drop the prompt, --like and --dislike"});
  auto recommender = load_recommender(global, args);
  if (!recommender.ok()) return fail(recommender.error());
  auto ratings = open_rating_store(global.db, OpenMode::ReadOnly);
  if (!ratings.ok()) return fail(ratings.error());
  bool stale = false;
  auto model = load_personal_model(**ratings, *recommender, &stale);
  if (!model.ok()) return fail(model.error());
  auto recs = recommend_for_user(*model, *recommender, **ratings, args.user, args.k, filter_of(args));
  if (recs.ok() && stale) recs->notices.push_back("ratings changed since the model was trained; run cinerec train");
  return print(recs, args);
}

int run_recommend(const GlobalOptions& global, const SearchArgs& args) {
  if (!args.user.empty()) return run_recommend_user(global, args);
  if (!args.liked.empty() || !args.disliked.empty()) return run_recommend_examples(global, args);
  auto prompt = validate_prompt(args.text);
  if (!prompt.ok()) return fail(prompt.error());
  if (auto answered =
          answer_with_chosen_provider(global, args, *prompt, rank_prompt(*prompt, args.k, filter_of(args), args.ranking)))
    return *answered;
  auto recommender = load_recommender(global, args);
  if (!recommender.ok()) return fail(recommender.error());
  auto recs = recommender->recommend_offline(*prompt, args.k, filter_of(args), args.ranking);
  if (recs.ok())
    recs->notices.push_back("offline ranking (" + recs->model +
                            "): no embedding provider chosen; --provider or CINEREC_PROVIDER (see cinerec providers)");
  return print(recs, args);
}

void add_search_options(CLI::App* command, SearchArgs& args) {
  command->add_option("-k", args.k, "how many movies")->capture_default_str()->check(CLI::Range(1, 1000));
  command->add_flag("--json", args.json, "print JSON");
  command->add_option("--model", args.model, "use this model's vectors (default: the model with the most vectors)");
  command->add_option("--genre", args.genres, "only movies with this genre tag (repeatable)");
  command->add_option("--year-from", args.year_from, "only movies from this year on");
  command->add_option("--year-to", args.year_to, "only movies up to this year");
  command->add_option("--diversity", args.ranking.diversity,
                      "0..1: re-rank for variety (MMR), so one saga does not fill the list (default 0: off)")
      ->check(CLI::Range(0.0, 1.0));
  command->add_flag("--all-duplicates", args.ranking.keep_duplicates,
                    "keep every film of a near-duplicate group (default: only the best ranked)");
  command->add_flag("--explain", args.explain, "say why each movie is there (score parts, matched words)");
}

}  // namespace

void register_search_commands(CLI::App& app, GlobalOptions& global) {
  auto similar_args = std::make_shared<SearchArgs>();
  auto* similar = app.add_subcommand("similar", "movies most similar to a movie (cosine of stored vectors)");
  similar->add_option("title", similar_args->text, "movie title (case and accents ignored)")->required();
  add_search_options(similar, *similar_args);
  add_vector_search_options(similar, global);
  similar->callback([&global, similar_args] { global.run = [&global, similar_args] { return run_similar(global, *similar_args); }; });

  auto recommend_args = std::make_shared<SearchArgs>();
  auto* recommend = app.add_subcommand("recommend", "movies for what you feel like watching");
  recommend->add_option("prompt", recommend_args->text, "what you feel like watching, in your words");
  add_search_options(recommend, *recommend_args);
  add_vector_search_options(recommend, global);
  recommend->add_option("--like", recommend_args->liked, "a movie you liked: more like it (repeatable)");
  recommend->add_option("--dislike", recommend_args->disliked, "a movie you did not like: less like it (repeatable)");
  recommend->add_option("--strategy", recommend_args->strategy,
                        "how likes and dislikes combine: average (one query vector) or best-score (each movie "
                        "by its closest example)")
      ->capture_default_str();
  recommend->add_option("--user", recommend_args->user,
                        "recommend for this user of the imported ratings (cinerec import-ratings)");
  add_embedder_options(recommend, recommend_args->embedder, /*add_model=*/false);
  recommend->add_flag("--vector-only", recommend_args->ranking.vector_only,
                      "with --provider: rank by the prompt vector's cosine alone (default: fused with BM25)");
  recommend->add_flag("--no-cache", recommend_args->no_cache, "with --provider: always ask the provider, bypassing the query cache");
  recommend->add_flag("--no-fallback", recommend_args->no_fallback,
                      "with --provider: fail when the provider does not answer (default: answer offline, with a notice)");
  recommend->callback([&global, recommend_args] {
    global.run = [&global, recommend_args] { return run_recommend(global, *recommend_args); };
  });
}

}  // namespace cinerec::cli
