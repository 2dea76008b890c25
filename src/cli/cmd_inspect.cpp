// cinerec check-embeddings: what vector a movie has (the original check_embeddings_db command).
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "catalog/title_index.h"
#include "cli/commands.h"

namespace cinerec::cli {
namespace {

struct CheckArgs {
  std::string title;
  std::size_t index = 0;  // 1-based position in the catalog; 0 = not given
  std::string model;
  std::size_t values = 5;
  bool json = false;
};

int run_check(const GlobalOptions& global, const CheckArgs& args) {
  auto store = open_db(global, OpenMode::ReadOnly);
  if (!store.ok()) return fail(store.error());
  auto movies = (*store)->movies();
  if (!movies.ok()) return fail(movies.error());
  if (movies->empty()) return fail(Error{(*store)->describe() + ": the catalog is empty; run cinerec import first"});
  std::size_t position = 0;
  if (!args.title.empty()) {
    auto found = TitleIndex::of(*movies).find(args.title);
    if (!found.ok()) return fail(found.error());
    position = *found;
  } else if (args.index > 0) {
    if (args.index > movies->size())
      return fail(Error{"--index " + std::to_string(args.index) + " is past the end of the catalog (" +
                        std::to_string(movies->size()) + " movies)"});
    position = args.index - 1;
  }
  const Movie& movie = (*movies)[position];
  auto models = (*store)->models();
  if (!models.ok()) return fail(models.error());
  nlohmann::ordered_json report;
  report["id"] = movie.id;
  report["title"] = movie.title;
  report["vectors"] = nlohmann::ordered_json::array();
  for (const auto& m : *models) {
    if (!args.model.empty() && m.model != args.model) continue;
    auto vectors = (*store)->vectors(m.model);
    if (!vectors.ok()) return fail(vectors.error());
    for (const auto& v : *vectors) {
      if (v.movie != movie.id) continue;
      nlohmann::ordered_json entry;
      entry["model"] = v.model;
      entry["dim"] = v.dim;
      entry["norm"] = v.norm;
      entry["first_values"] = std::vector<float>(v.values.begin(), v.values.begin() + std::min(args.values, v.values.size()));
      report["vectors"].push_back(entry);
    }
  }
  if (args.json) {
    std::cout << report.dump(2) << "\n";
  } else {
    std::cout << movie.title << " (id " << movie.id << ")\n";
    if (report["vectors"].empty()) std::cout << "  no embedding vectors" << (args.model.empty() ? "" : " for model " + args.model) << "\n";
    for (const auto& v : report["vectors"]) {
      std::printf("  model %s  dim %zu  norm %.6f\n  first values:", v["model"].get<std::string>().c_str(),
                  v["dim"].get<std::size_t>(), v["norm"].get<double>());
      for (const auto& x : v["first_values"]) std::printf(" %.6f", x.get<double>());
      std::printf("\n");
    }
    std::fflush(stdout);
  }
  return report["vectors"].empty() ? kExitFailure : 0;
}

}  // namespace

void register_inspect_commands(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<CheckArgs>();
  auto* check = app.add_subcommand("check-embeddings", "show a movie's stored vectors: model, dimension, norm, first values");
  auto* title = check->add_option("--title", args->title, "movie title (case and accents ignored)");
  check->add_option("--index", args->index, "position in the catalog, from 1")->excludes(title)->check(CLI::PositiveNumber);
  check->add_option("--model", args->model, "only this model's vector");
  check->add_option("--values", args->values, "how many leading values to print")->capture_default_str();
  check->add_flag("--json", args->json, "print JSON");
  check->callback([&global, args] { global.run = [&global, args] { return run_check(global, *args); }; });
}

}  // namespace cinerec::cli
