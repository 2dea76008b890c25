// cinerec eval FILE: measures the ranking on a judged prompt set (hit@1/5/10, MRR, nDCG@10).
#include <cstdio>
#include <functional>
#include <iostream>
#include <map>
#include <optional>

#include "cli/commands.h"
#include "cli/embedder_options.h"
#include "common/text.h"
#include "embed/cached_query.h"
#include "recommend/evaluation.h"
#include "recommend/recommender.h"

namespace cinerec::cli {
namespace {

struct EvalArgs {
  std::string file;
  std::string model;
  double synonym_weight = RecommenderOptions::kDefaultSynonymWeight;
  std::string thesaurus;
  Bm25Params bm25;
  bool json = false;
  bool quiet = false;
  EmbedderOptions embedder;  // --provider: prompts embedded by a provider (hybrid, or --vector-only)
  bool vector_only = false;
};

// Ranks a prompt the way `recommend` would: offline, or embedded by the provider (never through the
// query cache, so a measurement does not write to the database).
using Ranker = std::function<Result<Recommendations>(const std::string&)>;

// Prompts longer than `recommend` accepts are cut at the limit, on a character boundary, as a person
// pasting them would have to. Returns how many were cut.
std::size_t cut_long_prompts(std::vector<EvalCase>& cases) {
  std::size_t cut = 0;
  for (auto& c : cases) {
    if (c.prompt.size() <= Recommender::kMaxPromptBytes) continue;
    std::size_t end = Recommender::kMaxPromptBytes;
    while (end > 0 && (static_cast<unsigned char>(c.prompt[end]) & 0xC0) == 0x80) --end;  // a continuation byte
    c.prompt.resize(end);
    ++cut;
  }
  return cut;
}

// Movie databases hold different films under one title; the importer keeps them as "Title (year)" or
// "Title [id]" (import.cpp: disambiguate_database_titles). folded base title → the catalog's titles.
std::map<std::string, std::vector<std::string>> renamed_titles(const Recommender& recommender) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& m : recommender.movies()) {
    const std::string& t = m.title;
    if (t.size() < 4 || (t.back() != ')' && t.back() != ']')) continue;
    const char open = t.back() == ')' ? '(' : '[';
    auto at = t.rfind(std::string(" ") + open);
    if (at == std::string::npos || at == 0) continue;
    out[fold_for_search(t.substr(0, at))].push_back(t);
  }
  return out;
}

