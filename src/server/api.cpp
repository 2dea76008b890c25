#include "server/api.h"

#include <charconv>
#include <ctime>
#include <optional>
#include <variant>

#include "common/text.h"
#include "recommend/examples.h"
#include "recommend/json_output.h"

namespace cinerec {

namespace {

using json = nlohmann::ordered_json;

// A parameter read from the query string or a JSON body, before validation.
struct RawValue {
  std::string text;            // from a query string
  const nlohmann::json* node;  // from a JSON body; nullptr for query strings
};

std::optional<ApiError> parse_long(const std::string& name, const RawValue& raw, long lo, long hi, long& out) {
  if (raw.node) {
    if (!raw.node->is_number_integer())
      return ApiError{400, "bad_request", "\"" + name + "\" must be an integer"};
    auto v = raw.node->get<long long>();
    if (v < lo || v > hi)
      return ApiError{422, "out_of_range",
                      name + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", got " +
                          std::to_string(v)};
    out = static_cast<long>(v);
    return std::nullopt;
  }
  auto text = trim(raw.text);
  long long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || end != text.data() + text.size() || ec == std::errc::invalid_argument)
    return ApiError{400, "bad_request", name + " must be an integer, got \"" + std::string(raw.text.substr(0, 40)) + "\""};
  if (ec == std::errc::result_out_of_range || v < lo || v > hi)
    return ApiError{422, "out_of_range",
                    name + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) + ", got " +
                        std::string(raw.text.substr(0, 40))};
  out = static_cast<long>(v);
  return std::nullopt;
}

std::optional<ApiError> query_long(const WebRequest& req, const std::string& name, long lo, long hi, long& out) {
  auto v = req.param(name);
  if (!v || v->empty()) return std::nullopt;  // keeps the default in out
  return parse_long(name, RawValue{*v, nullptr}, lo, hi, out);
}

// A number in [0, 1] (the MMR diversity), from a query string or a JSON number.
std::optional<ApiError> parse_fraction(const std::string& name, const RawValue& raw, double& out) {
  double v = 0;
  if (raw.node) {
    if (!raw.node->is_number()) return ApiError{400, "bad_request", "\"" + name + "\" must be a number"};
    v = raw.node->get<double>();
  } else {
    auto text = trim(raw.text);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || end != text.data() + text.size() || ec != std::errc())
      return ApiError{400, "bad_request", name + " must be a number, got \"" + std::string(raw.text.substr(0, 40)) + "\""};
  }
  if (!(v >= 0.0 && v <= 1.0))  // also refuses NaN
    return ApiError{422, "out_of_range", name + " must be between 0 and 1, got " +
                                             (raw.node ? raw.node->dump() : std::string(raw.text.substr(0, 40)))};
  out = v;
  return std::nullopt;
}

// true / false from a JSON boolean, or from a query string's true, 1, false or 0.
std::optional<ApiError> parse_flag(const std::string& name, const RawValue& raw, bool& out) {
  if (raw.node) {
    if (!raw.node->is_boolean()) return ApiError{400, "bad_request", "\"" + name + "\" must be true or false"};
    out = raw.node->get<bool>();
    return std::nullopt;
  }
  if (raw.text == "true" || raw.text == "1") out = true;
  else if (raw.text == "false" || raw.text == "0") out = false;
  else return ApiError{400, "bad_request", name + " must be true or false, got \"" + std::string(raw.text.substr(0, 40)) + "\""};
  return std::nullopt;
}

// diversity and all_duplicates, the ranking controls of recommend and similar, from the query string.
std::optional<ApiError> query_ranking(const WebRequest& req, RankingOptions& out) {
  if (auto v = req.param("diversity"); v && !v->empty())
    if (auto e = parse_fraction("diversity", RawValue{*v, nullptr}, out.diversity)) return e;
  if (auto v = req.param("all_duplicates"); v && !v->empty())
    if (auto e = parse_flag("all_duplicates", RawValue{*v, nullptr}, out.keep_duplicates)) return e;
  return std::nullopt;
}

