// Synonyms of single words, read from the thesauri Debian ships: the Spanish MyThes thesaurus
// (mythes-es: /usr/share/mythes/th_es_ES_v2.dat, "word|n" followed by n "(pos)|syn|syn…" lines, in
// the encoding its first line names) and the English WordNet 3.0 database (wordnet-base:
// /usr/share/wordnet/index.{noun,verb,adj,adv} + data.*). Query understanding uses them to add
// catalog words that mean what a prompt word means ("asustar" -> "aterrar"; "killer" -> "slayer").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"

namespace cinerec {

class Thesaurus {
 public:
  static constexpr const char* kSpanishMythes = "/usr/share/mythes/th_es_ES_v2.dat";
  static constexpr const char* kEnglishWordnet = "/usr/share/wordnet";

  // The thesaurus Debian has for a catalog language ("spanish": MyThes, "english": WordNet), or "" for
  // a language without one.
  static std::string default_path(const std::string& language);

  // A MyThes .dat file, or a WordNet directory (one holding index.noun). Errors name the file and, for
  // a malformed MyThes entry, the line.
  static Result<Thesaurus> load(const std::string& path);

  // MyThes text (already read; the encoding line first: UTF-8 or ISO8859-1 are converted).
  static Result<Thesaurus> parse_mythes(std::string_view text, std::string_view source);

  // WordNet files' text by part of speech, in the order senses are tried (noun, verb, adj, adv).
  struct WordnetPart {
    std::string index;  // index.<pos>
    std::string data;   // data.<pos>, addressed by the byte offsets index.<pos> gives
  };
  static Result<Thesaurus> parse_wordnet(std::vector<WordnetPart> parts, std::string_view source);

  // One-word synonyms of a lower-case, accent-folded word, from its first `senses` meanings (the
  // thesauri list the most common first), folded the same way, without the word itself, first
  // seen first. WordNet also tries the word's base forms: irregular ones from its exception lists
  // ("hid" -> "hide", which is then a synonym too), then its detachment rules ("hiding" -> "hide").
  // Empty when the word is unknown.
  std::vector<std::string> synonyms(std::string_view folded_word, std::size_t senses = 1) const;

 private:
  // MyThes: folded headword -> its meanings, each a list of folded one-word synonyms.
  std::unordered_map<std::string, std::vector<std::vector<std::string>>> meanings_;
  // WordNet: folded lemma -> (part, synset byte offset) of each sense, most frequent first.
  std::unordered_map<std::string, std::vector<std::pair<std::size_t, std::size_t>>> senses_;
  std::vector<WordnetPart> wordnet_;

  std::vector<std::vector<std::string>> wordnet_meanings(const std::string& lemma, std::size_t senses) const;
};

}  // namespace cinerec
