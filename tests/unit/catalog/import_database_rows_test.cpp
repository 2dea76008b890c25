// CSV exports of movie databases (TMDB 5000): films sharing a title and rows without a synopsis.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "catalog/import.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;

Result<ParsedCatalog> parse(const std::string& text, const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("cinerec-dbrows-" + std::to_string(::getpid()) + "-" + name + ".csv");
  std::ofstream(p, std::ios::binary) << text;
  auto parsed = read_catalog_file(p.string(), ImportOptions{});
  fs::remove(p);
  return parsed;
}

TEST(ImportDatabaseRows, FilmsSharingATitleAreKeptApartByYearOrId) {
  auto catalog = parse("id,title,overview,release_date\n"
                       "268,Batman,The Dark Knight of Gotham City.,1989-06-23\n"
                       "2661,Batman,The Dynamic Duo faces four super-villains.,1966-07-30\n"
                       "1,The Host,A monster.,2006-07-27\n"
                       "2,The Host,Another monster.,2006-01-01\n"
                       "3,Alien,In space.,1979-05-25\n",
                       "dupes");
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  std::vector<std::string> titles;
  for (const auto& r : catalog->records) titles.push_back(r.title);
  EXPECT_EQ(titles, (std::vector<std::string>{"Batman (1989)", "Batman (1966)", "The Host [1]", "The Host [2]", "Alien"}));
  EXPECT_EQ(catalog->records[0].source_id, "268");
  std::size_t renamed = 0;
  for (const auto& w : catalog->warnings) renamed += w.message.find("is shared with another film") != std::string::npos;
  EXPECT_EQ(renamed, 4u);
}

TEST(ImportDatabaseRows, DuplicateTitlesWithoutIdsStayAnError) {
  auto catalog = parse("title,description,year\nRoma,a,2018\nRoma,b,1972\n", "noids");
  ASSERT_FALSE(catalog.ok());
  EXPECT_NE(catalog.error().message.find("duplicate title \"Roma\""), std::string::npos);
  auto same_id = parse("id,title,description\n5,Roma,a\n5,Roma,b\n", "sameid");
  EXPECT_FALSE(same_id.ok());
}

TEST(ImportDatabaseRows, EmptySynopsisIsKeptOnlyForRowsWithAnId) {
  auto with_id = parse("id,title,overview\n77,Silent Film,\n", "empty");
  ASSERT_TRUE(with_id.ok()) << with_id.error().message;
  EXPECT_EQ(with_id->records[0].description, "Silent Film");
  EXPECT_NE(with_id->warnings[0].message.find("empty description"), std::string::npos);
  auto without_id = parse("title,overview\nSilent Film,\n", "emptynoid");
  ASSERT_FALSE(without_id.ok());
  EXPECT_NE(without_id.error().message.find("field \"description\" is empty"), std::string::npos);
}

TEST(ImportDatabaseRows, TmdbKeywordsAndTaglineAreMapped) {
  // TMDB 5000's columns: JSON lists of {"id", "name"} objects for genres and keywords.
  auto catalog = parse(
      "budget,genres,id,keywords,original_title,overview,release_date,tagline,title\n"
      "19000000,\"[{\"\"id\"\": 12, \"\"name\"\": \"\"Adventure\"\"}]\",105,"
      "\"[{\"\"id\"\": 4379, \"\"name\"\": \"\"time travel\"\"}, {\"\"id\"\": 1, \"\"name\"\": \"\"delorean\"\"}]\","
      "Back to the Future,A teenager goes back in time.,1985-07-03,\" He's the only kid ever to get into trouble "
      "before he was born. \",Back to the Future\n"
      "1,[],7,[],Plain,No extras.,2000-01-01,,Plain\n",
      "tmdb");
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  const auto& bttf = catalog->records[0];
  EXPECT_EQ(bttf.keywords, (std::vector<std::string>{"time travel", "delorean"}));
  EXPECT_EQ(bttf.tagline, "He's the only kid ever to get into trouble before he was born.");
  EXPECT_EQ(bttf.genres, std::vector<std::string>{"Aventura"});
  EXPECT_EQ(bttf.year, 1985);
  EXPECT_TRUE(catalog->records[1].keywords.empty());
  EXPECT_TRUE(catalog->records[1].tagline.empty());
}

TEST(ImportDatabaseRows, JsonRecordsCarryIdTaglineAndKeywordLists) {
  fs::path p = fs::temp_directory_path() / ("cinerec-dbrows-" + std::to_string(::getpid()) + ".jsonl");
  std::ofstream(p, std::ios::binary)
      << R"({"id": 105, "title": "Regreso al futuro", "description": "Viaje en el tiempo.", "keywords": ["viaje en el tiempo", "delorean", "delorean"], "tagline": "Un clásico"})" "\n"
      << R"({"id": "tt01", "title": "Otra", "description": "Nada.", "keywords": "boxeo; Filadelfia | superación"})" "\n";
  auto catalog = read_catalog_file(p.string(), ImportOptions{});
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  EXPECT_EQ(catalog->records[0].source_id, "105");
  EXPECT_EQ(catalog->records[0].keywords, (std::vector<std::string>{"viaje en el tiempo", "delorean"}));
  EXPECT_EQ(catalog->records[0].tagline, "Un clásico");
  EXPECT_EQ(catalog->records[1].source_id, "tt01");
  EXPECT_EQ(catalog->records[1].keywords, (std::vector<std::string>{"boxeo", "Filadelfia", "superación"}));
  std::ofstream(p, std::ios::binary) << R"({"title": "Mala", "description": "x", "keywords": [1, 2]})" "\n";
  auto bad = read_catalog_file(p.string(), ImportOptions{});
  fs::remove(p);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("field \"keywords\" must be a string or a list of strings"), std::string::npos)
      << bad.error().message;
}

}  // namespace
}  // namespace cinerec