// Genre and year filters, checked against the catalog.
std::optional<ApiError> make_filter(const ApiContext& ctx, const std::vector<std::string>& genres,
                                    std::optional<long> year_from, std::optional<long> year_to, MovieFilter& out) {
  for (const auto& g : genres) {
    if (trim(g).empty()) continue;
    auto canonical = ctx.catalog->canonical_genre(std::string(trim(g)));
    if (canonical.empty()) {
      std::string known;
      for (const auto& k : ctx.catalog->genres()) known += (known.empty() ? "" : ", ") + k;
      return ApiError{422, "unknown_genre", "unknown genre \"" + g.substr(0, 60) + "\"; known: " + known};
    }
    out.genres.push_back(canonical);
  }
  if (year_from && year_to && *year_from > *year_to)
    return ApiError{422, "invalid_year_range",
                    "year_from (" + std::to_string(*year_from) + ") is after year_to (" + std::to_string(*year_to) + ")"};
  if (year_from) out.year_from = static_cast<int>(*year_from);
  if (year_to) out.year_to = static_cast<int>(*year_to);
  return std::nullopt;
}

std::optional<ApiError> query_filter(const ApiContext& ctx, const WebRequest& req, MovieFilter& out) {
  std::optional<long> from, to;
  long v = 0;
  if (auto p = req.param("year_from"); p && !p->empty()) {
    if (auto e = parse_long("year_from", {*p, nullptr}, ApiLimits::kMinYear, ApiLimits::kMaxYear, v)) return e;
    from = v;
  }
  if (auto p = req.param("year_to"); p && !p->empty()) {
    if (auto e = parse_long("year_to", {*p, nullptr}, ApiLimits::kMinYear, ApiLimits::kMaxYear, v)) return e;
    to = v;
  }
  return make_filter(ctx, req.params("genre"), from, to, out);
}

json movie_item(const Movie& m, bool with_description) {
  json j = movie_json(m);
  j["poster"] = poster_url(m);
  if (with_description) {
    j["description"] = m.description;
    if (!m.tagline.empty()) j["tagline"] = m.tagline;
    if (!m.keywords.empty()) j["keywords"] = m.keywords;
  }
  return j;
}

// The CLI's recommendation shape, with API poster URLs and descriptions for the cards.
json recommendations_item(const Recommendations& recs, bool explain = false) {
  json j = recommendations_json(recs, explain);
  auto& results = j["results"];
  for (std::size_t i = 0; i < recs.results.size() && i < results.size(); ++i) {
    results[i]["poster"] = poster_url(*recs.results[i].movie);
    results[i]["description"] = recs.results[i].movie->description;
  }
  return j;
}

std::string utc_timestamp(std::chrono::system_clock::time_point t) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Looks up /api/movies/{id}; the id part is whatever the route captured.
std::variant<const Movie*, ApiError> movie_of(const ApiContext& ctx, const std::string& id) {
  long long v = 0;
  auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), v);
  if (id.empty() || end != id.data() + id.size() || ec != std::errc())
    return ApiError{400, "bad_request", "movie id must be an integer, got \"" + id.substr(0, 40) + "\""};
  const Movie* m = ctx.recommender->find_id(static_cast<MovieId>(v));
  if (!m) return ApiError{404, "not_found", "no movie with id " + std::to_string(v)};
  return m;
}

struct RecommendParams {
  std::string prompt;
  bool has_prompt = false;
  long k = ApiLimits::kDefaultK;
  MovieFilter filter;
  std::string provider = "offline";
  std::vector<MovieId> liked, disliked;  // catalog movies, each once
  ExampleStrategy strategy = ExampleStrategy::Average;
  std::size_t example_ids = 0;  // ids given in like and dislike, repeats included

