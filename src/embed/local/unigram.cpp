#include "embed/local/unigram.h"

#include <algorithm>
#include <cstdio>
#include <limits>

#include <nlohmann/json.hpp>

#include "embed/local/unicode.h"

#include "common/json_number.h"
#include "common/text.h"

namespace cinerec::local {

using nlohmann::json;

namespace {

// Hugging Face's and SentencePiece's penalty for a character no piece covers.
constexpr double kUnknownPenalty = 10.0;

}  // namespace

Status UnigramTokenizer::add_normalizer(const json& n, const std::string& where, UnigramTokenizer& t) {
  if (n.is_null()) return Status::Ok();
  const std::string type = n.value("type", "");
  if (type == "Sequence") {
    for (const auto& step : n.at("normalizers")) CINEREC_TRY(add_normalizer(step, where, t));
  } else if (type == "Precompiled") {
    const std::string encoded = n.value("precompiled_charsmap", "");
    if (encoded.empty()) return Status::Ok();  // an empty charsmap is the identity
    auto blob = base64_decode(encoded);
    if (!blob.ok()) return Error{where + ": precompiled_charsmap: " + blob.error().message};
    auto map = PrecompiledCharsmap::parse(*blob);
    if (!map.ok()) return Error{where + ": " + map.error().message};
    t.charsmap_ = std::make_shared<PrecompiledCharsmap>(std::move(*map));
    t.normalizers_.push_back({NormalizerStep::Charsmap, {}, {}});
  } else if (type == "Replace") {
    const json& pattern = n.at("pattern");
    const std::string content = n.value("content", "");
    if (pattern.contains("String")) {
      t.normalizers_.push_back({NormalizerStep::ReplaceString, pattern.at("String").get<std::string>(), content});
    } else if (pattern.value("Regex", "") == " {2,}" && content == " ") {
      t.normalizers_.push_back({NormalizerStep::CollapseSpaces, {}, {}});
    } else {
      return Error{where + ": unsupported Replace normalizer pattern " + pattern.dump()};
    }
  } else if (type == "NFKC") {
    t.normalizers_.push_back({NormalizerStep::Nfkc, {}, {}});
  } else if (type == "Lowercase") {
    t.normalizers_.push_back({NormalizerStep::Lowercase, {}, {}});
  } else {
    return Error{where + ": unsupported normalizer '" + type +
                 "' for Unigram (Sequence, Precompiled, Replace, NFKC, Lowercase are)"};
  }
  return Status::Ok();
}

Status UnigramTokenizer::add_pre_tokenizer(const json& p, const std::string& where, UnigramTokenizer& t) {
  if (p.is_null()) return Status::Ok();
  const std::string type = p.value("type", "");
  if (type == "Sequence") {
    for (const auto& step : p.at("pretokenizers")) CINEREC_TRY(add_pre_tokenizer(step, where, t));
  } else if (type == "WhitespaceSplit") {
    t.whitespace_split_ = true;
  } else if (type == "Metaspace") {
    t.metaspace_ = true;
    if (p.contains("replacement")) {
      const json& r = p.at("replacement");
      t.replacement_ = r.is_string() ? r.get<std::string>() : std::string("\xE2\x96\x81");
    }
    if (p.contains("prepend_scheme")) {
      const std::string scheme = p.at("prepend_scheme").get<std::string>();
      t.prepend_ = scheme == "always" ? Prepend::Always : scheme == "first" ? Prepend::First : Prepend::Never;
    } else {
      t.prepend_ = p.value("add_prefix_space", true) ? Prepend::Always : Prepend::Never;
    }
    t.metaspace_split_ = p.value("split", true);
  } else {
    return Error{where + ": unsupported pre_tokenizer '" + type +
                 "' for Unigram (Sequence, WhitespaceSplit, Metaspace are)"};
  }
  return Status::Ok();
}

Result<UnigramTokenizer> UnigramTokenizer::from_json(const json& tok, const std::string& where) {
  UnigramTokenizer t;
  CINEREC_TRY(add_normalizer(tok.contains("normalizer") ? tok["normalizer"] : json(), where, t));
  CINEREC_TRY(add_pre_tokenizer(tok.contains("pre_tokenizer") ? tok["pre_tokenizer"] : json(), where, t));

  const json& model = tok.at("model");
  if (!model.contains("vocab") || !model["vocab"].is_array())
    return Error{where + ": Unigram model has no vocab array"};
  double min_score = std::numeric_limits<double>::max();
  std::int32_t id = 0;
  for (const auto& entry : model["vocab"]) {
    if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string() || !entry[1].is_number())
      return Error{where + ": Unigram vocab entry " + std::to_string(id) + " is not [piece, score]"};
    const std::string piece = entry[0].get<std::string>();
    const double score = entry[1].get<double>();
    t.piece_ids_.emplace(piece, id);
    t.scores_.push_back(score);
    min_score = std::min(min_score, score);
    std::size_t chars = 0;
    for (unsigned char c : piece) chars += (c & 0xC0) != 0x80;
    t.max_piece_chars_ = std::max(t.max_piece_chars_, chars);
    ++id;
  }
  if (id == 0) return Error{where + ": Unigram vocab is empty"};
  if (!model.contains("unk_id") || !model["unk_id"].is_number_integer())
    return Error{where + ": Unigram model has no unk_id"};
  t.unk_id_ = json_int32(model["unk_id"], "unk_id");
  if (t.unk_id_ < 0 || t.unk_id_ >= id) return Error{where + ": Unigram unk_id out of range"};
  t.unk_score_ = min_score - kUnknownPenalty;
  t.byte_fallback_ = model.value("byte_fallback", false);
  return t;
}

