#include "store/vector_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace cinerec {
namespace {

TEST(VectorCodec, Float32RoundTripIsBitExact) {
  std::vector<float> values = {0.0f, -0.0f, 1.5f, -3.25e-8f, std::numeric_limits<float>::max(),
                               std::numeric_limits<float>::denorm_min()};
  auto blob = encode_float32_blob(values);
  ASSERT_EQ(blob.size(), values.size() * 4);
  auto back = decode_float32_blob(blob, values.size());
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(std::memcmp(back->data(), values.data(), blob.size()), 0);
}

TEST(VectorCodec, LittleEndianLayout) {
  // 1.0f is 0x3F800000: little-endian bytes 00 00 80 3F.
  EXPECT_EQ(encode_float32_blob({1.0f}), std::string("\x00\x00\x80\x3F", 4));
}

TEST(VectorCodec, SizeErrors) {
  EXPECT_FALSE(decode_float32_blob(std::string(7, '\0')).ok());
  auto wrong = decode_float32_blob(std::string(8, '\0'), 3);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().message, "vector blob holds 2 float32 values, expected 3");
  EXPECT_FALSE(decode_float64_blob(std::string(12, '\0')).ok());
}

TEST(VectorCodec, NumpyFloat64Blob) {
  // numpy.array([1.0, -2.5], dtype=float64).tobytes() on a little-endian machine.
  std::string blob("\x00\x00\x00\x00\x00\x00\xF0\x3F\x00\x00\x00\x00\x00\x00\x04\xC0", 16);
  auto values = decode_float64_blob(blob);
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(*values, (std::vector<float>{1.0f, -2.5f}));
}

TEST(VectorCodec, Validation) {
  EXPECT_TRUE(validate_vector({0.1f, 0.2f}, "v").ok());
  EXPECT_EQ(validate_vector({}, "v").error().message, "v: empty vector");
  EXPECT_EQ(validate_vector({0.0f, std::nanf("")}, "v").error().message, "v: value 1 is NaN");
  EXPECT_EQ(validate_vector({INFINITY}, "v").error().message, "v: value 0 is infinite");
  EXPECT_NE(validate_vector({0.0f, 0.0f}, "v").error().message.find("zero vector"), std::string::npos);
  EXPECT_DOUBLE_EQ(l2_norm(std::vector<float>{3.0f, 4.0f}.data(), 2), 5.0);
}

}  // namespace
}  // namespace cinerec
