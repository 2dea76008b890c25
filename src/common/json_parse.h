// Parsing JSON text that comes from outside (catalog files, vector files, provider responses) without
// letting any nlohmann exception escape. nlohmann::json::parse throws parse_error for a syntax error but
// out_of_range for a number too large for a double ("1e999999"), so catching parse_error alone lets a
// crafted file terminate the process (found by the catalog import fuzzer).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace cinerec {

struct JsonSyntaxError {
  std::size_t offset = 0;  // 0-based byte offset in the text where the problem was found
  std::string reason;      // nlohmann's explanation without its "[json.exception…]" prefix
};

// Guarantees: never throws for any input bytes. Returns the document, or nullopt with *error set.
std::optional<nlohmann::json> parse_json_text(std::string_view text, JsonSyntaxError* error);

// The string elements of a JSON array text, in order (other elements skipped); empty when the text is
// not a JSON array. Never throws. For list columns stored as JSON (genres, keywords).
std::vector<std::string> json_string_array(std::string_view text);

}  // namespace cinerec
