#include "catalog/ratings_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace cinerec {
namespace {

namespace fs = std::filesystem;

class RatingsFileTest : public ::testing::Test {
 protected:
  fs::path write(const std::string& name, const std::string& text) {
    fs::path p = fs::temp_directory_path() / ("cinerec-ratings-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(p, std::ios::binary) << text;
    files_.push_back(p);
    return p;
  }
  void TearDown() override {
    for (const auto& f : files_) fs::remove(f);
  }
  std::vector<fs::path> files_;
};

TEST_F(RatingsFileTest, ReadsMovieLensRowsWithCrlf) {
  auto p = write("ok.csv", "userId,movieId,rating,timestamp\r\n1,31,2.5,1260759144\r\n1,1029,3.0,1260759179\r\n7,31,5,0\r\n");
  auto rows = read_ratings_file(p.string());
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].user, "1");
  EXPECT_EQ((*rows)[0].item, "31");
  EXPECT_FLOAT_EQ((*rows)[0].rating, 2.5f);
  EXPECT_EQ((*rows)[0].timestamp, 1260759144);
  EXPECT_EQ((*rows)[2].location, p.string() + ":4");
}

TEST_F(RatingsFileTest, BadRowsAreRefusedWithFileAndLine) {
  const std::string header = "userId,movieId,rating,timestamp\n";
  struct Case {
    std::string body, message;
  } cases[] = {
      {"1,2,4.0,10\n1,3,6,10\n", ":3: rating \"6\" is not a number from 0.5 to 5"},
      {"1,2,four,10\n", ":2: rating \"four\" is not a number from 0.5 to 5"},
      {"1,2,0,10\n", ":2: rating \"0\" is not a number from 0.5 to 5"},
      {"1,2,4,yesterday\n", ":2: timestamp \"yesterday\" is not a non-negative integer"},
      {"1,2,4,-5\n", ":2: timestamp \"-5\" is not a non-negative integer"},
      {",2,4,5\n", ":2: empty userId"},
      {"1,2,4\n", ":2: 3 fields, the header has 4"},
      {"1,2,4,5\n1,2,3,6\n", ":3: user 1 rates movie 2 a second time"},
  };
  int n = 0;
  for (const auto& c : cases) {
    auto p = write("bad" + std::to_string(n++) + ".csv", header + c.body);
    auto rows = read_ratings_file(p.string());
    ASSERT_FALSE(rows.ok()) << c.body;
    EXPECT_EQ(rows.error().message.rfind(p.string() + c.message, 0), 0u) << rows.error().message;
  }
  auto no_column = write("nocol.csv", "user,movieId,rating,timestamp\n1,2,3,4\n");
  auto rows = read_ratings_file(no_column.string());
  ASSERT_FALSE(rows.ok());
  EXPECT_NE(rows.error().message.find(":1: no \"userId\" column"), std::string::npos);
  EXPECT_FALSE(read_ratings_file("/nonexistent/ratings.csv").ok());
}

TEST_F(RatingsFileTest, LinksMapToTmdbAndImdb) {
  auto p = write("links.csv", "movieId,imdbId,tmdbId\r\n1,0114709,862\r\n2,0113497,\r\n");
  auto links = read_links_file(p.string());
  ASSERT_TRUE(links.ok()) << links.error().message;
  EXPECT_EQ(links->at("1").tmdb, "862");
  EXPECT_EQ(links->at("1").imdb, "tt0114709");
  EXPECT_EQ(links->at("2").tmdb, "");
  auto twice = write("twice.csv", "movieId,imdbId,tmdbId\n1,1,2\n1,3,4\n");
  auto bad = read_links_file(twice.string());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find(":3: movieId 1 appears twice"), std::string::npos);
}

}  // namespace
}  // namespace cinerec
