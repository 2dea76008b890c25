// The catalog as the web pages browse it: title search with filters and pages, and the counts behind
// the statistics charts. Built once from a recommender snapshot's movies and read-only afterwards, so
// any number of worker threads may query it.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "catalog/movie.h"
#include "index/filter.h"

namespace cinerec {

struct CatalogQuery {
  std::string text;    // title words; every word must occur in the title (case and accents ignored)
  MovieFilter filter;  // genres (any of) and year range
  std::size_t page = 1;      // 1-based
  std::size_t per_page = 12;
};

struct CatalogPage {
  std::size_t total = 0;  // movies matching, over all pages
  std::size_t pages = 0;  // ceil(total / per_page); 0 when nothing matches
  std::vector<const Movie*> movies;  // this page's movies, in title order
};

struct CatalogStats {
  std::size_t total = 0;
  std::size_t without_year = 0;
  std::vector<std::pair<int, std::size_t>> per_year;    // years that have movies, ascending
  std::vector<std::pair<int, std::size_t>> per_decade;  // every decade from the first to the last, zeros included
  std::vector<std::pair<std::string, std::size_t>> per_genre;  // most movies first, ties in canonical order
};

class CatalogView {
 public:
  // Keeps pointers into `movies`, which must outlive the view.
  explicit CatalogView(const std::vector<Movie>& movies);

  CatalogPage query(const CatalogQuery& query) const;
  const CatalogStats& stats() const { return stats_; }
  // The genre tags present in the catalog, in canonical order.
  const std::vector<std::string>& genres() const { return genres_; }
  // The catalog's spelling of a genre given in any case or accents, or empty when no movie has it.
  std::string canonical_genre(const std::string& genre) const;

 private:
  struct Entry {
    const Movie* movie;
    std::string folded_title;
    std::size_t row;  // position in movies_, for filter_mask
  };
  const std::vector<Movie>& movies_;
  std::vector<Entry> by_title_;
  std::vector<std::string> genres_;
  CatalogStats stats_;
};

}  // namespace cinerec
