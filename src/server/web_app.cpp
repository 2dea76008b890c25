#include "server/web_app.h"

#include <map>
#include <regex>

#include "server/static_assets.h"
#include "server/svg_chart.h"

namespace cinerec {

namespace {

const char* const kPageCsp =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
// SVG documents carry their own <style>; they never run scripts.
const char* const kSvgCsp = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

WebResponse not_found(const WebRequest& req) {
  return error_response(404, "not_found", "no such resource: " + req.path.substr(0, 200));
}

WebResponse method_not_allowed(const WebRequest& req, const std::string& allow) {
  auto r = error_response(405, "method_not_allowed", req.method + " is not allowed on " + req.path.substr(0, 200) +
                                                         "; allowed: " + allow);
  r.headers.push_back({"Allow", allow});
  return r;
}

WebResponse asset_response(const StaticAsset& asset, const WebRequest& req, const std::string& cache) {
  WebResponse r;
  r.headers.push_back({"Cache-Control", cache});
  r.headers.push_back({"ETag", std::string(asset.etag)});
  r.content_type = std::string(asset_content_type(asset.path));
  if (req.if_none_match == asset.etag) {
    r.status = 304;
    return r;
  }
  r.body.assign(reinterpret_cast<const char*>(asset.data), asset.size);
  return r;
}

WebResponse page_shell(const WebRequest& req, int status) {
  const StaticAsset* index = find_static_asset("index.html");
  if (!index) return error_response(500, "internal", "the front end was not built into this binary");
  auto r = asset_response(*index, req, "no-cache");
  if (r.status == 304 && status != 200) r = asset_response(*index, WebRequest{}, "no-cache");
  if (r.status != 304) r.status = status;
  return r;
}

// English names of the canonical genre tags, for the charts' ?lang=en.
const std::map<std::string, std::string>& english_genres() {
  static const std::map<std::string, std::string> names{
      {"Drama", "Drama"},         {"Crimen", "Crime"},         {"Ciencia ficción", "Science fiction"},
      {"Bélico", "War"},          {"Suspenso", "Thriller"},    {"Terror", "Horror"},
      {"Comedia", "Comedy"},      {"Romance", "Romance"},      {"Musical", "Musical"},
      {"Animación", "Animation"}, {"Aventura", "Adventure"},   {"Acción", "Action"},
      {"Fantasía", "Fantasy"},    {"Western", "Western"},      {"Histórico", "History"},
      {"Biográfico", "Biography"}, {"Misterio", "Mystery"},    {"Familiar", "Family"},
      {"Documental", "Documentary"}, {"Superhéroes", "Superhero"},
  };
  return names;
}

}  // namespace

WebApp::WebApp(const LiveCatalog& catalog, std::unique_ptr<ProviderSet> providers, PosterFiles posters,
               std::unique_ptr<UserRecommender> users)
    : catalog_(catalog), providers_(std::move(providers)), posters_(std::move(posters)), users_(std::move(users)) {}

void add_security_headers(WebResponse& r) {
  r.headers.push_back({"X-Content-Type-Options", "nosniff"});
  r.headers.push_back({"Referrer-Policy", "no-referrer"});
  r.headers.push_back({"X-Frame-Options", "DENY"});
  bool svg = r.content_type.rfind("image/svg+xml", 0) == 0;
  r.headers.push_back({"Content-Security-Policy", svg ? kSvgCsp : kPageCsp});
}

WebResponse WebApp::handle(const WebRequest& request) const {
  // Held to the end of the request: a reload meanwhile does not change what this request sees.
  auto snapshot = catalog_.current();
  WebResponse r = route(request, *snapshot);
  add_security_headers(r);
  return r;
}

WebResponse WebApp::route(const WebRequest& req, const CatalogSnapshot& snapshot) const {
  const ApiContext api{&snapshot.recommender, &snapshot.view, providers_.get(), users_.get()};
  static const std::regex movie_re("/api/movies/([^/]+)");
  static const std::regex similar_re("/api/movies/([^/]+)/similar");
  static const std::regex user_re("/api/users/([^/]+)/recommendations");
  static const std::regex poster_re("/posters/([0-9]{1,18})");
  static const std::regex chart_re("/charts/(year|decade|genre)\\.svg");
  static const std::regex page_re("/(|recomendaciones|para-ti|estadisticas|peliculas/[0-9]{1,18})/?");
  const std::string& path = req.path;
  const bool get = req.method == "GET" || req.method == "HEAD";
  std::smatch m;

  if (path == "/api/recommend") {
    if (get || req.method == "POST") return api_recommend(api, req);
    return method_not_allowed(req, "GET, HEAD, POST");
  }
  // Every other route is read-only.
  auto only_get = [&](auto&& handler) { return get ? handler() : method_not_allowed(req, "GET, HEAD"); };
  if (path == "/api/health") return only_get([&] { return health(api, snapshot); });
  if (path == "/api/stats") return only_get([&] { return api_stats(api); });
  if (path == "/api/movies") return only_get([&] { return api_movies(api, req); });
  if (path == "/api/openapi.json") {
    return only_get([&] {
      const StaticAsset* doc = find_static_asset("openapi.json");
      return doc ? asset_response(*doc, req, "no-cache") : not_found(req);
    });
  }
  if (std::regex_match(path, m, similar_re)) return only_get([&] { return api_similar(api, m[1], req); });
  if (std::regex_match(path, m, movie_re)) return only_get([&] { return api_movie(api, m[1]); });
  if (std::regex_match(path, m, user_re)) return only_get([&] { return api_user_recommendations(api, m[1], req); });
  if (path.rfind("/api/", 0) == 0 || path == "/api") return not_found(req);

  if (std::regex_match(path, m, poster_re)) return only_get([&] { return poster(snapshot, m[1], req); });
  if (std::regex_match(path, m, chart_re)) return only_get([&] { return chart(snapshot, m[1], req); });
  if (path.rfind("/static/", 0) == 0) {
    // Only embedded files exist here; the path never reaches the file system.
    const StaticAsset* asset = find_static_asset(std::string_view(path).substr(8));
    if (!asset || asset->path == "index.html") return not_found(req);
    return only_get([&] { return asset_response(*asset, req, "public, max-age=3600"); });
  }
  if (path.rfind("/posters/", 0) == 0 || path.rfind("/charts/", 0) == 0) return not_found(req);
  if (std::regex_match(path, page_re)) return only_get([&] { return page_shell(req, 200); });
  // The shell renders a "page not found" for any other path, with the right status.
  return only_get([&] { return page_shell(req, 404); });
}

WebResponse WebApp::health(const ApiContext& api, const CatalogSnapshot& snapshot) const {
  auto live = catalog_.status();
  CatalogHealth h;
  h.version = snapshot.version;
  h.loaded_at = snapshot.loaded_at;
  h.reloads = live.reloads;
  h.database_reachable = live.database_reachable;
  return api_health(api, h);
}

WebResponse WebApp::poster(const CatalogSnapshot& snapshot, const std::string& id, const WebRequest& req) const {
  const Movie* movie = snapshot.recommender.find_id(std::stoll(id));
  if (!movie) return not_found(req);
  PosterImage image = posters_.poster(movie->poster);
  WebResponse r;
  r.content_type = image.content_type;
  r.headers.push_back({"Cache-Control", "public, max-age=86400"});
  r.headers.push_back({"ETag", image.etag});
  if (image.placeholder) r.headers.push_back({"X-Cinerec-Poster", "placeholder"});
  if (req.if_none_match == image.etag) {
    r.status = 304;
    return r;
  }
  r.body = std::move(image.bytes);
  return r;
}

WebResponse WebApp::chart(const CatalogSnapshot& snapshot, const std::string& name, const WebRequest& req) const {
  const bool english = req.param("lang").value_or("es") == "en";
  const auto& stats = snapshot.view.stats();
  BarChart c;
  if (name == "year") {
    c.title = english ? "Movies per year" : "Películas por año";
    for (const auto& [y, n] : stats.per_year) c.bars.push_back({std::to_string(y), n});
  } else if (name == "decade") {
    c.title = english ? "Movies per decade" : "Películas por década";
    for (const auto& [d, n] : stats.per_decade) c.bars.push_back({std::to_string(d) + "s", n});
  } else {
    c.title = english ? "Movies per genre" : "Películas por género";
    c.horizontal = true;
    for (const auto& [g, n] : stats.per_genre) {
      auto it = english_genres().find(g);
      c.bars.push_back({english && it != english_genres().end() ? it->second : g, n});
    }
  }
  WebResponse r;
  r.content_type = "image/svg+xml; charset=utf-8";
  r.body = bar_chart_svg(c);
  r.headers.push_back({"Cache-Control", "no-cache"});
  return r;
}

}  // namespace cinerec
