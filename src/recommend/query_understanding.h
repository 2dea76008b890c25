// Query understanding, offline: reads a free-text prompt for the things people ask for without naming a
// film: genre and mood words ("de miedo", "cowboys") -> canonical genre tags, era words ("de los 80",
// "from the 90s", "en blanco y negro") -> a year range, English words -> Spanish (bilingual dictionary),
// misspelt words -> the closest catalog word, and (optionally) synonyms from a thesaurus. The result is meant as *boosts* and a rewritten lexical
// query, never as hard filters: a prompt about a known film keeps working when a cue is misread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/movie.h"

namespace cinerec {

struct YearRange {
  int from = 0;  // inclusive
  int to = 0;    // inclusive
};

struct QueryIntent {
  std::string prompt;                // as given
  std::string lexical_query;         // for BM25: era words removed, typos fixed, English words followed
                                     // by their Spanish translations, genre cues followed by their tag
  std::vector<std::string> genres;   // canonical tags the prompt asks for, in order of first mention
  std::optional<YearRange> years;    // the era the prompt asks for
  std::string expansion_query;       // synonyms of the query's words that the catalog uses (thesaurus),
                                     // for a weighted BM25 expansion; empty without synonyms
  bool english = false;              // the prompt was read as English
  std::vector<std::string> notes;    // what was understood, one line each, for --explain
};

struct QueryUnderstandingOptions {
  // The catalog's language ("spanish" or "english", see detect_language): its stemmer and stop words
  // are used, and only a Spanish catalog translates English prompts.
  std::string language = "spanish";
  bool genre_cues = true;
  bool era_cues = true;
  bool translate_english = true;
  bool correct_typos = true;
  std::string dictionary_index = "/usr/share/dictd/freedict-eng-spa.index";
  std::string dictionary_data = "/usr/share/dictd/freedict-eng-spa.dict.dz";
  // Words of the (Spanish) language, one per line (Debian's wspanish): a word listed there is never
  // "corrected" towards a catalog word. Missing -> a notice, and every unknown word may be corrected.
  std::string word_list = "/usr/share/dict/spanish";
  // Synonyms of the prompt's words from a thesaurus (recommend/thesaurus.h) that the catalog uses go to
  // QueryIntent::expansion_query. `thesaurus` empty: Debian's for the language (mythes-es, WordNet).
  // Missing -> a notice, and no synonyms.
  bool synonyms = false;
  std::string thesaurus;
  std::size_t synonym_senses = 1;       // meanings of a word whose synonyms are taken, most common first
  std::size_t synonyms_per_word = 3;
};

class QueryUnderstanding {
 public:
  // `catalog_texts` are all titles, descriptions and genre strings of the catalog: typos are corrected
  // towards their words, and a word the catalog knows is never "corrected". A missing or unreadable
  // dictionary is not an error: English translation is then off and notices() says why.
  explicit QueryUnderstanding(const std::vector<std::string>& catalog_texts,
                              QueryUnderstandingOptions options = {});
  ~QueryUnderstanding();
  QueryUnderstanding(QueryUnderstanding&&) noexcept;
  QueryUnderstanding& operator=(QueryUnderstanding&&) noexcept;

  // Safe to call from several threads at once.
  QueryIntent understand(std::string_view prompt) const;

  // Resources that could not be loaded, one line each.
  const std::vector<std::string>& notices() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// How well a movie fits the intent's genre and era cues, in [0, 1]: the mean over the cues the intent
// has of 1 (the movie has one of the genres / its year is in the range) or 0; 0 when the intent has no
// cue. Genres compare ignoring case and accents.
double intent_match(const Movie& movie, const QueryIntent& intent);

}  // namespace cinerec
