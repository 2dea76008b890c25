// The local encoder's tokenizers on arbitrary input text (prompts and catalog descriptions reach them
// unfiltered): WordPiece uncased and cased, Unigram with a precompiled charsmap, Unigram with byte
// fallback. Never crashes; the special tokens always wrap the sequence; truncation holds max_tokens;
// ids are never negative; batches pad consistently with encode().
// The tokenizer.json files come from tests/local_encoder/make_models.py; scripts/fuzz.sh generates
// them and passes their directory in CINEREC_FUZZ_MODELS.
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <vector>

#include "embed/local/tokenizer.h"
#include "fuzz_check.h"

namespace {

std::vector<cinerec::local::Tokenizer> tokenizers;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* dir = std::getenv("CINEREC_FUZZ_MODELS");
  if (!dir || !*dir) {
    std::fprintf(stderr, "fuzz_tokenizer: set CINEREC_FUZZ_MODELS to a make_models.py output directory\n");
    std::exit(2);
  }
  for (const char* name : {"bert", "bert-cased", "xlmr", "unigram-bytes"}) {
    auto t = cinerec::local::Tokenizer::load(std::string(dir) + "/" + name + "/tokenizer.json");
    if (!t.ok()) {
      std::fprintf(stderr, "fuzz_tokenizer: %s\n", t.error().message.c_str());
      std::exit(2);
    }
    tokenizers.push_back(std::move(*t));
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t max_tokens = data[0];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  for (const auto& tok : tokenizers) {
    const auto full = tok.encode(text, 1u << 20);
    const auto ids = tok.encode(text, max_tokens);
    const std::size_t specials = tok.special_token_count();
    FUZZ_CHECK(ids.size() >= specials, "special tokens are always there");
    if (max_tokens > specials) FUZZ_CHECK(ids.size() <= max_tokens, "truncation keeps max_tokens");
    FUZZ_CHECK(ids.size() <= full.size(), "truncation only removes tokens");
    for (std::size_t i = 0; i + 1 < ids.size() && i + 1 < specials; ++i)
      FUZZ_CHECK(ids[i] == full[i], "the prefix is the same whatever the limit");
    for (auto id : full) FUZZ_CHECK(id >= 0, "ids are never negative");
    const auto batch = tok.encode_batch({text, "", text.substr(0, text.size() / 2)}, max_tokens);
    FUZZ_CHECK(batch.lengths[0] == ids.size(), "encode_batch row 0 equals encode");
    for (std::size_t i = 0; i < ids.size(); ++i) {
      FUZZ_CHECK(batch.ids[i] == ids[i], "encode_batch ids equal encode");
      FUZZ_CHECK(batch.mask[i] == 1, "mask is 1 on real tokens");
    }
    for (std::size_t i = ids.size(); i < batch.width; ++i) FUZZ_CHECK(batch.mask[i] == 0, "mask is 0 on padding");
  }
  return 0;
}
