#include "store/vector_codec.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace cinerec {

static_assert(sizeof(float) == 4 && sizeof(double) == 8);

// Vectors are little-endian on disk whatever the host, so a database file moves between machines.
static std::uint32_t to_little_endian(std::uint32_t bits) {
  if constexpr (std::endian::native == std::endian::big) return __builtin_bswap32(bits);
  return bits;
}
static std::uint64_t to_little_endian(std::uint64_t bits) {
  if constexpr (std::endian::native == std::endian::big) return __builtin_bswap64(bits);
  return bits;
}

std::string encode_float32_blob(const std::vector<float>& values) {
  std::string blob(values.size() * 4, '\0');
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto bits = to_little_endian(std::bit_cast<std::uint32_t>(values[i]));
    std::memcpy(blob.data() + i * 4, &bits, 4);
  }
  return blob;
}

Result<std::vector<float>> decode_float32_blob(std::string_view blob, std::size_t expected_dim) {
  if (blob.size() % 4 != 0)
    return Error{"vector blob of " + std::to_string(blob.size()) + " bytes is not a whole number of float32 values"};
  if (expected_dim != 0 && blob.size() != expected_dim * 4)
    return Error{"vector blob holds " + std::to_string(blob.size() / 4) + " float32 values, expected " +
                 std::to_string(expected_dim)};
  std::vector<float> values(blob.size() / 4);
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, blob.data() + i * 4, 4);
    values[i] = std::bit_cast<float>(to_little_endian(bits));
  }
  return values;
}

Result<std::vector<float>> decode_float64_blob(std::string_view blob) {
  if (blob.size() % 8 != 0)
    return Error{"vector blob of " + std::to_string(blob.size()) + " bytes is not a whole number of float64 values"};
  std::vector<float> values(blob.size() / 8);
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::uint64_t bits;
    std::memcpy(&bits, blob.data() + i * 8, 8);
    values[i] = static_cast<float>(std::bit_cast<double>(to_little_endian(bits)));
  }
  return values;
}

double l2_norm(const float* values, std::size_t n) {
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += static_cast<double>(values[i]) * values[i];
  return std::sqrt(sum);
}

Status validate_vector(const std::vector<float>& values, std::string_view what) {
  if (values.empty()) return Error{std::string(what) + ": empty vector"};
  bool all_zero = true;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values[i]))
      return Error{std::string(what) + ": value " + std::to_string(i) + " is " +
                   (std::isnan(values[i]) ? "NaN" : "infinite")};
    if (values[i] != 0.0f) all_zero = false;
  }
  if (all_zero) return Error{std::string(what) + ": zero vector (it has no direction, cosine is undefined)"};
  return Status::Ok();
}

}  // namespace cinerec
