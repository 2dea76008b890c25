#include "recommend/query_understanding.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "common/text.h"
#include "index/lexical.h"
#include "index/stopwords.h"
#include "recommend/bilingual_dictionary.h"
#include "recommend/thesaurus.h"

namespace cinerec {

namespace {

// Genre and mood cues. `phrase` is matched on Snowball stems, so inflections match too ("miedo",
// "miedos"); `expansion` are the words the catalog's own descriptions use for the genre, added to the
// lexical query. Words that also name a film's plot (e.g. "historia", "familia") are left out on purpose.
struct GenreCue {
  std::string_view phrase;
  std::string_view genre;
};

constexpr GenreCue kGenreCues[] = {
    // Terror
    {"miedo", "Terror"}, {"terror", "Terror"}, {"terrorífica", "Terror"}, {"horror", "Terror"},
    {"susto", "Terror"}, {"escalofriante", "Terror"}, {"scary", "Terror"}, {"horror", "Terror"},
    {"terrifying", "Terror"},
    // Comedia
    {"risa", "Comedia"}, {"reír", "Comedia"}, {"reírme", "Comedia"}, {"comedia", "Comedia"},
    {"cómica", "Comedia"}, {"divertida", "Comedia"}, {"graciosa", "Comedia"}, {"humor", "Comedia"},
    {"chistosa", "Comedia"}, {"funny", "Comedia"}, {"comedy", "Comedia"}, {"hilarious", "Comedia"},
    {"laugh", "Comedia"}, {"ligera", "Comedia"}, {"liviana", "Comedia"}, {"desenfadada", "Comedia"},
    {"lighthearted", "Comedia"}, {"light hearted", "Comedia"}, {"feel good", "Comedia"},
    // Western
    {"vaqueros", "Western"}, {"oeste", "Western"}, {"western", "Western"}, {"cowboy", "Western"},
    {"cowboys", "Western"}, {"pistoleros", "Western"}, {"forajidos", "Western"},
    // Bélico
    {"guerra", "Bélico"}, {"bélica", "Bélico"}, {"soldados", "Bélico"}, {"war", "Bélico"},
    {"soldiers", "Bélico"},
    // Ciencia ficción
    {"ciencia ficción", "Ciencia ficción"}, {"sci fi", "Ciencia ficción"}, {"scifi", "Ciencia ficción"},
    {"futurista", "Ciencia ficción"}, {"espacial", "Ciencia ficción"}, {"extraterrestres", "Ciencia ficción"},
    {"alienígenas", "Ciencia ficción"}, {"robots", "Ciencia ficción"}, {"science fiction", "Ciencia ficción"},
    {"space", "Ciencia ficción"}, {"aliens", "Ciencia ficción"},
    // Romance
    {"romántica", "Romance"}, {"romance", "Romance"}, {"enamorarse", "Romance"}, {"love story", "Romance"},
    {"romantic", "Romance"},
    // Musical
    {"musical", "Musical"}, {"canciones", "Musical"}, {"musicals", "Musical"},
    // Animación
    {"animación", "Animación"}, {"animada", "Animación"}, {"dibujos animados", "Animación"},
    {"infantil", "Animación"}, {"animated", "Animación"}, {"cartoon", "Animación"},
    // Crimen
    {"mafia", "Crimen"}, {"mafiosos", "Crimen"}, {"gánster", "Crimen"}, {"gánsteres", "Crimen"},
    {"crimen", "Crimen"}, {"criminales", "Crimen"}, {"policíaca", "Crimen"}, {"policiaca", "Crimen"},
    {"gangster", "Crimen"}, {"gangsters", "Crimen"}, {"mob", "Crimen"}, {"crime", "Crimen"},
    // Suspenso
    {"suspenso", "Suspenso"}, {"suspense", "Suspenso"}, {"thriller", "Suspenso"}, {"intriga", "Suspenso"},
    // Fantasía
    {"fantasía", "Fantasía"}, {"fantasy", "Fantasía"}, {"magia", "Fantasía"}, {"magic", "Fantasía"},
    // Acción
    {"acción", "Acción"}, {"action", "Acción"}, {"explosiones", "Acción"}, {"adrenalina", "Acción"},
    // Aventura
    {"aventura", "Aventura"}, {"adventure", "Aventura"},
    // Histórico
    {"histórica", "Histórico"}, {"época", "Histórico"}, {"historical", "Histórico"},
    // Biográfico
    {"biografía", "Biográfico"}, {"biográfica", "Biográfico"}, {"biopic", "Biográfico"},
    {"hechos reales", "Biográfico"}, {"historia real", "Biográfico"}, {"vida real", "Biográfico"},
    {"true story", "Biográfico"}, {"biography", "Biográfico"},
    // Drama
    {"drama", "Drama"}, {"dramática", "Drama"}, {"triste", "Drama"}, {"llorar", "Drama"}, {"sad", "Drama"},
    // Superhéroes
    {"superhéroes", "Superhéroes"}, {"superhéroe", "Superhéroes"}, {"superhero", "Superhéroes"},
    {"superheroes", "Superhéroes"},
    // Misterio
    {"misterio", "Misterio"}, {"mystery", "Misterio"},
    // Familiar: not here but in audience_phrases(), because "familiar" stems like "familia", which
    // names a film's plot far more often ("la familia Corleone") than its audience.
};

// Named historical topics that contain a genre word: "películas de la segunda guerra mundial" asks
// for that war, not for war films in general (which would also boost films of other wars), so the
// words of these phrases are never genre cues; the lexical match on the phrase does the work.
constexpr std::string_view kTopicPhrases[] = {
    "guerra mundial", "guerra civil", "guerra fría", "world war", "civil war", "cold war",
};

// The words the catalog's descriptions use for each tag, appended to the lexical query.
std::string_view expansion_of(std::string_view genre) {
  static const std::unordered_map<std::string_view, std::string_view> words = {
      {"Terror", "terror"},         {"Comedia", "comedia"},       {"Western", "western"},
      {"Bélico", "guerra bélico"},  {"Ciencia ficción", "ciencia ficción"},
      {"Romance", "romance romántico"}, {"Musical", "musical"}, {"Animación", "animación"},
      {"Crimen", "crimen criminal"}, {"Suspenso", "suspenso thriller"}, {"Fantasía", "fantasía"},
      {"Acción", "acción"},          {"Aventura", "aventuras"},    {"Histórico", "histórico"},
      {"Biográfico", "biográfico real"}, {"Drama", "drama"},    {"Superhéroes", "superhéroes"},
      {"Misterio", "misterio"},
      // No words for Familiar: "familiar" stems like "familia", which finds family plots, not family films.
  };
  auto it = words.find(genre);
  return it == words.end() ? std::string_view() : it->second;
}

bool all_digits(std::string_view w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "80", "80s", "1980", "1980s", "ochenta", "eighties" -> 1980. `bare_number` says whether the word
// was a number without the plural "s", which needs a context word ("los 80") to mean a decade.
std::optional<int> decade_of(const std::string& w, bool& bare_number) {
  static const std::unordered_map<std::string, int> words = {
      {"veinte", 1920},   {"treinta", 1930},   {"cuarenta", 1940}, {"cincuenta", 1950},
      {"sesenta", 1960},  {"setenta", 1970},   {"ochenta", 1980},  {"noventa", 1990},
      {"twenties", 1920}, {"thirties", 1930},  {"forties", 1940},  {"fifties", 1950},
      {"sixties", 1960},  {"seventies", 1970}, {"eighties", 1980}, {"nineties", 1990},
  };
  bare_number = false;
  if (auto it = words.find(w); it != words.end()) return it->second;
  std::string digits = w;
  bool plural = !digits.empty() && digits.back() == 's';
  if (plural) digits.pop_back();
  if (!all_digits(digits)) return std::nullopt;
  int value = std::stoi(digits.size() > 6 ? digits.substr(0, 6) : digits);
  bare_number = !plural;
  if (digits.size() == 2 && value % 10 == 0) return value >= 20 ? 1900 + value : 2000 + value;
  if (digits.size() == 4 && value % 10 == 0 && value >= 1900 && value <= 2090) return value;
  return std::nullopt;
}

struct EraPhrase {
  std::vector<std::string_view> words;  // folded words in sequence
  int from, to;
  const char* label;
};

const std::vector<EraPhrase>& era_phrases() {
  static const std::vector<EraPhrase> phrases = {
      {{"blanco", "y", "negro"}, 1920, 1960, "black and white"},
      {{"black", "and", "white"}, 1920, 1960, "black and white"},
      {{"cine", "mudo"}, 1910, 1936, "silent film"},
      {{"silent", "film"}, 1910, 1936, "silent film"},
      {{"silent", "movie"}, 1910, 1936, "silent film"},
  };
  return phrases;
}

// Who a film is for: "para ver en familia", "para niños", "a family movie". Matched on folded words; the
// words are dropped from the lexical query ("familia" alone finds the Corleone family) and ask for the
// tags of films made for every age.
const std::vector<std::vector<std::string_view>>& audience_phrases() {
  static const std::vector<std::vector<std::string_view>> phrases = {
      {"ver", "en", "familia"}, {"en", "familia"}, {"toda", "la", "familia"}, {"para", "la", "familia"},
      {"para", "ninos"}, {"para", "los", "ninos"}, {"con", "ninos"}, {"con", "los", "ninos"},
      {"para", "chicos"}, {"familiar"}, {"familiares"}, {"family", "movie"}, {"family", "movies"},
      {"family", "film"}, {"family", "friendly"}, {"for", "the", "family"}, {"whole", "family"},
      {"for", "kids"}, {"with", "the", "kids"}, {"with", "kids"}, {"for", "children"},
  };
  return phrases;
}
constexpr std::string_view kAudienceGenres[] = {"Familiar", "Animación"};

}  // namespace

struct QueryUnderstanding::Impl {
  QueryUnderstandingOptions options;
  mutable std::mutex mutex;  // guards analyzer: Snowball stemmers are not thread-safe
  Analyzer analyzer;  // the catalog's language
  struct Cue {
    std::vector<std::string> stems;
    std::string genre;
  };
  std::vector<Cue> cues;
  std::vector<std::vector<std::string>> topics;  // stems of kTopicPhrases
  std::unordered_set<std::string> cue_stems;
  std::unordered_set<std::string> index_stems;                 // stems of every catalog word
  std::unordered_set<std::string> vocabulary;                  // every folded catalog word
  std::vector<std::vector<std::pair<std::string, std::uint32_t>>> vocab_by_length;  // folded words
  std::unordered_set<std::string> es_stop, en_stop;  // es_stop: the catalog language's stop words
  std::optional<BilingualDictionary> dictionary;
  std::vector<std::string> notices;
  // Folded words of the language's word list (options.word_list), read on the first prompt with an
  // unknown word; nullopt until then or when there is no list. Guarded by `mutex`.
  mutable std::optional<std::unordered_set<std::string>> language_words;
  mutable bool language_words_read = false;
  // The thesaurus (options.thesaurus), read on the first prompt when synonyms are on; nullopt until
  // then or when it could not be read (thesaurus_error says why). Guarded by `mutex`.
  mutable std::optional<Thesaurus> thesaurus;
  mutable bool thesaurus_read = false;
  mutable std::string thesaurus_error;

