// Stop word lists for the lexical analyzer, per Snowball language name.
#pragma once

#include <span>
#include <string_view>

namespace cinerec {

// The Snowball stop list for `language` ("spanish", "english"), as written in the list (lower case,
// with accents); an empty span for a language without a list. The storage is static.
std::span<const std::string_view> snowball_stopwords(std::string_view language);

}  // namespace cinerec
