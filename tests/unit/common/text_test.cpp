#include "common/text.h"

#include <gtest/gtest.h>

namespace cinerec {
namespace {

TEST(Text, FoldForSearch) {
  EXPECT_EQ(fold_for_search("Película"), "pelicula");
  EXPECT_EQ(fold_for_search("ÑANDÚ"), "nandu");
  EXPECT_EQ(fold_for_search("El Señor de los Anillos: El Retorno"), "el senor de los anillos: el retorno");
  EXPECT_EQ(fold_for_search("ﬁlm"), "film");  // compatibility ligature
  EXPECT_EQ(fold_for_search("a\xFF" "b"), "ab");  // invalid byte dropped
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
