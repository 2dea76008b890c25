#include "server/catalog_view.h"

#include <algorithm>
#include <map>

#include "catalog/normalize.h"
#include "common/text.h"

namespace cinerec {

static std::size_t genre_rank(const std::string& genre) {
  const auto& canon = canonical_genres();
  auto it = std::find(canon.begin(), canon.end(), genre);
  return static_cast<std::size_t>(it - canon.begin());  // unknown tags sort after the canonical ones
}

CatalogView::CatalogView(const std::vector<Movie>& movies) : movies_(movies) {
  for (std::size_t i = 0; i < movies.size(); ++i) by_title_.push_back({&movies[i], fold_for_search(movies[i].title), i});
  std::stable_sort(by_title_.begin(), by_title_.end(),
                   [](const Entry& a, const Entry& b) { return a.folded_title < b.folded_title; });

  std::map<int, std::size_t> years;
  std::map<std::string, std::size_t> genres;
  stats_.total = movies.size();
  for (const auto& m : movies) {
    if (m.year) ++years[*m.year];
    else ++stats_.without_year;
    for (const auto& g : m.genres) ++genres[g];
  }
  stats_.per_year.assign(years.begin(), years.end());
  if (!years.empty()) {
    int first = years.begin()->first / 10 * 10, last = years.rbegin()->first / 10 * 10;
    for (int d = first; d <= last; d += 10) stats_.per_decade.push_back({d, 0});
    for (const auto& [year, count] : years) stats_.per_decade[(year / 10 * 10 - first) / 10].second += count;
  }
  for (const auto& [g, count] : genres) {
    stats_.per_genre.push_back({g, count});
    genres_.push_back(g);
  }
  std::stable_sort(genres_.begin(), genres_.end(), [](const std::string& a, const std::string& b) {
    auto ra = genre_rank(a), rb = genre_rank(b);
    return ra != rb ? ra < rb : a < b;
  });
  std::stable_sort(stats_.per_genre.begin(), stats_.per_genre.end(), [](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    auto ra = genre_rank(a.first), rb = genre_rank(b.first);
    return ra != rb ? ra < rb : a.first < b.first;
  });
}

std::string CatalogView::canonical_genre(const std::string& genre) const {
  auto folded = fold_for_search(genre);
  for (const auto& g : genres_)
    if (fold_for_search(g) == folded) return g;
  return {};
}

CatalogPage CatalogView::query(const CatalogQuery& query) const {
  auto words = split_words(fold_for_search(query.text));
  auto allowed = filter_mask(movies_, query.filter);
  std::vector<const Movie*> matching;
  for (const auto& e : by_title_) {
    bool ok = std::all_of(words.begin(), words.end(),
                          [&](const std::string& w) { return e.folded_title.find(w) != std::string::npos; });
    if (ok && allowed[e.row]) matching.push_back(e.movie);
  }
  CatalogPage page;
  page.total = matching.size();
  std::size_t per_page = std::max<std::size_t>(query.per_page, 1);
  page.pages = (page.total + per_page - 1) / per_page;
  std::size_t first = (std::max<std::size_t>(query.page, 1) - 1) * per_page;
  for (std::size_t i = first; i < matching.size() && i < first + per_page; ++i) page.movies.push_back(matching[i]);
  return page;
}

}  // namespace cinerec
