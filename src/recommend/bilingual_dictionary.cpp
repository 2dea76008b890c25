#include "recommend/bilingual_dictionary.h"

#include <zlib.h>

#include <algorithm>

#include "common/read_file.h"
#include "common/text.h"

namespace cinerec {

namespace {

// dictd's base64 numbers: most significant digit first, alphabet A-Z a-z 0-9 + /.
bool decode_b64_number(std::string_view s, std::uint64_t& out) {
  out = 0;
  if (s.empty() || s.size() > 10) return false;
  for (char c : s) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+') v = 62;
    else if (c == '/') v = 63;
    else return false;
    out = out * 64 + static_cast<std::uint64_t>(v);
  }
  return true;
}

// An entry is "headword /pronunciation/\n" then either one line "a, b" or numbered senses "1. a, b".
// Returns first translations of every sense first, then the rest, without repeats.
std::vector<std::string> parse_entry(std::string_view entry) {
  std::vector<std::vector<std::string>> senses;
  auto lines = split_on(entry, '\n');
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto line = trim(lines[i]);
    if (line.empty()) continue;
    auto dot = line.find(". ");
    if (dot != std::string_view::npos && dot <= 2 &&
        std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(dot), [](char c) { return c >= '0' && c <= '9'; })) {
      line = trim(line.substr(dot + 2));
    }
    std::vector<std::string> sense;
    for (auto word : split_on(line, ',')) {
      auto w = trim(word);
      if (!w.empty()) sense.emplace_back(w);
    }
    if (!sense.empty()) senses.push_back(std::move(sense));
  }
  std::vector<std::string> out;
  auto add = [&](const std::string& w) {
    if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
  };
  for (const auto& s : senses) add(s.front());
  for (const auto& s : senses)
    for (const auto& w : s) add(w);
  return out;
}


// dictzip files are gzip files with an extra header field, so plain zlib inflation reads them whole.
Result<std::string> read_gzip(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return Error{"cannot open " + path};
  std::string out;
  char buf[1 << 15];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  int err = 0;
  const char* msg = gzerror(f, &err);
  std::string message = msg ? msg : "";
  gzclose(f);
  if (n < 0 || (err != Z_OK && err != Z_STREAM_END)) return Error{"cannot decompress " + path + ": " + message};
  return out;
}

}  // namespace

Result<BilingualDictionary> BilingualDictionary::parse(std::string_view index, std::string_view data,
                                                       std::string_view source) {
  BilingualDictionary dict;
  std::size_t line_no = 0;
  for (auto line : split_on(index, '\n')) {
    ++line_no;
    if (trim(line).empty()) continue;
    auto fields = split_on(line, '\t');
    std::uint64_t offset = 0, length = 0;
    if (fields.size() < 3 || !decode_b64_number(fields[1], offset) || !decode_b64_number(fields[2], length)) {
      return Error{std::string(source) + ":" + std::to_string(line_no) + ": malformed dictd index line"};
    }
    if (offset + length > data.size()) {
      return Error{std::string(source) + ":" + std::to_string(line_no) + ": entry points past the end of the data"};
    }
    std::string head(fields[0]);
    if (head.rfind("00database", 0) == 0 || head.rfind("00-database", 0) == 0) continue;
    // Multi-word English phrases are indexed under their first word after the single word's own entry
    // ("a" then "a day" -> "aldía"), so only the first entry of a headword is the word itself.
    head = fold_for_search(head);
    if (dict.entries_.count(head)) continue;
    auto translations = parse_entry(data.substr(offset, length));
    if (!translations.empty()) dict.entries_.emplace(std::move(head), std::move(translations));
  }
  return dict;
}

Result<BilingualDictionary> BilingualDictionary::load(const std::string& index_path, const std::string& data_path) {
  auto index = read_file(index_path);
  if (!index.ok()) return index.error();
  auto data = read_gzip(data_path);
  if (!data.ok()) return data.error();
  return parse(*index, *data, index_path);
}

std::vector<std::string> BilingualDictionary::translate(std::string_view english, std::size_t max) const {
  std::string word = fold_for_search(english);
  std::vector<std::string> candidates = {word};
  auto ends = [&](std::string_view s) { return word.size() > s.size() + 2 && word.compare(word.size() - s.size(), s.size(), s) == 0; };
  if (ends("ies")) candidates.push_back(word.substr(0, word.size() - 3) + "y");
  if (ends("es")) candidates.push_back(word.substr(0, word.size() - 2));
  if (ends("s")) candidates.push_back(word.substr(0, word.size() - 1));
  for (const auto& c : candidates) {
    auto it = entries_.find(c);
    if (it == entries_.end()) continue;
    std::vector<std::string> out(it->second.begin(), it->second.begin() + std::min(max, it->second.size()));
    return out;
  }
  return {};
}

}  // namespace cinerec
