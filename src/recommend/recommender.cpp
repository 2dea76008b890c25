#include "recommend/recommender.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "common/text.h"
#include "index/fusion.h"
#include "index/stopwords.h"

namespace cinerec {

namespace {

// Offline path tuning. A prompt's best BM25 hits stand in for the prompt in embedding space: the
// query vector is their centroid, weighted by (score / best)^2 so the clearest match dominates, using
// hits within kCentroidRelativeCutoff of the best (weaker hits are mostly noise words). The final
// score mixes the relative BM25 score (lexical evidence) with the cosine to the centroid (meaning).
constexpr std::size_t kLexicalCandidates = 50;
constexpr std::size_t kCentroidHits = 5;
constexpr float kCentroidRelativeCutoff = 0.35f;
constexpr float kLexicalWeight = 0.5f;
// Weight of intent_match (genre / era cues of the prompt) added to the mixed score. Measured on
// tests/data/dev-es.tsv with the rest fixed: 0 -> MRR 0.981, 0.1 -> 0.987, 0.2 -> 0.989, 0.3 -> 0.989
// (docs/RETRIEVAL.md); 0.2 is the smallest weight reaching the best figure.
constexpr float kIntentWeight = 0.2f;
// With an HNSW graph, prompts rank the lexical hits and the graph's nearest rows to the query vector
// (and the nearest that fit the prompt's genre / era cues): at least this many, 8 per result asked.
constexpr std::size_t kGraphPromptCandidates = 256;
// Rows sampled for the low end of the cosine normalization when only candidates are scored.
constexpr std::size_t kLowCosineSample = 2048;

Recommendation scored(const Movie* movie, float score, float lexical, float vector, float intent = 0.0f) {
  Recommendation r;
  r.movie = movie;
  r.score = score;
  r.lexical_score = lexical;
  r.vector_score = vector;
  r.intent_score = intent;
  return r;
}

// The prompt's words with surrounding punctuation ("¿", "«", quotes, commas) removed; case kept.
std::vector<std::string> prompt_words(std::string_view text) {
  static constexpr std::string_view kMarks[] = {"\u00bf", "\u00a1", "\u00ab", "\u00bb", "\u201c", "\u201d", "\u2018", "\u2019"};
  auto strip = [](std::string_view& w, bool front) {
    for (bool changed = true; changed && !w.empty();) {
      changed = false;
      const char c = front ? w.front() : w.back();
      if (static_cast<unsigned char>(c) < 0x80 && std::ispunct(static_cast<unsigned char>(c))) {
        front ? w.remove_prefix(1) : w.remove_suffix(1);
        changed = true;
        continue;
      }
      for (auto mark : kMarks) {
        if (front ? w.starts_with(mark) : w.ends_with(mark)) {
          front ? w.remove_prefix(mark.size()) : w.remove_suffix(mark.size());
          changed = true;
          break;
        }
      }
    }
  };
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t j = i;
    while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) ++j;
    std::string_view w = text.substr(i, j - i);
    strip(w, true);
    strip(w, false);
    if (!w.empty()) out.emplace_back(w);
    i = j;
  }
  return out;
}

// What BM25 reads besides the title: the description, the tagline, the subject keywords (TMDB's
// "time travel", "boxing" say what a film is about in the words people search with) and the genre tags.
std::string document_body(const Movie& m) {
  std::string body = m.description;
  if (!m.tagline.empty()) body += " " + m.tagline;
  for (const auto& k : m.keywords) body += " " + k;
  for (const auto& g : m.genres) body += " " + g;
  return body;
}

}  // namespace

Result<std::string> validate_prompt(std::string_view prompt) {
  if (std::size_t bad; !is_valid_utf8(prompt, &bad))
    return Error{"prompt is not valid UTF-8 (byte " + std::to_string(bad) + ")"};
  if (prompt.size() > Recommender::kMaxPromptBytes)
    return Error{"prompt is " + std::to_string(prompt.size()) + " bytes; the limit is " +
                 std::to_string(Recommender::kMaxPromptBytes)};
  auto trimmed = trim(prompt);
  if (trimmed.empty()) return Error{"empty prompt: say what you feel like watching"};
  return std::string(trimmed);
}

