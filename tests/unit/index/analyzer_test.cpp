#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/text.h"
#include "index/lexical.h"
#include "index/stopwords.h"

namespace cinerec {
namespace {

using Terms = std::vector<std::string>;

TEST(Analyzer, DropsSpanishStopWords) {
  Analyzer a;
  EXPECT_EQ(a.terms("la película de un pianista"), (Terms{"pelicul", "pianist"}));
  EXPECT_TRUE(a.terms("de la que el en y a los del se las por un para con").empty());
}

TEST(Analyzer, StopWordsMatchWithOrWithoutAccents) {
  Analyzer a;
  // "él", "más", "está" are in the list with accents; users often type them without.
  EXPECT_TRUE(a.terms("Él está más").empty());
  EXPECT_TRUE(a.terms("el esta mas").empty());
}

TEST(Analyzer, FoldsAccentsAndCase) {
  Analyzer a;
  EXPECT_EQ(a.terms("PELÍCULA"), a.terms("pelicula"));
  EXPECT_EQ(a.terms("Acción"), a.terms("accion"));
  EXPECT_EQ(a.terms("Bélico"), (Terms{"belic"}));
  for (const auto& t : a.terms("Ciencia ficción fantástica, ÉPICA y romántica")) {
    EXPECT_EQ(t, fold_for_search(t)) << "term keeps an accent or upper case: " << t;
  }
}

TEST(Analyzer, EnyeFoldsToN) {
  Analyzer a;
  EXPECT_EQ(a.terms("niño"), a.terms("nino"));
  EXPECT_EQ(a.terms("NIÑOS"), a.terms("niño"));
  EXPECT_EQ(a.terms("España"), a.terms("espana"));
}

TEST(Analyzer, StemsSingularAndPluralTogetherOnFoldedInput) {
  Analyzer a;
  EXPECT_EQ(a.terms("películas"), a.terms("pelicula"));
  EXPECT_EQ(a.terms("pianistas"), (Terms{"pianist"}));
  EXPECT_EQ(a.terms("pianista"), (Terms{"pianist"}));
  EXPECT_EQ(a.terms("guerras"), (Terms{"guerr"}));
  EXPECT_EQ(a.terms("guerra"), (Terms{"guerr"}));
  EXPECT_EQ(a.terms("vampiros"), a.terms("vampiro"));
  EXPECT_EQ(a.terms("mafiosos"), a.terms("mafioso"));
}

TEST(Analyzer, SingularCionMeetsPluralCionesWithoutAccent) {
  // Plain Snowball on folded text would give "revolucion" vs "revolu" here.
  Analyzer a;
  EXPECT_EQ(a.terms("revolucion"), a.terms("revoluciones"));
  EXPECT_EQ(a.terms("revolución"), a.terms("revoluciones"));
  EXPECT_EQ(a.terms("animacion"), a.terms("animaciones"));
  EXPECT_EQ(a.terms("animación"), a.terms("animacion"));
  EXPECT_EQ(a.terms("mision"), a.terms("misiones"));
  EXPECT_EQ(a.terms("canción"), a.terms("canciones"));
}

TEST(Analyzer, KeepsNumbersAndSplitsOnPunctuation) {
  Analyzer a;
  EXPECT_EQ(a.terms("1917"), (Terms{"1917"}));
  EXPECT_EQ(a.terms("Mad Max: Fury-Road"), (Terms{"mad", "max", "fury", "road"}));
  EXPECT_EQ(a.terms("guerra guerra"), (Terms{"guerr", "guerr"}));  // frequencies are kept
}

TEST(Analyzer, EmptyAndPunctuationOnlyGiveNoTerms) {
  Analyzer a;
  EXPECT_TRUE(a.terms("").empty());
  EXPECT_TRUE(a.terms("  ¿¡...!?  — ").empty());
}

TEST(Analyzer, EnglishUsesEnglishStopWordsAndStemmer) {
  Analyzer a("english");
  EXPECT_EQ(a.terms("The pianists of the war"), (Terms{"pianist", "war"}));
}

TEST(Analyzer, UnknownLanguageIsRefused) {
  EXPECT_THROW(Analyzer("klingon"), std::invalid_argument);
}

TEST(Analyzer, MovedAnalyzerKeepsWorking) {
  Analyzer a;
  Analyzer b(std::move(a));
  EXPECT_EQ(b.terms("pianistas"), (Terms{"pianist"}));
}

// The embedded list must be Snowball's. PostgreSQL ships the same lists; compare when it is installed.
TEST(Stopwords, EmbeddedListsEqualTheSnowballFilesShippedByPostgres) {
  for (std::string lang : {"spanish", "english"}) {
    std::ifstream in("/usr/share/postgresql/15/tsearch_data/" + lang + ".stop");
    if (!in) GTEST_SKIP() << "PostgreSQL stop lists not installed";
    std::vector<std::string> expected;
    for (std::string line; std::getline(in, line);) {
      line = std::string(trim(line));
      if (!line.empty()) expected.push_back(line);
    }
    auto embedded = snowball_stopwords(lang);
    ASSERT_EQ(embedded.size(), expected.size()) << lang;
    for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(embedded[i], expected[i]) << lang << " " << i;
  }
}

TEST(Stopwords, UnknownLanguageHasNoList) { EXPECT_TRUE(snowball_stopwords("klingon").empty()); }

}  // namespace
}  // namespace cinerec
