#include "embed/local/precompiled_charsmap.h"

#include <cstring>

#include "common/text.h"

namespace cinerec::local {

namespace {

// darts-clone unit layout.
bool has_leaf(std::uint32_t unit) { return ((unit >> 8) & 1) == 1; }
std::uint32_t value(std::uint32_t unit) { return unit & ((1u << 31) - 1); }
std::uint32_t label(std::uint32_t unit) { return unit & ((1u << 31) | 0xFF); }
std::uint32_t offset(std::uint32_t unit) { return (unit >> 10) << ((unit & (1u << 9)) >> 6); }

}  // namespace

Result<PrecompiledCharsmap> PrecompiledCharsmap::parse(std::string_view blob) {
  if (blob.size() < 4) return Error{"precompiled_charsmap: too short"};
  std::uint32_t trie_size = 0;
  for (int i = 3; i >= 0; --i) trie_size = (trie_size << 8) | static_cast<unsigned char>(blob[i]);
  if (trie_size % 4 != 0 || trie_size > blob.size() - 4 || trie_size == 0)
    return Error{"precompiled_charsmap: trie size does not fit the blob"};
  PrecompiledCharsmap map;
  map.units_.resize(trie_size / 4);
  std::memcpy(map.units_.data(), blob.data() + 4, trie_size);  // little-endian, like the format
  map.replacements_ = std::string(blob.substr(4 + trie_size));
  return map;
}

std::pair<std::size_t, std::uint32_t> PrecompiledCharsmap::longest_match(std::string_view key) const {
  std::pair<std::size_t, std::uint32_t> best{0, 0};
  std::size_t node = 0;
  std::uint32_t unit = units_[node];
  node ^= offset(unit);
  for (std::size_t i = 0; i < key.size(); ++i) {
    const auto c = static_cast<unsigned char>(key[i]);
    node ^= c;
    if (node >= units_.size()) break;
    unit = units_[node];
    if (label(unit) != c) break;
    node ^= offset(unit);
    if (node >= units_.size()) break;
    if (has_leaf(unit)) best = {i + 1, value(units_[node])};
  }
  return best;
}

std::string PrecompiledCharsmap::normalize(std::string_view text) const {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto [length, index] = longest_match(text.substr(pos));
    if (length > 0 && index < replacements_.size()) {
      out.append(replacements_.c_str() + index);
      pos += length;
    } else {
      std::size_t n = utf8_sequence_length(static_cast<unsigned char>(text[pos]));
      if (pos + n > text.size()) n = text.size() - pos;
      out.append(text.substr(pos, n));
      pos += n;
    }
  }
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  auto sextet = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    if (c == '\n' || c == '\r') continue;
    const int v = sextet(c);
    if (v < 0) return Error{"base64: invalid character"};
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

}  // namespace cinerec::local
