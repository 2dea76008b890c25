// The recommender: a read-only, in-memory snapshot of the catalog (movies, one model's unit-normalized
// vectors, a lexical index) that answers prompts and "movies like this one" with ranked, scored movies.
// A snapshot never changes after load(), so any number of threads may query it at once.
#pragma once

#include <cstddef>
#include <map>
#include <unordered_map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/movie.h"
#include "catalog/title_index.h"
#include "common/result.h"
#include "index/exact.h"
#include "index/duplicates.h"
#include "index/filter.h"
#include "index/lexical.h"
#include "recommend/query_understanding.h"
#include "recommend/vector_search.h"
#include "store/store.h"

namespace cinerec {

struct Recommendation {
  const Movie* movie = nullptr;
  float score = 0.0f;         // what ranks the results
  float lexical_score = 0.0f; // BM25 relative to the best hit (0..1); 0 when not used
  float vector_score = 0.0f;  // cosine similarity; 0 when not used
  float intent_score = 0.0f;  // fit with the genres / era the prompt asks for (0..1); 0 when not used
  // Why it is here, for --explain: the analyzed prompt terms found in its title or text (offline path),
  // and the movie it was found through: the clearest lexical match it is closest to (offline path), or
  // the movie asked about (similar). nullptr when it is itself a clearest match or not applicable.
  std::vector<std::string> matched_terms;
  // The same matches as the prompt's words, for people: the words as typed when the prompt has them,
  // else the (folded) words the prompt was rewritten into (translations, typo fixes).
  std::vector<std::string> matched_words;
  const Movie* near = nullptr;
  // For recommendations from liked movies: the liked movie this one is most similar to (nullptr when
  // none was given) and that cosine similarity, so a UI can say "because you liked …".
  const Movie* closest_liked = nullptr;
  float closest_liked_similarity = 0.0f;
};

// How a ranked list is finished, for every kind of query.
struct RankingOptions {
  // 0 = off. In (0, 1]: maximal-marginal-relevance re-ranking with lambda = 1 - diversity over the best
  // max(3k, 30) candidates, so a prompt does not return three films of one saga unless asked.
  double diversity = 0.0;
  // false (default): at most one film of each near-duplicate group (index/duplicates.h), the best ranked.
  bool keep_duplicates = false;
  // Prompts embedded by a provider (recommend_by_vector): false (default) fuses the cosine with BM25 and
  // the genre / era cues as the offline path does; true ranks by the cosine alone (to measure the fusion).
  bool vector_only = false;
};

struct Recommendations {
  std::string query;
  std::string provider;  // "offline" for the built-in path, else the embedding provider
  std::string model;     // the vectors' model, or "bm25" when the catalog has none
  std::vector<Recommendation> results;
  std::vector<std::string> notices;  // things the user should know (fallbacks, empty matches)
  std::vector<std::string> understood;  // how the prompt was read: genres, era, translations, typo fixes
  // How the nearest vectors were found: "exact", "hnsw (ef N)", "hnsw+filter (ef N)"; for prompts
  // ranked over the graph's candidates the same followed by " candidates"; empty when a prompt's
  // ranking scored every movie (no graph in use).
  std::string vector_search;
};

struct RecommenderOptions {
  std::string model;  // vectors to load; empty: the model with the most vectors
  // Thesaurus synonyms of the prompt's words (QueryUnderstandingOptions::synonyms) join the BM25 query
  // with their idf times this weight; 0 turns them off. The default is chosen on the dev sets
  // (docs/RETRIEVAL.md).
  double synonym_weight = kDefaultSynonymWeight;
  std::string thesaurus{};  // empty: Debian's thesaurus for the catalog's language
  Bm25Params bm25{};        // lexical scoring (index/lexical.h); the defaults are the tuned values
  // Nearest-vector search for similar movies and vector-only prompts: exact, or the HNSW graph of
  // `cinerec index` when the catalog is large (recommend/vector_search.h).
  VectorSearchOptions vector_search{};
  static constexpr double kDefaultSynonymWeight = 0.0;
};

class Recommender {
 public:
  // Reads every movie and the chosen model's vectors from the store.
  static Result<Recommender> load(Store& store, const RecommenderOptions& options = {});

