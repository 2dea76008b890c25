// Rank fusion and re-ranking: combine ranked lists from different retrievers (BM25, vector cosine) into
// one ranking, and re-rank for diversity. All functions are pure and deterministic: ties go to the
// lower row, so the same inputs always give the same order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "index/exact.h"  // ScoredRow, MatrixView

namespace cinerec {

// One retriever's ranking (best first, as search functions return it) and how much it counts.
struct RankedList {
  std::vector<ScoredRow> hits;
  double weight = 1.0;
};

// Reciprocal rank fusion (Cormack et al. 2009): score(row) = sum over lists of weight / (rrf_k + rank),
// rank counted from 1 in each list; a row absent from a list gets nothing from it. Returns the k best
// rows, best first, ties by lower row. A row listed twice in one list counts at its best rank only.
std::vector<ScoredRow> reciprocal_rank_fusion(const std::vector<RankedList>& lists, std::size_t k,
                                              double rrf_k = 60.0);

// How scores of one list are made comparable with another's before they are added.
enum class ScoreNormalization {
  MinMax,  // (s - min) / (max - min) over the list; a list whose scores are all equal maps to 1
  Max,     // s / max over the list (max > 0), so 0 stays 0: suits BM25, whose scores start at 0
  None,    // raw scores
};

// Weighted sum of normalized scores: score(row) = sum over lists of weight * norm(score in list); a row
// absent from a list gets 0 from it (so lists should cover every candidate that matters, e.g. cosine
// over all rows). Returns the k best rows, best first, ties by lower row.
std::vector<ScoredRow> weighted_score_fusion(const std::vector<RankedList>& lists, std::size_t k,
                                             ScoreNormalization normalization = ScoreNormalization::MinMax);

// Similarity between two rows for MMR, e.g. the cosine of their stored vectors.
using RowSimilarity = std::function<double(std::uint32_t, std::uint32_t)>;

// Maximal marginal relevance (Carbonell & Goldstein 1998). Greedily picks
//   argmax_i  lambda * rel(i) - (1 - lambda) * max_{j picked} sim(i, j)
// where rel is the candidate's score min-max normalized over `candidates` to [0, 1] (so it is on the
// same scale as a cosine), until k rows are picked. lambda = 1 keeps the input order; lower values
// trade relevance for diversity. The returned rows keep their original scores (the MMR value is only an
// ordering device); ties in the MMR value go to the better-ranked candidate. lambda is clamped to [0, 1].
std::vector<ScoredRow> mmr_rerank(const std::vector<ScoredRow>& candidates, const RowSimilarity& similarity,
                                  double lambda, std::size_t k);

// MMR with sim(i, j) = dot product of rows i and j of `vectors` (unit vectors: the cosine). Every
// candidate row must be < vectors.rows.
std::vector<ScoredRow> mmr_rerank(const std::vector<ScoredRow>& candidates, const MatrixView& vectors,
                                  double lambda, std::size_t k);

// Sorts best first with ties by lower row, and keeps the first k. Exposed so every ranking in the
// project orders the same way.
void sort_and_truncate(std::vector<ScoredRow>& rows, std::size_t k);

}  // namespace cinerec