  bool fallback = true;  // a provider that does not answer is replaced by the offline path
  RankingOptions ranking;  // diversity, all_duplicates: prompt recommendations only

  bool has_examples() const { return !liked.empty() || !disliked.empty(); }
};

// A provider that is down should not cost the visitor an answer: the offline path answers, and the
// response says so. Not for a provider this server has no settings for (a deployment fact, listed by
// /api/health), nor when the client asked for this provider only (fallback=false).
bool falls_back(const RecommendParams& p, const ApiError& failure) {
  return p.fallback && failure.code == "provider_unavailable";
}

// Marks an offline answer given in place of a provider's: "notice" (also in "notices") and "fallback".
void mark_fallback(json& j, const RecommendParams& p, const ApiError& failure) {
  const std::string notice =
      "provider " + p.provider + " did not answer (" + failure.message + "); these are the offline recommendations";
  j["notices"].push_back(notice);
  j["notice"] = notice;
  j["fallback"] = {{"from", p.provider}, {"reason", failure.message}};
}

// "like" / "dislike": movie ids from a JSON array (`node`) or repeated query parameters (`texts`).
// Every id must be a catalog movie; repeats count once in the query but every one toward kMaxExamples.
std::optional<ApiError> parse_movie_ids(const ApiContext& ctx, const std::string& name, const nlohmann::json* node,
                                        const std::vector<std::string>& texts, RecommendParams& p) {
  auto& out = name == "like" ? p.liked : p.disliked;
  std::vector<long long> ids;
  if (node) {
    if (!node->is_array()) return ApiError{400, "bad_request", "\"" + name + "\" must be an array of movie ids"};
    for (const auto& item : *node) {
      if (!item.is_number_integer())
        return ApiError{400, "bad_request", "\"" + name + "\" must hold integer movie ids, got " + item.dump().substr(0, 40)};
      ids.push_back(item.get<long long>());
    }
  } else {
    for (const auto& text : texts) {
      long long v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (text.empty() || end != text.data() + text.size() || ec != std::errc())
        return ApiError{400, "bad_request", name + " must be a movie id, got \"" + text.substr(0, 40) + "\""};
      ids.push_back(v);
    }
  }
  p.example_ids += ids.size();
  if (p.example_ids > ApiLimits::kMaxExamples)
    return ApiError{422, "too_many_examples", std::to_string(p.example_ids) + " liked and disliked movie ids; at most " +
                                                  std::to_string(ApiLimits::kMaxExamples) + " together"};
  for (long long id : ids) {
    if (!ctx.recommender->find_id(static_cast<MovieId>(id)))
      return ApiError{422, "unknown_movie", "no movie with id " + std::to_string(id) + " (in " + name + ")", id};
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(static_cast<MovieId>(id));
  }
  return std::nullopt;
}

// Once both lists are read: a movie cannot be on both.
std::optional<ApiError> check_examples(const RecommendParams& p) {
  for (MovieId id : p.liked)
    if (std::find(p.disliked.begin(), p.disliked.end(), id) != p.disliked.end())
      return ApiError{422, "conflicting_examples", "movie " + std::to_string(id) + " is both liked and disliked", id};
  return std::nullopt;
}

std::optional<ApiError> parse_strategy(const std::string& name, ExampleStrategy& out) {
  auto strategy = parse_example_strategy(name);
  if (!strategy.ok()) return ApiError{422, "unknown_strategy", strategy.error().message};
  out = *strategy;
  return std::nullopt;
}

