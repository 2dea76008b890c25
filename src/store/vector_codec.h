// The vector blob codec: how embedding vectors are laid out as bytes in a database.
// cinerec's format is little-endian IEEE-754 float32, dim × 4 bytes, no header (dimension and norm are
// columns beside the blob). The original Django system stored numpy float64 bytes (`ndarray.tobytes()`),
// little-endian, no header: decode_float64_blob reads those.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cinerec {

std::string encode_float32_blob(const std::vector<float>& values);

// Fails when the size is not a multiple of 4 or (when expected_dim != 0) not expected_dim × 4.
Result<std::vector<float>> decode_float32_blob(std::string_view blob, std::size_t expected_dim = 0);

// Fails when the size is not a multiple of 8; values are narrowed to float32.
Result<std::vector<float>> decode_float64_blob(std::string_view blob);

// L2 norm, accumulated in double.
double l2_norm(const float* values, std::size_t n);

// Checks a vector before it is stored: non-empty, every value finite, not all zero. `what` names the
// vector in the message (e.g. "movie_descriptions_embeddings.json record 3 \"Matrix\"").
Status validate_vector(const std::vector<float>& values, std::string_view what);

}  // namespace cinerec
