// The vector blob codec on arbitrary bytes (a database written by another program, the original
// Django blobs): decoding never reads out of bounds, float32 blobs round-trip bit for bit, sizes are
// checked, and validate_vector accepts only finite, non-zero vectors.
#include <cmath>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "store/vector_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view blob(reinterpret_cast<const char*>(data), size);

  auto f32 = cinerec::decode_float32_blob(blob);
  FUZZ_CHECK(f32.ok() == (size % 4 == 0), "float32 blobs are accepted exactly when size % 4 == 0");
  if (f32.ok()) {
    FUZZ_CHECK(f32->size() == size / 4, "one float per 4 bytes");
    FUZZ_CHECK(cinerec::encode_float32_blob(*f32) == blob, "float32 blob round-trips bit for bit");
    auto sized = cinerec::decode_float32_blob(blob, size / 4 + 1);
    FUZZ_CHECK(!sized.ok(), "a blob of the wrong dimension is refused");
    auto valid = cinerec::validate_vector(*f32, "fuzz");
    bool finite_nonzero = !f32->empty(), any_nonzero = false;
    for (float v : *f32) {
      if (!std::isfinite(v)) finite_nonzero = false;
      if (v != 0.0f) any_nonzero = true;
    }
    FUZZ_CHECK(valid.ok() == (finite_nonzero && any_nonzero), "validate_vector: non-empty, finite, not all zero");
    if (valid.ok()) FUZZ_CHECK(std::isfinite(cinerec::l2_norm(f32->data(), f32->size())), "norm of a valid vector is finite");
  }
  auto f64 = cinerec::decode_float64_blob(blob);
  FUZZ_CHECK(f64.ok() == (size % 8 == 0), "float64 blobs are accepted exactly when size % 8 == 0");
  if (f64.ok()) FUZZ_CHECK(f64->size() == size / 8, "one value per 8 bytes");
  return 0;
}
