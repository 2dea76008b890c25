// The whole site as one function from request to response: the JSON API (api.h), the front end's
// pages and assets (embedded, static_assets.h), posters (poster_files.h) and the statistics charts
// (svg_chart.h). Independent of the HTTP library: http_server.cpp only translates requests and
// responses. Each request is answered from the one catalog snapshot current when it started
// (live_catalog.h), which is replaced whenever another process changes the catalog.
//
// Routes: /api/... (see api.h), /posters/{id}, /charts/{year|decade|genre}.svg?lang=es|en,
// /static/{asset}, and the pages /, /recomendaciones, /para-ti, /estadisticas, /peliculas/{id} (one HTML
// shell; the front end renders each page from the API). A known path with another method gets 405
// with Allow; unknown paths get 404. Every response carries security headers (nosniff, no referrer,
// no framing, a same-origin Content-Security-Policy).
#pragma once

#include <memory>

#include "server/api.h"
#include "server/live_catalog.h"
#include "server/poster_files.h"
#include "server/providers.h"
#include "server/user_recommender.h"
#include "server/web_types.h"

namespace cinerec {

// The security headers every response carries, including the errors the HTTP layer makes itself
// (413, malformed requests): nosniff, no referrer, no framing, and a Content-Security-Policy that
// allows only this origin's scripts, styles and images (none inline; SVG charts get a policy
// with no scripts at all).
void add_security_headers(WebResponse& response);

class WebApp {
 public:
  // `catalog` must outlive the app. `users` answers /api/users/{id}/recommendations from the same
  // database (it follows the catalog's snapshots: user_recommender.h).
  WebApp(const LiveCatalog& catalog, std::unique_ptr<ProviderSet> providers, PosterFiles posters,
         std::unique_ptr<UserRecommender> users);
  WebApp(const WebApp&) = delete;
  WebApp& operator=(const WebApp&) = delete;

  // Thread-safe: may be called from any number of worker threads at once.
  WebResponse handle(const WebRequest& request) const;

  const PosterFiles& posters() const { return posters_; }

 private:
  WebResponse route(const WebRequest& request, const CatalogSnapshot& snapshot) const;
  WebResponse health(const ApiContext& api, const CatalogSnapshot& snapshot) const;
  WebResponse poster(const CatalogSnapshot& snapshot, const std::string& id, const WebRequest& request) const;
  WebResponse chart(const CatalogSnapshot& snapshot, const std::string& name, const WebRequest& request) const;

  const LiveCatalog& catalog_;
  std::unique_ptr<ProviderSet> providers_;
  PosterFiles posters_;
  std::unique_ptr<UserRecommender> users_;
};

}  // namespace cinerec