Result<Recommender> Recommender::load(Store& store, const RecommenderOptions& options) {
  Recommender r;
  auto movies = store.movies();
  if (!movies.ok()) return movies.error();
  r.movies_ = std::move(movies).value();
  for (std::size_t i = 0; i < r.movies_.size(); ++i) r.row_of_id_[r.movies_[i].id] = i;
  r.titles_.emplace(TitleIndex::of(r.movies_));
  r.genre_bits_.assign(r.movies_.size(), 0);
  std::unordered_map<std::string, std::string> folded;  // genre as stored -> fold_for_search, once each
  for (std::size_t i = 0; i < r.movies_.size(); ++i) {
    for (const auto& g : r.movies_[i].genres) {
      auto f = folded.find(g);
      if (f == folded.end()) f = folded.emplace(g, fold_for_search(g)).first;
      auto bit = r.genre_bit_.emplace(f->second, static_cast<int>(r.genre_bit_.size())).first;
      if (bit->second >= 64) {
        r.genre_bits_complete_ = false;
        continue;
      }
      r.genre_bits_[i] |= std::uint64_t{1} << bit->second;
    }
  }

  r.model_ = options.model;
  if (r.model_.empty()) {
    auto models = store.models();
    if (!models.ok()) return models.error();
    if (!models->empty()) r.model_ = models->front().model;
  }
  r.has_vector_.assign(r.movies_.size(), 0);
  if (!r.model_.empty()) {
    auto vectors = store.vectors(r.model_);
    if (!vectors.ok()) return vectors.error();
    if (vectors->empty() && !options.model.empty())
      return Error{"no vectors for model " + options.model + " in " + store.describe()};
    std::size_t dim = vectors->empty() ? 0 : vectors->front().dim;
    r.vectors_.assign(r.movies_.size() * dim, 0.0f);
    for (const auto& v : *vectors) {
      auto it = r.row_of_id_.find(v.movie);
      if (it == r.row_of_id_.end() || v.values.size() != dim || v.norm <= 0.0f) continue;
      float* row = r.vectors_.data() + it->second * dim;
      double norm = 0.0;
      for (float x : v.values) norm += static_cast<double>(x) * x;
      auto inv = static_cast<float>(1.0 / std::sqrt(norm));
      for (std::size_t d = 0; d < dim; ++d) row[d] = v.values[d] * inv;
      r.has_vector_[it->second] = 1;
    }
    r.matrix_ = MatrixView{r.vectors_.data(), r.movies_.size(), dim};
  }

  std::vector<LexicalDocument> docs;
  docs.reserve(r.movies_.size());
  std::vector<std::string> texts;
  for (const auto& m : r.movies_) {
    docs.push_back({m.title, document_body(m)});
    texts.push_back(m.title);
    texts.push_back(docs.back().body);
  }
  // Analysis (stemmer, stop words) follows the catalog's language: the Spanish seed, or an English
  // catalog such as TMDB.
  r.language_ = detect_language(texts);
  r.lexical_.emplace(docs, options.bm25, r.language_);
  QueryUnderstandingOptions understanding;
  understanding.language = r.language_;
  understanding.synonyms = options.synonym_weight > 0.0;
  understanding.thesaurus = options.thesaurus;
  r.synonym_weight_ = options.synonym_weight;
  r.understanding_.emplace(texts, understanding);

  if (options.vector_search.mode != VectorSearchMode::Exact && r.matrix_.dim > 0) {
    r.vector_search_ = VectorSearch::open(options.vector_search, r.matrix_, [&r] { return r.vectors_fingerprint(); });
  }

  std::vector<DuplicateCandidate> candidates;
  candidates.reserve(r.movies_.size());
  for (std::size_t i = 0; i < r.movies_.size(); ++i) {
    candidates.push_back({r.has_vector_[i] ? r.matrix_.row(i) : nullptr, r.movies_[i].description, r.movies_[i].year});
  }
  r.duplicate_pairs_ = find_duplicates(candidates, r.matrix_.dim, DuplicateOptions{}, r.language_);
  r.duplicate_group_ = duplicate_representatives(r.movies_.size(), r.duplicate_pairs_);
  return r;
}

std::vector<std::uint8_t> Recommender::allowed_rows(const MovieFilter& filter) const {
  return filter_mask(movies_, filter);
}

static Status check_k(std::size_t k) {
  if (k == 0 || k > Recommender::kMaxK)
    return Error{"k must be between 1 and " + std::to_string(Recommender::kMaxK) + ", got " + std::to_string(k)};
  return Status::Ok();
}

