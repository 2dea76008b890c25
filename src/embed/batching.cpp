#include "embed/batching.h"

#include <algorithm>

namespace cinerec {

std::size_t estimate_tokens(std::string_view text) { return text.size() / 3 + 1; }

std::vector<BatchRange> plan_batches(const std::vector<std::string>& texts,
                                     const BatchLimits& limits) {
  const std::size_t max_inputs = std::max<std::size_t>(limits.max_inputs, 1);
  std::vector<BatchRange> ranges;
  std::size_t begin = 0;
  std::size_t tokens = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const std::size_t t = estimate_tokens(texts[i]);
    const bool full = i - begin >= max_inputs || (i > begin && tokens + t > limits.max_tokens);
    if (full) {
      ranges.push_back({begin, i});
      begin = i;
      tokens = 0;
    }
    tokens += t;
  }
  if (begin < texts.size()) ranges.push_back({begin, texts.size()});
  return ranges;
}

}  // namespace cinerec