std::string UnigramTokenizer::normalize(std::string_view text) const {
  std::string s = encode_utf8(decode_utf8(text));  // malformed bytes become U+FFFD
  for (const auto& step : normalizers_) {
    switch (step.kind) {
      case NormalizerStep::Charsmap:
        s = charsmap_->normalize(s);
        break;
      case NormalizerStep::CollapseSpaces: {
        std::string out;
        for (char c : s)
          if (!(c == ' ' && !out.empty() && out.back() == ' ')) out.push_back(c);
        s = std::move(out);
        break;
      }
      case NormalizerStep::ReplaceString: {
        if (step.from.empty()) break;
        std::string out;
        std::size_t pos = 0, hit;
        while ((hit = s.find(step.from, pos)) != std::string::npos) {
          out.append(s, pos, hit - pos);
          out += step.to;
          pos = hit + step.from.size();
        }
        out.append(s, pos);
        s = std::move(out);
        break;
      }
      case NormalizerStep::Nfkc:
        s = nfkc(s);
        break;
      case NormalizerStep::Lowercase: {
        std::u32string lower;
        for (char32_t c : decode_utf8(s)) append_lowercase(lower, c);
        s = encode_utf8(lower);
        break;
      }
    }
  }
  return s;
}

std::vector<std::string> UnigramTokenizer::pre_tokenize(const std::string& text) const {
  std::vector<std::string> words;
  if (whitespace_split_) {
    std::string current;
    for (char32_t c : decode_utf8(text)) {
      if (is_unicode_whitespace(c)) {
        if (!current.empty()) words.push_back(std::move(current));
        current.clear();
      } else {
        append_utf8(current, c);
      }
    }
    if (!current.empty()) words.push_back(std::move(current));
  } else if (!text.empty()) {
    words.push_back(text);
  }
  if (!metaspace_) return words;

  std::vector<std::string> out;
  for (std::size_t w = 0; w < words.size(); ++w) {
    std::string s;
    for (char c : words[w]) {
      if (c == ' ') s += replacement_;
      else s.push_back(c);
    }
    const bool prepend = prepend_ == Prepend::Always || (prepend_ == Prepend::First && w == 0);
    if (prepend && s.compare(0, replacement_.size(), replacement_) != 0) s = replacement_ + s;
    if (!metaspace_split_) {
      out.push_back(std::move(s));
      continue;
    }
    // Each replacement character starts a new piece (Hugging Face's MergedWithNext split).
    std::size_t start = 0;
    for (std::size_t pos = s.find(replacement_, 1); pos != std::string::npos;
         pos = s.find(replacement_, pos + 1)) {
      out.push_back(s.substr(start, pos - start));
      start = pos;
    }
    out.push_back(s.substr(start));
  }
  return out;
}

