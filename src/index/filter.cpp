#include "index/filter.h"

#include <algorithm>

#include "common/text.h"

namespace cinerec {

std::vector<std::uint8_t> filter_mask(const std::vector<Movie>& movies, const MovieFilter& filter) {
  std::vector<std::string> wanted;
  for (const auto& g : filter.genres) wanted.push_back(fold_for_search(trim(g)));
  std::vector<std::uint8_t> mask(movies.size(), 1);
  for (std::size_t i = 0; i < movies.size(); ++i) {
    const auto& m = movies[i];
    bool pass = true;
    if (filter.year_from || filter.year_to) {
      pass = m.year.has_value() && (!filter.year_from || *m.year >= *filter.year_from) &&
             (!filter.year_to || *m.year <= *filter.year_to);
    }
    if (pass && !wanted.empty()) {
      pass = std::any_of(m.genres.begin(), m.genres.end(), [&](const std::string& g) {
        return std::find(wanted.begin(), wanted.end(), fold_for_search(g)) != wanted.end();
      });
    }
    mask[i] = pass ? 1 : 0;
  }
  return mask;
}

std::vector<ScoredRow> keep_allowed(const std::vector<ScoredRow>& hits, const std::vector<std::uint8_t>& mask) {
  std::vector<ScoredRow> out;
  for (const auto& h : hits) {
    if (h.row < mask.size() && mask[h.row]) out.push_back(h);
  }
  return out;
}

}  // namespace cinerec
