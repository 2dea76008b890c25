#include "recommend/evaluation.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "common/text.h"

namespace cinerec {

Result<std::vector<EvalCase>> parse_eval_tsv(std::string_view text, std::string_view source_name) {
  std::vector<EvalCase> cases;
  std::size_t line_no = 0, pos = 0;
  auto where = [&] { return std::string(source_name) + ":" + std::to_string(line_no) + ": "; };
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty() || trim(line).front() == '#') continue;
    std::size_t bad = 0;
    if (!is_valid_utf8(line, &bad)) return Error{where() + "invalid UTF-8 at byte " + std::to_string(bad + 1)};
    auto tab = line.find('\t');
    if (tab == std::string_view::npos) return Error{where() + "expected 'prompt<TAB>title|title', found no tab"};
    EvalCase c;
    c.line = line_no;
    c.prompt = std::string(trim(line.substr(0, tab)));
    if (c.prompt.empty()) return Error{where() + "empty prompt"};
    std::string_view titles = line.substr(tab + 1);
    std::size_t start = 0;
    while (start <= titles.size()) {
      auto bar = titles.find('|', start);
      if (bar == std::string_view::npos) bar = titles.size();
      auto title = trim(titles.substr(start, bar - start));
      if (!title.empty()) c.relevant.emplace_back(title);
      start = bar + 1;
    }
    if (c.relevant.empty()) return Error{where() + "no relevant title after the tab"};
    cases.push_back(std::move(c));
  }
  return cases;
}

Result<std::vector<EvalCase>> load_eval_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot open evaluation file " + path};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Error{"cannot read evaluation file " + path};
  return parse_eval_tsv(buffer.str(), path);
}

EvalCaseResult score_case(const EvalCase& judged, std::vector<std::string> ranked) {
  EvalCaseResult r;
  r.judged = judged;
  std::set<std::string> relevant;
  for (const auto& t : judged.relevant) relevant.insert(fold_for_search(t));
  std::set<std::string> found;
  double dcg = 0.0;
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    auto folded = fold_for_search(ranked[i]);
    if (!relevant.count(folded) || !found.insert(folded).second) continue;
    const std::size_t rank = i + 1;
    if (!r.first_hit) r.first_hit = rank;
    if (rank <= 10) dcg += 1.0 / std::log2(static_cast<double>(rank) + 1.0);
  }
  double ideal = 0.0;
  for (std::size_t rank = 1; rank <= std::min<std::size_t>(relevant.size(), 10); ++rank) {
    ideal += 1.0 / std::log2(static_cast<double>(rank) + 1.0);
  }
  r.ndcg10 = ideal > 0 ? dcg / ideal : 0.0;
  r.ranked = std::move(ranked);
  return r;
}

EvalSummary summarize(std::vector<EvalCaseResult> results) {
  EvalSummary s;
  s.cases = results.size();
  for (const auto& r : results) {
    if (r.first_hit) {
      s.hit1 += *r.first_hit <= 1;
      s.hit5 += *r.first_hit <= 5;
      s.hit10 += *r.first_hit <= 10;
      s.mrr += 1.0 / static_cast<double>(*r.first_hit);
    }
    s.ndcg10 += r.ndcg10;
  }
  if (s.cases) {
    const double n = static_cast<double>(s.cases);
    s.hit1 /= n, s.hit5 /= n, s.hit10 /= n, s.mrr /= n, s.ndcg10 /= n;
  }
  s.results = std::move(results);
  return s;
}

Result<EvalSummary> evaluate(const std::vector<EvalCase>& cases,
                             const std::function<Result<std::vector<std::string>>(const std::string&)>& rank) {
  std::vector<EvalCaseResult> results;
  results.reserve(cases.size());
  for (const auto& c : cases) {
    auto ranked = rank(c.prompt);
    if (!ranked.ok()) return Error{"line " + std::to_string(c.line) + ": " + ranked.error().message};
    results.push_back(score_case(c, std::move(ranked.value())));
  }
  return summarize(std::move(results));
}

nlohmann::ordered_json eval_summary_json(const EvalSummary& summary) {
  nlohmann::ordered_json j;
  j["cases"] = summary.cases;
  j["hit@1"] = summary.hit1;
  j["hit@5"] = summary.hit5;
  j["hit@10"] = summary.hit10;
  j["mrr"] = summary.mrr;
  j["ndcg@10"] = summary.ndcg10;
  j["missed"] = nlohmann::ordered_json::array();
  for (const auto& r : summary.results) {
    if (r.first_hit && *r.first_hit <= 10) continue;
    nlohmann::ordered_json m;
    m["line"] = r.judged.line;
    m["prompt"] = r.judged.prompt;
    m["relevant"] = r.judged.relevant;
    std::vector<std::string> top(r.ranked.begin(), r.ranked.begin() + std::min<std::ptrdiff_t>(5, r.ranked.size()));
    m["top"] = top;
    j["missed"].push_back(m);
  }
  return j;
}

}  // namespace cinerec