  const Thesaurus* thesaurus_locked() const {
    if (!thesaurus_read) {
      thesaurus_read = true;
      auto loaded = Thesaurus::load(options.thesaurus);
      if (loaded.ok()) thesaurus = std::move(loaded).value();
      else thesaurus_error = "no synonyms: " + loaded.error().message;
    }
    return thesaurus ? &*thesaurus : nullptr;
  }

  // Catalog words among the thesaurus synonyms of `w` (folded), at most options.synonyms_per_word,
  // skipping stop words and words whose stem is already in `taken` (which they are added to).
  std::vector<std::string> catalog_synonyms(const Thesaurus& t, const std::string& w,
                                            std::unordered_set<std::string>& taken) const {
    std::vector<std::string> out;
    for (auto& syn : t.synonyms(w, options.synonym_senses)) {
      if (out.size() == options.synonyms_per_word) break;
      if (!vocabulary.count(syn) || es_stop.count(syn)) continue;
      auto s = stem_locked(syn);
      if (s.empty() || !taken.insert(s).second) continue;
      out.push_back(std::move(syn));
    }
    return out;
  }

  // Whether `w` (folded) is a word of the language although the catalog lacks it: such a word is
  // not a typo ("ligera" must not become "lidera").
  bool is_language_word(const std::string& w) const {
    if (!language_words_read) {
      language_words_read = true;
      std::ifstream in(options.word_list);
      if (in) {
        language_words.emplace();
        for (std::string line; std::getline(in, line);) {
          if (!line.empty() && line.back() == '\r') line.pop_back();
          if (!line.empty()) language_words->insert(fold_for_search(line));
        }
      }
    }
    return language_words && language_words->count(w) > 0;
  }

