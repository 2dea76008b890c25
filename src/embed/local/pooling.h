// Turns the token states of each sequence into one sentence vector, as sentence-transformers'
// Pooling and Normalize modules do.
#pragma once

#include <cstddef>
#include <vector>

#include "embed/local/model_config.h"

namespace cinerec::local {

// `states` holds the packed [sum(lengths), hidden] token states (Encoder::hidden_states). Returns
// per sequence the mean of its states, or its first state for Cls, L2-normalized when `normalize`
// (an all-zero vector stays zero). Precondition: every length >= 1.
std::vector<std::vector<float>> pool_sentences(const std::vector<float>& states,
                                               const std::vector<std::size_t>& lengths, std::size_t hidden,
                                               Pooling pooling, bool normalize);

}  // namespace cinerec::local
