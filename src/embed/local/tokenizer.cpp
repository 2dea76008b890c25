#include "embed/local/tokenizer.h"

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

#include "common/json_number.h"

namespace cinerec::local {

using nlohmann::json;

namespace {

// Reads the ids a post-processor puts before and after a single sequence. Members are read with at(),
// never the const operator[]: on a missing key or index that is undefined behavior, while at() throws
// a json::exception that load() reports as a malformed file.
Status read_post_processor(const json& post, const std::string& where, std::vector<std::int32_t>& prefix,
                           std::vector<std::int32_t>& suffix) {
  if (post.is_null()) return Status::Ok();
  const std::string type = post.value("type", "");
  if (type == "BertProcessing" || type == "RobertaProcessing") {
    // "cls": ["[CLS]", 101], "sep": ["[SEP]", 102]
    prefix.push_back(json_int32(post.at("cls").at(1), "post_processor.cls id"));
    suffix.push_back(json_int32(post.at("sep").at(1), "post_processor.sep id"));
    return Status::Ok();
  }
  if (type == "TemplateProcessing") {
    bool seen_sequence = false;
    for (const auto& piece : post.at("single")) {
      if (piece.contains("Sequence")) {
        seen_sequence = true;
        continue;
      }
      if (!piece.contains("SpecialToken"))
        return Error{where + ": unexpected TemplateProcessing piece " + piece.dump()};
      const std::string name = piece.at("SpecialToken").at("id").get<std::string>();
      const json& specials = post.at("special_tokens");
      if (!specials.contains(name))
        return Error{where + ": TemplateProcessing special token '" + name + "' is not defined"};
      for (const auto& id : specials.at(name).at("ids"))
        (seen_sequence ? suffix : prefix).push_back(json_int32(id, "special token id"));
    }
    return Status::Ok();
  }
  if (type == "Sequence") {
    for (const auto& p : post.at("processors")) CINEREC_TRY(read_post_processor(p, where, prefix, suffix));
    return Status::Ok();
  }
  if (type == "ByteLevel") return Status::Ok();  // offsets only
  return Error{where + ": unsupported post_processor '" + type + "'"};
}

}  // namespace

Result<Tokenizer> Tokenizer::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error{path + ": cannot open (missing tokenizer.json?)"};
  json tok = json::parse(in, nullptr, false);
  if (tok.is_discarded() || !tok.is_object() || !tok.contains("model"))
    return Error{path + ": not a tokenizer.json (no model object)"};

  Tokenizer t;
  try {
    const std::string type = tok["model"].value("type", "");
    if (type == "WordPiece") {
      auto wp = WordPieceTokenizer::from_json(tok, path);
      CINEREC_TRY(wp);
      t.model_ = std::move(*wp);
    } else if (type == "Unigram") {
      auto uni = UnigramTokenizer::from_json(tok, path);
      CINEREC_TRY(uni);
      t.model_ = std::move(*uni);
    } else {
      return Error{path + ": unsupported tokenizer model '" + type + "' (WordPiece, Unigram are)"};
    }
    CINEREC_TRY(read_post_processor(tok.contains("post_processor") ? tok["post_processor"] : json(), path,
                                    t.prefix_, t.suffix_));
    if (tok.contains("padding") && tok["padding"].is_object())
      t.pad_id_ = static_cast<std::int32_t>(json_integer_or(tok["padding"], "pad_id", 0, 0, INT32_MAX));
    else
      t.pad_id_ = type == "Unigram" ? 1 : 0;
  } catch (const json::exception& e) {
    return Error{path + ": unexpected structure: " + e.what()};
  }
  return t;
}

std::vector<std::int32_t> Tokenizer::encode(std::string_view text, std::size_t max_tokens) const {
  std::vector<std::int32_t> body = std::visit([&](const auto& m) { return m.encode(text); }, model_);
  const std::size_t room = max_tokens > special_token_count() ? max_tokens - special_token_count() : 0;
  if (body.size() > room) body.resize(room);
  std::vector<std::int32_t> ids;
  ids.reserve(body.size() + special_token_count());
  ids.insert(ids.end(), prefix_.begin(), prefix_.end());
  ids.insert(ids.end(), body.begin(), body.end());
  ids.insert(ids.end(), suffix_.begin(), suffix_.end());
  return ids;
}

TokenBatch Tokenizer::encode_batch(const std::vector<std::string>& texts, std::size_t max_tokens) const {
  TokenBatch batch;
  batch.batch = texts.size();
  std::vector<std::vector<std::int32_t>> rows;
  rows.reserve(texts.size());
  for (const auto& text : texts) {
    rows.push_back(encode(text, max_tokens));
    batch.width = std::max(batch.width, rows.back().size());
    batch.lengths.push_back(rows.back().size());
  }
  batch.ids.assign(batch.batch * batch.width, pad_id_);
  batch.mask.assign(batch.batch * batch.width, 0);
  for (std::size_t b = 0; b < rows.size(); ++b) {
    for (std::size_t i = 0; i < rows[b].size(); ++i) {
      batch.ids[b * batch.width + i] = rows[b][i];
      batch.mask[b * batch.width + i] = 1;
    }
  }
  return batch;
}

}  // namespace cinerec::local