std::vector<ScoredRow> Recommender::nearest_finished(const float* query, std::size_t k,
                                                     const std::vector<std::uint8_t>& allowed,
                                                     const RankingOptions& ranking, Recommendations& out) const {
  if (!vector_search_.notice().empty()) out.notices.push_back(vector_search_.notice());
  // What finish() keeps needs k rows left after folding duplicates (and the MMR pool with diversity):
  // start with that plus a margin, and widen while folding left too few and rows remain.
  const std::size_t pool = ranking.diversity > 0.0 ? std::max<std::size_t>(3 * k, 30) : k;
  std::size_t n = std::min(movies_.size(), ranking.keep_duplicates ? pool : 2 * pool + 16);
  while (true) {
    auto nearest = vector_search_.nearest(matrix_, query, n, allowed, &out.vector_search);
    std::size_t distinct = nearest.size();
    if (!ranking.keep_duplicates) {
      std::vector<std::uint32_t> groups;
      for (const auto& hit : nearest) groups.push_back(duplicate_group_[hit.row]);
      std::sort(groups.begin(), groups.end());
      distinct = static_cast<std::size_t>(std::unique(groups.begin(), groups.end()) - groups.begin());
    }
    if (distinct >= pool || nearest.size() < n || n == movies_.size()) return finish(std::move(nearest), k, ranking);
    n = std::min(movies_.size(), 4 * n);
  }
}

std::vector<ScoredRow> Recommender::finish(std::vector<ScoredRow> ranked, std::size_t k,
                                           const RankingOptions& ranking) const {
  if (!ranking.keep_duplicates) {
    std::vector<std::uint8_t> group_seen(movies_.size(), 0);
    std::vector<ScoredRow> kept;
    for (const auto& hit : ranked) {
      auto group = duplicate_group_[hit.row];
      if (group_seen[group]) continue;
      group_seen[group] = 1;
      kept.push_back(hit);
    }
    ranked = std::move(kept);
  }
  if (ranking.diversity > 0.0 && matrix_.dim > 0) {
    if (ranked.size() > std::max<std::size_t>(3 * k, 30)) ranked.resize(std::max<std::size_t>(3 * k, 30));
    // A movie without a vector is taken as unlike every other: it is never penalized.
    return mmr_rerank(
        ranked,
        [this](std::uint32_t a, std::uint32_t b) {
          if (!has_vector_[a] || !has_vector_[b]) return 0.0;
          return static_cast<double>(dot(matrix_.row(a), matrix_.row(b), matrix_.dim));
        },
        1.0 - std::min(ranking.diversity, 1.0), k);
  }
  if (ranked.size() > k) ranked.resize(k);
  return ranked;
}

Result<Recommendations> Recommender::recommend_offline(std::string_view prompt, std::size_t k,
                                                       const MovieFilter& filter,
                                                       const RankingOptions& ranking) const {
  auto clean = validate_prompt(prompt);
  if (!clean.ok()) return clean.error();
  CINEREC_TRY(check_k(k));
  Recommendations out;
  out.query = *clean;
  out.provider = "offline";
  out.model = model_.empty() ? "bm25" : "bm25+" + model_;

  const QueryIntent intent = understanding_->understand(*clean);
  out.understood = intent.notes;
  if (intent.english)
    for (const auto& notice : understanding_->notices()) out.notices.push_back(notice);
  const bool has_cues = !intent.genres.empty() || intent.years.has_value();

  auto hits = lexical_hits(intent, std::max(kLexicalCandidates, k));
  if (hits.empty() && !has_cues) {
    out.notices.push_back("no catalog words match the prompt; try other words or configure an embedding provider");
    return out;
  }
  rank_prompt(out, intent, hits, matrix_.dim > 0 ? lexical_centroid(hits) : std::vector<float>{},
              /*normalize_cosine=*/false, k, filter, ranking);
  if (hits.empty()) {
    out.notices.push_back("no catalog words match the prompt; ranked by the genre and era it asks for");
  } else if (matrix_.dim == 0) {
    out.notices.push_back("the catalog has no embedding vectors; ranking by words only");
  }
  return out;
}

