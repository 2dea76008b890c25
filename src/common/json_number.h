// Integers read from JSON files that are input (tokenizer.json, config.json, safetensors headers, index
// metadata). nlohmann's get<int>() on a float member is a plain static_cast, so a crafted 1e300 is
// undefined behaviour (found by the tokenizer fuzzer); these accept only an integer in range.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace cinerec {

// Thrown for a member that is not an integer in [lo, hi]. A nlohmann::json::exception, so the readers'
// existing handlers for a malformed file report it like any other wrong-typed field.
struct JsonNumberError : nlohmann::json::exception {
  explicit JsonNumberError(const std::string& message) : nlohmann::json::exception(0, message.c_str()) {}
};

// Guarantees: returns v when v is a JSON integer (signed or unsigned) with lo <= v <= hi; otherwise
// throws JsonNumberError naming `what`. Never converts a float, bool or string.
inline std::int64_t json_integer(const nlohmann::json& v, std::int64_t lo, std::int64_t hi, std::string_view what) {
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (hi >= 0 && u <= static_cast<std::uint64_t>(hi) && static_cast<std::int64_t>(u) >= lo) return static_cast<std::int64_t>(u);
  } else if (v.is_number_integer()) {
    const auto s = v.get<std::int64_t>();
    if (s >= lo && s <= hi) return s;
  } else {
    throw JsonNumberError(std::string(what) + " must be an integer, got " + v.dump().substr(0, 40));
  }
  throw JsonNumberError(std::string(what) + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                        ", got " + v.dump().substr(0, 40));
}

// The same for an optional member of an object: `fallback` when the key is absent.
inline std::int64_t json_integer_or(const nlohmann::json& object, const char* key, std::int64_t fallback,
                                    std::int64_t lo, std::int64_t hi) {
  if (!object.is_object() || !object.contains(key)) return fallback;
  return json_integer(object.at(key), lo, hi, key);
}

// A token id, vocabulary index or similar: a non-negative int32.
inline std::int32_t json_int32(const nlohmann::json& v, std::string_view what) {
  return static_cast<std::int32_t>(json_integer(v, 0, INT32_MAX, what));
}

}  // namespace cinerec
