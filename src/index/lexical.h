// Lexical retrieval: Okapi BM25 over analyzed text (accent folding, case folding, Spanish stopwords,
// Snowball stemming). Title words are indexed in their own field and weigh more than body words.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "index/exact.h"  // ScoredRow

namespace cinerec {

struct LexicalDocument {
  std::string title;
  std::string body;  // description, genres and anything else worth matching
};

struct Bm25Params {
  double k1 = 1.2;
  double b = 0.75;
  double title_weight = 2.0;  // a title term counts this many times a body term
};

// Turns text into index terms: fold_for_search, split into words, drop stopwords, Snowball stem.
// Thread-safe after construction would need one stemmer per thread, so an Analyzer is not shared.
class Analyzer {
 public:
  explicit Analyzer(const std::string& language = "spanish");
  ~Analyzer();
  Analyzer(Analyzer&&) noexcept;
  Analyzer& operator=(Analyzer&&) noexcept;
  std::vector<std::string> terms(std::string_view text) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class LexicalIndex {
 public:
  // Builds the index over docs; row i of search results refers to docs[i].
  LexicalIndex(const std::vector<LexicalDocument>& docs, Bm25Params params = {},
               const std::string& language = "spanish");
  ~LexicalIndex();
  LexicalIndex(LexicalIndex&&) noexcept;
  LexicalIndex& operator=(LexicalIndex&&) noexcept;

  // search() and matched_terms() may be called from several threads at once.

  // The k documents with the highest BM25 score for `query`, best first, ties by lower row. Documents
  // that share no term with the query are not returned, so fewer than k may come back.
  std::vector<ScoredRow> search(std::string_view query, std::size_t k) const;
  // The same, plus the terms of `expansion` (e.g. synonyms) scored as query terms whose idf is
  // multiplied by `expansion_weight` (0: ignored); a term of both counts once, as a query term.
  std::vector<ScoredRow> search(std::string_view query, std::size_t k, std::string_view expansion,
                                double expansion_weight) const;

  // The query terms (after analysis) that occur in document `row`, for explanations.
  std::vector<std::string> matched_terms(std::string_view query, std::size_t row) const;

  // `text` analyzed as documents and queries are (the terms matched_terms() speaks of). Thread-safe.
  std::vector<std::string> analyze(std::string_view text) const;

  std::size_t size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cinerec
