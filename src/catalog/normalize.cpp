#include "catalog/normalize.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <utility>

#include "common/text.h"

namespace cinerec {

const std::vector<std::string>& canonical_genres() {
  static const std::vector<std::string> genres = {
      "Drama",    "Comedia",    "Acción",      "Aventura", "Ciencia ficción", "Fantasía",
      "Animación", "Crimen",    "Suspenso",    "Misterio", "Terror",          "Romance",
      "Musical",  "Bélico",     "Western",     "Histórico", "Biográfico",     "Familiar",
      "Documental", "Superhéroes"};
  return genres;
}

namespace {

// A rule matches a folded word by prefix (so "romantico", "romantica", "romance" share "roman"), or
// a two-word phrase. Prefixes were chosen against the seed's genre strings and TMDB's genre names;
// they are short enough to absorb typos at the end of a word ("crimina" for "criminal").
struct GenreRule {
  std::string_view first;   // prefix of a word
  std::string_view second;  // prefix of the next word, or empty
  std::string_view genre;
};

constexpr GenreRule kRules[] = {
    {"ciencia", "ficcion", "Ciencia ficción"},
    {"science", "fiction", "Ciencia ficción"},
    {"sci", "fi", "Ciencia ficción"},
    {"scifi", "", "Ciencia ficción"},
    {"futurist", "", "Ciencia ficción"},
    {"drama", "", "Drama"},
    {"comedi", "", "Comedia"},
    {"comedy", "", "Comedia"},
    {"accion", "", "Acción"},
    {"action", "", "Acción"},
    {"aventur", "", "Aventura"},
    {"adventur", "", "Aventura"},
    {"supervivencia", "", "Aventura"},
    {"fantas", "", "Fantasía"},
    {"sobrenatural", "", "Fantasía"},
    {"animaci", "", "Animación"},
    {"animad", "", "Animación"},
    {"animation", "", "Animación"},
    {"crim", "", "Crimen"},
    {"gangster", "", "Crimen"},
    {"mafia", "", "Crimen"},
    {"suspens", "", "Suspenso"},
    {"thriller", "", "Suspenso"},
    {"misteri", "", "Misterio"},
    {"mystery", "", "Misterio"},
    {"terror", "", "Terror"},
    {"horror", "", "Terror"},
    {"roman", "", "Romance"},
    {"musical", "", "Musical"},
    {"music", "", "Musical"},
    {"belic", "", "Bélico"},
    {"guerra", "", "Bélico"},
    {"war", "", "Bélico"},
    {"western", "", "Western"},
    {"historic", "", "Histórico"},
    {"history", "", "Histórico"},
    {"biografic", "", "Biográfico"},
    {"biopic", "", "Biográfico"},
    {"biography", "", "Biográfico"},
    {"famil", "", "Familiar"},
    {"documental", "", "Documental"},
    {"documentary", "", "Documental"},
    {"superheroe", "", "Superhéroes"},
};

bool starts_with(std::string_view word, std::string_view prefix) {
  return word.size() >= prefix.size() && word.substr(0, prefix.size()) == prefix;
}

// Removes "quoted titles" (straight or typographic quotes) from a sentence.
std::string strip_quoted(std::string_view raw) {
  std::string out;
  bool quoted = false;
  for (std::size_t i = 0; i < raw.size();) {
    bool quote = false;
    std::size_t len = 1;
    if (raw[i] == '"') {
      quote = true;
    } else if (raw.substr(i, 3) == "\u201c" || raw.substr(i, 3) == "\u201d" || raw.substr(i, 2) == "\u00ab" ||
               raw.substr(i, 2) == "\u00bb") {
      quote = true;
      len = (static_cast<unsigned char>(raw[i]) == 0xE2) ? 3 : 2;
    }
    if (quote) {
      quoted = !quoted;
      out += ' ';
    } else if (!quoted) {
      out.append(raw.substr(i, len));
    }
    i += len;
  }
  return out;
}

// TMDB stores genres as a JSON list of {"id", "name"}; MovieLens as "Action|Comedy".
std::string flatten_structured(std::string_view raw) {
  auto text = trim(raw);
  if (text.empty() || text.front() != '[') return std::string(raw);
  auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) return std::string(raw);
  std::string out;
  for (const auto& item : parsed) {
    if (item.is_object() && item.contains("name") && item["name"].is_string()) out += item["name"].get<std::string>() + ", ";
    else if (item.is_string()) out += item.get<std::string>() + ", ";
  }
  return out;
}

}  // namespace

std::vector<std::string> normalize_genres(std::string_view raw) {
  auto words = split_words(fold_for_search(strip_quoted(flatten_structured(raw))));
  std::vector<std::string> genres;
  auto add = [&](std::string_view g) {
    if (std::find(genres.begin(), genres.end(), g) == genres.end()) genres.emplace_back(g);
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    for (const auto& rule : kRules) {
      if (!starts_with(words[i], rule.first)) continue;
      if (!rule.second.empty()) {
        if (i + 1 < words.size() && starts_with(words[i + 1], rule.second)) {
          add(rule.genre);
          ++i;
          break;
        }
        continue;
      }
      // Whole words only for short English names that prefix common Spanish words ("war" vs "warner").
      if ((rule.first == "war" || rule.first == "music") && words[i] != rule.first &&
          words[i] != std::string(rule.first) + "s")
        continue;
      add(rule.genre);
      break;
    }
  }
  return genres;
}

std::vector<std::string> normalize_keywords(std::string_view raw) {
  std::vector<std::string> out;
  auto add = [&](std::string_view k) {
    auto t = trim(k);
    if (!t.empty() && std::find(out.begin(), out.end(), t) == out.end()) out.emplace_back(t);
  };
  auto text = trim(raw);
  if (!text.empty() && text.front() == '[') {
    auto parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_array()) {
      for (const auto& item : parsed) {
        if (item.is_string()) add(item.get<std::string>());
        else if (item.is_object() && item.contains("name") && item["name"].is_string()) add(item["name"].get<std::string>());
      }
      return out;
    }
  }
  std::string separated(text);
  std::replace(separated.begin(), separated.end(), ';', ',');
  std::replace(separated.begin(), separated.end(), '|', ',');
  for (auto piece : split_on(separated, ',')) add(piece);
  return out;
}

std::optional<int> normalize_year(std::string_view raw) {
  auto text = trim(raw);
  if (text.size() < 4) return std::nullopt;
  int year = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (ec != std::errc() || end - text.data() != 4) return std::nullopt;
  std::string_view rest(end, static_cast<std::size_t>(text.data() + text.size() - end));
  // Accept a bare year, an ISO date, or a float rendering of a year from a spreadsheet.
  bool rest_ok = rest.empty() || rest == ".0" || (rest.size() >= 3 && rest[0] == '-');
  if (!rest_ok) return std::nullopt;
  if (year < 1874 || year > 2100) return std::nullopt;
  return year;
}

}  // namespace cinerec
