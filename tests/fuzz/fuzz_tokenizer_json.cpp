// Tokenizer::load on an arbitrary tokenizer.json (model directories are downloaded, so the file is
// input): a malformed or unexpected structure must give an error naming the file, never a crash,
// an assertion or an exception; a tokenizer it accepts must then encode text without crashing.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "embed/local/tokenizer.h"
#include "fuzz_check.h"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fs::path path = fs::temp_directory_path() / ("cinerec-fuzz-tokenizer-" + std::to_string(::getpid()) + ".json");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto tok = cinerec::local::Tokenizer::load(path.string());
  std::error_code ec;
  if (!tok.ok()) {
    FUZZ_CHECK(tok.error().message.starts_with(path.string()), "a tokenizer.json error names the file");
    fs::remove(path, ec);
    return 0;
  }
  for (const char* text : {"", "hola mundo", "Él vio \"Amélie\" en 2001: ¡genial!", "\xff\xfe bad utf8 \xc3",
                           "日本語のテキスト", "a  b\t\tc\n\nd"}) {
    const auto ids = tok->encode(text, 64);
    FUZZ_CHECK(ids.size() >= tok->special_token_count(), "special tokens are always there");
  }
  fs::remove(path, ec);
  return 0;
}