std::optional<ApiError> params_from_query(const ApiContext& ctx, const WebRequest& req, RecommendParams& p) {
  if (auto prompt = req.param("prompt")) p.prompt = *prompt, p.has_prompt = true;
  if (auto e = query_long(req, "k", 1, ApiLimits::kMaxK, p.k)) return e;
  if (auto e = query_filter(ctx, req, p.filter)) return e;
  if (auto provider = req.param("provider"); provider && !provider->empty()) p.provider = *provider;
  if (auto e = parse_movie_ids(ctx, "like", nullptr, req.params("like"), p)) return e;
  if (auto e = parse_movie_ids(ctx, "dislike", nullptr, req.params("dislike"), p)) return e;
  if (auto strategy = req.param("strategy"); strategy && !strategy->empty())
    if (auto e = parse_strategy(*strategy, p.strategy)) return e;
  if (auto fallback = req.param("fallback"); fallback && !fallback->empty())
    if (auto e = parse_flag("fallback", RawValue{*fallback, nullptr}, p.fallback)) return e;
  if (auto e = query_ranking(req, p.ranking)) return e;
  return check_examples(p);
}

std::optional<ApiError> params_from_json(const ApiContext& ctx, const WebRequest& req, RecommendParams& p) {
  auto type = fold_for_search(req.content_type);
  if (type.rfind("application/json", 0) != 0)
    return ApiError{415, "unsupported_media_type", "POST /api/recommend takes a JSON body (Content-Type: application/json)"};
  auto body = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return ApiError{400, "bad_request", "the body is not valid JSON"};
  if (!body.is_object()) return ApiError{400, "bad_request", "the body must be a JSON object"};
  static const std::vector<std::string> known{"prompt", "k",        "genre",   "genres",  "year_from",
                                              "year_to", "provider", "like",    "dislike", "strategy",
                                              "fallback", "diversity", "all_duplicates"};
  for (const auto& [key, _] : body.items())
    if (std::find(known.begin(), known.end(), key) == known.end())
      return ApiError{400, "bad_request", "unknown field \"" + key.substr(0, 40) + "\""};
  if (body.contains("prompt")) {
    if (!body["prompt"].is_string()) return ApiError{400, "bad_request", "\"prompt\" must be a string"};
    p.prompt = body["prompt"].get<std::string>();
    p.has_prompt = true;
  }
  if (body.contains("k") && !body["k"].is_null())
    if (auto e = parse_long("k", {"", &body["k"]}, 1, ApiLimits::kMaxK, p.k)) return e;
  std::vector<std::string> genres;
  for (const char* key : {"genre", "genres"}) {
    if (!body.contains(key) || body[key].is_null()) continue;
    const auto& g = body[key];
    if (g.is_string()) {
      genres.push_back(g.get<std::string>());
    } else if (g.is_array()) {
      for (const auto& item : g) {
        if (!item.is_string()) return ApiError{400, "bad_request", "\"" + std::string(key) + "\" must hold strings"};
        genres.push_back(item.get<std::string>());
      }
    } else {
      return ApiError{400, "bad_request", "\"" + std::string(key) + "\" must be a string or an array of strings"};
    }
  }
  std::optional<long> from, to;
  long v = 0;
  for (const char* key : {"year_from", "year_to"}) {
    if (!body.contains(key) || body[key].is_null()) continue;
    if (auto e = parse_long(key, {"", &body[key]}, ApiLimits::kMinYear, ApiLimits::kMaxYear, v)) return e;
    (std::string(key) == "year_from" ? from : to) = v;
  }
  if (auto e = make_filter(ctx, genres, from, to, p.filter)) return e;
  if (body.contains("provider") && !body["provider"].is_null()) {
    if (!body["provider"].is_string()) return ApiError{400, "bad_request", "\"provider\" must be a string"};
    auto provider = body["provider"].get<std::string>();
    if (!provider.empty()) p.provider = provider;
  }
  for (const char* key : {"like", "dislike"}) {
    if (!body.contains(key) || body[key].is_null()) continue;
    if (auto e = parse_movie_ids(ctx, key, &body[key], {}, p)) return e;
  }
  if (body.contains("strategy") && !body["strategy"].is_null()) {
    if (!body["strategy"].is_string()) return ApiError{400, "bad_request", "\"strategy\" must be a string"};
    if (auto e = parse_strategy(body["strategy"].get<std::string>(), p.strategy)) return e;
  }
  if (body.contains("fallback") && !body["fallback"].is_null())
    if (auto e = parse_flag("fallback", {"", &body["fallback"]}, p.fallback)) return e;
  if (body.contains("diversity") && !body["diversity"].is_null())
    if (auto e = parse_fraction("diversity", {"", &body["diversity"]}, p.ranking.diversity)) return e;
  if (body.contains("all_duplicates") && !body["all_duplicates"].is_null())
    if (auto e = parse_flag("all_duplicates", {"", &body["all_duplicates"]}, p.ranking.keep_duplicates)) return e;
  return check_examples(p);
}

