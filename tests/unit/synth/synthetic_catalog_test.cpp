#include "synth/synthetic_catalog.h"

#include <gtest/gtest.h>

#include <set>

namespace cinerec {
namespace {

TEST(SyntheticCatalog, RecordsAreDeterministicUniqueAndNormalized) {
  SyntheticCatalogSpec spec{.movies = 5000, .dim = 8, .clusters = 16, .seed = 4};
  std::set<std::string> titles;
  for (std::size_t i = 0; i < spec.movies; ++i) {
    MovieRecord m = synthetic_movie(spec, i, static_cast<std::uint32_t>(i % 16));
    EXPECT_TRUE(titles.insert(m.title).second) << m.title;
    EXPECT_FALSE(m.description.empty());
    EXPECT_FALSE(m.genres.empty()) << m.genre_raw;
    ASSERT_TRUE(m.year.has_value());
    EXPECT_GE(*m.year, 1930);
    EXPECT_LE(*m.year, 2024);
    EXPECT_EQ(m.source_id, std::to_string(i + 1));
  }
  // Same spec and cluster, same record; the cluster decides the genre.
  EXPECT_EQ(synthetic_movie(spec, 7, 3).description, synthetic_movie(spec, 7, 3).description);
  EXPECT_EQ(synthetic_movie(spec, 1, 3).genres.front(), synthetic_movie(spec, 2, 3).genres.front());
}

TEST(SyntheticCatalog, RejectsUnknownFormatAndZeroDimension) {
  EXPECT_FALSE(write_synthetic_catalog({.movies = 1, .dim = 4, .format = "xml"}, "/tmp/unused").ok());
  EXPECT_FALSE(write_synthetic_catalog({.movies = 1, .dim = 0}, "/tmp/unused").ok());
}

}  // namespace
}  // namespace cinerec
