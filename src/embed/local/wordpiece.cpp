#include "embed/local/wordpiece.h"

#include <nlohmann/json.hpp>

#include "common/json_number.h"
#include "embed/local/unicode.h"

namespace cinerec::local {

using nlohmann::json;

namespace {

Status check_pre_tokenizer(const json& pre, const std::string& where) {
  if (pre.is_null()) return Status::Ok();
  const std::string type = pre.value("type", "");
  if (type == "BertPreTokenizer") return Status::Ok();
  if (type == "Sequence") {
    for (const auto& p : pre.at("pretokenizers")) CINEREC_TRY(check_pre_tokenizer(p, where));
    return Status::Ok();
  }
  return Error{where + ": unsupported pre_tokenizer '" + type + "' for WordPiece (BertPreTokenizer is)"};
}

}  // namespace

Result<WordPieceTokenizer> WordPieceTokenizer::from_json(const json& tok, const std::string& where) {
  WordPieceTokenizer t;
  const json& norm = tok.contains("normalizer") ? tok["normalizer"] : json();
  if (norm.is_null()) {
    t.clean_text_ = t.handle_chinese_chars_ = t.strip_accents_ = t.lowercase_ = false;
  } else if (norm.value("type", "") == "BertNormalizer") {
    t.clean_text_ = norm.value("clean_text", true);
    t.handle_chinese_chars_ = norm.value("handle_chinese_chars", true);
    t.lowercase_ = norm.value("lowercase", true);
    // A null strip_accents follows lowercase, as in the original BERT uncased models.
    t.strip_accents_ = norm.contains("strip_accents") && !norm["strip_accents"].is_null()
                           ? norm["strip_accents"].get<bool>()
                           : t.lowercase_;
  } else {
    return Error{where + ": unsupported normalizer '" + norm.value("type", "") +
                 "' for WordPiece (BertNormalizer is)"};
  }
  CINEREC_TRY(check_pre_tokenizer(tok.contains("pre_tokenizer") ? tok["pre_tokenizer"] : json(), where));

  const json& model = tok.at("model");
  t.continuing_prefix_ = model.value("continuing_subword_prefix", "##");
  t.max_input_chars_per_word_ = static_cast<std::size_t>(json_integer_or(model, "max_input_chars_per_word", 100, 1, INT32_MAX));
  if (!model.contains("vocab") || !model["vocab"].is_object())
    return Error{where + ": WordPiece model has no vocab object"};
  for (auto it = model["vocab"].begin(); it != model["vocab"].end(); ++it)
    t.vocab_.emplace(it.key(), json_int32(it.value(), "vocab id of '" + it.key() + "'"));
  const std::string unk = model.value("unk_token", "[UNK]");
  auto u = t.vocab_.find(unk);
  if (u == t.vocab_.end()) return Error{where + ": unknown token '" + unk + "' is not in the vocab"};
  t.unk_id_ = u->second;
  return t;
}

std::u32string WordPieceTokenizer::normalize(std::string_view text) const {
  std::u32string out;
  for (char32_t c : decode_utf8(text)) {
    if (clean_text_) {
      const bool is_control = c != U'\t' && c != U'\n' && c != U'\r' && is_other_category(c);
      if (c == 0 || c == 0xFFFD || is_control) continue;
      if (is_unicode_whitespace(c)) c = U' ';
    }
    if (handle_chinese_chars_ && is_cjk_ideograph(c)) {
      out.push_back(U' ');
      out.push_back(c);
      out.push_back(U' ');
      continue;
    }
    out.push_back(c);
  }
  if (strip_accents_) {
    std::u32string stripped;
    for (char32_t c : nfd(out))
      if (!is_nonspacing_mark(c)) stripped.push_back(c);
    out = std::move(stripped);
  }
  if (lowercase_) {
    std::u32string lower;
    lower.reserve(out.size());
    for (char32_t c : out) append_lowercase(lower, c);
    out = std::move(lower);
  }
  return out;
}

void WordPieceTokenizer::encode_word(std::u32string_view word, std::vector<std::int32_t>& out) const {
  if (word.size() > max_input_chars_per_word_) {
    out.push_back(unk_id_);
    return;
  }
  std::vector<std::int32_t> pieces;
  std::size_t start = 0;
  std::string candidate;
  while (start < word.size()) {
    std::size_t end = word.size();
    std::int32_t found = -1;
    while (start < end) {
      candidate = start > 0 ? continuing_prefix_ : std::string();
      candidate += encode_utf8(word.substr(start, end - start));
      auto it = vocab_.find(candidate);
      if (it != vocab_.end()) {
        found = it->second;
        break;
      }
      --end;
    }
    // One unmatched piece makes the whole word unknown, as in BERT.
    if (found < 0) {
      out.push_back(unk_id_);
      return;
    }
    pieces.push_back(found);
    start = end;
  }
  out.insert(out.end(), pieces.begin(), pieces.end());
}

std::vector<std::int32_t> WordPieceTokenizer::encode(std::string_view text) const {
  const std::u32string norm = normalize(text);
  std::vector<std::int32_t> ids;
  std::size_t word_start = 0;
  auto flush = [&](std::size_t end) {
    if (end > word_start) encode_word(std::u32string_view(norm).substr(word_start, end - word_start), ids);
  };
  for (std::size_t i = 0; i < norm.size(); ++i) {
    const char32_t c = norm[i];
    if (is_unicode_whitespace(c)) {
      flush(i);
      word_start = i + 1;
    } else if (is_bert_punctuation(c)) {
      flush(i);
      encode_word(std::u32string_view(norm).substr(i, 1), ids);
      word_start = i + 1;
    }
  }
  flush(norm.size());
  return ids;
}

}  // namespace cinerec::local
