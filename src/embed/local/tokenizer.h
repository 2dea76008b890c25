// The tokenizer of a model directory (tokenizer.json): WordPiece or Unigram, plus the special tokens
// its post-processor wraps every sequence in, truncation to the encoder's length and padding of a
// batch with attention masks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/result.h"
#include "embed/local/unigram.h"
#include "embed/local/wordpiece.h"

namespace cinerec::local {

// A padded batch: row b holds lengths[b] real tokens then padding; mask is 1 on real tokens.
struct TokenBatch {
  std::size_t batch = 0;
  std::size_t width = 0;  // longest row
  std::vector<std::int32_t> ids;   // batch * width
  std::vector<std::int32_t> mask;  // batch * width
  std::vector<std::size_t> lengths;
};

class Tokenizer {
 public:
  // Reads tokenizer.json. Fails naming the file for a missing file, a model type other than
  // WordPiece / Unigram, or pipeline components this implementation does not reproduce.
  static Result<Tokenizer> load(const std::string& path);

  // Ids of `text` wrapped in the special tokens; the text's tokens are cut so that the whole stays
  // within max_tokens (which must exceed the number of special tokens).
  std::vector<std::int32_t> encode(std::string_view text, std::size_t max_tokens) const;
  // encode() of every text, right-padded with pad_id to the longest.
  TokenBatch encode_batch(const std::vector<std::string>& texts, std::size_t max_tokens) const;

  std::int32_t pad_id() const { return pad_id_; }
  std::size_t special_token_count() const { return prefix_.size() + suffix_.size(); }

 private:
  std::variant<WordPieceTokenizer, UnigramTokenizer> model_;
  std::vector<std::int32_t> prefix_, suffix_;
  std::int32_t pad_id_ = 0;
};

}  // namespace cinerec::local
