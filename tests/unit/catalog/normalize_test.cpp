#include "catalog/normalize.h"

#include <gtest/gtest.h>

namespace cinerec {
namespace {

using Genres = std::vector<std::string>;

TEST(NormalizeGenres, SeedStrings) {
  EXPECT_EQ(normalize_genres("Drama."), Genres({"Drama"}));
  EXPECT_EQ(normalize_genres("Drama criminal."), Genres({"Drama", "Crimen"}));
  EXPECT_EQ(normalize_genres("Drama crimina."), Genres({"Drama", "Crimen"}));  // typo in the seed
  EXPECT_EQ(normalize_genres(": Crimen, drama, comedia negra."), Genres({"Crimen", "Drama", "Comedia"}));
  EXPECT_EQ(normalize_genres(": Drama bélico."), Genres({"Drama", "Bélico"}));
  EXPECT_EQ(normalize_genres("Ciencia ficción / Fantasía"), Genres({"Ciencia ficción", "Fantasía"}));
  EXPECT_EQ(normalize_genres("Drama/Thriller sci-fi"), Genres({"Drama", "Suspenso", "Ciencia ficción"}));
  EXPECT_EQ(normalize_genres("Ciencia ficción futurista."), Genres({"Ciencia ficción"}));
  EXPECT_EQ(normalize_genres(": Animación, Aventura, Drama."), Genres({"Animación", "Aventura", "Drama"}));
  EXPECT_EQ(normalize_genres("Drama de guerra."), Genres({"Drama", "Bélico"}));
  EXPECT_EQ(normalize_genres("Acción y superhéroes."), Genres({"Acción", "Superhéroes"}));
  EXPECT_EQ(normalize_genres("Drama romántico."), Genres({"Drama", "Romance"}));
  EXPECT_EQ(normalize_genres("Drama biográfico."), Genres({"Drama", "Biográfico"}));
}

TEST(NormalizeGenres, WholeSentencesIgnoreQuotedTitles) {
  EXPECT_EQ(normalize_genres("El género de la película \"El tercer hombre\" podría ser clasificado como un thriller "
                             "de misterio y suspense."),
            Genres({"Suspenso", "Misterio"}));
  // A title word that looks like a genre must not count when quoted.
  EXPECT_EQ(normalize_genres("La película \"Drama en la guerra\" es una comedia."), Genres({"Comedia"}));
}

TEST(NormalizeGenres, EnglishAndStructured) {
  EXPECT_EQ(normalize_genres("Science Fiction"), Genres({"Ciencia ficción"}));
  EXPECT_EQ(normalize_genres(R"([{"id": 28, "name": "Action"}, {"id": 10752, "name": "War"}])"),
            Genres({"Acción", "Bélico"}));
  EXPECT_EQ(normalize_genres("Action|Comedy|Music"), Genres({"Acción", "Comedia", "Musical"}));
  EXPECT_EQ(normalize_genres("Warner"), Genres());  // "war" only as a whole word
  EXPECT_EQ(normalize_genres(""), Genres());
  EXPECT_EQ(normalize_genres("cosas raras"), Genres());
}

TEST(NormalizeKeywords, StructuredListsAndSeparatedText) {
  using Strings = std::vector<std::string>;
  EXPECT_EQ(normalize_keywords(R"([{"id": 1, "name": "time travel"}, {"id": 2, "name": " boxing "}])"),
            (Strings{"time travel", "boxing"}));
  EXPECT_EQ(normalize_keywords(R"(["a", "b", "a"])"), (Strings{"a", "b"}));
  EXPECT_EQ(normalize_keywords("boxeo, Filadelfia; superación | boxeo"), (Strings{"boxeo", "Filadelfia", "superación"}));
  EXPECT_TRUE(normalize_keywords("").empty());
  EXPECT_TRUE(normalize_keywords("[]").empty());
  EXPECT_EQ(normalize_keywords("[no json"), Strings{"[no json"});
}

TEST(NormalizeYear, AcceptsYearsAndDates) {
  EXPECT_EQ(normalize_year("1972"), 1972);
  EXPECT_EQ(normalize_year(" 2019 "), 2019);
  EXPECT_EQ(normalize_year("2009-12-10"), 2009);
  EXPECT_EQ(normalize_year("1994.0"), 1994);
}

TEST(NormalizeYear, RejectsJunk) {
  EXPECT_FALSE(normalize_year(""));
  EXPECT_FALSE(normalize_year("abc"));
  EXPECT_FALSE(normalize_year("19"));
  EXPECT_FALSE(normalize_year("1800"));
  EXPECT_FALSE(normalize_year("3000"));
  EXPECT_FALSE(normalize_year("19725"));
  EXPECT_FALSE(normalize_year("1972 aprox"));
}

}  // namespace
}  // namespace cinerec
