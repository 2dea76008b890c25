#include "recommend/thesaurus.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "index/lexical.h"
#include "recommend/query_understanding.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;
using Strings = std::vector<std::string>;

// "miedo" with two meanings, in ISO-8859-1 as mythes-es ships it ("\xe1" is á).
const std::string kMythes =
    "ISO8859-1\n"
    "miedo|2\n"
    "-|temor|susto|p\xe1nico|miedo\n"
    "-|recelo|desconfianza\n"
    "vaqueros|1\n"
    "-|tejanos|blue jeans\n";

TEST(Thesaurus, MythesMeaningsInOrderFoldedWithoutMultiWordEntries) {
  auto t = Thesaurus::parse_mythes(kMythes, "th.dat");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->synonyms("miedo"), (Strings{"temor", "susto", "panico"}));
  EXPECT_EQ(t->synonyms("miedo", 2), (Strings{"temor", "susto", "panico", "recelo", "desconfianza"}));
  EXPECT_EQ(t->synonyms("vaqueros"), Strings{"tejanos"});
  EXPECT_TRUE(t->synonyms("tiburon").empty());
}

TEST(Thesaurus, MalformedMythesNamesFileAndLine) {
  auto bad_count = Thesaurus::parse_mythes("UTF-8\nmiedo|dos\n-|temor\n", "th.dat");
  ASSERT_FALSE(bad_count.ok());
  EXPECT_EQ(bad_count.error().message, "th.dat:2: expected 'word|number of meanings'");
  auto short_entry = Thesaurus::parse_mythes("UTF-8\nmiedo|3\n-|temor\n", "th.dat");
  ASSERT_FALSE(short_entry.ok());
  EXPECT_NE(short_entry.error().message.find("promises 3 meanings"), std::string::npos) << short_entry.error().message;
  auto encoding = Thesaurus::parse_mythes("KOI8-R\n", "th.dat");
  ASSERT_FALSE(encoding.ok());
  EXPECT_NE(encoding.error().message.find("th.dat:1: unsupported thesaurus encoding 'KOI8-R'"), std::string::npos);
  auto utf8 = Thesaurus::parse_mythes("UTF-8\nmiedo|1\n-|p\xe1nico\n", "th.dat");
  ASSERT_FALSE(utf8.ok());
  EXPECT_NE(utf8.error().message.find("invalid UTF-8"), std::string::npos);
}

// A two-synset WordNet: index lines point at byte offsets of data lines, as in the real files.
struct TinyWordnet {
  std::string noun_index, noun_data, verb_index, verb_data;
};

TinyWordnet tiny_wordnet() {
  TinyWordnet w;
  const std::string header = "  1 This software and database is being provided to you, the LICENSEE\n";
  const std::string killer = "00000100 18 n 03 killer 0 slayer 0 cold_killer 0 000 | someone who causes death\n";
  const std::string hiding = "00000200 35 v 02 hide 0 conceal 0 000 | prevent from being seen\n";
  w.noun_data = header + std::string(100 - header.size(), ' ') + killer;
  w.verb_data = header + std::string(200 - header.size(), ' ') + hiding;
  w.noun_index = header + "killer n 1 1 @ 1 0 00000100  \nslayer n 1 1 @ 1 0 00000100  \n";
  w.verb_index = header + "hide v 1 1 @ 1 0 00000200  \nconceal v 1 1 @ 1 0 00000200  \n";
  return w;
}

Result<Thesaurus> parse(const TinyWordnet& w) {
  return Thesaurus::parse_wordnet({{w.noun_index, w.noun_data}, {w.verb_index, w.verb_data}, {"", ""}, {"", ""}},
                                  "wordnet");
}

TEST(Thesaurus, WordnetSynsetsByOffsetAndBaseForms) {
  auto w = tiny_wordnet();
  auto t = parse(w);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->synonyms("killer"), Strings{"slayer"});  // "cold_killer" is two words
  EXPECT_EQ(t->synonyms("slayer"), Strings{"killer"});
  EXPECT_EQ(t->synonyms("killers"), Strings{"slayer"});  // morphy: -s
  EXPECT_EQ(t->synonyms("hiding"), Strings{"conceal"});  // morphy: -ing + e
  EXPECT_TRUE(t->synonyms("shark").empty());
}

