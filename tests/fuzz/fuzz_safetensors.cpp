// SafeTensors::load on an arbitrary file (model weights are downloaded): a malformed header, a crafted
// shape or byte range must be an error naming the file, never a crash, an overflow or a huge
// allocation; what loads has as many values as its shape says.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "embed/local/safetensors.h"
#include "fuzz_check.h"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fs::path path =
      fs::temp_directory_path() / ("cinerec-fuzz-safetensors-" + std::to_string(::getpid()) + ".safetensors");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto st = cinerec::local::SafeTensors::load(path.string());
  if (!st.ok()) {
    FUZZ_CHECK(st.error().message.starts_with(path.string()), "a safetensors error names the file");
  } else {
    for (const auto& name : st->names()) {
      auto t = st->take(name);
      FUZZ_CHECK(t.ok(), "a listed tensor can be taken");
      FUZZ_CHECK(t->elements() >= 0 && static_cast<std::size_t>(t->elements()) == t->data.size(),
                 "a tensor holds as many values as its shape says");
      FUZZ_CHECK(t->data.size() * 2 <= size, "a tensor's values come from the file's bytes");
    }
  }
  std::error_code ec;
  fs::remove(path, ec);
  return 0;
}