  // The offline prompt path (no embedding provider): the prompt is first read for genre, mood and era
  // cues, English words and typos (recommend/query_understanding.h); BM25 over the rewritten prompt
  // finds the movies whose words match; their stored vectors, weighted by BM25 score, make a query
  // vector that is compared with every movie; the final score mixes both, plus a boost for movies that
  // fit the genre / era cues. Fails on an empty, oversized or non-UTF-8 prompt.
  Result<Recommendations> recommend_offline(std::string_view prompt, std::size_t k,
                                            const MovieFilter& filter = {}, const RankingOptions& ranking = {}) const;

  // Ranks movies for a prompt embedded by `model` into `query`. Hybrid by default: the prompt is read
  // and searched with BM25 exactly as offline, and the final score is the offline mix with the provider's
  // cosine (min-max normalized over the catalog, so every provider's cosine range weighs the same) in
  // place of the centroid's; with ranking.vector_only, the raw cosine alone. Movies without a vector of
  // the model can still come up by their words (hybrid) but never by the vector. Fails when the snapshot
  // holds another model's vectors, the dimensions differ, or the query is zero or not finite.
  Result<Recommendations> recommend_by_vector(std::string_view prompt, const std::vector<float>& query,
                                              const std::string& provider, const std::string& model,
                                              std::size_t k, const MovieFilter& filter = {},
                                              const RankingOptions& ranking = {}) const;

  // Movies most similar to `movie` by cosine of stored vectors, the movie itself (and, unless
  // ranking.keep_duplicates, its near-duplicates) excluded.
  Result<Recommendations> similar(MovieId movie, std::size_t k, const MovieFilter& filter = {},
                                  const RankingOptions& ranking = {}) const;

  // Near-duplicate pairs found at load time (rows index movies()), best evidence first within a row.
  const std::vector<DuplicatePair>& duplicates() const { return duplicate_pairs_; }

  // The offline stand-in for an embedded prompt: the unit-length, BM25-score-weighted centroid of the
  // stored vectors of the prompt's best lexical hits (the query vector recommend_offline uses). Fails on
  // an invalid prompt, a catalog without vectors, or a prompt whose words match no movie with a vector.
  Result<std::vector<float>> offline_prompt_vector(std::string_view prompt) const;

  // Finds a movie by title, ignoring case and accents. On a miss the error suggests close titles.
  Result<const Movie*> find_title(std::string_view title) const;
  const Movie* find_id(MovieId id) const;

  const std::vector<Movie>& movies() const { return movies_; }
  const std::string& model() const { return model_; }
  // The catalog's language as detected at load ("spanish" or "english"); lexical analysis follows it.
  const std::string& language() const { return language_; }
  std::size_t dimension() const { return matrix_.dim; }
  // The stored (unit-normalized) vector of a movie, or nullptr when it has none for this model.
  const float* vector_of(MovieId id) const;
  // The snapshot's unit vectors: row r belongs to movies()[r]; rows of movies without a vector are zero.
  const MatrixView& vectors() const { return matrix_; }
  bool has_vector(std::size_t row) const { return row < has_vector_.size() && has_vector_[row]; }
  // Identifies this snapshot's vectors (model, movie ids, vector bytes): what an HNSW index built from
  // them is tagged with, so a later load can tell whether it still fits (recommend/vector_search.h).
  std::string vectors_fingerprint() const { return vector_fingerprint(model_, movies_, matrix_, has_vector_); }
  std::optional<std::size_t> row_of(MovieId id) const;
  // One byte per row of movies(): 1 when the movie passes the filter.
  std::vector<std::uint8_t> allowed_rows(const MovieFilter& filter) const;

  static constexpr std::size_t kMaxPromptBytes = 4096;
  static constexpr std::size_t kMaxK = 1000;

