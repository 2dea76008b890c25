// cinerec duplicates: the near-duplicate films of the catalog (the same film under two titles).
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "cli/table.h"
#include "recommend/json_output.h"
#include "recommend/recommender.h"

namespace cinerec::cli {
namespace {

struct DuplicatesArgs {
  std::string model;
  bool json = false;
};

std::string fixed3(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

int run_duplicates(const GlobalOptions& global, const DuplicatesArgs& args) {
  auto store = open_db(global, OpenMode::ReadOnly);
  if (!store.ok()) return fail(store.error());
  auto recommender = Recommender::load(**store, RecommenderOptions{args.model});
  if (!recommender.ok()) return fail(recommender.error());
  const auto& movies = recommender->movies();
  const auto& pairs = recommender->duplicates();
  if (args.json) {
    nlohmann::ordered_json j;
    j["model"] = recommender->model();
    j["duplicates"] = nlohmann::ordered_json::array();
    for (const auto& p : pairs) {
      nlohmann::ordered_json item;
      item["a"] = movie_json(movies[p.a]);
      item["b"] = movie_json(movies[p.b]);
      item["vector_cosine"] = p.vector_cosine;
      item["text_cosine"] = p.text_cosine;
      j["duplicates"].push_back(std::move(item));
    }
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  if (pairs.empty()) {
    std::cout << "no near-duplicate films found\n";
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {{"title", "duplicate", "year", "vectors", "descriptions"}};
  for (const auto& p : pairs) {
    const auto& a = movies[p.a];
    rows.push_back({a.title, movies[p.b].title, a.year ? std::to_string(*a.year) : "", fixed3(p.vector_cosine),
                    fixed3(p.text_cosine)});
  }
  print_table(std::cout, rows);
  std::cout << "recommendations show only the better ranked film of each pair (--all-duplicates shows both)\n";
  return 0;
}

}  // namespace

void register_duplicates_commands(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<DuplicatesArgs>();
  auto* cmd = app.add_subcommand("duplicates",
                                 "list near-duplicate films (close vectors, similar descriptions, same year)");
  cmd->add_option("--model", args->model, "use this model's vectors (default: the model with the most vectors)");
  cmd->add_flag("--json", args->json, "print JSON");
  cmd->callback([&global, args] { global.run = [&global, args] { return run_duplicates(global, *args); }; });
}

}  // namespace cinerec::cli
