// Splitting a list of texts into request-sized batches, bounded both by the number of inputs and
// by an estimated token budget (APIs limit both per request).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cinerec {

struct BatchLimits {
  std::size_t max_inputs = 256;
  std::size_t max_tokens = 100'000;  // estimated with estimate_tokens()
};

// An upper-side estimate of the tokens a BPE tokenizer makes of `text`: one per 3 UTF-8 bytes,
// plus one. Real tokenizers average ~4 bytes per token on English and ~3.5 on Spanish, so batches
// planned with it stay under the real budget without needing the model's tokenizer.
std::size_t estimate_tokens(std::string_view text);

struct BatchRange {
  std::size_t begin = 0;
  std::size_t end = 0;  // exclusive
};

// Consecutive ranges covering [0, texts.size()) in order, each with at most max_inputs texts and
// at most max_tokens estimated tokens, except that a single text over the budget gets a range of
// its own (the API then says whether it accepts it). Empty input gives no ranges.
std::vector<BatchRange> plan_batches(const std::vector<std::string>& texts, const BatchLimits& limits);

}  // namespace cinerec
