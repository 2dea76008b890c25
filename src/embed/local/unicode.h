// Code point level Unicode helpers shared by the WordPiece and Unigram tokenizers. The character
// classes follow the Hugging Face tokenizers definitions (Rust char semantics), which the models'
// vocabularies were built with.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cinerec::local {

// Decodes UTF-8; each malformed byte becomes U+FFFD, so any input yields a code point sequence.
std::u32string decode_utf8(std::string_view text);
void append_utf8(std::string& out, char32_t cp);
std::string encode_utf8(std::u32string_view cps);

// Rust char::is_whitespace: the Unicode White_Space property.
bool is_unicode_whitespace(char32_t cp);
// General category C* (control, format, unassigned, private use, surrogate).
bool is_other_category(char32_t cp);
// BERT punctuation: ASCII punctuation or Unicode categories P*.
bool is_bert_punctuation(char32_t cp);
// CJK Unified Ideographs blocks, as the original BERT tokenizer defines them.
bool is_cjk_ideograph(char32_t cp);
// Unicode category Mn (nonspacing combining mark).
bool is_nonspacing_mark(char32_t cp);

// Canonical decomposition (NFD) of a sequence.
std::u32string nfd(std::u32string_view cps);
// NFKC composition of UTF-8 text.
std::string nfkc(std::string_view text);
// Per code point full lowercase mapping (Rust char::to_lowercase: no context rules, so no final sigma).
void append_lowercase(std::u32string& out, char32_t cp);

}  // namespace cinerec::local
