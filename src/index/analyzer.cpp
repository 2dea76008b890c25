// The Analyzer declared in index/lexical.h: fold, split, drop stop words, Snowball stem.
#include <libstemmer.h>

#include <stdexcept>
#include <string>
#include <unordered_set>

#include "common/text.h"
#include "index/lexical.h"
#include "index/stopwords.h"

namespace cinerec {

namespace {

bool ends_with(const std::string& word, std::string_view suffix) {
  return word.size() >= suffix.size() && word.compare(word.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

struct Analyzer::Impl {
  sb_stemmer* stemmer = nullptr;
  bool spanish = false;
  std::unordered_set<std::string> stopwords;  // folded, so "él" and "el" are both caught

  ~Impl() {
    if (stemmer) sb_stemmer_delete(stemmer);
  }

  // Spanish Snowball expects written accents, but the analyzer stems folded words. Folding is harmless
  // for almost every suffix rule except the singular "-ción"/"-sión": "revolucion" would keep its whole
  // ending while "revoluciones" (never accented) stems to "revolu". Every Spanish noun ending in
  // -cion/-sion carries the accent in the singular, so putting it back is exact and makes both forms meet.
  std::string restore_spanish_accent(std::string word) const {
    if (word.size() > 5 && (ends_with(word, "cion") || ends_with(word, "sion"))) {
      word.replace(word.size() - 2, 2, "\xC3\xB3n");  // "ón"
    }
    return word;
  }

  std::string stem(const std::string& word) const {
    std::string input = spanish ? restore_spanish_accent(word) : word;
    const sb_symbol* out =
        sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(input.data()), static_cast<int>(input.size()));
    if (out == nullptr) return word;  // out of memory inside libstemmer: the unstemmed word still matches itself
    std::string stemmed(reinterpret_cast<const char*>(out), static_cast<std::size_t>(sb_stemmer_length(stemmer)));
    // The stemmer may leave the accent restored above in place ("cancion" -> "canción" -> "cancion" is
    // fine, but a rule may keep "ón"); fold again so index terms never contain accents.
    return spanish ? fold_for_search(stemmed) : stemmed;
  }
};

// Guarantees: a usable analyzer for every language libstemmer knows; throws std::invalid_argument for
// any other name, because the language is chosen by code, not by user input.
Analyzer::Analyzer(const std::string& language) : impl_(std::make_unique<Impl>()) {
  impl_->stemmer = sb_stemmer_new(language.c_str(), "UTF_8");
  if (impl_->stemmer == nullptr) {
    throw std::invalid_argument("Analyzer: libstemmer has no stemmer for language '" + language + "'");
  }
  impl_->spanish = language == "spanish" || language == "es" || language == "spa";
  bool english = language == "english" || language == "en" || language == "eng";
  std::string_view list = impl_->spanish ? "spanish" : english ? "english" : std::string_view(language);
  for (std::string_view w : snowball_stopwords(list)) {
    impl_->stopwords.insert(fold_for_search(w));
  }
}

Analyzer::~Analyzer() = default;
Analyzer::Analyzer(Analyzer&&) noexcept = default;
Analyzer& Analyzer::operator=(Analyzer&&) noexcept = default;

// Guarantees: terms in text order, duplicates kept (term frequency matters), never an empty term,
// never a stop word, no accents and no upper case.
std::vector<std::string> Analyzer::terms(std::string_view text) const {
  std::vector<std::string> out;
  for (auto& word : split_words(fold_for_search(text))) {
    if (impl_->stopwords.count(word)) continue;
    auto stemmed = impl_->stem(word);
    if (!stemmed.empty()) out.push_back(std::move(stemmed));
  }
  return out;
}

}  // namespace cinerec
