#include "catalog/title_index.h"

#include <algorithm>

#include "common/text.h"

namespace cinerec {

TitleIndex::TitleIndex(const std::vector<std::string>& titles) : titles_(titles) {
  folded_.reserve(titles.size());
  for (std::size_t i = 0; i < titles.size(); ++i) {
    folded_.push_back(fold_for_search(titles[i]));
    position_of_folded_.emplace(folded_.back(), i);
  }
}

TitleIndex TitleIndex::of(const std::vector<Movie>& movies) {
  std::vector<std::string> titles;
  titles.reserve(movies.size());
  for (const auto& m : movies) titles.push_back(m.title);
  return TitleIndex(titles);
}

Result<std::size_t> TitleIndex::find(std::string_view title) const {
  auto wanted = fold_for_search(trim(title));
  if (wanted.empty()) return Error{"empty title"};
  if (auto it = position_of_folded_.find(wanted); it != position_of_folded_.end()) return it->second;
  // Near misses: about one typo per four characters, or the start of a longer title.
  std::vector<std::pair<std::size_t, std::size_t>> close;  // (distance, position)
  for (std::size_t i = 0; i < folded_.size(); ++i) {
    std::size_t distance = edit_distance(folded_[i], wanted);
    if (wanted.size() >= 3 && folded_[i].starts_with(wanted)) distance = std::min<std::size_t>(distance, 1);
    if (distance <= std::max<std::size_t>(2, wanted.size() / 4)) close.emplace_back(distance, i);
  }
  std::stable_sort(close.begin(), close.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string message = "no movie titled \"" + std::string(trim(title)) + "\" in the catalog";
  if (!close.empty()) {
    message += " (did you mean ";
    for (std::size_t i = 0; i < close.size() && i < 3; ++i) message += (i ? ", \"" : "\"") + titles_[close[i].second] + "\"";
    message += "?)";
  }
  return Error{message};
}

}  // namespace cinerec
