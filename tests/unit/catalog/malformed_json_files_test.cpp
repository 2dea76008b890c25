// Catalog and vector files whose JSON is malformed are refused with file:line:column and a reason,
// never by an escaping exception (a number beyond a double's range used to terminate the import).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "catalog/embeddings_file.h"
#include "catalog/import.h"
#include "common/text.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;

fs::path write_temp(const std::string& text, const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("cinerec-badjson-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

std::string catalog_error(const std::string& text, const std::string& name) {
  auto p = write_temp(text, name);
  auto parsed = read_catalog_file(p.string(), ImportOptions{});
  fs::remove(p);
  EXPECT_FALSE(parsed.ok()) << name;
  return parsed.ok() ? "" : parsed.error().message.substr(p.string().size());
}

TEST(MalformedJsonFiles, NumberOverflowInJsonLinesNamesTheLine) {
  EXPECT_EQ(catalog_error("{\"title\": \"A\", \"description\": \"x\"}\n[445909973E711006582506[666\n", "overflow.jsonl"),
            ":2:2: malformed JSON line: number overflow parsing '445909973E711006582506'");
}

TEST(MalformedJsonFiles, NumberOverflowInAJsonArrayNamesLineAndColumn) {
  EXPECT_EQ(catalog_error("[\n  {\"title\": \"A\", \"description\": \"x\", \"year\": 1e400}\n]\n", "overflow.json"),
            ":2:46: malformed JSON: number overflow parsing '1e400'");
}

TEST(MalformedJsonFiles, SyntaxErrorsKeepTheirPosition) {
  EXPECT_EQ(catalog_error("{\"title\": \"A\", \"description\": \"x\"}\n{\"title\": }\n", "syntax.jsonl"),
            ":2:11: malformed JSON line: unexpected '}'; expected '[', '{', or a literal");
  EXPECT_EQ(catalog_error("[{\"title\": \"A\",,}]", "syntax.json"), ":1:16: malformed JSON: unexpected ','; expected string literal");
}

TEST(MalformedJsonFiles, ATitleWithALineBreakKeepsTheErrorOnOneLine) {
  // Found by fuzz_catalog_import: the title is quoted with its line break escaped.
  EXPECT_EQ(catalog_error("[{\"title\":\"Ar warsccio\\n \\\"x\\\"\",\"description\":null}]", "newline.json"),
            ":1 (record 1): missing field \"description\" (movie \"Ar warsccio\\n \\\"x\\\"\")");
  EXPECT_EQ(catalog_error("title,description\n\"Ro\nma\",a\n\"Ro\nma\",b\n", "newline.csv").find('\n'), std::string::npos);
}

TEST(QuotedForMessages, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(quote_for_message("El \"Padrino\"\n\t\\ ñ\x01"), "\"El \\\"Padrino\\\"\\n\\t\\\\ ñ\\u0001\"");
}

TEST(MalformedJsonFiles, VectorFilesRefuseOverflowingNumbers) {
  for (const auto& [text, name] : std::vector<std::pair<std::string, std::string>>{
           {"{\"title\": \"A\", \"embedding\": [1e999]}\n", "vectors.jsonl"},
           {"[{\"title\": \"A\", \"embedding\": [0.5, -1e999]}]", "vectors.json"}}) {
    auto p = write_temp(text, name);
    auto vectors = read_embeddings_file(p.string());
    fs::remove(p);
    ASSERT_FALSE(vectors.ok()) << name;
    EXPECT_NE(vectors.error().message.find("number overflow"), std::string::npos) << vectors.error().message;
    EXPECT_EQ(vectors.error().message.rfind(p.string() + ":1:", 0), 0u) << vectors.error().message;
  }
}

TEST(VectorFiles, RecordsAreKeyedByTitleOrBySourceId) {
  auto p = write_temp("{\"id\": 603, \"embedding\": [1, 0]}\n"
                      "{\"id\": \"tt0133093\", \"title\": \"Matrix\", \"embedding\": [0, 1]}\n"
                      "{\"title\": \"Roma\", \"vector\": [1, 1]}\n",
                      "keyed.jsonl");
  auto vectors = read_embeddings_file(p.string());
  fs::remove(p);
  ASSERT_TRUE(vectors.ok()) << vectors.error().message;
  ASSERT_EQ(vectors->size(), 3u);
  EXPECT_EQ((*vectors)[0].source_id, "603");
  EXPECT_EQ((*vectors)[0].title, "");
  EXPECT_EQ((*vectors)[0].label(), "id 603");
  EXPECT_EQ((*vectors)[1].source_id, "tt0133093");
  EXPECT_EQ((*vectors)[1].label(), "\"Matrix\"");
  EXPECT_EQ((*vectors)[2].source_id, "");

  for (const auto& [text, message] : std::vector<std::pair<std::string, std::string>>{
           {"{\"embedding\": [1, 0]}\n", ":1 (record 1): missing field \"title\" (or \"id\")"},
           {"{\"id\": 1.5, \"embedding\": [1, 0]}\n", ":1 (record 1): field \"id\" must be a non-empty string or an integer"},
           {"{\"id\": 7, \"embedding\": [1, 0]}\n{\"id\": 8, \"embedding\": [1]}\n",
            ":2 (record 2): id 8 has 1 dimensions, expected 2 like the first record"}}) {
    auto bad = write_temp(text, "bad-keyed.jsonl");
    auto read = read_embeddings_file(bad.string());
    fs::remove(bad);
    ASSERT_FALSE(read.ok()) << text;
    EXPECT_EQ(read.error().message, bad.string() + message);
  }
}

}  // namespace
}  // namespace cinerec
