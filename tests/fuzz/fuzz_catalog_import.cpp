// read_catalog_file on arbitrary bytes as JSON, JSON Lines or CSV (the first byte picks the format),
// with a posters directory holding the seed's oddities (truncated names, an empty file). Never
// crashes; invalid UTF-8 is always refused; errors name the file; what is accepted has a non-empty,
// unique title and description per record and warnings that point at existing records.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "catalog/import.h"
#include "common/text.h"
#include "fuzz_check.h"

namespace fs = std::filesystem;

namespace {

fs::path work_dir;

void write_file(const fs::path& p, std::string_view bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  work_dir = fs::temp_directory_path() / ("cinerec-fuzz-import-" + std::to_string(::getpid()));
  fs::create_directories(work_dir / "posters");
  write_file(work_dir / "posters" / "m_El pianista.png", "png");
  write_file(work_dir / "posters" / "m_Star Wars.png", "png");  // "Star Wars: ..." truncated at ':'
  write_file(work_dir / "posters" / "m_Alien", "png");           // extension lost too
  write_file(work_dir / "posters" / "m_Vacia.png", "");          // empty file → placeholder
  std::atexit([] { std::error_code ec; fs::remove_all(work_dir, ec); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const char* const kExtensions[] = {".json", ".jsonl", ".csv"};
  const fs::path path = work_dir / (std::string("catalog") + kExtensions[data[0] % 3]);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  write_file(path, text);

  cinerec::ImportOptions options;
  options.posters_dir = (work_dir / "posters").string();
  auto catalog = cinerec::read_catalog_file(path.string(), options);
  if (!catalog.ok()) {
    FUZZ_CHECK(catalog.error().message.starts_with(path.string()), "an import error names the file");
    FUZZ_CHECK(catalog.error().message.find('\n') == std::string::npos || text.find('\n') != std::string_view::npos,
               "an import error is one line");
    return 0;
  }
  FUZZ_CHECK(cinerec::is_valid_utf8(text), "invalid UTF-8 is refused");
  FUZZ_CHECK(catalog->locations.size() == catalog->records.size(), "one location per record");
  FUZZ_CHECK(catalog->embeddings.size() == catalog->records.size(), "one embedding slot per record");
  std::set<std::string> titles;
  for (const auto& m : catalog->records) {
    FUZZ_CHECK(!m.title.empty() && !m.description.empty(), "title and description are never empty");
    FUZZ_CHECK(cinerec::is_valid_utf8(m.title) && cinerec::is_valid_utf8(m.description), "stored text is UTF-8");
    FUZZ_CHECK(titles.insert(cinerec::fold_for_search(m.title)).second, "titles are unique after folding");
    if (m.year) FUZZ_CHECK(*m.year >= 1874 && *m.year <= 2100, "a normalized year is between 1874 and 2100");
  }
  for (const auto& w : catalog->warnings)
    FUZZ_CHECK(w.record >= 1 && w.record <= catalog->records.size(), "a warning points at a record");
  return 0;
}
