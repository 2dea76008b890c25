// CatalogStream: a catalog file validated in a first pass, then returned in batches that together
// equal the whole-file read, with errors naming the same file:line whatever the batch size.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "catalog/import.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;

class CatalogStreamTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (const auto& p : written_) fs::remove(p);
  }
  std::string write(const std::string& name, const std::string& text) {
    fs::path p = fs::temp_directory_path() / ("cinerec-stream-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(p, std::ios::binary) << text;
    written_.push_back(p);
    return p.string();
  }
  // Every batch of `batch` records, concatenated.
  static ParsedCatalog read_in_batches(const std::string& path, std::size_t batch, std::size_t* batches) {
    auto stream = CatalogStream::open(path, ImportOptions{});
    EXPECT_TRUE(stream.ok()) << stream.error().message;
    ParsedCatalog all;
    *batches = 0;
    for (;;) {
      auto next = stream->next(batch);
      EXPECT_TRUE(next.ok()) << next.error().message;
      if (!next.ok() || next->records.empty()) break;
      EXPECT_LE(next->records.size(), batch);
      ++*batches;
      for (auto& r : next->records) all.records.push_back(std::move(r));
      for (auto& l : next->locations) all.locations.push_back(std::move(l));
      for (auto& w : next->warnings) all.warnings.push_back(std::move(w));
    }
    return all;
  }
  std::vector<fs::path> written_;
};

// 7 records; record 3 spans three lines (a quoted field with line breaks), record 5 has no year.
const char* kCsv =
    "title,description,genre,year\n"
    "Uno,Primera historia.,Drama,1990\n"
    "Dos,Segunda historia.,Comedia,1991\n"
    "Tres,\"Tercera, con comas\ny saltos\nde línea\",Drama,1992\n"
    "\n"
    "Cuatro,Cuarta historia.,Terror,1993\n"
    "Cinco,Quinta historia.,Drama,\n"
    "Seis,\"Sexta \"\"citada\"\"\",Western,1995\n"
    "Siete,Séptima historia.,Drama,1996\n";

TEST_F(CatalogStreamTest, BatchesOfAnySizeEqualTheWholeFileRead) {
  const std::string csv = write("seven.csv", kCsv);
  std::string jsonl;
  for (int i = 1; i <= 7; ++i)
    jsonl += "{\"title\": \"Película " + std::to_string(i) + "\", \"description\": \"Historia " + std::to_string(i) +
             "\", \"genre\": \"Drama\"" + (i == 5 ? std::string() : ", \"year\": " + std::to_string(1990 + i)) + "}\n" +
             (i == 2 ? "\n" : "");
  const std::string jl = write("seven.jsonl", jsonl);
  for (const auto& path : {csv, jl}) {
    auto whole = read_catalog_file(path, ImportOptions{});
    ASSERT_TRUE(whole.ok()) << whole.error().message;
    ASSERT_EQ(whole->records.size(), 7u);
    ASSERT_EQ(whole->warnings.size(), 1u);  // record 5: no year field / empty year
    EXPECT_EQ(whole->warnings[0].record, 5u);
    for (std::size_t batch : {1u, 2u, 3u, 7u, 100u}) {
      std::size_t batches = 0;
      auto parts = read_in_batches(path, batch, &batches);
      EXPECT_EQ(batches, (7 + batch - 1) / batch) << path << " batch " << batch;
      ASSERT_EQ(parts.records.size(), 7u);
      for (std::size_t i = 0; i < 7; ++i) {
        EXPECT_EQ(parts.records[i].title, whole->records[i].title);
        EXPECT_EQ(parts.records[i].description, whole->records[i].description);
        EXPECT_EQ(parts.records[i].year, whole->records[i].year);
        EXPECT_EQ(parts.locations[i], whole->locations[i]);
      }
      ASSERT_EQ(parts.warnings.size(), 1u);
      EXPECT_EQ(parts.warnings[0].record, 5u);  // numbered in the whole file, not the batch
      EXPECT_EQ(parts.warnings[0].location, whole->warnings[0].location);
    }
  }
  auto whole = read_catalog_file(csv, ImportOptions{});
  EXPECT_EQ(whole->records[2].description, "Tercera, con comas\ny saltos\nde línea");
  EXPECT_EQ(whole->records[5].description, "Sexta \"citada\"");
  // Lines are the file's: record 4 starts on line 8 (after the three-line record and a blank line).
  EXPECT_NE(whole->locations[3].find("seven.csv:8 (record 4)"), std::string::npos) << whole->locations[3];
}

