// Text helpers shared by the catalog, the lexical index and the CLI. All strings are UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cinerec {

// True when `text` is well-formed UTF-8. On failure, *bad_offset (if given) is the first bad byte.
bool is_valid_utf8(std::string_view text, std::size_t* bad_offset = nullptr);

// Bytes in the UTF-8 sequence that starts with `lead` (1 to 4); 1 for a byte that cannot start
// one, so a scanner always advances.
std::size_t utf8_sequence_length(unsigned char lead);

// Folds text for matching: Unicode NFKD, combining marks removed, case folded. "Película" -> "pelicula",
// "ÑANDÚ" -> "nandu". Precondition: valid UTF-8 (invalid bytes are dropped).
std::string fold_for_search(std::string_view text);

// Splits folded text into runs of letters and digits; everything else separates words.
std::vector<std::string> split_words(std::string_view folded);

// Trims ASCII whitespace at both ends.
std::string_view trim(std::string_view text);

// `value` in double quotes for a one-line message: the quote, the backslash and control characters
// (newline, tab, ...) are written as JSON-style escapes, so a title with a line break cannot split an
// error message in two. Other bytes, UTF-8 included, are kept as they are.
std::string quote_for_message(std::string_view value);

// The pieces of `text` between occurrences of `sep` (n separators give n + 1 pieces, empty ones kept).
std::vector<std::string_view> split_on(std::string_view text, char sep);

// Levenshtein distance counted in Unicode code points, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace cinerec