// Liked and disliked movies, with the prompt (if any) as one more liked example embedded by the chosen
// provider, or offline as the centroid of its best lexical matches.
WebResponse recommend_examples(const ApiContext& ctx, const RecommendParams& p, const std::string* prompt) {
  ExampleQuery query;
  query.liked = p.liked;
  query.disliked = p.disliked;
  query.strategy = p.strategy;
  std::optional<ApiError> failure;  // the provider's, when the offline path stands in for it
  std::optional<ProviderVector> embedded_prompt;
  if (prompt && p.provider != "offline") {
    auto embedded = ctx.providers->embed_query(p.provider, *prompt);
    if (auto* e = std::get_if<ApiError>(&embedded)) {
      if (!falls_back(p, *e)) return e->response();
      failure = *e;
    } else {
      embedded_prompt = std::move(std::get<ProviderVector>(embedded));
    }
  }
  if (prompt && !embedded_prompt) {
    auto vector = ctx.recommender->offline_prompt_vector(*prompt);
    if (!vector.ok()) return ApiError{422, "invalid_prompt", vector.error().message}.response();
    query.prompt_vector = std::move(vector).value();
    query.provider = "offline";
  } else if (embedded_prompt) {
    auto& q = *embedded_prompt;
    // Examples are compared by their stored vectors, so the prompt must be in the same space.
    if (q.model != ctx.recommender->model())
      return ApiError{422, "provider_model_mismatch",
                      "the prompt was embedded with model " + q.model + " but the catalog's vectors are from " +
                          (ctx.recommender->model().empty() ? std::string("no model") : ctx.recommender->model())}
          .response();
    query.prompt_vector = std::move(q.vector);
    query.provider = q.provider;
  }
  if (prompt) query.prompt = *prompt;
  auto recs = recommend_from_examples(*ctx.recommender, query, static_cast<std::size_t>(p.k), p.filter);
  if (!recs.ok()) return ApiError{422, "invalid_examples", recs.error().message}.response();
  if (p.ranking.diversity > 0 || p.ranking.keep_duplicates)
    recs->notices.push_back("diversity and all_duplicates apply to recommendations for a prompt alone; "
                            "with liked or disliked movies they are not used");
  json j = recommendations_item(*recs);
  j["strategy"] = example_strategy_name(p.strategy);
  if (failure) mark_fallback(j, p, *failure);
  return json_response(200, j);
}

}  // namespace

std::string poster_url(const Movie& movie) { return "/posters/" + std::to_string(movie.id); }

WebResponse api_health(const ApiContext& ctx, const CatalogHealth& catalog) {
  json j;
  j["status"] = catalog.database_reachable ? "ok" : "degraded";
  j["catalog_version"] = catalog.version;
  j["catalog_loaded_at"] = utc_timestamp(catalog.loaded_at);
  j["reloads"] = catalog.reloads;
  j["database"] = catalog.database_reachable ? "reachable" : "unreachable";
  j["movies"] = ctx.recommender->movies().size();
  std::size_t with_vectors = 0;
  for (const auto& m : ctx.recommender->movies())
    if (ctx.recommender->vector_of(m.id)) ++with_vectors;
  j["model"] = ctx.recommender->model().empty() ? json(nullptr) : json(ctx.recommender->model());
  j["vectors"] = with_vectors;
  auto providers = json::array();
  for (const auto& p : ctx.providers->list()) providers.push_back({{"name", p.name}, {"configured", p.configured}});
  j["providers"] = std::move(providers);
  j["genres"] = ctx.catalog->genres();
  return json_response(200, j);
}

