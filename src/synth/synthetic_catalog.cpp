#include "synth/synthetic_catalog.h"

#include <cctype>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "catalog/normalize.h"
#include "catalog/npy.h"
#include "index/synthetic.h"

namespace cinerec {
namespace {

// Nouns with their article, so sentences agree in gender.
const std::vector<std::string>& nouns() {
  static const std::vector<std::string> words = {
      "el faro",      "el desierto",   "la tormenta",  "la ciudad",    "el bosque",    "el tren",
      "la isla",      "la guerra",     "el piano",     "el circo",     "el barco",     "la montaña",
      "la frontera",  "el secreto",    "el castillo",  "el mercado",   "el hospital",  "la escuela",
      "la prisión",   "la granja",     "el río",       "el volcán",    "la estación",  "el teatro",
      "el laboratorio", "la cárcel",   "el puerto",    "la selva",     "la carretera", "el museo",
      "la biblioteca", "el hotel",     "la mina",      "el circuito",  "el palacio",   "la aldea",
      "la nave",      "el submarino",  "el robot",     "el dragón",    "el fantasma",  "el detective",
      "el boxeador",  "la cantante",   "la pintora",   "el médico",    "el soldado",   "la maestra",
      "el ladrón",    "la espía",      "el payaso",    "la pianista",  "el piloto",    "la reina"};
  return words;
}
const std::vector<std::string>& themes() {
  static const std::vector<std::string> words = {
      "la venganza", "el amor",     "la amistad", "la traición", "la memoria", "el miedo",   "la libertad",
      "la familia",  "la ambición", "el exilio",  "la culpa",    "la esperanza", "el poder", "la soledad",
      "la redención", "el destino"};
  return words;
}

// A character's name: a first name and a surname of three syllables (24^3 = 13,824 surnames). Rare
// words, as the names and particulars of real plots are: without them two films of one cluster and
// year would share most of their description and be taken for one film entered twice
// (index/duplicates.h), hundreds of thousands of pairs in a million-movie catalog.
std::string character_name(std::uint64_t r) {
  static const std::vector<std::string> first = {"Ana", "Luis", "Marta", "Jorge", "Elena", "Pablo", "Lucía",
                                                 "Diego", "Sara", "Tomás", "Irene", "Andrés", "Clara", "Hugo",
                                                 "Nora", "Iván", "Julia", "Mateo", "Alba", "Bruno"};
  static const std::vector<std::string> syllables = {"val", "mor", "ter", "san", "gal", "bre", "lo", "ri",
                                                     "cas", "dor", "men", "qui", "ro", "fa", "ne", "zar",
                                                     "til", "ba", "le", "cu", "pa", "ver", "do", "sol"};
  std::string surname;
  for (int k = 0; k < 3; ++k) surname += syllables[(r >> (8 * k)) % syllables.size()];
  surname[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(surname[0])));
  return first[(r >> 24) % first.size()] + " " + surname;
}

std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  return x ^ (x >> 33);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

MovieRecord synthetic_movie(const SyntheticCatalogSpec& spec, std::size_t i, std::uint32_t cluster) {
  const auto& n = nouns();
  const auto& t = themes();
  const auto& g = canonical_genres();
  const std::uint64_t c = mix(spec.seed * 1315423911u + cluster);
  const std::uint64_t r = mix(spec.seed * 2654435761u + i + 1);
  // The cluster fixes the setting, theme and genre; the movie adds its own character and place.
  const std::string& place = n[c % n.size()];
  const std::string& theme = t[(c >> 8) % t.size()];
  const std::string& who = n[r % n.size()];
  const std::string& other = n[(r >> 16) % n.size()];
  MovieRecord m;
  m.title = who + " y " + place + " " + std::to_string(i + 1);
  m.title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(m.title[0])));  // "el" -> "El"
  m.description = "Una historia sobre " + theme + " en " + place + ", donde " + who + ", " +
                  character_name(mix(r)) + ", descubre " + other + " que lo cambia todo.";
  m.genre_raw = g[(c >> 16) % g.size()];
  if ((r >> 24) % 3 == 0) m.genre_raw += ", " + g[(c >> 24) % g.size()];
  m.genres = normalize_genres(m.genre_raw);
  m.year = 1930 + static_cast<int>((r >> 32) % 95);
  m.year_raw = std::to_string(*m.year);
  m.source = "synthetic";
  m.source_id = std::to_string(i + 1);
  return m;
}

Result<SyntheticCatalogFiles> write_synthetic_catalog(const SyntheticCatalogSpec& spec, const std::string& dir) {
  if (spec.format != "jsonl" && spec.format != "csv")
    return Error{"synth: unknown format \"" + spec.format + "\" (expected jsonl or csv)"};
  if (spec.dim == 0) return Error{"synth: dimension must be at least 1"};
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error{"synth: cannot create directory " + dir + ": " + ec.message()};
  SyntheticCatalogFiles files{(std::filesystem::path(dir) / ("catalog." + spec.format)).string(),
                              (std::filesystem::path(dir) / "vectors.npy").string()};
  std::ofstream catalog(files.catalog, std::ios::binary | std::ios::trunc);
  if (!catalog) return Error{"synth: cannot create " + files.catalog};
  auto npy = NpyWriter::create(files.vectors, spec.dim);
  if (!npy) return npy.error();
  if (spec.format == "csv") catalog << "id,title,description,genre,year\n";

  constexpr std::size_t kBlock = 8192;
  std::vector<std::uint32_t> clusters;
  for (std::size_t first = 0; first < spec.movies; first += kBlock) {
    const std::size_t n = std::min(kBlock, spec.movies - first);
    auto vectors = synthetic_unit_vectors(
        {.rows = n, .dim = spec.dim, .clusters = spec.clusters, .spread = 0.6f, .seed = spec.seed, .first_row = first}, 0,
        &clusters);
    if (auto st = npy->write(vectors.data(), n); !st.ok()) return st.error();
    for (std::size_t i = 0; i < n; ++i) {
      MovieRecord m = synthetic_movie(spec, first + i, clusters[i]);
      if (spec.format == "jsonl") {
        catalog << nlohmann::json{{"id", m.source_id}, {"title", m.title}, {"description", m.description},
                                  {"genre", m.genre_raw}, {"year", *m.year}}
                       .dump()
                << "\n";
      } else {
        catalog << m.source_id << ',' << csv_field(m.title) << ',' << csv_field(m.description) << ','
                << csv_field(m.genre_raw) << ',' << *m.year << "\n";
      }
    }
    if (!catalog) return Error{"synth: write error in " + files.catalog};
  }
  catalog.close();
  if (!catalog) return Error{"synth: write error in " + files.catalog};
  if (auto st = npy->finish(); !st.ok()) return st.error();
  return files;
}

}  // namespace cinerec
