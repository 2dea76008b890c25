// LexicalIndex: an in-memory inverted index scored with BM25F.
//
// Scoring choice (BM25F, Robertson & Zaragoza 2009, "simple BM25F"): the title and the body are two
// fields of one document. Each field's term frequency is length-normalized against that field's own
// average length, the title's is multiplied by title_weight, and the sum goes through one BM25
// saturation:
//
//   tf~(t,d)   = w_title * tf_title / (1 - b + b * len_title / avg_title)
//              +           tf_body  / (1 - b + b * len_body  / avg_body)
//   score(q,d) = sum over distinct query terms t of  idf(t) * tf~ * (k1 + 1) / (k1 + tf~)
//   idf(t)     = ln(1 + (N - df + 0.5) / (df + 0.5))        (df: documents with t in any field)
//
// Why not two separate BM25 scores added up: that saturates each field on its own, so a word in both
// the title and the body counts almost twice, and a short title would get the full IDF again. BM25F
// keeps one saturation per term, so a title match is worth "title_weight occurrences", which is what
// Bm25Params documents. The idf is Lucene's non-negative variant, so very common words never subtract.
// Repeated query words count once: prompts are short and repetition is rarely intentional.
#include <algorithm>
#include <cmath>
#include <mutex>
#include <unordered_map>

#include "index/lexical.h"

namespace cinerec {

namespace {

struct Posting {
  std::uint32_t doc;
  std::uint32_t tf_title;
  std::uint32_t tf_body;
};

}  // namespace

struct LexicalIndex::Impl {
  // Snowball stemmers keep per-call state, so query analysis is serialized; the index itself is
  // read-only after construction, which makes search() and matched_terms() safe to call concurrently.
  mutable std::mutex analyzer_mutex;
  Analyzer analyzer;
  Bm25Params params;
  std::size_t n_docs = 0;
  std::unordered_map<std::string, std::uint32_t> term_ids;
  std::vector<std::vector<Posting>> postings;  // by term id, sorted by doc
  std::vector<std::uint32_t> len_title, len_body;
  double avg_title = 0.0, avg_body = 0.0;

  Impl(const std::string& language, Bm25Params p) : analyzer(language), params(p) {}

  // Distinct query terms known to the index, in query order.
  std::vector<std::string> analyze(std::string_view text) const {
    std::lock_guard<std::mutex> lock(analyzer_mutex);
    return analyzer.terms(text);
  }

  std::vector<std::uint32_t> query_term_ids(std::string_view query) const {
    std::vector<std::uint32_t> ids;
    for (const auto& term : analyze(query)) {
      auto it = term_ids.find(term);
      if (it == term_ids.end()) continue;
      if (std::find(ids.begin(), ids.end(), it->second) == ids.end()) ids.push_back(it->second);
    }
    return ids;
  }

