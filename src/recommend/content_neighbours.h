// Content similarity between catalog movies, for recommending films that few or no people have rated.
#pragma once

#include <cstddef>

#include "recommend/item_neighbours.h"
#include "recommend/recommender.h"

namespace cinerec {

// For every movie of the snapshot (by row), its `keep` most similar movies by content: the cosine of
// stored vectors when every movie has one, otherwise the TF-IDF cosine of description and genre tags
// (analyzed in Spanish or English, whichever the descriptions are mostly written in). Deterministic.
ItemNeighbours content_neighbours(const Recommender& recommender, std::size_t keep);

}  // namespace cinerec
