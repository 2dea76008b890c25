#include "embed/local/pooling.h"

#include <algorithm>
#include <cmath>

namespace cinerec::local {

std::vector<std::vector<float>> pool_sentences(const std::vector<float>& states,
                                               const std::vector<std::size_t>& lengths, std::size_t hidden,
                                               Pooling pooling, bool normalize) {
  std::vector<std::vector<float>> out;
  out.reserve(lengths.size());
  std::size_t offset = 0;
  for (const std::size_t len : lengths) {
    const std::size_t rows = pooling == Pooling::Cls ? 1 : len;
    std::vector<double> acc(hidden, 0.0);
    for (std::size_t t = 0; t < rows; ++t) {
      const float* row = states.data() + (offset + t) * hidden;
      for (std::size_t j = 0; j < hidden; ++j) acc[j] += row[j];
    }
    std::vector<float> v(hidden);
    double norm = 0;
    for (std::size_t j = 0; j < hidden; ++j) {
      v[j] = static_cast<float>(acc[j] / static_cast<double>(rows));
      norm += static_cast<double>(v[j]) * v[j];
    }
    if (normalize) {
      // torch.nn.functional.normalize's eps.
      const double inv = 1.0 / std::max(std::sqrt(norm), 1e-12);
      for (float& value : v) value = static_cast<float>(value * inv);
    }
    out.push_back(std::move(v));
    offset += len;
  }
  return out;
}

}  // namespace cinerec::local
