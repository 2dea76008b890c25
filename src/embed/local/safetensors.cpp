#include "embed/local/safetensors.h"

#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace cinerec::local {

std::int64_t Tensor::elements() const {
  std::int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

std::string Tensor::shape_string() const {
  std::ostringstream out;
  out << '[';
  for (std::size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
  out << ']';
  return out.str();
}

float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000) << 16;
  std::uint32_t exponent = (h >> 10) & 0x1f;
  std::uint32_t mantissa = h & 0x3ff;
  std::uint32_t bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);  // inf / NaN
  } else if (exponent != 0) {
    bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
  } else if (mantissa == 0) {
    bits = sign;
  } else {
    // Subnormal half: shift the mantissa up until its leading one becomes the implicit bit.
    exponent = 113;
    while ((mantissa & 0x400) == 0) {
      mantissa <<= 1;
      --exponent;
    }
    bits = sign | (exponent << 23) | ((mantissa & 0x3ff) << 13);
  }
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

float bfloat16_to_float(std::uint16_t b) {
  const std::uint32_t bits = static_cast<std::uint32_t>(b) << 16;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

namespace {

Error fail(const std::string& path, const std::string& what) {
  return Error{path + ": " + what};
}

}  // namespace

Result<SafeTensors> SafeTensors::load(const std::string& path) {
  try {
    return load_checked(path);
  } catch (const nlohmann::json::exception& e) {
    // A header whose fields have the wrong JSON types.
    return fail(path, std::string("malformed header: ") + e.what());
  }
}

Result<SafeTensors> SafeTensors::load_checked(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(path, "cannot open (missing weights file?)");
  in.seekg(0, std::ios::end);
  const auto file_size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0);
  if (file_size < 8) return fail(path, "too short to be a safetensors file");

  unsigned char len_bytes[8];
  in.read(reinterpret_cast<char*>(len_bytes), 8);
  std::uint64_t header_len = 0;
  for (int i = 7; i >= 0; --i) header_len = (header_len << 8) | len_bytes[i];
  if (header_len > file_size - 8) return fail(path, "header length exceeds file size");

  std::string header(header_len, '\0');
  in.read(header.data(), static_cast<std::streamsize>(header_len));
  nlohmann::json meta = nlohmann::json::parse(header, nullptr, false);
  if (meta.is_discarded() || !meta.is_object()) return fail(path, "header is not a JSON object");

  const std::uint64_t data_start = 8 + header_len;
  const std::uint64_t data_size = file_size - data_start;

  SafeTensors out;
  out.path_ = path;
  std::vector<unsigned char> raw;
  for (auto it = meta.begin(); it != meta.end(); ++it) {
    if (it.key() == "__metadata__") continue;
    const auto& spec = it.value();
    const std::string where = "tensor '" + it.key() + "'";
    if (!spec.is_object() || !spec.contains("dtype") || !spec.contains("shape") ||
        !spec.contains("data_offsets"))
      return fail(path, where + " lacks dtype, shape or data_offsets");
    const std::string dtype = spec.at("dtype").get<std::string>();
    std::size_t width;
    if (dtype == "F32") width = 4;
    else if (dtype == "F16" || dtype == "BF16") width = 2;
    else return fail(path, where + " has unsupported dtype " + dtype + " (F32, F16, BF16 are)");

    Tensor t;
    // The element count is bounded by the data section as it grows, so a crafted shape can neither
    // overflow the product nor make n * width wrap around to a plausible byte count.
    std::uint64_t bounded = 1;
    for (const auto& d : spec.at("shape")) {
      if (!d.is_number_integer() || d.get<std::int64_t>() < 0) return fail(path, where + " has a bad shape");
      const auto extent = static_cast<std::uint64_t>(d.get<std::int64_t>());
      if (extent != 0 && bounded > data_size / width / extent)
        return fail(path, where + " has a shape larger than the file's data");
      bounded *= extent;
      t.shape.push_back(d.get<std::int64_t>());
    }
    const auto& offsets = spec.at("data_offsets");
    if (!offsets.is_array() || offsets.size() != 2) return fail(path, where + " has bad data_offsets");
    if (!offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned())
      return fail(path, where + " has bad data_offsets");
    const auto begin = offsets[0].get<std::uint64_t>();
    const auto end = offsets[1].get<std::uint64_t>();
    const auto n = static_cast<std::uint64_t>(t.elements());
    if (end < begin || end > data_size || end - begin != n * width)
      return fail(path, where + " byte range does not match its shape " + t.shape_string() +
                            " (file truncated?)");

    raw.resize(end - begin);
    in.seekg(static_cast<std::streamoff>(data_start + begin));
    in.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(raw.size()));
    if (!in) return fail(path, where + " could not be read (file truncated?)");

    // The format is little-endian and so is every machine cinerec targets (x86-64, aarch64).
    t.data.resize(n);
    if (width == 4) {
      // An empty tensor (a zero in its shape) has null data pointers; memcpy must not see them.
      if (!raw.empty()) std::memcpy(t.data.data(), raw.data(), raw.size());
    } else {
      const bool bf16 = dtype == "BF16";
      for (std::uint64_t i = 0; i < n; ++i) {
        const std::uint16_t v = static_cast<std::uint16_t>(raw[2 * i] | (raw[2 * i + 1] << 8));
        t.data[i] = bf16 ? bfloat16_to_float(v) : half_to_float(v);
      }
    }
    out.tensors_.emplace(it.key(), std::move(t));
  }
  return out;
}

Result<Tensor> SafeTensors::take(const std::string& name) {
  auto it = tensors_.find(name);
  if (it == tensors_.end()) return Error{path_ + ": missing tensor '" + name + "'"};
  Tensor t = std::move(it->second);
  tensors_.erase(it);
  return t;
}

std::vector<std::string> SafeTensors::names() const {
  std::vector<std::string> out;
  for (const auto& [name, _] : tensors_) out.push_back(name);
  return out;
}

}  // namespace cinerec::local
