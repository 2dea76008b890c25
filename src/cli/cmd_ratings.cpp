// cinerec import-ratings FILE [--links FILE] / cinerec train / cinerec eval-ratings
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog/ratings_file.h"
#include "cli/commands.h"
#include "cli/table.h"
#include "recommend/personal.h"
#include "recommend/rating_evaluation.h"
#include "recommend/ratings_import.h"
#include "recommend/recommender.h"
#include "store/rating_store.h"

namespace cinerec::cli {
namespace {

struct ImportRatingsArgs {
  std::string file;
  std::string links;
  bool no_train = false;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Trains on every stored rating and stores the model, reporting what it did.
int train(const GlobalOptions& global) {
  auto store = open_db(global, OpenMode::ReadOnly);
  if (!store.ok()) return fail(store.error());
  auto snapshot = Recommender::load(**store);
  if (!snapshot.ok()) return fail(snapshot.error());
  auto ratings = open_rating_store(global.db, OpenMode::ReadWrite);
  if (!ratings.ok()) return fail(ratings.error());
  auto start = std::chrono::steady_clock::now();
  auto model = train_and_store(**ratings, *snapshot);
  if (!model.ok()) return fail(model.error());
  char line[160];
  std::snprintf(line, sizeof line, "trained the personal model on %zu movies in %.1f s\n", model->item_ids().size(),
                seconds_since(start));
  std::cout << line;
  return 0;
}

int run_import_ratings(const GlobalOptions& global, const ImportRatingsArgs& args) {
  auto rows = read_ratings_file(args.file);
  if (!rows.ok()) return fail(rows.error());
  std::optional<std::map<std::string, ExternalIds>> links;
  if (!args.links.empty()) {
    auto read = read_links_file(args.links);
    if (!read.ok()) return fail(read.error());
    links = std::move(read).value();
  }
  auto store = open_db(global, OpenMode::ReadWrite);
  if (!store.ok()) return fail(store.error());
  auto movies = (*store)->movies();
  if (!movies.ok()) return fail(movies.error());
  auto match = match_ratings(*rows, *movies, links);
  if (match.ratings.empty())
    return fail(Error{args.file + ": none of the " + std::to_string(match.rows) +
                      " ratings matches a catalog movie (catalog movies need source ids, e.g. TMDB ids" +
                      (links ? "" : "; MovieLens ids need --links links.csv") + ")"});
  auto ratings = open_rating_store(global.db, OpenMode::ReadWrite);
  if (!ratings.ok()) return fail(ratings.error());
  auto summary = (*ratings)->upsert_ratings(match.ratings);
  if (!summary.ok()) return fail(Error{args.file + ": nothing imported: " + summary.error().message});
  std::cout << "imported " << args.file << " into " << (*store)->describe() << ": " << match.rows << " rows, "
            << match.ratings.size() << " ratings by " << match.users << " users (" << summary->added << " added, "
            << summary->updated << " updated, " << summary->unchanged << " unchanged)\n";
  std::size_t unmatched = match.without_link + match.not_in_catalog;
  if (unmatched > 0 || match.merged > 0)
    std::cout << "unmatched: " << unmatched << " rows (" << match.without_link << " without a link, "
              << match.not_in_catalog << " of movies not in the catalog); " << match.merged
              << " rows merged into another rating of the same film\n";
  if (args.no_train) return 0;
  store->reset();
  ratings->reset();
  return train(global);
}

struct EvalArgs {
  bool json = false;
  PersonalModelParams params;  // defaults are the tuned values; options override them for tuning
};

int run_eval_ratings(const GlobalOptions& global, const EvalArgs& args) {
  auto store = open_db(global, OpenMode::ReadOnly);
  if (!store.ok()) return fail(store.error());
  auto snapshot = Recommender::load(**store);
  if (!snapshot.ok()) return fail(snapshot.error());
  auto ratings = open_rating_store(global.db, OpenMode::ReadOnly);
  if (!ratings.ok()) return fail(ratings.error());
  auto data = load_rating_data(**ratings, *snapshot);
  if (!data.ok()) return fail(data.error());
  auto split = leave_last_liked_out(data->interactions);
  if (split.held_out.empty()) return fail(Error{"no user has a rating of 4 or more to hold out; nothing to evaluate"});
  auto start = std::chrono::steady_clock::now();
  auto model = train_personal_model(split.history, *snapshot, args.params);
  if (!model.ok()) return fail(model.error());
  const double train_seconds = seconds_since(start);
  const std::size_t items = snapshot->movies().size();
  nlohmann::ordered_json out;
  out["protocol"] = "leave-last-liked-out";
  out["users"] = split.held_out.size();
  out["items"] = items;
  out["ratings"] = data->interactions.size();
  out["train_seconds"] = std::round(train_seconds * 100) / 100;
  std::vector<std::vector<std::string>> rows = {{"model", "hit@10", "NDCG@10"}};
  for (auto scorer : {Scorer::Popularity, Scorer::Content, Scorer::ItemKnn, Scorer::Ease, Scorer::Hybrid}) {
    auto metrics = evaluate_leave_last_liked_out(split, items, [&](const std::vector<HistoryItem>& history) {
      return model->scores(history, scorer);
    });
    out["results"][scorer_name(scorer)] = {{"hit@10", std::round(metrics.hit_at_10 * 1e4) / 1e4},
                                           {"ndcg@10", std::round(metrics.ndcg_at_10 * 1e4) / 1e4}};
    char hit[16], ndcg[16];
    std::snprintf(hit, sizeof hit, "%.4f", metrics.hit_at_10);
    std::snprintf(ndcg, sizeof ndcg, "%.4f", metrics.ndcg_at_10);
    rows.push_back({scorer_name(scorer), hit, ndcg});
  }
  if (args.json) {
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::cout << "leave-last-liked-out: " << split.held_out.size() << " users, " << items << " movies, "
            << data->interactions.size() << " ratings; training took " << out["train_seconds"] << " s\n";
  print_table(std::cout, rows);
  return 0;
}

}  // namespace

void register_ratings_commands(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<ImportRatingsArgs>();
  auto* import = app.add_subcommand("import-ratings", "import rating histories (MovieLens ratings.csv format)");
  import->add_option("file", args->file, "ratings CSV: userId,movieId,rating,timestamp")->required();
  import->add_option("--links", args->links,
                     "MovieLens links.csv (movieId,imdbId,tmdbId) mapping its ids to the catalog's TMDB/IMDb ids");
  import->add_flag("--no-train", args->no_train, "only store the ratings; train later with cinerec train");
  import->callback([&global, args] { global.run = [&global, args] { return run_import_ratings(global, *args); }; });

  auto* train_command = app.add_subcommand("train", "train the personal model on every stored rating");
  train_command->callback([&global] { global.run = [&global] { return train(global); }; });

  auto eval_args = std::make_shared<EvalArgs>();
  auto* eval = app.add_subcommand("eval-ratings",
                                  "hit@10 and NDCG@10 of popularity, content, item-kNN, EASE and the hybrid on the "
                                  "stored ratings, leave-last-liked-out");
  eval->add_flag("--json", eval_args->json, "print JSON");
  auto& p = eval_args->params;
  eval->add_option("--lambda", p.ease_lambda, "EASE L2 regularization")->capture_default_str();
  eval->add_option("--neighbours", p.neighbours, "weights kept per movie")->capture_default_str();
  eval->add_option("--recency-boost", p.recency_boost, "extra weight of the latest rating")->capture_default_str();
  eval->add_option("--recency-half-life", p.recency_half_life, "ratings until the extra weight halves")
      ->capture_default_str();
  eval->add_option("--sequence-weight", p.sequence_weight, "what-comes-next score added to the collaborative one")
      ->capture_default_str();
  eval->add_option("--sequence-window", p.sequence_window, "ratings ahead counted as 'next'")->capture_default_str();
  eval->add_option("--content-weight", p.content_weight, "content score added to the collaborative one")
      ->capture_default_str();
  eval->callback([&global, eval_args] { global.run = [&global, eval_args] { return run_eval_ratings(global, *eval_args); }; });
}

}  // namespace cinerec::cli