  std::string stem_locked(const std::string& folded_word) const {
    auto t = analyzer.terms(folded_word);
    return t.empty() ? std::string() : t.front();
  }

  // Votes word by word: stop words vote for their language; other words vote Spanish when the
  // (Spanish) catalog uses them, English when only the English dictionary knows them. Ties are Spanish.
  bool looks_english(const std::vector<std::string>& words) const {
    std::size_t en = 0, es = 0;
    for (const auto& w : words) {
      const bool en_stopword = en_stop.count(w) > 0, es_stopword = es_stop.count(w) > 0;
      en += en_stopword;
      es += es_stopword;
      if (en_stopword || es_stopword || all_digits(w)) continue;
      if (vocabulary.count(w)) ++es;
      else if (dictionary && !dictionary->translate(w).empty()) ++en;
    }
    return en > es;
  }

  // Catalog words that start with `stem` (at least kMinDerivedStem letters), the 3 most frequent:
  // words derived from the same root ("bateri" -> "baterista").
  std::vector<std::string> derived_words(const std::string& stem) const {
    constexpr std::size_t kMinDerivedStem = 5;
    std::vector<std::pair<std::uint32_t, std::string>> found;
    if (stem.size() < kMinDerivedStem) return {};
    for (std::size_t l = stem.size() + 1; l < vocab_by_length.size(); ++l)
      for (const auto& [cand, count] : vocab_by_length[l])
        if (cand.compare(0, stem.size(), stem) == 0) found.emplace_back(count, cand);
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::vector<std::string> out;
    for (std::size_t i = 0; i < found.size() && i < 3; ++i) out.push_back(found[i].second);
    return out;
  }