TEST(Thesaurus, MalformedWordnetIndexIsRefusedWithItsLine) {
  auto w = tiny_wordnet();
  w.noun_index += "broken n x\n";
  auto t = parse(w);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message, "wordnet: index.noun:4: malformed WordNet index line");
  w = tiny_wordnet();
  w.verb_index += "hide v 1 1 @ 1 0 99999999  \n";
  t = parse(w);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("index.verb:4: synset offset outside data.verb"), std::string::npos);
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("cinerec-thesaurus-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
};

TEST(Thesaurus, LoadsAWordnetDirectoryWithItsExceptionLists) {
  TempDir dir;
  auto w = tiny_wordnet();
  dir.write("index.noun", w.noun_index);
  dir.write("data.noun", w.noun_data);
  dir.write("index.verb", w.verb_index);
  dir.write("data.verb", w.verb_data);
  dir.write("index.adj", "");
  dir.write("data.adj", "");
  dir.write("index.adv", "");
  auto missing = Thesaurus::load(dir.path.string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "cannot open " + (dir.path / "data.adv").string());
  dir.write("data.adv", "");
  dir.write("verb.exc", "hid hide\n");
  auto t = Thesaurus::load(dir.path.string());
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->synonyms("hid"), (Strings{"hide", "conceal"}));  // the base form is a synonym of an irregular form
}

TEST(Thesaurus, QueryUnderstandingAddsOnlySynonymsTheCatalogUses) {
  TempDir dir;
  dir.write("th.dat", kMythes);
  const Strings catalog = {"Tiburón", "Un tiburón causa pánico y temor en una playa."};
  QueryUnderstandingOptions o;
  o.translate_english = false;
  o.synonyms = true;
  o.thesaurus = (dir.path / "th.dat").string();
  QueryUnderstanding qu(catalog, o);
  auto intent = qu.understand("miedo en el agua");
  // "susto" is a synonym the catalog never uses; "temor" and "pánico" are.
  EXPECT_EQ(intent.expansion_query, "temor panico");
  EXPECT_NE(std::find(intent.notes.begin(), intent.notes.end(), "'miedo' ~ temor, panico"), intent.notes.end());
  EXPECT_EQ(intent.lexical_query.find("temor"), std::string::npos);  // synonyms stay out of the query

  o.thesaurus = (dir.path / "missing.dat").string();
  QueryUnderstanding without(catalog, o);
  const auto& notices = without.notices();
  EXPECT_TRUE(std::any_of(notices.begin(), notices.end(), [](const std::string& n) {
    return n.find("no synonyms: no thesaurus") != std::string::npos;
  }));
  EXPECT_TRUE(without.understand("miedo en el agua").expansion_query.empty());
}

TEST(LexicalExpansion, ExpansionTermsWeighTheirIdfTimesTheWeight) {
  const std::vector<LexicalDocument> docs = {
      {"Uno", "temor en la playa"}, {"Dos", "miedo en la playa"}, {"Tres", "una casa en el campo"}};
  LexicalIndex index(docs);
  auto plain = index.search("miedo", 10);
  ASSERT_EQ(plain.size(), 1u);
  auto as_query = index.search("temor", 10);
  ASSERT_EQ(as_query.size(), 1u);
  auto expanded = index.search("miedo", 10, "temor", 0.25);
  ASSERT_EQ(expanded.size(), 2u);
  EXPECT_EQ(expanded[0].row, 1u);
  EXPECT_FLOAT_EQ(expanded[0].score, plain[0].score);
  EXPECT_EQ(expanded[1].row, 0u);
  EXPECT_FLOAT_EQ(expanded[1].score, 0.25f * as_query[0].score);
  // A term in both counts once, at full weight; weight 0 ignores the expansion.
  EXPECT_FLOAT_EQ(index.search("miedo", 10, "miedo", 0.25)[0].score, plain[0].score);
  EXPECT_EQ(index.search("miedo", 10, "temor", 0.0).size(), 1u);
}

}  // namespace
}  // namespace cinerec