 private:
  Recommender() = default;
  // Finishes a ranking: `ranked` holds candidate rows best first with their scores; drops duplicates
  // of better-ranked rows, applies MMR when asked, keeps k.
  std::vector<ScoredRow> finish(std::vector<ScoredRow> ranked, std::size_t k, const RankingOptions& ranking) const;
  // How many candidates to rank before finish(), so k survive duplicate removal and MMR has a choice.
  // The k best allowed rows by vector similarity to `query`, finished (duplicates folded, MMR): the
  // same rows a full ranking would give, from as few nearest-vector candidates as that needs. Sets
  // out.vector_search to the search used and adds its notice (a missing or stale graph) to out.notices.
  std::vector<ScoredRow> nearest_finished(const float* query, std::size_t k, const std::vector<std::uint8_t>& allowed,
                                          const RankingOptions& ranking, Recommendations& out) const;
  // Centroid of the lexical hits' vectors (unit length), or empty when none of them has a vector.
  std::vector<float> lexical_centroid(const std::vector<ScoredRow>& hits) const;
  // BM25 over the intent's rewritten prompt, with its synonyms at synonym_weight_.
  std::vector<ScoredRow> lexical_hits(const QueryIntent& intent, std::size_t k) const;
  // The shared prompt ranking of the offline and hybrid paths: BM25 `hits` of the intent's lexical query
  // (best first) mixed with the cosine to `query` (unit length; empty: words only), plus the intent
  // boost; fills out.results (k, after finish()) with score parts and explanations.
  void rank_prompt(Recommendations& out, const QueryIntent& intent, const std::vector<ScoredRow>& hits,
                   const std::vector<float>& query, bool normalize_cosine, std::size_t k, const MovieFilter& filter,
                   const RankingOptions& ranking) const;
  // The rows rank_prompt scores when the HNSW graph answers vector searches: the lexical hits, the
  // graph's nearest allowed rows to `query` and, when the prompt has genre / era cues, the nearest
  // among the rows that fit them (sorted, distinct); sets out.vector_search. nullopt (score every
  // row) without a graph or a query vector. Equal to the full ranking when the graph finds the true
  // nearest rows and the prompt has no cues: a row outside both lists has a lower cosine, and no
  // more lexical score, than enough rows to fill the results.
  // Rows that fit the intent's genre / era cues, i.e. intent_match(movie, intent) > 0, restricted to `rows`.
  std::vector<std::uint8_t> fitting_rows(const QueryIntent& intent, std::vector<std::uint8_t> rows) const;
  std::optional<std::vector<std::uint32_t>> prompt_candidates(const QueryIntent& intent,
                                                              const std::vector<ScoredRow>& hits,
                                                              const std::vector<float>& query,
                                                              const std::vector<std::uint8_t>& allowed, std::size_t k,
                                                              Recommendations& out) const;

  std::vector<Movie> movies_;
  std::map<MovieId, std::size_t> row_of_id_;
  std::string model_;
  std::string language_ = "spanish";
  double synonym_weight_ = 0.0;
  // Row r of matrix_ is the vector of movies_[r]; rows of movies without a vector are all zero and
  // has_vector_[r] is 0, so they never rank by vector similarity.
  std::vector<float> vectors_;
  std::vector<std::uint8_t> has_vector_;
  // Bit b of genre_bits_[r]: movie r has the genre whose folded name genre_bit_ maps to b (the first
  // 64 distinct genres; genre_bits_complete_ is false when the catalog has more). Lets a prompt's
  // genre cue be matched against every movie without folding strings.
  std::vector<std::uint64_t> genre_bits_;
  std::unordered_map<std::string, int> genre_bit_;
  bool genre_bits_complete_ = true;
  MatrixView matrix_;
  std::optional<LexicalIndex> lexical_;
  std::optional<QueryUnderstanding> understanding_;
  VectorSearch vector_search_;
  std::optional<TitleIndex> titles_;
  std::vector<DuplicatePair> duplicate_pairs_;
  std::vector<std::uint32_t> duplicate_group_;  // per row: the lowest row of its duplicate group
};

// Checks a prompt: valid UTF-8, not blank, at most kMaxPromptBytes. Returns it trimmed.
Result<std::string> validate_prompt(std::string_view prompt);

}  // namespace cinerec
