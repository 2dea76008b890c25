// Looking movies up by title the way people type them: case and accents ignored, and a "did you mean"
// with the closest titles when nothing matches.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "catalog/movie.h"
#include "common/result.h"

namespace cinerec {

class TitleIndex {
 public:
  // Indexes titles[i] as position i. The titles must outlive nothing: they are copied, folded.
  explicit TitleIndex(const std::vector<std::string>& titles);
  static TitleIndex of(const std::vector<Movie>& movies);

  // Position of the title, or an error "no movie titled "X" in the catalog (did you mean "Y"?)".
  Result<std::size_t> find(std::string_view title) const;

 private:
  std::vector<std::string> titles_;
  std::vector<std::string> folded_;
  std::unordered_map<std::string, std::size_t> position_of_folded_;
};

}  // namespace cinerec
