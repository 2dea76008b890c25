#include "embed/document_text.h"

#include "common/text.h"

namespace cinerec {

std::string document_text(const MovieRecord& movie) {
  if (!trim(movie.description).empty()) return movie.description;
  return movie.title;
}

}  // namespace cinerec
