#include "recommend/thesaurus.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <optional>

#include "common/read_file.h"
#include "common/text.h"

namespace cinerec {

namespace {

// ISO-8859-1 bytes are the first 256 code points: each byte >= 0x80 becomes two UTF-8 bytes.
std::string latin1_to_utf8(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (unsigned char c : text) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

// A thesaurus entry as a search word: folded, and only when it is one word (multi-word synonyms such
// as "blue jeans" or WordNet's "domestic_dog" cannot be matched as one index term).
std::optional<std::string> one_word(std::string_view entry) {
  auto words = split_words(fold_for_search(entry));
  if (words.size() != 1) return std::nullopt;
  return std::move(words.front());
}

void add_unique(std::vector<std::string>& out, std::string word) {
  if (std::find(out.begin(), out.end(), word) == out.end()) out.push_back(std::move(word));
}

// WordNet's morphy detachment rules (noun, verb and adjective endings), tried after the exceptions.
constexpr std::pair<std::string_view, std::string_view> kDetachments[] = {
    {"s", ""},    {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"},
    {"ies", "y"}, {"es", "e"},  {"es", ""},   {"ed", "e"},  {"ed", ""},     {"ing", "e"},   {"ing", ""},
    {"er", ""},   {"est", ""},  {"er", "e"},  {"est", "e"},
};

constexpr const char* kWordnetParts[] = {"noun", "verb", "adj", "adv"};

}  // namespace

std::string Thesaurus::default_path(const std::string& language) {
  if (language == "spanish") return kSpanishMythes;
  if (language == "english") return kEnglishWordnet;
  return "";
}

Result<Thesaurus> Thesaurus::load(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<WordnetPart> parts;
    for (const char* pos : kWordnetParts) {
      auto index = read_file((fs::path(path) / ("index." + std::string(pos))).string());
      if (!index.ok()) return index.error();
      auto data = read_file((fs::path(path) / ("data." + std::string(pos))).string());
      if (!data.ok()) return data.error();
      parts.push_back({std::move(index).value(), std::move(data).value()});
    }
    auto thesaurus = parse_wordnet(std::move(parts), path);
    if (!thesaurus.ok()) return thesaurus;
    // Irregular forms ("geese goose", "hid hide"), read when present.
    for (const char* pos : kWordnetParts) {
      auto exc = read_file((fs::path(path) / (std::string(pos) + ".exc")).string());
      if (!exc.ok()) continue;
      for (auto line : split_on(*exc, '\n')) {
        auto fields = split_on(trim(line), ' ');
        if (fields.size() < 2) continue;
        auto inflected = one_word(fields[0]), base = one_word(fields[1]);
        if (!inflected || !base || thesaurus->senses_.count(*inflected)) continue;
        auto it = thesaurus->senses_.find(*base);
        if (it != thesaurus->senses_.end()) thesaurus->senses_.emplace(*inflected, it->second);
      }
    }
    return thesaurus;
  }
  auto text = read_file(path);
  if (!text.ok()) return text.error();
  return parse_mythes(*text, path);
}

Result<Thesaurus> Thesaurus::parse_mythes(std::string_view raw, std::string_view source) {
  const auto first_newline = raw.find('\n');
  const std::string encoding(trim(raw.substr(0, first_newline)));
  std::string converted;
  std::string_view text = raw;
  if (encoding == "ISO8859-1" || encoding == "ISO-8859-1" || encoding == "ISO8859-15") {
    converted = latin1_to_utf8(raw);
    text = converted;
  } else if (encoding != "UTF-8") {
    return Error{std::string(source) + ":1: unsupported thesaurus encoding '" + encoding +
                 "' (expected UTF-8 or ISO8859-1)"};
  } else if (std::size_t bad = 0; !is_valid_utf8(raw, &bad)) {
    return Error{std::string(source) + ": invalid UTF-8 at byte " + std::to_string(bad)};
  }
  Thesaurus out;
  auto lines = split_on(text, '\n');
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto line = trim(lines[i]);
    if (line.empty()) continue;
    const auto bar = line.rfind('|');
    std::size_t count = 0;
    const auto count_text = bar == std::string_view::npos ? std::string_view() : line.substr(bar + 1);
    auto [end, ec] = std::from_chars(count_text.data(), count_text.data() + count_text.size(), count);
    if (bar == std::string_view::npos || ec != std::errc() || end != count_text.data() + count_text.size()) {
      return Error{std::string(source) + ":" + std::to_string(i + 1) + ": expected 'word|number of meanings'"};
    }
    auto head = one_word(line.substr(0, bar));
    std::vector<std::vector<std::string>> meanings;
    for (std::size_t m = 0; m < count; ++m) {
      ++i;
      if (i >= lines.size()) {
        return Error{std::string(source) + ":" + std::to_string(i) + ": the entry promises " +
                     std::to_string(count) + " meanings; the file ends first"};
      }
      auto fields = split_on(trim(lines[i]), '|');
      std::vector<std::string> synonyms;
      for (std::size_t f = 1; f < fields.size(); ++f) {  // field 0 is the part of speech
        auto w = one_word(fields[f]);
        if (w && (!head || *w != *head)) add_unique(synonyms, std::move(*w));
      }
      meanings.push_back(std::move(synonyms));
    }
    if (head) {
      auto& slot = out.meanings_[*head];
      for (auto& m : meanings) slot.push_back(std::move(m));
    }
  }
  return out;
}

Result<Thesaurus> Thesaurus::parse_wordnet(std::vector<WordnetPart> parts, std::string_view source) {
  Thesaurus out;
  for (std::size_t part = 0; part < parts.size(); ++part) {
    std::size_t line_no = 0;
    for (auto line : split_on(parts[part].index, '\n')) {
      ++line_no;
      if (line.empty() || line.front() == ' ') continue;  // the license header lines start with spaces
      auto fields = split_on(trim(line), ' ');
      // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
      std::size_t synsets = 0, pointers = 0;
      auto number = [](std::string_view s, std::size_t& v) {
        auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
        return ec == std::errc() && end == s.data() + s.size();
      };
      if (fields.size() < 4 || !number(fields[2], synsets) || !number(fields[3], pointers) ||
          fields.size() < 6 + pointers + synsets) {
        return Error{std::string(source) + ": index." + kWordnetParts[part % 4] + ":" + std::to_string(line_no) +
                     ": malformed WordNet index line"};
      }
      auto lemma = one_word(fields[0]);
      if (!lemma) continue;
      auto& senses = out.senses_[*lemma];
      for (std::size_t s = 0; s < synsets; ++s) {
        std::size_t offset = 0;
        if (!number(fields[6 + pointers + s], offset) || offset >= parts[part].data.size()) {
          return Error{std::string(source) + ": index." + kWordnetParts[part % 4] + ":" + std::to_string(line_no) +
                       ": synset offset outside data." + kWordnetParts[part % 4]};
        }
        senses.emplace_back(part, offset);
      }
    }
  }
  out.wordnet_ = std::move(parts);
  return out;
}

std::vector<std::vector<std::string>> Thesaurus::wordnet_meanings(const std::string& lemma, std::size_t senses) const {
  std::vector<std::vector<std::string>> out;
  auto it = senses_.find(lemma);
  if (it == senses_.end()) return out;
  // Senses of every part of speech, interleaved by rank: a word's first noun and first verb sense
  // come before its second noun sense.
  std::vector<std::size_t> rank_in_part(wordnet_.size(), 0);
  std::vector<std::pair<std::size_t, std::pair<std::size_t, std::size_t>>> ranked;
  for (const auto& sense : it->second) ranked.push_back({rank_in_part[sense.first]++, sense});
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t r = 0; r < ranked.size() && out.size() < senses; ++r) {
    const auto [part, offset] = ranked[r].second;
    std::string_view data = wordnet_[part].data;
    auto line = data.substr(offset, data.find('\n', offset) - offset);
    // synset_offset lex_filenum ss_type w_cnt(2 hex digits) word lex_id [word lex_id...] ...
    auto fields = split_on(line, ' ');
    std::size_t words = 0;
    if (fields.size() < 4) continue;
    auto [end, ec] = std::from_chars(fields[3].data(), fields[3].data() + fields[3].size(), words, 16);
    if (ec != std::errc() || fields.size() < 4 + 2 * words) continue;
    std::vector<std::string> synonyms;
    for (std::size_t w = 0; w < words; ++w) {
      auto word = fields[4 + 2 * w];
      word = word.substr(0, word.find('('));  // adjective markers: "long(a)"
      auto folded = one_word(word);
      if (folded && *folded != lemma) add_unique(synonyms, std::move(*folded));
    }
    out.push_back(std::move(synonyms));
  }
  return out;
}

std::vector<std::string> Thesaurus::synonyms(std::string_view folded_word, std::size_t senses) const {
  const std::string word(folded_word);
  std::vector<std::vector<std::string>> meanings;
  if (auto it = meanings_.find(word); it != meanings_.end()) {
    meanings.assign(it->second.begin(), it->second.begin() + static_cast<std::ptrdiff_t>(
                                                                 std::min(senses, it->second.size())));
  } else if (!wordnet_.empty()) {
    meanings = wordnet_meanings(word, senses);
    for (const auto& [suffix, replacement] : kDetachments) {
      if (!meanings.empty()) break;
      if (word.size() <= suffix.size() + 2 || word.compare(word.size() - suffix.size(), suffix.size(), suffix) != 0)
        continue;
      meanings = wordnet_meanings(word.substr(0, word.size() - suffix.size()) + std::string(replacement), senses);
    }
  }
  std::vector<std::string> out;
  for (auto& m : meanings)
    for (auto& w : m)
      if (w != word) add_unique(out, std::move(w));
  return out;
}

}  // namespace cinerec