TEST_F(CatalogStreamTest, ErrorsAnywhereRefuseTheFileBeforeAnyBatch) {
  // The last record's error is found by open(), before the first batch could be written.
  const std::string late_dup = write("dup.csv", std::string(kCsv) + "Uno,Otra vez,Drama,2000\n");
  auto stream = CatalogStream::open(late_dup, ImportOptions{});
  ASSERT_FALSE(stream.ok());
  EXPECT_NE(stream.error().message.find("dup.csv:12 (record 8): duplicate title \"Uno\" (first at "), std::string::npos)
      << stream.error().message;
  EXPECT_NE(stream.error().message.find("dup.csv:2 (record 1))"), std::string::npos) << stream.error().message;

  // A quoted field never closed: the error names the line it opened on, in the file's numbering.
  const std::string open_quote = write("quote.csv", std::string(kCsv) + "Ocho,\"sin cerrar,Drama,2001\nNueve,x,Drama,2002\n");
  auto q = CatalogStream::open(open_quote, ImportOptions{});
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.error().message.find("quote.csv: malformed CSV: line 12, column 6: quoted field is never closed"),
            std::string::npos) << q.error().message;

  // Invalid UTF-8 on a line of a JSON Lines file: file:line:column.
  const std::string bad_utf8 = write("bad.jsonl", "{\"title\": \"A\", \"description\": \"a\"}\n{\"title\": \"B\xff\", \"description\": \"b\"}\n");
  auto u = CatalogStream::open(bad_utf8, ImportOptions{});
  ASSERT_FALSE(u.ok());
  EXPECT_NE(u.error().message.find("bad.jsonl:2:13: invalid UTF-8"), std::string::npos) << u.error().message;

  // An empty description on a later record.
  const std::string empty = write("empty.jsonl", "{\"title\": \"A\", \"description\": \"a\"}\n{\"title\": \"B\", \"description\": \" \"}\n");
  auto e = CatalogStream::open(empty, ImportOptions{});
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.error().message.find("empty.jsonl:2 (record 2): field \"description\" is empty (movie \"B\")"),
            std::string::npos) << e.error().message;
}

TEST_F(CatalogStreamTest, AFileChangedBetweenThePassesIsAnErrorNotAMixedImport) {
  const std::string two = "{\"title\": \"A\", \"description\": \"a\"}\n{\"title\": \"B\", \"description\": \"b\"}\n";
  const std::string path = write("changing.jsonl", two);
  // Rewritten in place (same file) after the first pass: a title differs, or records are missing.
  for (const std::string& changed : {std::string("{\"title\": \"A\", \"description\": \"a\"}\n{\"title\": \"Z\", \"description\": \"z\"}\n"),
                                     std::string("{\"title\": \"A\", \"description\": \"a\"}\n")}) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << two;
    auto stream = CatalogStream::open(path, ImportOptions{});
    ASSERT_TRUE(stream.ok()) << stream.error().message;
    EXPECT_EQ(stream->size(), 2u);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << changed;
    auto batch = stream->next(10);
    ASSERT_FALSE(batch.ok());
    EXPECT_NE(batch.error().message.find("the file changed while it was imported"), std::string::npos)
        << batch.error().message;
  }
}

}  // namespace
}  // namespace cinerec