  // The closest catalog word to `w` within 1 edit (2 for words of 6+ letters); ties go to the more
  // frequent word, then the alphabetically first.
  std::optional<std::string> correct(const std::string& w) const {
    const std::size_t len = w.size();
    const std::size_t max_dist = len >= 6 ? 2 : 1;
    std::optional<std::string> best;
    std::size_t best_dist = max_dist + 1;
    std::uint32_t best_count = 0;
    for (std::size_t l = len > max_dist ? len - max_dist : 0; l <= len + max_dist && l < vocab_by_length.size(); ++l) {
      for (const auto& [cand, count] : vocab_by_length[l]) {
        auto d = edit_distance(w, cand);
        if (d > max_dist) continue;
        if (d < best_dist || (d == best_dist && (count > best_count || (count == best_count && cand < *best)))) {
          best = cand;
          best_dist = d;
          best_count = count;
        }
      }
    }
    return best;
  }
};

QueryUnderstanding::QueryUnderstanding(const std::vector<std::string>& catalog_texts, QueryUnderstandingOptions options)
    : impl_(std::make_unique<Impl>()) {
  auto& m = *impl_;
  m.options = std::move(options);
  m.analyzer = Analyzer(m.options.language);
  // Translation is only for a Spanish catalog; an English catalog reads English prompts as they are.
  if (m.options.language != "spanish") m.options.translate_english = false;
  for (auto w : snowball_stopwords(m.options.language)) m.es_stop.insert(fold_for_search(w));
  for (auto w : snowball_stopwords("english")) m.en_stop.insert(fold_for_search(w));
  for (const auto& cue : kGenreCues) {
    Impl::Cue c{m.analyzer.terms(cue.phrase), std::string(cue.genre)};
    if (c.stems.empty()) continue;
    for (const auto& s : c.stems) m.cue_stems.insert(s);
    m.cues.push_back(std::move(c));
  }
  for (auto phrase : kTopicPhrases) m.topics.push_back(m.analyzer.terms(phrase));
  std::unordered_map<std::string, std::uint32_t> counts;
  for (const auto& text : catalog_texts) {
    for (auto& w : split_words(fold_for_search(text))) {
      if (m.es_stop.count(w)) continue;
      ++counts[w];
    }
  }
  for (auto& [w, count] : counts) {
    if (all_digits(w)) continue;
    m.vocabulary.insert(w);
    auto s = m.stem_locked(w);
    if (!s.empty()) m.index_stems.insert(s);
    if (w.size() >= m.vocab_by_length.size()) m.vocab_by_length.resize(w.size() + 1);
    m.vocab_by_length[w.size()].emplace_back(w, count);
  }
  for (auto& bucket : m.vocab_by_length) std::sort(bucket.begin(), bucket.end());
  if (m.options.language == "spanish" && m.options.correct_typos && !m.options.word_list.empty() &&
      !std::filesystem::exists(m.options.word_list)) {
    m.notices.push_back("typo correction may change real words the catalog lacks: no word list " +
                        m.options.word_list + " (install wspanish)");
  }
  if (m.options.synonyms) {
    if (m.options.thesaurus.empty()) m.options.thesaurus = Thesaurus::default_path(m.options.language);
    if (m.options.thesaurus.empty()) {
      m.options.synonyms = false;
    } else if (!std::filesystem::exists(m.options.thesaurus)) {
      m.options.synonyms = false;
      m.notices.push_back("no synonyms: no thesaurus " + m.options.thesaurus + " (install " +
                          (m.options.language == "spanish" ? "mythes-es" : "wordnet-base") + ")");
    }
  }
  if (m.options.translate_english) {
    auto dict = BilingualDictionary::load(m.options.dictionary_index, m.options.dictionary_data);
    if (dict.ok()) {
      m.dictionary = std::move(dict.value());
    } else {
      m.notices.push_back("English prompts are not translated: " + dict.error().message +
                          " (install dict-freedict-eng-spa)");
    }
  }
}

QueryUnderstanding::~QueryUnderstanding() = default;
QueryUnderstanding::QueryUnderstanding(QueryUnderstanding&&) noexcept = default;
QueryUnderstanding& QueryUnderstanding::operator=(QueryUnderstanding&&) noexcept = default;

const std::vector<std::string>& QueryUnderstanding::notices() const { return impl_->notices; }

QueryIntent QueryUnderstanding::understand(std::string_view prompt) const {
  const auto& m = *impl_;
  std::lock_guard<std::mutex> lock(m.mutex);
  QueryIntent intent;
  intent.prompt = std::string(prompt);
  const auto words = split_words(fold_for_search(prompt));
  const std::size_t n = words.size();
  intent.english = m.options.translate_english && m.looks_english(words);
  std::vector<bool> consumed(n, false);  // era words: dropped from the lexical query

  auto set_years = [&](int from, int to, const std::string& said) {
    if (intent.years) return;  // the first era cue wins
    intent.years = YearRange{from, to};
    intent.notes.push_back("'" + said + "' -> years " + std::to_string(from) + "-" + std::to_string(to));
  };

  if (m.options.era_cues) {
    static const std::unordered_set<std::string> context = {"los", "las", "anos", "decada", "the", "de", "del", "in", "from", "early", "late"};
    for (std::size_t i = 0; i < n; ++i) {
      bool bare = false;
      auto decade = decade_of(words[i], bare);
      if (!decade) continue;
      if (bare && !(i > 0 && context.count(words[i - 1]))) continue;
      consumed[i] = true;
      std::string said = words[i];
      if (i > 0 && (words[i - 1] == "anos" || words[i - 1] == "decada")) {
        consumed[i - 1] = true;
        said = words[i - 1] + " " + said;
      }
      if (i + 1 < n && (words[i + 1] == "anos" || words[i + 1] == "years")) consumed[i + 1] = true;
      set_years(*decade, *decade + 9, said);
    }
    for (const auto& phrase : era_phrases()) {
      for (std::size_t i = 0; i + phrase.words.size() <= n; ++i) {
        bool match = true;
        for (std::size_t j = 0; j < phrase.words.size() && match; ++j) match = words[i + j] == phrase.words[j];
        if (match) set_years(phrase.from, phrase.to, phrase.label);
      }
    }
  }

  if (m.options.genre_cues) {
    for (const auto& phrase : audience_phrases()) {
      for (std::size_t i = 0; i + phrase.size() <= n; ++i) {
        bool match = true;
        for (std::size_t j = 0; j < phrase.size() && match; ++j) match = !consumed[i + j] && words[i + j] == phrase[j];
        if (!match) continue;
        std::string said;
        for (std::size_t j = 0; j < phrase.size(); ++j) {
          consumed[i + j] = true;
          said += (j ? " " : "") + words[i + j];
        }
        std::string tags;
        for (auto genre : kAudienceGenres) {
          if (std::find(intent.genres.begin(), intent.genres.end(), genre) != intent.genres.end()) continue;
          intent.genres.emplace_back(genre);
          tags += (tags.empty() ? "" : ", ") + std::string(genre);
        }
        if (!tags.empty()) intent.notes.push_back("'" + said + "' -> genre " + tags);
      }
    }
  }

  // Stems of the prompt's content words, with the word each came from, for cue matching.
  std::vector<std::pair<std::size_t, std::string>> stems;
  for (std::size_t i = 0; i < n; ++i) {
    if (consumed[i]) continue;
    auto s = m.stem_locked(words[i]);
    if (!s.empty()) stems.emplace_back(i, s);
  }
  std::vector<bool> cue_word(n, false);
  if (m.options.genre_cues) {
    std::vector<bool> in_topic(stems.size(), false);
    for (const auto& topic : m.topics) {
      for (std::size_t i = 0; i + topic.size() <= stems.size(); ++i) {
        bool match = !topic.empty();
        for (std::size_t j = 0; j < topic.size() && match; ++j) match = stems[i + j].second == topic[j];
        if (match)
          for (std::size_t j = 0; j < topic.size(); ++j) in_topic[i + j] = true;
      }
    }
    for (std::size_t i = 0; i < stems.size(); ++i) {
      if (in_topic[i]) continue;
      for (const auto& cue : m.cues) {
        if (i + cue.stems.size() > stems.size()) continue;
        bool match = true;
        for (std::size_t j = 0; j < cue.stems.size() && match; ++j) match = stems[i + j].second == cue.stems[j];
        if (!match) continue;
        std::string said;
        for (std::size_t j = 0; j < cue.stems.size(); ++j) {
          cue_word[stems[i + j].first] = true;
          said += (j ? " " : "") + words[stems[i + j].first];
        }
        if (std::find(intent.genres.begin(), intent.genres.end(), cue.genre) == intent.genres.end()) {
          intent.genres.push_back(cue.genre);
          intent.notes.push_back("'" + said + "' -> genre " + cue.genre);
        }
      }
    }
  }

  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    if (consumed[i]) continue;
    const auto& w = words[i];
    if (intent.english) {
      if (m.en_stop.count(w)) continue;
      out.push_back(w);
      if (m.dictionary && !cue_word[i]) {
        auto translations = m.dictionary->translate(w);
        if (!translations.empty()) {
          std::string joined;
          for (const auto& t : translations) {
            out.push_back(t);
            joined += (joined.empty() ? "" : ", ") + t;
          }
          intent.notes.push_back("'" + w + "' -> " + joined);
        }
      }
      continue;
    }
    if (m.options.correct_typos && !cue_word[i] && w.size() >= 4 && !all_digits(w) && !m.es_stop.count(w)) {
      auto s = m.stem_locked(w);
      if (!s.empty() && !m.index_stems.count(s)) {
        if (m.options.language == "spanish" && m.is_language_word(w)) {
          // A real word the catalog lacks is no typo, but the catalog may use a word derived from it
          // ("batería" -> "baterista"): those join the query beside it.
          auto derived = m.derived_words(s);
          out.push_back(w);
          if (!derived.empty()) {
            std::string joined;
            for (auto& d : derived) joined += (joined.empty() ? "" : ", ") + d, out.push_back(std::move(d));
            intent.notes.push_back("'" + w + "' -> " + joined);
          }
          continue;
        }
        if (auto fixed = m.correct(w); fixed && *fixed != w) {
          intent.notes.push_back("'" + w + "' -> '" + *fixed + "'");
          out.push_back(*fixed);
          continue;
        }
      }
    }
    out.push_back(w);
  }
  for (const auto& g : intent.genres) {
    auto e = expansion_of(g);
    if (!e.empty()) out.emplace_back(e);
  }
  for (const auto& w : out) intent.lexical_query += (intent.lexical_query.empty() ? "" : " ") + w;
  if (m.options.synonyms) {
    if (const Thesaurus* t = m.thesaurus_locked()) {
      std::unordered_set<std::string> taken;
      for (const auto& w : out) taken.insert(m.stem_locked(w));
      for (const auto& w : out) {
        if (w.size() < 3 || all_digits(w) || m.es_stop.count(w)) continue;
        auto found = m.catalog_synonyms(*t, w, taken);
        if (found.empty()) continue;
        std::string joined;
        for (const auto& syn : found) {
          intent.expansion_query += (intent.expansion_query.empty() ? "" : " ") + syn;
          joined += (joined.empty() ? "" : ", ") + syn;
        }
        intent.notes.push_back("'" + w + "' ~ " + joined);
      }
    } else {
      intent.notes.push_back(m.thesaurus_error);
    }
  }
  return intent;
}

// fold_for_search of a genre name, remembered per thread: a catalog has a few dozen distinct genres,
// and intent_match runs for every movie when a prompt names one (folding each time cost 0.6 us a
// movie: 60 ms a prompt on 100,000 movies).
static std::string folded_genre(const std::string& genre) {
  thread_local std::unordered_map<std::string, std::string> memo;
  auto it = memo.find(genre);
  if (it != memo.end()) return it->second;
  if (memo.size() >= 4096) memo.clear();  // free-text genres: keep the memo bounded
  return memo.emplace(genre, fold_for_search(genre)).first->second;
}

double intent_match(const Movie& movie, const QueryIntent& intent) {
  double sum = 0.0;
  int parts = 0;
  if (!intent.genres.empty()) {
    ++parts;
    for (const auto& g : movie.genres) {
      const std::string fg = folded_genre(g);
      if (std::any_of(intent.genres.begin(), intent.genres.end(),
                      [&](const std::string& want) { return folded_genre(want) == fg; })) {
        sum += 1.0;
        break;
      }
    }
  }
  if (intent.years) {
    ++parts;
    if (movie.year && *movie.year >= intent.years->from && *movie.year <= intent.years->to) sum += 1.0;
  }
  return parts ? sum / parts : 0.0;
}

}  // namespace cinerec
