// Offline evaluation of rankings against a judged prompt set: reading the TSV format and computing
// hit@1/5/10, MRR and nDCG@10. Independent of how rankings are produced, so every ranking mode
// (offline, hybrid, vector-only) is measured by the same code.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace cinerec {

// One judged prompt: any of `relevant` (titles) is a correct answer.
struct EvalCase {
  std::string prompt;
  std::vector<std::string> relevant;
  std::size_t line = 0;  // 1-based line in the source file, for messages
};

// Parses `prompt<TAB>title|title...` lines. Blank lines and lines starting with '#' are skipped.
// Errors name the source and line: a missing tab, an empty prompt or an empty title list, invalid UTF-8.
Result<std::vector<EvalCase>> parse_eval_tsv(std::string_view text, std::string_view source_name);
Result<std::vector<EvalCase>> load_eval_file(const std::string& path);

struct EvalCaseResult {
  EvalCase judged;
  std::vector<std::string> ranked;  // titles as ranked by the system, best first
  std::optional<std::size_t> first_hit;  // 1-based rank of the first relevant title, if any was ranked
  double ndcg10 = 0.0;
};

struct EvalSummary {
  std::size_t cases = 0;
  double hit1 = 0, hit5 = 0, hit10 = 0;  // fraction of prompts with a relevant title in the top 1/5/10
  double mrr = 0;                        // mean of 1/first_hit (0 when none was ranked)
  double ndcg10 = 0;                     // binary-relevance nDCG@10, averaged
  std::vector<EvalCaseResult> results;   // one per case, input order
};

// Scores one ranking. Titles match ignoring case and accents; a relevant title listed twice in the
// ranking counts once (at its best rank). nDCG@10 = DCG / ideal DCG with gains 1/log2(rank + 1) and
// the ideal ranking putting min(|relevant|, 10) relevant titles first.
EvalCaseResult score_case(const EvalCase& judged, std::vector<std::string> ranked);

// Averages per-case results. An empty input gives all zeros.
EvalSummary summarize(std::vector<EvalCaseResult> results);

// Runs `rank` on every prompt (it returns titles best first; it should return at least 10) and
// summarizes. The first ranking error stops the run and is returned, prefixed with the case's line.
Result<EvalSummary> evaluate(const std::vector<EvalCase>& cases,
                             const std::function<Result<std::vector<std::string>>(const std::string&)>& rank);

// {"cases", "hit@1", "hit@5", "hit@10", "mrr", "ndcg@10", "missed": [{"line", "prompt", "relevant",
// "top"}]} where "missed" lists prompts without a relevant title in the top 10.
nlohmann::ordered_json eval_summary_json(const EvalSummary& summary);

}  // namespace cinerec