std::vector<std::uint8_t> Recommender::fitting_rows(const QueryIntent& intent, std::vector<std::uint8_t> rows) const {
  if (!genre_bits_complete_) {
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = rows[i] && intent_match(movies_[i], intent) > 0.0;
    return rows;
  }
  std::uint64_t wanted = 0;
  for (const auto& g : intent.genres)
    if (auto it = genre_bit_.find(fold_for_search(g)); it != genre_bit_.end()) wanted |= std::uint64_t{1} << it->second;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i]) continue;
    const auto& year = movies_[i].year;
    const bool era = intent.years && year && *year >= intent.years->from && *year <= intent.years->to;
    rows[i] = (genre_bits_[i] & wanted) != 0 || era;
  }
  return rows;
}

std::optional<std::vector<std::uint32_t>> Recommender::prompt_candidates(
    const QueryIntent& intent, const std::vector<ScoredRow>& hits, const std::vector<float>& query,
    const std::vector<std::uint8_t>& allowed, std::size_t k, Recommendations& out) const {
  if (query.empty()) return std::nullopt;
  if (!vector_search_.notice().empty()) out.notices.push_back(vector_search_.notice());  // missing or stale graph
  if (!vector_search_.uses_graph()) return std::nullopt;
  const std::size_t n = std::min(movies_.size(), std::max(kGraphPromptCandidates, 8 * k));
  std::vector<std::uint8_t> with_vector = allowed;
  for (std::size_t i = 0; i < with_vector.size(); ++i) with_vector[i] &= has_vector_[i];
  std::vector<std::uint32_t> rows;
  for (const auto& h : hits) rows.push_back(h.row);
  for (const auto& hit : vector_search_.nearest(matrix_, query.data(), n, with_vector, &out.vector_search))
    rows.push_back(hit.row);
  if (!intent.genres.empty() || intent.years.has_value()) {
    // The intent boost lifts movies of the asked genre / era above closer ones: search those too.
    const std::vector<std::uint8_t> fitting = fitting_rows(intent, with_vector);
    std::string method;
    for (const auto& hit : vector_search_.nearest(matrix_, query.data(), n, fitting, &method)) rows.push_back(hit.row);
  }
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  out.vector_search += " candidates";
  return rows;
}

void Recommender::rank_prompt(Recommendations& out, const QueryIntent& intent, const std::vector<ScoredRow>& hits,
                              const std::vector<float>& query, bool normalize_cosine, std::size_t k,
                              const MovieFilter& filter, const RankingOptions& ranking) const {
  const bool has_cues = !intent.genres.empty() || intent.years.has_value();
  std::vector<float> lexical(movies_.size(), 0.0f);
  const float best = hits.empty() ? 0.0f : hits.front().score;
  for (const auto& h : hits) lexical[h.row] = h.score / best;

  auto allowed = filter_mask(movies_, filter);
  const bool have_vectors = !query.empty();
  // Every row is scored, unless a graph proposes the candidates (then only they are).
  const auto candidates = prompt_candidates(intent, hits, query, allowed, k, out);
  std::vector<std::uint32_t> all_rows;
  if (!candidates) {
    all_rows.resize(movies_.size());
    for (std::size_t i = 0; i < all_rows.size(); ++i) all_rows[i] = static_cast<std::uint32_t>(i);
  }
  const std::vector<std::uint32_t>& rows = candidates ? *candidates : all_rows;

  std::vector<float> cosine(movies_.size(), 0.0f), fit(movies_.size(), 0.0f), score(movies_.size(), 0.0f);
  float low = 0.0f, high = 0.0f;
  bool seen = false;
  auto take_cosine = [&](std::size_t i) {
    cosine[i] = dot(query.data(), matrix_.row(i), matrix_.dim);
    low = seen ? std::min(low, cosine[i]) : cosine[i];
    high = seen ? std::max(high, cosine[i]) : cosine[i];
    seen = true;
  };
  for (auto i : rows)
    if (have_vectors && has_vector_[i]) take_cosine(i);
  if (candidates && normalize_cosine) {
    // The normalization's low end is the catalog's lowest cosine, which the candidates (the closest
    // rows) do not show: an evenly spaced sample of the catalog stands in for it.
    const std::size_t stride = std::max<std::size_t>(1, movies_.size() / kLowCosineSample);
    for (std::size_t i = 0; i < movies_.size(); i += stride)
      if (has_vector_[i]) low = std::min(low, dot(query.data(), matrix_.row(i), matrix_.dim));
  }
  for (auto i : rows) {
    float meaning = cosine[i];
    if (normalize_cosine) meaning = has_vector_[i] && high > low ? (cosine[i] - low) / (high - low) : 0.0f;
    if (has_cues) fit[i] = static_cast<float>(intent_match(movies_[i], intent));
    score[i] = have_vectors ? kLexicalWeight * lexical[i] + (1.0f - kLexicalWeight) * meaning : lexical[i];
    score[i] += kIntentWeight * fit[i];
  }
  std::vector<ScoredRow> ranked;
  for (auto i : rows)
    if (allowed[i] && (score[i] > 0.0f)) ranked.push_back({i, score[i]});
  sort_and_truncate(ranked, ranked.size());
  // The clearest lexical matches, through which other movies are found (for explanations).
  std::vector<std::uint32_t> anchors;
  for (const auto& h : hits) {
    if (anchors.size() == kCentroidHits || h.score < kCentroidRelativeCutoff * best) break;
    anchors.push_back(h.row);
  }
  // Each word of the prompt, then of its rewriting, with its index term: matched terms are shown as
  // the first word that produced them.
  std::vector<std::pair<std::string, std::string>> word_terms;
  for (const auto* text : {&intent.prompt, &intent.lexical_query, &intent.expansion_query}) {
    for (auto& w : prompt_words(*text)) {
      auto terms = lexical_->analyze(w);
      if (terms.size() == 1) word_terms.emplace_back(std::move(w), std::move(terms.front()));
    }
  }
  for (const auto& hit : finish(std::move(ranked), k, ranking)) {
    const auto i = hit.row;
    Recommendation rec = scored(&movies_[i], score[i], lexical[i], cosine[i], fit[i]);
    rec.matched_terms = lexical_->matched_terms(
        intent.expansion_query.empty() ? intent.lexical_query : intent.lexical_query + " " + intent.expansion_query, i);
    for (const auto& term : rec.matched_terms) {
      auto it = std::find_if(word_terms.begin(), word_terms.end(), [&](const auto& wt) { return wt.second == term; });
      if (it != word_terms.end()) rec.matched_words.push_back(it->first);
    }
    if (matrix_.dim > 0 && has_vector_[i] && std::find(anchors.begin(), anchors.end(), i) == anchors.end()) {
      float closest = -2.0f;
      for (auto a : anchors) {
        if (!has_vector_[a]) continue;
        float c = dot(matrix_.row(a), matrix_.row(i), matrix_.dim);
        if (c > closest) closest = c, rec.near = &movies_[a];
      }
    }
    out.results.push_back(std::move(rec));
  }
}

