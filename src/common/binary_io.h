// Little-endian binary (de)serialization of plain values and arrays, for the model files cinerec
// writes itself (personal model, item neighbours). The project targets little-endian x86-64, so
// values are copied as they lie in memory.
//
// Guarantees: `get*` never reads past the input; on false the output is unspecified and the input
// must be treated as corrupt.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace cinerec::binary_io {

template <class T>
void put(std::string& out, T value) {
  static_assert(std::is_trivially_copyable_v<T>);
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}

// A u64 element count followed by the elements.
template <class T>
void put_array(std::string& out, const std::vector<T>& values) {
  put<std::uint64_t>(out, values.size());
  if (!values.empty()) out.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
}

template <class T>
bool get(std::string_view& in, T& value) {
  static_assert(std::is_trivially_copyable_v<T>);
  if (in.size() < sizeof value) return false;
  std::memcpy(&value, in.data(), sizeof value);
  in.remove_prefix(sizeof value);
  return true;
}

template <class T>
bool get_array(std::string_view& in, std::vector<T>& values) {
  std::uint64_t n = 0;
  if (!get(in, n) || n > in.size() / sizeof(T)) return false;
  values.resize(n);
  // An empty vector may have a null data(); memcpy must not see it.
  if (n != 0) std::memcpy(values.data(), in.data(), n * sizeof(T));
  in.remove_prefix(n * sizeof(T));
  return true;
}

}  // namespace cinerec::binary_io
