// Reader for the safetensors format (a little-endian u64 header length, a JSON header naming each
// tensor's dtype, shape and byte range, then the raw data). Every tensor is widened to fp32 on load,
// so the encoder has one code path whatever precision the checkpoint was saved in.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"

namespace cinerec::local {

struct Tensor {
  std::vector<std::int64_t> shape;
  std::vector<float> data;  // row-major, shape's product elements

  std::int64_t elements() const;
  std::string shape_string() const;  // "[384, 1536]", for error messages
};

class SafeTensors {
 public:
  // Reads every tensor of `path`. Supports F32, F16 and BF16; fails with the file name and the tensor
  // at fault for a missing or truncated file, a malformed header or another dtype.
  static Result<SafeTensors> load(const std::string& path);

  bool contains(const std::string& name) const { return tensors_.count(name) != 0; }
  // Moves a tensor out (each is taken once, which lets the loader notice tensors it did not use).
  Result<Tensor> take(const std::string& name);
  std::vector<std::string> names() const;
  const std::string& path() const { return path_; }

 private:
  static Result<SafeTensors> load_checked(const std::string& path);

  std::string path_;
  std::map<std::string, Tensor> tensors_;
};

// IEEE half and bfloat16 to float; exact (every half is representable as a float).
float half_to_float(std::uint16_t h);
float bfloat16_to_float(std::uint16_t b);

}  // namespace cinerec::local