std::vector<ScoredRow> Recommender::lexical_hits(const QueryIntent& intent, std::size_t k) const {
  return lexical_->search(intent.lexical_query, k, intent.expansion_query, synonym_weight_);
}

std::vector<float> Recommender::lexical_centroid(const std::vector<ScoredRow>& hits) const {
  if (hits.empty() || matrix_.dim == 0) return {};
  const float best = hits.front().score;
  std::vector<float> centroid(matrix_.dim, 0.0f);
  std::size_t used = 0;
  for (const auto& h : hits) {
    if (used == kCentroidHits || h.score < kCentroidRelativeCutoff * best) break;
    if (!has_vector_[h.row]) continue;
    float w = (h.score / best) * (h.score / best);
    const float* v = matrix_.row(h.row);
    for (std::size_t d = 0; d < matrix_.dim; ++d) centroid[d] += w * v[d];
    ++used;
  }
  double norm = 0.0;
  for (float x : centroid) norm += static_cast<double>(x) * x;
  if (norm == 0.0) return {};
  auto inv = static_cast<float>(1.0 / std::sqrt(norm));
  for (float& x : centroid) x *= inv;
  return centroid;
}

Result<std::vector<float>> Recommender::offline_prompt_vector(std::string_view prompt) const {
  auto clean = validate_prompt(prompt);
  if (!clean.ok()) return clean.error();
  if (matrix_.dim == 0) return Error{"the catalog has no embedding vectors to place the prompt among"};
  auto centroid = lexical_centroid(lexical_hits(understanding_->understand(*clean), kLexicalCandidates));
  if (centroid.empty()) return Error{"no catalog words match the prompt \"" + *clean + "\"; try other words"};
  return centroid;
}

