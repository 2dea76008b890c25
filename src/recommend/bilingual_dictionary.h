// An English -> Spanish word list read from a dictd database (Debian dict-freedict-eng-spa: a .index
// file of "headword<TAB>base64 offset<TAB>base64 length" and a gzip/dictzip .dict.dz with the entries).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"

namespace cinerec {

class BilingualDictionary {
 public:
  static constexpr const char* kDefaultIndex = "/usr/share/dictd/freedict-eng-spa.index";
  static constexpr const char* kDefaultData = "/usr/share/dictd/freedict-eng-spa.dict.dz";

  // Reads the whole database. Errors name the file and, for a malformed index, the line.
  static Result<BilingualDictionary> load(const std::string& index_path = kDefaultIndex,
                                          const std::string& data_path = kDefaultData);

  // Parses dictd text directly (data already decompressed); for tests and other sources.
  static Result<BilingualDictionary> parse(std::string_view index, std::string_view data, std::string_view source);

  // Spanish translations of a lower-case English word, best first, at most `max` (the first
  // translation of each numbered sense, then the others). Tries simple English plural forms ("wars",
  // "stories", "boxes") when the word itself is missing. Empty when unknown.
  std::vector<std::string> translate(std::string_view english, std::size_t max = 2) const;

  std::size_t size() const { return entries_.size(); }

 private:
  std::unordered_map<std::string, std::vector<std::string>> entries_;
};

}  // namespace cinerec
