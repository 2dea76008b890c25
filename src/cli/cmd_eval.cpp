// cinerec eval FILE: measures the ranking on a judged prompt set (hit@1/5/10, MRR, nDCG@10).
#include <cstdio>
#include <iostream>

#include "cli/commands.h"
#include "recommend/evaluation.h"
#include "recommend/recommender.h"

namespace cinerec::cli {
namespace {

struct EvalArgs {
  std::string file;
  std::string model;
  bool json = false;
  bool quiet = false;
};

std::string fixed3(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

int run_eval(const GlobalOptions& global, const EvalArgs& args) {
  auto cases = load_eval_file(args.file);
  if (!cases.ok()) return fail(cases.error());
  if (cases->empty()) return fail(Error{args.file + ": no prompts"});
  auto store = open_db(global, OpenMode::ReadOnly);
  if (!store.ok()) return fail(store.error());
  auto recommender = Recommender::load(**store, RecommenderOptions{args.model});
  if (!recommender.ok()) return fail(recommender.error());
  // A judged title the catalog lacks would silently count as a miss: refuse the file instead.
  for (const auto& c : *cases) {
    for (const auto& title : c.relevant) {
      auto found = recommender->find_title(title);
      if (!found.ok()) return fail(Error{args.file + ":" + std::to_string(c.line) + ": " + found.error().message});
    }
  }
  std::string provider, model;
  auto summary = evaluate(*cases, [&](const std::string& prompt) -> Result<std::vector<std::string>> {
    auto recs = recommender->recommend_offline(prompt, 10);
    if (!recs.ok()) return recs.error();
    provider = recs->provider;
    model = recs->model;
    std::vector<std::string> titles;
    for (const auto& r : recs->results) titles.push_back(r.movie->title);
    return titles;
  });
  if (!summary.ok()) return fail(Error{args.file + ": " + summary.error().message});
  if (args.json) {
    nlohmann::ordered_json j;
    j["file"] = args.file;
    j["provider"] = provider;
    j["model"] = model;
    const auto body = eval_summary_json(*summary);
    for (auto it = body.begin(); it != body.end(); ++it) j[it.key()] = it.value();
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << args.file << ": " << summary->cases << " prompts, provider " << provider << ", model " << model << "\n"
            << "hit@1 " << fixed3(summary->hit1) << "  hit@5 " << fixed3(summary->hit5) << "  hit@10 "
            << fixed3(summary->hit10) << "  MRR " << fixed3(summary->mrr) << "  nDCG@10 " << fixed3(summary->ndcg10)
            << "\n";
  if (args.quiet) return 0;
  for (const auto& r : summary->results) {
    if (r.first_hit && *r.first_hit <= 10) continue;
    std::cout << "missed (line " << r.judged.line << "): " << r.judged.prompt << "\n  expected: ";
    for (std::size_t i = 0; i < r.judged.relevant.size(); ++i) std::cout << (i ? " | " : "") << r.judged.relevant[i];
    std::cout << "\n  got: ";
    for (std::size_t i = 0; i < r.ranked.size() && i < 3; ++i) std::cout << (i ? " | " : "") << r.ranked[i];
    std::cout << "\n";
  }
  return 0;
}

}  // namespace

void register_eval_commands(CLI::App& app, GlobalOptions& global) {
  auto args = std::make_shared<EvalArgs>();
  auto* eval = app.add_subcommand("eval", "measure recommendations on a judged prompt set (TSV: prompt<TAB>title|title)");
  eval->add_option("file", args->file, "the judged prompts, e.g. tests/data/dev-es.tsv")->required();
  eval->add_option("--model", args->model, "use this model's vectors (default: the model with the most vectors)");
  eval->add_flag("--json", args->json, "print JSON");
  eval->add_flag("--quiet", args->quiet, "print only the figures, not the missed prompts");
  eval->callback([&global, args] { global.run = [&global, args] { return run_eval(global, *args); }; });
}

}  // namespace cinerec::cli