WebResponse api_movies(const ApiContext& ctx, const WebRequest& req) {
  CatalogQuery q;
  q.text = req.param("q").value_or("");
  if (q.text.size() > ApiLimits::kMaxQueryBytes)
    return ApiError{422, "out_of_range", "q is " + std::to_string(q.text.size()) + " bytes; the limit is " +
                                             std::to_string(ApiLimits::kMaxQueryBytes)}.response();
  if (!is_valid_utf8(q.text)) return ApiError{400, "bad_request", "q is not valid UTF-8"}.response();
  long page = 1, per_page = ApiLimits::kDefaultPerPage;
  if (auto e = query_long(req, "page", 1, ApiLimits::kMaxPage, page)) return e->response();
  if (auto e = query_long(req, "per_page", 1, ApiLimits::kMaxPerPage, per_page)) return e->response();
  if (auto e = query_filter(ctx, req, q.filter)) return e->response();
  q.page = static_cast<std::size_t>(page);
  q.per_page = static_cast<std::size_t>(per_page);
  auto result = ctx.catalog->query(q);
  json j;
  j["query"] = q.text;
  j["page"] = page;
  j["per_page"] = per_page;
  j["total"] = result.total;
  j["pages"] = result.pages;
  auto items = json::array();
  for (const Movie* m : result.movies) items.push_back(movie_item(*m, true));
  j["results"] = std::move(items);
  return json_response(200, j);
}

WebResponse api_movie(const ApiContext& ctx, const std::string& id) {
  auto found = movie_of(ctx, id);
  if (auto* e = std::get_if<ApiError>(&found)) return e->response();
  return json_response(200, movie_item(*std::get<const Movie*>(found), true));
}

WebResponse api_similar(const ApiContext& ctx, const std::string& id, const WebRequest& req) {
  auto found = movie_of(ctx, id);
  if (auto* e = std::get_if<ApiError>(&found)) return e->response();
  long k = ApiLimits::kDefaultSimilarK;
  if (auto e = query_long(req, "k", 1, ApiLimits::kMaxK, k)) return e->response();
  RankingOptions ranking;
  if (auto e = query_ranking(req, ranking)) return e->response();
  auto recs = ctx.recommender->similar(std::get<const Movie*>(found)->id, static_cast<std::size_t>(k), {}, ranking);
  if (!recs.ok()) return ApiError{422, "no_vectors", recs.error().message}.response();
  return json_response(200, recommendations_item(*recs));
}