  // A field with no terms anywhere has average 0; its tf is always 0 there, so any finite norm works.
  static double norm(double b, std::uint32_t len, double avg) {
    return avg > 0.0 ? 1.0 - b + b * static_cast<double>(len) / avg : 1.0;
  }
};

LexicalIndex::LexicalIndex(const std::vector<LexicalDocument>& docs, Bm25Params params,
                           const std::string& language)
    : impl_(std::make_unique<Impl>(language, params)) {
  auto& m = *impl_;
  m.n_docs = docs.size();
  m.len_title.resize(docs.size());
  m.len_body.resize(docs.size());
  std::uint64_t total_title = 0, total_body = 0;
  for (std::size_t d = 0; d < docs.size(); ++d) {
    auto add = [&](std::string_view text, bool title) {
      auto terms = m.analyzer.terms(text);
      for (auto& term : terms) {
        auto [it, inserted] = m.term_ids.try_emplace(std::move(term), static_cast<std::uint32_t>(m.postings.size()));
        if (inserted) m.postings.emplace_back();
        auto& list = m.postings[it->second];
        // Documents are added in row order, so the current document, if present, is the last posting.
        if (list.empty() || list.back().doc != d) list.push_back({static_cast<std::uint32_t>(d), 0, 0});
        (title ? list.back().tf_title : list.back().tf_body) += 1;
      }
      return static_cast<std::uint32_t>(terms.size());
    };
    m.len_title[d] = add(docs[d].title, true);
    m.len_body[d] = add(docs[d].body, false);
    total_title += m.len_title[d];
    total_body += m.len_body[d];
  }
  if (!docs.empty()) {
    m.avg_title = static_cast<double>(total_title) / static_cast<double>(docs.size());
    m.avg_body = static_cast<double>(total_body) / static_cast<double>(docs.size());
  }
}

LexicalIndex::~LexicalIndex() = default;
LexicalIndex::LexicalIndex(LexicalIndex&&) noexcept = default;
LexicalIndex& LexicalIndex::operator=(LexicalIndex&&) noexcept = default;

std::vector<ScoredRow> LexicalIndex::search(std::string_view query, std::size_t k) const {
  return search(query, k, {}, 0.0);
}

std::vector<ScoredRow> LexicalIndex::search(std::string_view query, std::size_t k, std::string_view expansion,
                                            double expansion_weight) const {
  if (!impl_) return {};  // moved-from
  const auto& m = *impl_;
  if (k == 0 || m.n_docs == 0) return {};
  const auto& p = m.params;
  std::vector<std::pair<std::uint32_t, double>> weighted;
  for (auto id : m.query_term_ids(query)) weighted.emplace_back(id, 1.0);
  if (expansion_weight > 0.0) {
    for (auto id : m.query_term_ids(expansion)) {
      const bool in_query = std::any_of(weighted.begin(), weighted.end(), [&](const auto& t) { return t.first == id; });
      if (!in_query) weighted.emplace_back(id, expansion_weight);
    }
  }
  std::vector<double> scores(m.n_docs, 0.0);
  std::vector<std::uint8_t> touched(m.n_docs, 0);
  const double n = static_cast<double>(m.n_docs);
  for (const auto& [id, weight] : weighted) {
    const auto& list = m.postings[id];
    const double df = static_cast<double>(list.size());
    const double idf = weight * std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    for (const auto& post : list) {
      // A field without the term adds nothing; skipping it also avoids 0/0 when b = 1 and the field is
      // empty (its norm is then 0).
      double tf = 0.0;
      if (post.tf_title) tf += p.title_weight * post.tf_title / Impl::norm(p.b, m.len_title[post.doc], m.avg_title);
      if (post.tf_body) tf += post.tf_body / Impl::norm(p.b, m.len_body[post.doc], m.avg_body);
      scores[post.doc] += idf * tf * (p.k1 + 1.0) / (p.k1 + tf);
      touched[post.doc] = 1;
    }
  }
  std::vector<ScoredRow> hits;
  for (std::size_t d = 0; d < m.n_docs; ++d) {
    if (touched[d]) hits.push_back({static_cast<std::uint32_t>(d), static_cast<float>(scores[d])});
  }
  // Ties compare the float that is returned, so equal-looking scores are ordered by row, as promised.
  auto better = [](const ScoredRow& a, const ScoredRow& b) {
    return a.score != b.score ? a.score > b.score : a.row < b.row;
  };
  if (hits.size() > k) {
    std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(k), hits.end(), better);
    hits.resize(k);
  } else {
    std::sort(hits.begin(), hits.end(), better);
  }
  return hits;
}

std::vector<std::string> LexicalIndex::matched_terms(std::string_view query, std::size_t row) const {
  std::vector<std::string> out;
  if (!impl_ || row >= impl_->n_docs) return out;
  const auto& m = *impl_;
  std::vector<std::string> seen;
  for (const auto& term : m.analyze(query)) {
    if (std::find(seen.begin(), seen.end(), term) != seen.end()) continue;
    seen.push_back(term);
    auto it = m.term_ids.find(term);
    if (it == m.term_ids.end()) continue;
    const auto& list = m.postings[it->second];
    auto pos = std::lower_bound(list.begin(), list.end(), row,
                                [](const Posting& post, std::size_t r) { return post.doc < r; });
    if (pos != list.end() && pos->doc == row) out.push_back(term);
  }
  return out;
}

std::vector<std::string> LexicalIndex::analyze(std::string_view text) const {
  return impl_ ? impl_->analyze(text) : std::vector<std::string>{};
}

std::size_t LexicalIndex::size() const { return impl_ ? impl_->n_docs : 0; }

}  // namespace cinerec
