// Unigram (SentencePiece) tokenization as XLM-RoBERTa-family models define it in tokenizer.json:
// normalizers (Precompiled charsmap, Replace, NFKC, Lowercase), the WhitespaceSplit / Metaspace
// pre-tokenizers, then per word the highest-scoring segmentation into vocabulary pieces (Viterbi),
// with unknown characters fused into one unknown token or spelled as <0xXX> byte pieces when the
// model has byte_fallback.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/result.h"
#include "embed/local/precompiled_charsmap.h"

namespace cinerec::local {

class UnigramTokenizer {
 public:
  // Builds from tokenizer.json. Fails naming the component for a normalizer or pre-tokenizer kind
  // this implementation does not reproduce, or a malformed vocab.
  static Result<UnigramTokenizer> from_json(const nlohmann::json& tokenizer, const std::string& where);

  // Token ids of `text` without special tokens. Never fails.
  std::vector<std::int32_t> encode(std::string_view text) const;

 private:
  struct NormalizerStep {
    enum Kind { Charsmap, CollapseSpaces, ReplaceString, Nfkc, Lowercase } kind;
    std::string from, to;  // ReplaceString
  };
  enum class Prepend { Always, First, Never };

  static Status add_normalizer(const nlohmann::json& n, const std::string& where, UnigramTokenizer& t);
  static Status add_pre_tokenizer(const nlohmann::json& p, const std::string& where, UnigramTokenizer& t);
  std::string normalize(std::string_view text) const;
  std::vector<std::string> pre_tokenize(const std::string& text) const;
  void encode_word(std::string_view word, std::vector<std::int32_t>& out) const;

  std::vector<NormalizerStep> normalizers_;
  std::shared_ptr<const PrecompiledCharsmap> charsmap_;
  bool whitespace_split_ = false;
  bool metaspace_ = false;
  std::string replacement_ = "\xE2\x96\x81";  // U+2581
  Prepend prepend_ = Prepend::Always;
  bool metaspace_split_ = true;

  std::unordered_map<std::string, std::int32_t> piece_ids_;
  std::vector<double> scores_;
  std::size_t max_piece_chars_ = 1;
  std::int32_t unk_id_ = 0;
  double unk_score_ = 0;
  bool byte_fallback_ = false;
};

}  // namespace cinerec::local
