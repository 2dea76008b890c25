#include <gtest/gtest.h>

#include "index/filter.h"

namespace cinerec {
namespace {

Movie movie(std::string title, std::vector<std::string> genres, std::optional<int> year) {
  Movie m;
  m.title = std::move(title);
  m.genres = std::move(genres);
  m.year = year;
  return m;
}

std::vector<Movie> catalog() {
  return {movie("A", {"Drama", "Bélico"}, 1998), movie("B", {"Ciencia ficción"}, 1982),
          movie("C", {"Comedia"}, std::nullopt), movie("D", {"Drama"}, 2010), movie("E", {}, 1990)};
}

using Mask = std::vector<std::uint8_t>;

MovieFilter genres(std::vector<std::string> tags) {
  MovieFilter f;
  f.genres = std::move(tags);
  return f;
}

TEST(FilterMask, EmptyFilterPassesEverything) {
  MovieFilter f;
  EXPECT_TRUE(f.empty());
  EXPECT_EQ(filter_mask(catalog(), f), (Mask{1, 1, 1, 1, 1}));
}

TEST(FilterMask, GenresMatchAnyTagIgnoringAccentsAndCase) {
  EXPECT_EQ(filter_mask(catalog(), genres({"belico"})), (Mask{1, 0, 0, 0, 0}));
  EXPECT_EQ(filter_mask(catalog(), genres({"CIENCIA FICCIÓN", " comedia "})), (Mask{0, 1, 1, 0, 0}));
  EXPECT_EQ(filter_mask(catalog(), genres({"Western"})), (Mask{0, 0, 0, 0, 0}));
}

TEST(FilterMask, YearBoundsAreInclusiveAndMissingYearsFail) {
  MovieFilter f;
  f.year_from = 1982;
  f.year_to = 1998;
  EXPECT_EQ(filter_mask(catalog(), f), (Mask{1, 1, 0, 0, 1}));
  MovieFilter from;
  from.year_from = 2000;
  EXPECT_EQ(filter_mask(catalog(), from), (Mask{0, 0, 0, 1, 0}));
}

TEST(FilterMask, GenreAndYearCombine) {
  MovieFilter f{{"Drama"}, 2000, std::nullopt};
  EXPECT_EQ(filter_mask(catalog(), f), (Mask{0, 0, 0, 1, 0}));
}

TEST(KeepAllowed, KeepsOrderAndDropsRowsOutsideTheMask) {
  std::vector<ScoredRow> hits = {{3, .9f}, {0, .8f}, {7, .7f}, {1, .6f}};
  auto kept = keep_allowed(hits, Mask{1, 0, 0, 1});
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].row, 3u);
  EXPECT_EQ(kept[1].row, 0u);
}

}  // namespace
}  // namespace cinerec
