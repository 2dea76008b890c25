#include <gtest/gtest.h>

#include "server/catalog_view.h"

namespace cinerec {
namespace {

Movie movie(MovieId id, std::string title, std::vector<std::string> genres, std::optional<int> year) {
  Movie m;
  m.id = id;
  m.title = std::move(title);
  m.genres = std::move(genres);
  m.year = year;
  return m;
}

std::vector<std::string> titles(const CatalogPage& page) {
  std::vector<std::string> out;
  for (const Movie* m : page.movies) out.push_back(m->title);
  return out;
}

class CatalogViewTest : public ::testing::Test {
 protected:
  std::vector<Movie> movies{
      movie(1, "El señor de los anillos: La comunidad del anillo", {"Fantasía", "Aventura"}, 2001),
      movie(2, "El padrino", {"Drama", "Crimen"}, 1972),
      movie(3, "Ámbar", {"Drama"}, std::nullopt),
      movie(4, "El padrino II", {"Drama", "Crimen"}, 1974),
      movie(5, "Salvar al soldado Ryan", {"Bélico", "Drama"}, 1998),
      movie(6, "Zodiac", {"Suspenso"}, 2007),
  };
  CatalogView view{movies};
};

TEST_F(CatalogViewTest, TitleOrderIgnoresAccentsAndCase) {
  auto page = view.query({"", {}, 1, 10});
  EXPECT_EQ(page.total, 6u);
  EXPECT_EQ(titles(page), (std::vector<std::string>{"Ámbar", "El padrino", "El padrino II",
                                                    "El señor de los anillos: La comunidad del anillo",
                                                    "Salvar al soldado Ryan", "Zodiac"}));
}

TEST_F(CatalogViewTest, EveryWordMustOccurInTheTitle) {
  EXPECT_EQ(titles(view.query({"SENOR anillo", {}, 1, 10})),
            (std::vector<std::string>{"El señor de los anillos: La comunidad del anillo"}));
  EXPECT_EQ(titles(view.query({"padrino", {}, 1, 10})), (std::vector<std::string>{"El padrino", "El padrino II"}));
  EXPECT_EQ(titles(view.query({"ambar", {}, 1, 10})), (std::vector<std::string>{"Ámbar"}));
  EXPECT_EQ(view.query({"padrino zodiac", {}, 1, 10}).total, 0u);
  EXPECT_EQ(view.query({"  ¡!  ", {}, 1, 10}).total, 6u);  // no words: no constraint
}

TEST_F(CatalogViewTest, FiltersAndPages) {
  MovieFilter drama{{"drama"}, std::nullopt, std::nullopt};
  auto page = view.query({"", drama, 1, 2});
  EXPECT_EQ(page.total, 4u);
  EXPECT_EQ(page.pages, 2u);
  EXPECT_EQ(titles(page), (std::vector<std::string>{"Ámbar", "El padrino"}));
  EXPECT_EQ(titles(view.query({"", drama, 2, 2})), (std::vector<std::string>{"El padrino II", "Salvar al soldado Ryan"}));
  EXPECT_TRUE(view.query({"", drama, 3, 2}).movies.empty());
  MovieFilter seventies{{}, 1970, 1979};
  EXPECT_EQ(titles(view.query({"", seventies, 1, 10})), (std::vector<std::string>{"El padrino", "El padrino II"}));
  MovieFilter war_or_thriller{{"Bélico", "suspenso"}, 2000, std::nullopt};
  EXPECT_EQ(titles(view.query({"", war_or_thriller, 1, 10})), (std::vector<std::string>{"Zodiac"}));
}

TEST_F(CatalogViewTest, Stats) {
  const auto& s = view.stats();
  EXPECT_EQ(s.total, 6u);
  EXPECT_EQ(s.without_year, 1u);
  EXPECT_EQ(s.per_year, (std::vector<std::pair<int, std::size_t>>{{1972, 1}, {1974, 1}, {1998, 1}, {2001, 1}, {2007, 1}}));
  EXPECT_EQ(s.per_decade, (std::vector<std::pair<int, std::size_t>>{{1970, 2}, {1980, 0}, {1990, 1}, {2000, 2}}));
  ASSERT_FALSE(s.per_genre.empty());
  EXPECT_EQ(s.per_genre[0], (std::pair<std::string, std::size_t>{"Drama", 4}));
  EXPECT_EQ(s.per_genre[1], (std::pair<std::string, std::size_t>{"Crimen", 2}));
  // Ties (one movie each) follow the canonical genre order: Aventura before Fantasía before Suspenso.
  std::vector<std::string> rest;
  for (std::size_t i = 2; i < s.per_genre.size(); ++i) rest.push_back(s.per_genre[i].first);
  EXPECT_EQ(rest, (std::vector<std::string>{"Aventura", "Fantasía", "Suspenso", "Bélico"}));
}

TEST_F(CatalogViewTest, CanonicalGenre) {
  EXPECT_EQ(view.canonical_genre("BELICO"), "Bélico");
  EXPECT_EQ(view.canonical_genre("fantasia"), "Fantasía");
  EXPECT_EQ(view.canonical_genre("Western"), "");  // a canonical tag no movie has
  EXPECT_EQ(view.genres(), (std::vector<std::string>{"Drama", "Aventura", "Fantasía", "Crimen", "Suspenso", "Bélico"}));
}

}  // namespace
}  // namespace cinerec