Result<Recommendations> Recommender::recommend_by_vector(std::string_view prompt, const std::vector<float>& query,
                                                         const std::string& provider, const std::string& model,
                                                         std::size_t k, const MovieFilter& filter,
                                                         const RankingOptions& ranking) const {
  CINEREC_TRY(check_k(k));
  if (model_.empty())
    return Error{"the catalog has no embedding vectors; run: cinerec embed --provider " + provider + " --model " + model};
  if (model != model_)
    return Error{"the prompt was embedded with model " + model + " but the catalog's vectors are from " + model_ +
                 "; run: cinerec embed --provider " + provider + " --model " + model};
  if (query.size() != matrix_.dim)
    return Error{"query vector has " + std::to_string(query.size()) + " dimensions, the catalog's " + model_ +
                 " vectors have " + std::to_string(matrix_.dim)};
  double norm = 0.0;
  for (float x : query) norm += static_cast<double>(x) * x;
  if (!(norm > 0.0) || !std::isfinite(norm)) return Error{"query vector is zero or not finite"};
  std::vector<float> unit(query.size());
  const double inv = 1.0 / std::sqrt(norm);
  for (std::size_t d = 0; d < query.size(); ++d) unit[d] = static_cast<float>(query[d] * inv);
  auto clean = validate_prompt(prompt);
  if (!clean.ok()) return clean.error();
  Recommendations out;
  out.query = *clean;
  out.provider = provider;
  out.model = model;
  if (ranking.vector_only) {
    auto allowed = filter_mask(movies_, filter);
    for (std::size_t i = 0; i < allowed.size(); ++i) allowed[i] &= has_vector_[i];
    for (const auto& hit : nearest_finished(unit.data(), k, allowed, ranking, out))
      out.results.push_back(scored(&movies_[hit.row], hit.score, 0.0f, hit.score));
    return out;
  }
  // Hybrid: the prompt is read and searched exactly as offline; the provider's vector replaces the
  // centroid of the lexical hits. Its cosine is min-max normalized because providers differ widely in
  // the cosine range of a prompt against documents (docs/RETRIEVAL.md).
  const QueryIntent intent = understanding_->understand(*clean);
  out.understood = intent.notes;
  auto hits = lexical_hits(intent, std::max(kLexicalCandidates, k));
  rank_prompt(out, intent, hits, unit, /*normalize_cosine=*/true, k, filter, ranking);
  return out;
}

Result<Recommendations> Recommender::similar(MovieId movie, std::size_t k, const MovieFilter& filter,
                                             const RankingOptions& ranking) const {
  CINEREC_TRY(check_k(k));
  auto it = row_of_id_.find(movie);
  if (it == row_of_id_.end()) return Error{"no movie with id " + std::to_string(movie)};
  const Movie& m = movies_[it->second];
  if (model_.empty() || !has_vector_[it->second])
    return Error{"\"" + m.title + "\" has no embedding vector" + (model_.empty() ? "" : " for model " + model_) +
                 "; add one with cinerec add-embeddings or cinerec embed"};
  auto allowed = filter_mask(movies_, filter);
  for (std::size_t i = 0; i < allowed.size(); ++i) allowed[i] &= has_vector_[i];
  allowed[it->second] = 0;
  if (!ranking.keep_duplicates) {  // the same film under another title is not a recommendation
    for (std::size_t i = 0; i < allowed.size(); ++i)
      if (duplicate_group_[i] == duplicate_group_[it->second]) allowed[i] = 0;
  }
  Recommendations out;
  out.query = m.title;
  out.provider = "stored";
  out.model = model_;
  for (const auto& hit : nearest_finished(matrix_.row(it->second), k, allowed, ranking, out)) {
    Recommendation rec = scored(&movies_[hit.row], hit.score, 0.0f, hit.score);
    rec.near = &m;
    out.results.push_back(std::move(rec));
  }
  return out;
}

Result<const Movie*> Recommender::find_title(std::string_view title) const {
  auto position = titles_->find(title);
  if (!position.ok()) return position.error();
  return &movies_[*position];
}

const Movie* Recommender::find_id(MovieId id) const {
  auto it = row_of_id_.find(id);
  return it == row_of_id_.end() ? nullptr : &movies_[it->second];
}

std::optional<std::size_t> Recommender::row_of(MovieId id) const {
  auto it = row_of_id_.find(id);
  if (it == row_of_id_.end()) return std::nullopt;
  return it->second;
}

const float* Recommender::vector_of(MovieId id) const {
  auto it = row_of_id_.find(id);
  if (it == row_of_id_.end() || !has_vector_[it->second]) return nullptr;
  return matrix_.row(it->second);
}

}  // namespace cinerec
