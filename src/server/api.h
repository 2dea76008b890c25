// The JSON API under /api (documented by web/openapi.json, served at /api/openapi.json).
//
// Status codes: 400 a parameter or body that cannot be parsed (not an integer, malformed JSON, wrong
// JSON type), 404 no such movie, 413 body over the limit (the HTTP layer), 415 a POST body that is not
// JSON, 422 a well-formed value that cannot be used (k or a year out of range, unknown genre or
// provider, blank prompt, a provider whose model has no vectors in the catalog), 503 an embedding
// provider that is not configured, or did not answer and the request said fallback=false, or no
// trained personal model. A provider that did not answer otherwise gets the offline recommendations
// with 200, "notice" (also in "notices") and "fallback": {"from": provider, "reason": message}. Every
// error body is {"error": {"code", "message"}} with a stable code and a one-line message; an error
// about one movie id of a request body also carries it as "id".
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "recommend/recommender.h"
#include "server/catalog_view.h"
#include "server/providers.h"
#include "server/user_recommender.h"
#include "server/web_types.h"

namespace cinerec {

// What the API handlers read. The recommender and view are immutable; providers and users are
// thread-safe.
struct ApiContext {
  const Recommender* recommender = nullptr;
  const CatalogView* catalog = nullptr;
  ProviderSet* providers = nullptr;
  UserRecommender* users = nullptr;
};

// Limits, part of the API contract (the OpenAPI document states the same numbers).
struct ApiLimits {
  static constexpr long kMaxK = 50;
  static constexpr long kDefaultK = 5;
  static constexpr long kDefaultSimilarK = 6;
  static constexpr long kMaxPerPage = 100;
  static constexpr long kDefaultPerPage = 12;
  static constexpr long kMaxPage = 100000;
  static constexpr long kMinYear = 1800;
  static constexpr long kMaxYear = 2100;
  static constexpr std::size_t kMaxQueryBytes = 200;
  // Liked + disliked movies in one request: best-score compares every movie with each of them.
  static constexpr std::size_t kMaxExamples = 100;
  static constexpr std::size_t kMaxUserIdBytes = 100;
};

// What /api/health says about the catalog snapshot being served and the database behind it. The
// database's error message stays in the server log: it names internal hosts.
struct CatalogHealth {
  std::int64_t version = 0;
  std::chrono::system_clock::time_point loaded_at;
  std::uint64_t reloads = 0;
  bool database_reachable = true;
};

// 200 in every case: a replica whose database is down still answers from memory ("status":
// "degraded"), and a load balancer should keep sending it requests.
WebResponse api_health(const ApiContext& ctx, const CatalogHealth& catalog);
WebResponse api_movies(const ApiContext& ctx, const WebRequest& req);
WebResponse api_movie(const ApiContext& ctx, const std::string& id);
WebResponse api_similar(const ApiContext& ctx, const std::string& id, const WebRequest& req);
// GET (query) or POST (JSON): a prompt, liked / disliked movie ids (like=, dislike=, strategy=), or both.
WebResponse api_recommend(const ApiContext& ctx, const WebRequest& req);
// GET /api/users/{id}/recommendations: the personal model's movies for a user of the imported ratings.
WebResponse api_user_recommendations(const ApiContext& ctx, const std::string& user, const WebRequest& req);
WebResponse api_stats(const ApiContext& ctx);

// The URL path the API gives as a movie's "poster" (the stored file path never leaves the server).
std::string poster_url(const Movie& movie);

}  // namespace cinerec