std::string fixed3(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

int run_eval(const GlobalOptions& global, const EvalArgs& args) {
  auto cases = load_eval_file(args.file);
  if (!cases.ok()) return fail(cases.error());
  if (cases->empty()) return fail(Error{args.file + ": no prompts"});
  auto config = load_config();
  if (!config.ok() && !args.embedder.provider.empty()) return fail(config.error());
  const ConfigSource settings = config.ok() ? std::move(config).value() : ConfigSource();
  const auto provider_name = chosen_provider(args.embedder, settings);
  if (args.vector_only && !provider_name) return fail(Error{"--vector-only needs an embedding provider (--provider)"});
  std::unique_ptr<Embedder> embedder;
  std::string vectors_model = args.model;
  if (provider_name) {
    EmbedderOptions options = args.embedder;
    options.model = args.model;
    auto built = build_embedder(*provider_name, options, settings);
    if (!built.ok()) return fail(built.error());
    embedder = std::move(built).value();
    vectors_model = embedder->model();
  }
  auto store = open_db(global, OpenMode::ReadOnly);
  if (!store.ok()) return fail(store.error());
  RecommenderOptions options{vectors_model};
  options.synonym_weight = args.synonym_weight;
  options.thesaurus = args.thesaurus;
  options.bm25 = args.bm25;
  auto recommender = Recommender::load(**store, options);
  if (!recommender.ok()) return fail(recommender.error());
  Ranker rank = [&](const std::string& prompt) { return recommender->recommend_offline(prompt, 10); };
  if (embedder) {
    rank = [&](const std::string& prompt) -> Result<Recommendations> {
      auto query = embed_query(*embedder, prompt, nullptr);
      if (!query.ok()) return query.error();
      RankingOptions ranking;
      ranking.vector_only = args.vector_only;
      return recommender->recommend_by_vector(prompt, query->vector, *provider_name, embedder->model(), 10, {},
                                              ranking);
    };
  }
  // A judged title the catalog lacks would silently count as a miss: refuse the file instead. A title
  // the catalog holds only as several renamed films counts as found when any of them is ranked.
  std::vector<std::string> notices;
  std::optional<std::map<std::string, std::vector<std::string>>> renamed;
  std::size_t ambiguous = 0;
  for (auto& c : *cases) {
    std::vector<std::string> relevant;
    for (const auto& title : c.relevant) {
      auto found = recommender->find_title(title);
      if (found.ok()) {
        relevant.push_back((*found)->title);
        continue;
      }
      if (!renamed) renamed = renamed_titles(*recommender);
      auto it = renamed->find(fold_for_search(title));
      if (it == renamed->end())
        return fail(Error{args.file + ":" + std::to_string(c.line) + ": " + found.error().message});
      relevant.insert(relevant.end(), it->second.begin(), it->second.end());
      ++ambiguous;
    }
    c.relevant = std::move(relevant);
  }
  if (ambiguous)
    notices.push_back(std::to_string(ambiguous) + " judged titles name several films of the catalog (stored as "
                      "\"Title (year)\" or \"Title [id]\"); any of them counts as the answer");
  if (auto cut = cut_long_prompts(*cases))
    notices.push_back(std::to_string(cut) + " prompts longer than " + std::to_string(Recommender::kMaxPromptBytes) +
                      " bytes were cut at that limit");
  std::string provider, model;
  const std::string mode = !embedder ? "offline" : args.vector_only ? "vector" : "hybrid";
  auto summary = evaluate(*cases, [&](const std::string& prompt) -> Result<std::vector<std::string>> {
    auto recs = rank(prompt);
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
    j["mode"] = mode;
    const auto body = eval_summary_json(*summary);
    for (auto it = body.begin(); it != body.end(); ++it) j[it.key()] = it.value();
    j["notices"] = notices;
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << args.file << ": " << summary->cases << " prompts, provider " << provider << ", model " << model
            << ", mode " << mode << "\n"
            << "hit@1 " << fixed3(summary->hit1) << "  hit@5 " << fixed3(summary->hit5) << "  hit@10 "
            << fixed3(summary->hit10) << "  MRR " << fixed3(summary->mrr) << "  nDCG@10 " << fixed3(summary->ndcg10)
            << "\n";
  for (const auto& n : notices) std::cout << "note: " << n << "\n";
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
  eval->add_option("--synonym-weight", args->synonym_weight,
                   "weight of thesaurus synonyms in the BM25 query (0: none), for tuning")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  eval->add_option("--bm25-k1", args->bm25.k1, "BM25 term-frequency saturation, for tuning")
      ->check(CLI::Range(0.0, 10.0))
      ->capture_default_str();
  eval->add_option("--bm25-b", args->bm25.b, "BM25 length normalization (0..1), for tuning")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  eval->add_option("--title-weight", args->bm25.title_weight, "how many body occurrences a title word counts as")
      ->check(CLI::Range(0.0, 20.0))
      ->capture_default_str();
  eval->add_option("--thesaurus", args->thesaurus,
                   "MyThes .dat file or WordNet directory (default: Debian's for the catalog's language)");
  eval->add_flag("--quiet", args->quiet, "print only the figures, not the missed prompts");
  add_embedder_options(eval, args->embedder, /*add_model=*/false);
  eval->add_flag("--vector-only", args->vector_only,
                 "with --provider: rank by the prompt vector's cosine alone (default: hybrid with BM25)");
  eval->callback([&global, args] { global.run = [&global, args] { return run_eval(global, *args); }; });
}

}  // namespace cinerec::cli