WebResponse api_recommend(const ApiContext& ctx, const WebRequest& req) {
  RecommendParams p;
  auto error = req.method == "POST" ? params_from_json(ctx, req, p) : params_from_query(ctx, req, p);
  if (error) return error->response();
  // With examples the prompt is optional, and a blank one (an empty form field) is no prompt.
  if (p.has_examples() && trim(p.prompt).empty()) p.has_prompt = false;
  if (!p.has_prompt && !p.has_examples())
    return ApiError{400, "missing_parameter", "give a prompt, liked or disliked movie ids (like, dislike), or both"}
        .response();
  Result<std::string> prompt = p.has_prompt ? validate_prompt(p.prompt) : Result<std::string>(std::string());
  if (!prompt.ok()) return ApiError{422, "invalid_prompt", prompt.error().message}.response();
  if (!ctx.providers->known(p.provider)) {
    std::string known;
    for (const auto& info : ctx.providers->list()) known += (known.empty() ? "" : ", ") + info.name;
    return ApiError{422, "unknown_provider", "unknown provider \"" + p.provider.substr(0, 40) + "\"; known: " + known}
        .response();
  }
  if (p.has_examples()) return recommend_examples(ctx, p, p.has_prompt ? &*prompt : nullptr);
  auto k = static_cast<std::size_t>(p.k);
  // The offline answer; after a provider's failure, marked as a fallback that says why.
  auto offline = [&](const ApiError* failure) {
    auto recs = ctx.recommender->recommend_offline(*prompt, k, p.filter, p.ranking);
    if (!recs.ok()) return ApiError{422, "invalid_prompt", recs.error().message}.response();
    json j = recommendations_item(*recs, /*explain=*/true);
    if (failure) mark_fallback(j, p, *failure);
    return json_response(200, j);
  };
  if (p.provider == "offline") return offline(nullptr);
  auto embedded = ctx.providers->embed_query(p.provider, *prompt);
  if (auto* e = std::get_if<ApiError>(&embedded)) return falls_back(p, *e) ? offline(e) : e->response();
  const auto& q = std::get<ProviderVector>(embedded);
  auto recs = ctx.recommender->recommend_by_vector(*prompt, q.vector, q.provider, q.model, k, p.filter, p.ranking);
  if (!recs.ok()) return ApiError{422, "provider_model_mismatch", recs.error().message}.response();
  return json_response(200, recommendations_item(*recs, /*explain=*/true));
}

WebResponse api_user_recommendations(const ApiContext& ctx, const std::string& user, const WebRequest& req) {
  if (trim(user).empty() || user.size() > ApiLimits::kMaxUserIdBytes || !is_valid_utf8(user))
    return ApiError{400, "bad_request", "a user id is 1 to " + std::to_string(ApiLimits::kMaxUserIdBytes) +
                                            " bytes of UTF-8"}.response();
  long k = ApiLimits::kDefaultK;
  if (auto e = query_long(req, "k", 1, ApiLimits::kMaxK, k)) return e->response();
  MovieFilter filter;
  if (auto e = query_filter(ctx, req, filter)) return e->response();
  if (!ctx.users) return ApiError{503, "personal_model_unavailable", "this server has no personal model"}.response();
  auto view = ctx.users->for_user(*ctx.recommender, user);
  if (!view.ok())
    return ApiError{503, "personal_model_unavailable",
                    "personal recommendations are unavailable: " + view.error().message}.response();
  if (view->history.empty())
    return ApiError{404, "unknown_user", "no user " + user.substr(0, 40) +
                                             " among the imported ratings (or none of their ratings is of a catalog movie)"}
        .response();
  auto recs = recommend_from_history(*view->model, *ctx.recommender, user, view->history, static_cast<std::size_t>(k), filter);
  if (!recs.ok()) return ApiError{500, "internal", recs.error().message}.response();
  if (view->model_stale) recs->notices.push_back("ratings changed since the personal model was trained; run cinerec train");
  json j = recommendations_item(*recs);
  j["user"] = user;
  return json_response(200, j);
}

WebResponse api_stats(const ApiContext& ctx) {
  const auto& s = ctx.catalog->stats();
  json j;
  j["total"] = s.total;
  j["without_year"] = s.without_year;
  auto years = json::array(), decades = json::array(), genres = json::array();
  for (const auto& [y, n] : s.per_year) years.push_back({{"year", y}, {"count", n}});
  for (const auto& [d, n] : s.per_decade) decades.push_back({{"decade", d}, {"count", n}});
  for (const auto& [g, n] : s.per_genre) genres.push_back({{"genre", g}, {"count", n}});
  j["per_year"] = std::move(years);
  j["per_decade"] = std::move(decades);
  j["per_genre"] = std::move(genres);
  return json_response(200, j);
}

}  // namespace cinerec
