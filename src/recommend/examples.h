// Recommendations from examples: "more like these, not those", with the semantics of Qdrant's recommend
// API, over the stored vectors of a Recommender snapshot. Liked and disliked movies are the examples; a
// prompt (its vector from a provider, or offline_prompt_vector) may join the liked side.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "recommend/recommender.h"

namespace cinerec {

enum class ExampleStrategy {
  // One query vector: avg(positives) + (avg(positives) - avg(negatives)), then a plain cosine search.
  // Without negatives it is the mean of the positives. Needs at least one positive.
  Average,
  // Each candidate is compared with every example: when its best cosine to a positive beats its best
  // cosine to a negative it scores sigmoid(best positive), otherwise -sigmoid(best negative), with
  // sigmoid(x) = (x / (1 + |x|) + 1) / 2 (Qdrant's scaled fast sigmoid). So anything closer to a
  // disliked movie than to every liked one ranks below everything that is not; with only negatives, the
  // movies farthest from them come first.
  BestScore,
};

// Parses "average" / "best-score" (also Qdrant's "average_vector" / "best_score").
Result<ExampleStrategy> parse_example_strategy(const std::string& name);
const char* example_strategy_name(ExampleStrategy strategy);

struct ExampleQuery {
  std::vector<MovieId> liked;
  std::vector<MovieId> disliked;
  ExampleStrategy strategy = ExampleStrategy::Average;
  // The prompt as another positive, when there is one: its text (for the output) and its vector in the
  // snapshot's model space (any length > 0; it is normalized here).
  std::string prompt;
  std::optional<std::vector<float>> prompt_vector;
  std::string provider = "stored";  // what made prompt_vector, for the output
};

// Ranks the snapshot's movies for the examples. Guarantees: liked and disliked movies are never
// returned; only movies with a stored vector that pass `filter` are; each result names the liked movie
// it is most similar to (closest_liked, when any movie was liked); scores are best first, ties by lower
// row. Fails when there is no example at all, an id is unknown, a movie is both liked and disliked, an
// example has no stored vector, the prompt vector has the wrong dimension, or Average has no positive.
Result<Recommendations> recommend_from_examples(const Recommender& recommender, const ExampleQuery& query,
                                                std::size_t k, const MovieFilter& filter = {});

}  // namespace cinerec
