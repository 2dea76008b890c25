// WordPiece tokenization as BERT models define it in tokenizer.json: the BertNormalizer (clean text,
// CJK spacing, accent stripping, lowercasing), the BertPreTokenizer (whitespace and punctuation
// split) and greedy longest-match-first WordPiece with a continuing-subword prefix.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"

namespace cinerec::local {

class WordPieceTokenizer {
 public:
  // Builds from tokenizer.json's "normalizer", "pre_tokenizer" and "model" objects. Fails when the
  // normalizer or pre-tokenizer is of a kind this implementation does not reproduce, or the unknown
  // token is missing from the vocabulary. `where` prefixes error messages.
  static Result<WordPieceTokenizer> from_json(const nlohmann::json& tokenizer, const std::string& where);

  // Token ids of `text` without special tokens. Never fails: out-of-vocabulary words become the
  // unknown token.
  std::vector<std::int32_t> encode(std::string_view text) const;

 private:
  std::u32string normalize(std::string_view text) const;
  void encode_word(std::u32string_view word, std::vector<std::int32_t>& out) const;

  bool clean_text_ = true;
  bool handle_chinese_chars_ = true;
  bool strip_accents_ = true;
  bool lowercase_ = true;
  std::string continuing_prefix_ = "##";
  std::size_t max_input_chars_per_word_ = 100;
  std::int32_t unk_id_ = 0;
  std::unordered_map<std::string, std::int32_t> vocab_;
};

}  // namespace cinerec::local
