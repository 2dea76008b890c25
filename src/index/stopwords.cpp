// Stop word lists of the Snowball project (https://snowballstem.org/algorithms/spanish/stop.txt and
// .../english/stop.txt), BSD-licensed, Copyright (c) 2001 Dr Martin Porter and Richard Boulton. These
// are the lists PostgreSQL ships as tsearch_data/{spanish,english}.stop; the text is copied verbatim,
// including Snowball's own spelling "vosostros" / "vosostras", so a test can compare it with that file.
#include "index/stopwords.h"

#include <array>
#include <unordered_set>

#include "common/text.h"

namespace cinerec {

namespace {

constexpr std::array<std::string_view, 313> kSpanish = {
    "de", "la", "que", "el", "en", "y", "a", "los", "del", "se", "las", "por", "un", "para", "con",
    "no", "una", "su", "al", "lo", "como", "más", "pero", "sus", "le", "ya", "o", "este", "sí",
    "porque", "esta", "entre", "cuando", "muy", "sin", "sobre", "también", "me", "hasta", "hay",
    "donde", "quien", "desde", "todo", "nos", "durante", "todos", "uno", "les", "ni", "contra",
    "otros", "ese", "eso", "ante", "ellos", "e", "esto", "mí", "antes", "algunos", "qué", "unos", "yo",
    "otro", "otras", "otra", "él", "tanto", "esa", "estos", "mucho", "quienes", "nada", "muchos",
    "cual", "poco", "ella", "estar", "estas", "algunas", "algo", "nosotros", "mi", "mis", "tú", "te",
    "ti", "tu", "tus", "ellas", "nosotras", "vosostros", "vosostras", "os", "mío", "mía", "míos",
    "mías", "tuyo", "tuya", "tuyos", "tuyas", "suyo", "suya", "suyos", "suyas", "nuestro", "nuestra",
    "nuestros", "nuestras", "vuestro", "vuestra", "vuestros", "vuestras", "esos", "esas", "estoy",
    "estás", "está", "estamos", "estáis", "están", "esté", "estés", "estemos", "estéis", "estén",
    "estaré", "estarás", "estará", "estaremos", "estaréis", "estarán", "estaría", "estarías",
    "estaríamos", "estaríais", "estarían", "estaba", "estabas", "estábamos", "estabais", "estaban",
    "estuve", "estuviste", "estuvo", "estuvimos", "estuvisteis", "estuvieron", "estuviera",
    "estuvieras", "estuviéramos", "estuvierais", "estuvieran", "estuviese", "estuvieses",
    "estuviésemos", "estuvieseis", "estuviesen", "estando", "estado", "estada", "estados", "estadas",
    "estad", "he", "has", "ha", "hemos", "habéis", "han", "haya", "hayas", "hayamos", "hayáis",
    "hayan", "habré", "habrás", "habrá", "habremos", "habréis", "habrán", "habría", "habrías",
    "habríamos", "habríais", "habrían", "había", "habías", "habíamos", "habíais", "habían", "hube",
    "hubiste", "hubo", "hubimos", "hubisteis", "hubieron", "hubiera", "hubieras", "hubiéramos",
    "hubierais", "hubieran", "hubiese", "hubieses", "hubiésemos", "hubieseis", "hubiesen", "habiendo",
    "habido", "habida", "habidos", "habidas", "soy", "eres", "es", "somos", "sois", "son", "sea",
    "seas", "seamos", "seáis", "sean", "seré", "serás", "será", "seremos", "seréis", "serán", "sería",
    "serías", "seríamos", "seríais", "serían", "era", "eras", "éramos", "erais", "eran", "fui",
    "fuiste", "fue", "fuimos", "fuisteis", "fueron", "fuera", "fueras", "fuéramos", "fuerais",
    "fueran", "fuese", "fueses", "fuésemos", "fueseis", "fuesen", "sintiendo", "sentido", "sentida",
    "sentidos", "sentidas", "siente", "sentid", "tengo", "tienes", "tiene", "tenemos", "tenéis",
    "tienen", "tenga", "tengas", "tengamos", "tengáis", "tengan", "tendré", "tendrás", "tendrá",
    "tendremos", "tendréis", "tendrán", "tendría", "tendrías", "tendríamos", "tendríais", "tendrían",
    "tenía", "tenías", "teníamos", "teníais", "tenían", "tuve", "tuviste", "tuvo", "tuvimos",
    "tuvisteis", "tuvieron", "tuviera", "tuvieras", "tuviéramos", "tuvierais", "tuvieran", "tuviese",
    "tuvieses", "tuviésemos", "tuvieseis", "tuviesen", "teniendo", "tenido", "tenida", "tenidos",
    "tenidas", "tened",
};

constexpr std::array<std::string_view, 127> kEnglish = {
    "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours", "yourself",
    "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its",
    "itself", "they", "them", "their", "theirs", "themselves", "what", "which", "who", "whom", "this",
    "that", "these", "those", "am", "is", "are", "was", "were", "be", "been", "being", "have", "has",
    "had", "having", "do", "does", "did", "doing", "a", "an", "the", "and", "but", "if", "or",
    "because", "as", "until", "while", "of", "at", "by", "for", "with", "about", "against", "between",
    "into", "through", "during", "before", "after", "above", "below", "to", "from", "up", "down", "in",
    "out", "on", "off", "over", "under", "again", "further", "then", "once", "here", "there", "when",
    "where", "why", "how", "all", "any", "both", "each", "few", "more", "most", "other", "some",
    "such", "no", "nor", "not", "only", "own", "same", "so", "than", "too", "very", "s", "t", "can",
    "will", "just", "don", "should", "now",
};

}  // namespace

std::span<const std::string_view> snowball_stopwords(std::string_view language) {
  if (language == "spanish") return kSpanish;
  if (language == "english") return kEnglish;
  return {};
}

std::string detect_language(const std::vector<std::string>& texts) {
  std::unordered_set<std::string> es, en;
  for (auto w : kSpanish) es.insert(fold_for_search(w));
  for (auto w : kEnglish) en.insert(fold_for_search(w));
  std::size_t es_hits = 0, en_hits = 0;
  for (const auto& text : texts) {
    for (const auto& w : split_words(fold_for_search(text))) {
      es_hits += es.count(w);
      en_hits += en.count(w);
    }
  }
  return en_hits > es_hits ? "english" : "spanish";
}

}  // namespace cinerec
