#include "common/text.h"

#include <gtest/gtest.h>
#include <utf8proc.h>

#include <cstdlib>
#include <random>
#include <string>

namespace cinerec {
namespace {

TEST(Text, FoldForSearch) {
  EXPECT_EQ(fold_for_search("Película"), "pelicula");
  EXPECT_EQ(fold_for_search("ÑANDÚ"), "nandu");
  EXPECT_EQ(fold_for_search("El Señor de los Anillos: El Retorno"), "el senor de los anillos: el retorno");
  EXPECT_EQ(fold_for_search("ﬁlm"), "film");  // compatibility ligature
  EXPECT_EQ(fold_for_search("a\xFF" "b"), "ab");  // invalid byte dropped
}

// The reference: utf8proc_map of the whole string, as fold_for_search was first written.
std::string fold_with_utf8proc_map(const std::string& valid_utf8) {
  utf8proc_uint8_t* out = nullptr;
  const auto options = static_cast<utf8proc_option_t>(UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                                      UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(valid_utf8.data()),
                              static_cast<utf8proc_ssize_t>(valid_utf8.size()), &out, options);
  EXPECT_GE(n, 0);
  std::string result(reinterpret_cast<char*>(out), n < 0 ? 0 : static_cast<std::size_t>(n));
  std::free(out);
  return result;
}

std::string encode(utf8proc_int32_t cp) {
  utf8proc_uint8_t bytes[4];
  const auto n = utf8proc_encode_char(cp, bytes);
  return std::string(reinterpret_cast<char*>(bytes), static_cast<std::size_t>(n));
}

TEST(Text, FoldForSearchEqualsUtf8procMapOnEveryCodePoint) {
  for (utf8proc_int32_t cp = 0; cp < 0x110000; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;  // surrogates are not UTF-8
    const std::string s = encode(cp);
    ASSERT_EQ(fold_for_search(s), fold_with_utf8proc_map(s)) << "U+" << std::hex << cp;
  }
}

// Strings mixing letters, precomposed and combining accents (in every order), ligatures, Hangul,
// ignorables and ASCII, where utf8proc_map also reorders combining marks.
TEST(Text, FoldForSearchEqualsUtf8procMapOnMixedStrings) {
  const std::vector<utf8proc_int32_t> pool = {'a', 'Z', ' ', '1', ',', 0xE9, 0xD1, 0x301, 0x323, 0x308, 0x327, 0x345,
                                              0x1E69, 0xFB01, 0xFDFA, 0xAC00, 0xD55C, 0x200D, 0xAD, 0x130, 0xDF,
                                              0x1F600, 0x3A3, 0x3C2, 0x2126, 0x212B, 0xFF21, 0x2460, 0x5D0, 0x5B7};
  std::mt19937 rng(3);
  for (int trial = 0; trial < 20000; ++trial) {
    std::string s;
    const int length = 1 + static_cast<int>(rng() % 12);
    for (int i = 0; i < length; ++i) s += encode(pool[rng() % pool.size()]);
    ASSERT_EQ(fold_for_search(s), fold_with_utf8proc_map(s)) << s;
  }
}

// split_words classifies ASCII without utf8proc: the same as utf8proc's categories (L*, Nd).
TEST(Text, SplitWordsAsciiMatchesUnicodeCategories) {
  for (int c = 1; c < 0x80; ++c) {
    const auto category = utf8proc_category(c);
    const bool word = (category >= UTF8PROC_CATEGORY_LU && category <= UTF8PROC_CATEGORY_LO) ||
                      category == UTF8PROC_CATEGORY_ND;
    const auto words = split_words(std::string("x") + static_cast<char>(c) + "y");
    EXPECT_EQ(words.size(), word ? 1u : 2u) << "byte " << c;
  }
}

TEST(Text, Utf8Validation) {
  std::size_t bad = 0;
  EXPECT_TRUE(is_valid_utf8("año 🎬"));
  EXPECT_FALSE(is_valid_utf8("ab\xC3(", &bad));
  EXPECT_EQ(bad, 2u);
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // UTF-16 surrogate encoded in UTF-8
}

TEST(Text, SplitWordsAndTrim) {
  EXPECT_EQ(split_words("sci-fi, 2001: odisea"), (std::vector<std::string>{"sci", "fi", "2001", "odisea"}));
  EXPECT_EQ(trim("  x y \n"), "x y");
}

TEST(Text, EditDistanceCountsCodePoints) {
  EXPECT_EQ(edit_distance("padrino", "padrno"), 1u);
  EXPECT_EQ(edit_distance("año", "ano"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

}  // namespace
}  // namespace cinerec
