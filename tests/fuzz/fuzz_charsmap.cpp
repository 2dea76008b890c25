// PrecompiledCharsmap (tokenizer.json's base64 "precompiled_charsmap", a darts-clone trie) on an
// arbitrary blob, then normalizing text with it: a malformed trie must never read outside the blob.
// Input: <u16 blob length><blob><text>; the text is made valid UTF-8 (normalize's precondition) by
// decoding and re-encoding it the way the Unigram tokenizer does before normalizing.
#include <cstdint>
#include <string>
#include <string_view>

#include "embed/local/precompiled_charsmap.h"
#include "embed/local/unicode.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t blob_size = std::min<std::size_t>(data[0] | (data[1] << 8), size - 2);
  const std::string_view blob(reinterpret_cast<const char*>(data + 2), blob_size);
  const std::string_view raw(reinterpret_cast<const char*>(data + 2 + blob_size), size - 2 - blob_size);

  auto base64 = cinerec::local::base64_decode(blob);  // the decoder sees the same untrusted bytes
  auto map = cinerec::local::PrecompiledCharsmap::parse(blob);
  if (!map.ok()) return 0;
  const std::string text = cinerec::local::encode_utf8(cinerec::local::decode_utf8(raw));
  const std::string once = map->normalize(text);
  FUZZ_CHECK(map->normalize(text) == once, "normalize is deterministic");
  FUZZ_CHECK(map->normalize("").empty(), "the empty text stays empty");
  (void)base64;
  return 0;
}
