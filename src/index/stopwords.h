// Stop word lists for the lexical analyzer, per Snowball language name.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cinerec {

// The Snowball stop list for `language` ("spanish", "english"), as written in the list (lower case,
// with accents); an empty span for a language without a list. The storage is static.
std::span<const std::string_view> snowball_stopwords(std::string_view language);

// The language of a catalog's texts, "spanish" or "english": the one whose stop words are more frequent
// among the words (stop words make up a large, stable share of any running text). Ties, and texts with
// no stop word at all, give "spanish", the seed catalog's language.
std::string detect_language(const std::vector<std::string>& texts);

}  // namespace cinerec
