// SentencePiece's compiled normalization rules ("precompiled_charsmap" in tokenizer.json): a
// darts-clone double-array trie over UTF-8 byte sequences whose values index a table of replacement
// strings. nmt_nfkc, the rule set of XLM-R and most multilingual models, is stored this way.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace cinerec::local {

class PrecompiledCharsmap {
 public:
  // Parses the decoded blob: <u32 trie size><trie units><NUL-separated replacements>.
  static Result<PrecompiledCharsmap> parse(std::string_view blob);

  // Rewrites `text` the way SentencePiece's normalizer does: at each position the longest byte
  // sequence with a rule is replaced; a position without one copies one UTF-8 character.
  // Precondition: valid UTF-8.
  std::string normalize(std::string_view text) const;

 private:
  // Length and replacement offset of the longest rule matching a prefix of `key`; length 0 if none.
  std::pair<std::size_t, std::uint32_t> longest_match(std::string_view key) const;

  std::vector<std::uint32_t> units_;
  std::string replacements_;
};

// Standard base64 (tokenizer.json stores the charsmap that way). Fails on a character outside the
// alphabet.
Result<std::string> base64_decode(std::string_view text);

}  // namespace cinerec::local
