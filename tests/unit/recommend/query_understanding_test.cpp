#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <zlib.h>

#include <unistd.h>

#include "index/stopwords.h"
#include "recommend/bilingual_dictionary.h"
#include "recommend/query_understanding.h"

namespace cinerec {
namespace {

namespace fs = std::filesystem;
using Strings = std::vector<std::string>;

const Strings kCatalog = {
    "El pianista", "Un pianista judío sobrevive a la guerra en Varsovia. Drama histórico.",
    "El padrino",  "La familia Corleone y la mafia de Nueva York. Drama criminal.",
    "Tiburón",     "Un enorme tiburón aterroriza una playa. Terror y aventura.",
};

QueryUnderstandingOptions no_dictionary() {
  QueryUnderstandingOptions o;
  o.translate_english = false;
  return o;
}

bool contains_word(const std::string& text, const std::string& word) {
  return (" " + text + " ").find(" " + word + " ") != std::string::npos;
}

TEST(QueryUnderstanding, GenreAndMoodWordsGiveCanonicalTags) {
  QueryUnderstanding qu(kCatalog, no_dictionary());
  EXPECT_EQ(qu.understand("algo de miedo").genres, Strings{"Terror"});
  EXPECT_EQ(qu.understand("una de vaqueros").genres, Strings{"Western"});
  EXPECT_EQ(qu.understand("películas de mafiosos y de risa").genres, (Strings{"Crimen", "Comedia"}));
  EXPECT_EQ(qu.understand("dibujos animados").genres, Strings{"Animación"});
  EXPECT_EQ(qu.understand("CIENCIA FICCIÓN en el espacio").genres, Strings{"Ciencia ficción"});
  EXPECT_TRUE(qu.understand("un pianista judío").genres.empty());
  // A named war is a topic, not the war-film genre; a war in general is.
  EXPECT_TRUE(qu.understand("películas de la segunda guerra mundial").genres.empty());
  EXPECT_TRUE(qu.understand("Second World War films").genres.empty());
  EXPECT_EQ(qu.understand("películas de guerra").genres, Strings{"Bélico"});
  // The tag's own words join the lexical query, so "de miedo" can match descriptions saying "terror".
  EXPECT_TRUE(contains_word(qu.understand("algo de miedo").lexical_query, "terror"));
}

TEST(QueryUnderstanding, DecadesBecomeYearRangesAndLeaveTheLexicalQuery) {
  QueryUnderstanding qu(kCatalog, no_dictionary());
  struct Case {
    const char* prompt;
    int from, to;
  };
  for (auto c : {Case{"películas de los 80", 1980, 1989}, Case{"algo de los años 90", 1990, 1999},
                 Case{"cine de los ochenta", 1980, 1989}, Case{"una de los 2000", 2000, 2009},
                 Case{"comedias de los 1960s", 1960, 1969}, Case{"70s crime", 1970, 1979},
                 Case{"en blanco y negro", 1920, 1960}, Case{"cine mudo", 1910, 1936}}) {
    auto intent = qu.understand(c.prompt);
    ASSERT_TRUE(intent.years.has_value()) << c.prompt;
    EXPECT_EQ(intent.years->from, c.from) << c.prompt;
    EXPECT_EQ(intent.years->to, c.to) << c.prompt;
  }
  auto intent = qu.understand("de los años 80");
  EXPECT_FALSE(contains_word(intent.lexical_query, "80"));
  EXPECT_FALSE(contains_word(intent.lexical_query, "anos"));  // would match "12 años de esclavitud"
}

TEST(QueryUnderstanding, NumbersThatAreNotErasStayInTheQuery) {
  QueryUnderstanding qu(kCatalog, no_dictionary());
  for (const char* prompt : {"12 hombres sin piedad", "1917", "2001 odisea", "hace 80 años"}) {
    auto intent = qu.understand(prompt);
    EXPECT_FALSE(intent.years.has_value()) << prompt;
  }
  EXPECT_TRUE(contains_word(qu.understand("1917").lexical_query, "1917"));
}

TEST(QueryUnderstanding, MisspeltWordsAreCorrectedTowardsTheCatalog) {
  QueryUnderstanding qu(kCatalog, no_dictionary());
  auto intent = qu.understand("pelicula del pianizta");
  EXPECT_TRUE(contains_word(intent.lexical_query, "pianista")) << intent.lexical_query;
  EXPECT_FALSE(contains_word(intent.lexical_query, "pianizta"));
  EXPECT_TRUE(contains_word(qu.understand("el padrno").lexical_query, "padrino"));
  // Words the catalog knows (in any inflection) and short words are left alone.
  EXPECT_EQ(qu.understand("pianistas polacos").lexical_query, "pianistas polacos");
  EXPECT_EQ(qu.understand("mar").lexical_query, "mar");
  QueryUnderstandingOptions off = no_dictionary();
  off.correct_typos = false;
  EXPECT_EQ(QueryUnderstanding(kCatalog, off).understand("pianizta").lexical_query, "pianizta");
}

TEST(QueryUnderstanding, WordsOfTheLanguageAreNotTypos) {
  const Strings catalog = {"El jefe", "Un hombre lidera la familia Corleone. Drama criminal."};
  const fs::path list = fs::temp_directory_path() / ("cinerec_words_" + std::to_string(::getpid()));
  std::ofstream(list) << "libera\r\nLIBERTAD\ncomedia\n";
  QueryUnderstandingOptions with_list = no_dictionary();
  with_list.word_list = list.string();
  QueryUnderstanding qu(catalog, with_list);
  // "libera" is one edit from the catalog's "lidera" but a Spanish word: left alone.
  auto kept = qu.understand("alguien libera a su pueblo").lexical_query;
  EXPECT_TRUE(contains_word(kept, "libera")) << kept;
  EXPECT_FALSE(contains_word(kept, "lidera")) << kept;
  EXPECT_TRUE(qu.notices().empty());
  // Words the list lacks are still corrected.
  EXPECT_TRUE(contains_word(qu.understand("un hombre lidira").lexical_query, "lidera"));
  QueryUnderstandingOptions without = no_dictionary();
  without.word_list = (fs::temp_directory_path() / "cinerec-no-such-word-list").string();
  QueryUnderstanding bare(catalog, without);
  EXPECT_TRUE(contains_word(bare.understand("alguien libera a su pueblo").lexical_query, "lidera"));
  ASSERT_EQ(bare.notices().size(), 1u);
  EXPECT_NE(bare.notices()[0].find("wspanish"), std::string::npos);
  fs::remove(list);
}

TEST(QueryUnderstanding, AudiencePhrasesAskForFamilyFilmsAndLeaveTheLexicalQuery) {
  QueryUnderstanding qu(kCatalog, no_dictionary());
  auto intent = qu.understand("una comedia ligera para ver en familia");
  EXPECT_EQ(intent.genres, (Strings{"Familiar", "Animación", "Comedia"}));
  EXPECT_FALSE(contains_word(intent.lexical_query, "familia")) << intent.lexical_query;
  EXPECT_FALSE(contains_word(intent.lexical_query, "familiar")) << intent.lexical_query;
  EXPECT_FALSE(contains_word(intent.lexical_query, "ver")) << intent.lexical_query;
  EXPECT_EQ(qu.understand("algo para los niños").genres, (Strings{"Familiar", "Animación"}));
  EXPECT_EQ(qu.understand("a family movie").genres, (Strings{"Familiar", "Animación"}));
  EXPECT_EQ(qu.understand("una película familiar").genres, (Strings{"Familiar", "Animación"}));
  // A family in the plot is not an audience.
  auto plot = qu.understand("la familia Corleone");
  EXPECT_TRUE(plot.genres.empty());
  EXPECT_TRUE(contains_word(plot.lexical_query, "familia"));
  EXPECT_EQ(qu.understand("the Corleone crime family").genres, Strings{"Crimen"});
}

// A two-entry dictd database written the way dictfmt does: base64 offsets into a gzip file.
struct TinyDictionary {
  fs::path dir = fs::temp_directory_path() / ("cinerec_dict_" + std::to_string(::getpid()));
  fs::path index = dir / "d.index", data = dir / "d.dict.dz";
  TinyDictionary() {
    fs::create_directories(dir);
    std::string shark = "shark /ʃɑːk/\ntiburón\n";
    std::string love = "love /lʌv/\n1. amar, querer\n2. amor\n";
    std::string text = shark + love;
    gzFile f = gzopen(data.c_str(), "wb");
    gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
    gzclose(f);
    // offsets 0 and shark.size() (= 24 -> "Y"), lengths 24 ("Y") and 35 ("j")
    std::ofstream(index) << "00databaseshort\tA\tB\nlove\t" << b64(shark.size()) << "\t" << b64(love.size())
                         << "\nlove\tA\tB\nshark\tA\t" << b64(shark.size()) << "\n";
  }
  ~TinyDictionary() { fs::remove_all(dir); }
  static std::string b64(std::size_t v) {
    const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    do {
      out.insert(out.begin(), a[v % 64]);
      v /= 64;
    } while (v);
    return out;
  }
};

TEST(BilingualDictionary, ReadsDictdIndexAndCompressedData) {
  TinyDictionary tiny;
  auto dict = BilingualDictionary::load(tiny.index, tiny.data);
  ASSERT_TRUE(dict.ok()) << dict.error().message;
  EXPECT_EQ(dict->translate("shark"), Strings{"tiburón"});
  EXPECT_EQ(dict->translate("sharks"), Strings{"tiburón"});
  // First translation of each sense first; the first entry of a headword wins.
  EXPECT_EQ(dict->translate("love", 3), (Strings{"amar", "amor", "querer"}));
  EXPECT_TRUE(dict->translate("submarine").empty());
  EXPECT_FALSE(BilingualDictionary::load(tiny.dir / "missing.index", tiny.data).ok());
  auto bad = BilingualDictionary::parse("word\t!!\tB\n", "xx", "bad.index");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "bad.index:1: malformed dictd index line");
  EXPECT_FALSE(BilingualDictionary::parse("word\tA\tZ\n", "short", "x").ok());
}

TEST(QueryUnderstanding, EnglishPromptsAreTranslated) {
  TinyDictionary tiny;
  QueryUnderstandingOptions o;
  o.dictionary_index = tiny.index;
  o.dictionary_data = tiny.data;
  QueryUnderstanding qu(kCatalog, o);
  EXPECT_TRUE(qu.notices().empty());
  auto intent = qu.understand("a movie about a shark");
  EXPECT_TRUE(intent.english);
  EXPECT_TRUE(contains_word(intent.lexical_query, "tiburón")) << intent.lexical_query;
  EXPECT_FALSE(contains_word(intent.lexical_query, "about"));  // English stop words dropped
  auto spanish = qu.understand("una película de un tiburón");
  EXPECT_FALSE(spanish.english);
}

TEST(QueryUnderstanding, MissingDictionaryIsANoticeNotAFailure) {
  QueryUnderstandingOptions o;
  o.dictionary_index = "/nonexistent/x.index";
  QueryUnderstanding qu(kCatalog, o);
  ASSERT_EQ(qu.notices().size(), 1u);
  EXPECT_NE(qu.notices()[0].find("/nonexistent/x.index"), std::string::npos);
  EXPECT_TRUE(qu.understand("the shark").english);
}

TEST(QueryUnderstanding, RealFreedictDictionaryWhenInstalled) {
  if (!fs::exists("/usr/share/dictd/freedict-eng-spa.index")) GTEST_SKIP() << "dict-freedict-eng-spa not installed";
  QueryUnderstanding qu(kCatalog);
  EXPECT_TRUE(qu.notices().empty());
  auto intent = qu.understand("a war movie with sharks");
  EXPECT_TRUE(contains_word(intent.lexical_query, "guerra")) << intent.lexical_query;
  EXPECT_TRUE(contains_word(intent.lexical_query, "tiburón")) << intent.lexical_query;
  // No English stop word at all: the dictionary and the (Spanish) catalog vocabulary decide.
  EXPECT_TRUE(qu.understand("Second World War films").english);
  EXPECT_FALSE(qu.understand("tiburón pianista").english);
}

TEST(QueryUnderstanding, EnglishCatalogUsesEnglishAnalysisAndNoTranslation) {
  const Strings catalog = {"Jaws", "A great white shark terrorizes a beach town. Horror and adventure.",
                           "The Godfather", "The aging patriarch of a crime family. Crime drama."};
  QueryUnderstandingOptions o;
  o.language = "english";
  QueryUnderstanding qu(catalog, o);
  auto intent = qu.understand("a scary movie about sharks from the 70s");
  EXPECT_FALSE(intent.english);  // nothing to translate for an English catalog
  EXPECT_EQ(intent.genres, Strings{"Terror"});
  ASSERT_TRUE(intent.years.has_value());
  EXPECT_EQ(intent.years->from, 1970);
  EXPECT_TRUE(contains_word(intent.lexical_query, "sharks"));
  EXPECT_TRUE(contains_word(qu.understand("the godfathr").lexical_query, "godfather"));
}

TEST(DetectLanguage, CountsStopWords) {
  EXPECT_EQ(detect_language(kCatalog), "spanish");
  EXPECT_EQ(detect_language({"The aging patriarch of an organized crime dynasty transfers control to his son."}),
            "english");
  EXPECT_EQ(detect_language({}), "spanish");
}

TEST(IntentMatch, MeanOfGenreAndYearCues) {
  Movie m;
  m.genres = {"Drama", "Bélico"};
  m.year = 1998;
  QueryIntent none;
  EXPECT_EQ(intent_match(m, none), 0.0);
  QueryIntent genre;
  genre.genres = {"belico"};
  EXPECT_EQ(intent_match(m, genre), 1.0);
  QueryIntent both = genre;
  both.years = YearRange{1980, 1989};
  EXPECT_EQ(intent_match(m, both), 0.5);
  both.years = YearRange{1990, 1999};
  EXPECT_EQ(intent_match(m, both), 1.0);
  Movie no_year;
  no_year.genres = {"Comedia"};
  EXPECT_EQ(intent_match(no_year, both), 0.0);
}

}  // namespace
}  // namespace cinerec