void UnigramTokenizer::encode_word(std::string_view word, std::vector<std::int32_t>& out) const {
  // Character boundaries in bytes.
  std::vector<std::size_t> bounds{0};
  for (std::size_t i = 0; i < word.size();) {
    i += std::min(utf8_sequence_length(static_cast<unsigned char>(word[i])), word.size() - i);
    bounds.push_back(i);
  }
  const std::size_t n = bounds.size() - 1;
  if (n == 0) return;

  // best[i]: highest score of a segmentation of the first i characters; ties keep the first found,
  // which is the longest last piece, as in Hugging Face's and SentencePiece's lattices.
  constexpr std::int32_t kUnreached = std::numeric_limits<std::int32_t>::min();
  std::vector<double> best(n + 1, 0.0);
  std::vector<std::int32_t> piece(n + 1, kUnreached);
  std::vector<std::size_t> from(n + 1, 0);
  piece[0] = -1;
  for (std::size_t i = 0; i < n; ++i) {
    if (piece[i] == kUnreached) continue;
    bool has_single = false;
    const std::size_t longest = std::min(max_piece_chars_, n - i);
    for (std::size_t len = 1; len <= longest; ++len) {
      auto it = piece_ids_.find(std::string(word.substr(bounds[i], bounds[i + len] - bounds[i])));
      if (it == piece_ids_.end()) continue;
      if (len == 1) has_single = true;
      const double score = best[i] + scores_[static_cast<std::size_t>(it->second)];
      if (piece[i + len] == kUnreached || score > best[i + len]) {
        best[i + len] = score;
        piece[i + len] = it->second;
        from[i + len] = i;
      }
    }
    if (!has_single) {
      const double score = best[i] + unk_score_;
      if (piece[i + 1] == kUnreached || score > best[i + 1]) {
        best[i + 1] = score;
        piece[i + 1] = unk_id_;
        from[i + 1] = i;
      }
    }
  }

  struct Span { std::int32_t id; std::size_t begin, end; };
  std::vector<Span> spans;
  for (std::size_t end = n; end > 0; end = from[end]) spans.push_back({piece[end], from[end], end});
  std::reverse(spans.begin(), spans.end());

  // Runs of unknown characters become one unknown token (fuse_unk), or their bytes.
  for (std::size_t k = 0; k < spans.size();) {
    if (spans[k].id != unk_id_) {
      out.push_back(spans[k].id);
      ++k;
      continue;
    }
    std::size_t j = k;
    while (j < spans.size() && spans[j].id == unk_id_) ++j;
    const std::string_view text =
        word.substr(bounds[spans[k].begin], bounds[spans[j - 1].end] - bounds[spans[k].begin]);
    bool spelled = false;
    if (byte_fallback_) {
      std::vector<std::int32_t> bytes;
      for (unsigned char c : text) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", c);
        auto it = piece_ids_.find(name);
        if (it == piece_ids_.end()) break;
        bytes.push_back(it->second);
      }
      if (bytes.size() == text.size()) {
        out.insert(out.end(), bytes.begin(), bytes.end());
        spelled = true;
      }
    }
    if (!spelled) out.push_back(unk_id_);
    k = j;
  }
}

std::vector<std::int32_t> UnigramTokenizer::encode(std::string_view text) const {
  std::vector<std::int32_t> ids;
  for (const auto& word : pre_tokenize(normalize(text))) encode_word(word, ids);
  return ids;
}

}  // namespace cinerec::local
