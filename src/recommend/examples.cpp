#include "recommend/examples.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "index/fusion.h"

namespace cinerec {
namespace {

float scaled_fast_sigmoid(float x) { return 0.5f * (x / (1.0f + std::fabs(x)) + 1.0f); }

struct Examples {
  std::vector<const float*> positives;  // unit vectors
  std::vector<const float*> negatives;
  std::vector<std::size_t> liked_rows;
};

std::string quoted_title(const Recommender& r, MovieId id) {
  const Movie* m = r.find_id(id);
  return m ? "\"" + m->title + "\"" : "movie " + std::to_string(id);
}

Result<std::vector<std::size_t>> rows_with_vectors(const Recommender& r, const std::vector<MovieId>& ids) {
  std::vector<std::size_t> rows;
  for (MovieId id : ids) {
    auto row = r.row_of(id);
    if (!row) return Error{"no movie with id " + std::to_string(id)};
    if (!r.has_vector(*row))
      return Error{quoted_title(r, id) + " has no embedding vector" +
                   (r.model().empty() ? "" : " for model " + r.model()) + "; it cannot serve as an example"};
    rows.push_back(*row);
  }
  return rows;
}

std::string describe(const Recommender& r, const ExampleQuery& q) {
  std::string text = q.prompt;
  auto titles = [&](const char* label, const std::vector<MovieId>& ids) {
    if (ids.empty()) return;
    if (!text.empty()) text += "; ";
    text += label;
    for (std::size_t i = 0; i < ids.size(); ++i) text += (i ? ", " : "") + r.find_id(ids[i])->title;
  };
  titles("like: ", q.liked);
  titles("dislike: ", q.disliked);
  return text;
}

}  // namespace

Result<ExampleStrategy> parse_example_strategy(const std::string& name) {
  if (name == "average" || name == "average_vector") return ExampleStrategy::Average;
  if (name == "best-score" || name == "best_score") return ExampleStrategy::BestScore;
  return Error{"unknown strategy \"" + name + "\"; use average or best-score"};
}

const char* example_strategy_name(ExampleStrategy strategy) {
  return strategy == ExampleStrategy::Average ? "average" : "best-score";
}

Result<Recommendations> recommend_from_examples(const Recommender& recommender, const ExampleQuery& query,
                                                std::size_t k, const MovieFilter& filter) {
  if (k == 0 || k > Recommender::kMaxK)
    return Error{"k must be between 1 and " + std::to_string(Recommender::kMaxK) + ", got " + std::to_string(k)};
  if (query.liked.empty() && query.disliked.empty() && !query.prompt_vector)
    return Error{"nothing to recommend from: give a prompt, a liked or a disliked movie"};
  const MatrixView& matrix = recommender.vectors();
  if (matrix.dim == 0)
    return Error{"the catalog has no embedding vectors; examples need them (cinerec add-embeddings or cinerec embed)"};
  for (MovieId id : query.liked)
    if (std::find(query.disliked.begin(), query.disliked.end(), id) != query.disliked.end())
      return Error{quoted_title(recommender, id) + " is both liked and disliked"};
  auto liked = rows_with_vectors(recommender, query.liked);
  if (!liked.ok()) return liked.error();
  auto disliked = rows_with_vectors(recommender, query.disliked);
  if (!disliked.ok()) return disliked.error();

  Examples ex;
  for (auto row : *liked) ex.positives.push_back(matrix.row(row));
  for (auto row : *disliked) ex.negatives.push_back(matrix.row(row));
  std::vector<float> prompt_unit;
  if (query.prompt_vector) {
    const auto& v = *query.prompt_vector;
    if (v.size() != matrix.dim)
      return Error{"prompt vector has " + std::to_string(v.size()) + " dimensions, the catalog's " +
                   recommender.model() + " vectors have " + std::to_string(matrix.dim)};
    double norm = 0.0;
    for (float x : v) norm += static_cast<double>(x) * x;
    if (!(norm > 0.0) || !std::isfinite(norm)) return Error{"prompt vector is zero or not finite"};
    for (float x : v) prompt_unit.push_back(static_cast<float>(x / std::sqrt(norm)));
    ex.positives.push_back(prompt_unit.data());
  }
  if (query.strategy == ExampleStrategy::Average && ex.positives.empty())
    return Error{"the average strategy needs a liked movie or a prompt; with only dislikes use --strategy best-score"};

  auto allowed = recommender.allowed_rows(filter);
  for (std::size_t i = 0; i < allowed.size(); ++i) allowed[i] &= recommender.has_vector(i) ? 1 : 0;
  for (auto row : *liked) allowed[row] = 0;
  for (auto row : *disliked) allowed[row] = 0;

  std::vector<ScoredRow> ranked;
  if (query.strategy == ExampleStrategy::Average) {
    // avg_pos + (avg_pos - avg_neg): the mean of the positives, pushed away from the mean of the negatives.
    std::vector<float> target(matrix.dim, 0.0f);
    for (const float* p : ex.positives)
      for (std::size_t d = 0; d < matrix.dim; ++d) target[d] += p[d] / static_cast<float>(ex.positives.size());
    if (!ex.negatives.empty()) {
      std::vector<float> mean_negative(matrix.dim, 0.0f);
      for (const float* n : ex.negatives)
        for (std::size_t d = 0; d < matrix.dim; ++d) mean_negative[d] += n[d] / static_cast<float>(ex.negatives.size());
      for (std::size_t d = 0; d < matrix.dim; ++d) target[d] = 2.0f * target[d] - mean_negative[d];
    }
    double norm = 0.0;
    for (float x : target) norm += static_cast<double>(x) * x;
    if (!(norm > 0.0))
      return Error{"the liked and disliked movies cancel out (their average is zero); change the examples"};
    // Ranking by cosine: normalizing the target changes no order but keeps scores in [-1, 1].
    for (float& x : target) x = static_cast<float>(x / std::sqrt(norm));
    ranked = cosine_top_k(matrix, target.data(), k, &allowed);
  } else {
    for (std::size_t i = 0; i < matrix.rows; ++i) {
      if (!allowed[i]) continue;
      const float* v = matrix.row(i);
      float best_positive = -std::numeric_limits<float>::infinity();
      float best_negative = -std::numeric_limits<float>::infinity();
      for (const float* p : ex.positives) best_positive = std::max(best_positive, dot(p, v, matrix.dim));
      for (const float* n : ex.negatives) best_negative = std::max(best_negative, dot(n, v, matrix.dim));
      float score = best_positive > best_negative ? scaled_fast_sigmoid(best_positive)
                                                  : -scaled_fast_sigmoid(best_negative);
      ranked.push_back({static_cast<std::uint32_t>(i), score});
    }
    sort_and_truncate(ranked, k);
  }

  Recommendations out;
  out.query = describe(recommender, query);
  out.provider = query.prompt_vector ? query.provider : "stored";
  out.model = recommender.model();
  const auto& movies = recommender.movies();
  for (const auto& hit : ranked) {
    // vector_score is a plain cosine only for Average; best-score values are sigmoid-scaled.
    Recommendation rec;
    rec.movie = &movies[hit.row];
    rec.score = hit.score;
    rec.vector_score = query.strategy == ExampleStrategy::Average ? hit.score : 0.0f;
    float best = -std::numeric_limits<float>::infinity();
    for (auto row : *liked) {
      float s = dot(matrix.row(row), matrix.row(hit.row), matrix.dim);
      if (s > best) {
        best = s;
        rec.closest_liked = &movies[row];
        rec.closest_liked_similarity = s;
      }
    }
    out.results.push_back(rec);
  }
  return out;
}

}  // namespace cinerec
