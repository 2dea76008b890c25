#include "common/text.h"

#include <cstdio>

#include <utf8proc.h>

#include <algorithm>

namespace cinerec {

bool is_valid_utf8(std::string_view text, std::size_t* bad_offset) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    utf8proc_int32_t cp;
    auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
                              static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
    if (n <= 0) {
      if (bad_offset) *bad_offset = pos;
      return false;
    }
    pos += static_cast<std::size_t>(n);
  }
  return true;
}

static std::vector<utf8proc_int32_t> decode(std::string_view text) {
  std::vector<utf8proc_int32_t> cps;
  cps.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    utf8proc_int32_t cp;
    auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
                              static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
    if (n <= 0) {  // skip one invalid byte
      pos += 1;
      continue;
    }
    cps.push_back(cp);
    pos += static_cast<std::size_t>(n);
  }
  return cps;
}

// One code point at a time: NFKD, case fold and mark stripping of a string are those of its code
// points concatenated, because the one step utf8proc_map adds (canonical reordering of combining
// marks) only moves marks, and every mark is stripped. ASCII takes a table-free path. Measured: the
// analyzer's folding was a quarter of loading a million-movie catalog through utf8proc_map, which
// allocates and makes two passes per call. tests/unit/common/text_test.cpp checks equality with
// utf8proc_map over every code point and over random strings.
std::string fold_for_search(std::string_view text) {
  constexpr auto options = static_cast<utf8proc_option_t>(UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                                          UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
  std::string out;
  out.reserve(text.size());
  utf8proc_int32_t small[32];
  std::vector<utf8proc_int32_t> large;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto c = static_cast<unsigned char>(text[pos]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c));
      ++pos;
      continue;
    }
    utf8proc_int32_t cp;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
                                    static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
    if (n <= 0) {  // drop an invalid byte rather than failing the whole string
      ++pos;
      continue;
    }
    pos += static_cast<std::size_t>(n);
    utf8proc_int32_t* parts = small;
    auto count = utf8proc_decompose_char(cp, small, 32, options, nullptr);
    if (count > 32) {  // the longest compatibility decompositions (U+FDFA: 18) fit; be safe anyway
      large.resize(static_cast<std::size_t>(count));
      count = utf8proc_decompose_char(cp, large.data(), count, options, nullptr);
      parts = large.data();
    }
    for (utf8proc_ssize_t i = 0; i < count; ++i) {
      utf8proc_uint8_t bytes[4];
      const auto length = utf8proc_encode_char(parts[i], bytes);
      out.append(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(length));
    }
  }
  return out;
}

std::vector<std::string> split_words(std::string_view folded) {
  std::vector<std::string> words;
  std::string current;
  std::size_t pos = 0;
  while (pos < folded.size()) {
    const auto c = static_cast<unsigned char>(folded[pos]);
    utf8proc_ssize_t n = 1;
    bool word_char;
    if (c < 0x80) {  // ASCII: letters and digits are exactly the L* and Nd categories
      word_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    } else {
      utf8proc_int32_t cp;
      n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(folded.data() + pos),
                           static_cast<utf8proc_ssize_t>(folded.size() - pos), &cp);
      if (n <= 0) {
        pos += 1;
        continue;
      }
      const auto category = utf8proc_category(cp);
      word_char = (category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO) ||
                  category == UTF8PROC_CATEGORY_ND;
    }
    if (word_char) {
      current.append(folded.substr(pos, static_cast<std::size_t>(n)));
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
    pos += static_cast<std::size_t>(n);
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

std::string_view trim(std::string_view text) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto x = decode(a), y = decode(b);
  std::vector<std::size_t> prev(y.size() + 1), cur(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= y.size(); ++j) {
      std::size_t substitution = prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitution});
    }
    std::swap(prev, cur);
  }
  return prev[y.size()];
}

std::size_t utf8_sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

std::vector<std::string_view> split_on(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    auto pos = text.find(sep, start);
    parts.push_back(text.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

std::string quote_for_message(std::string_view value) {
  std::string out = "\"";
  for (unsigned char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20 || c == 0x7F) {
          char hex[8];
          std::snprintf(hex, sizeof hex, "\\u%04x", c);
          out += hex;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

}  // namespace cinerec
