// Finding a movie's poster among the original app's files, named m_<title>.png.
#pragma once

#include <map>
#include <string>

namespace cinerec {

struct PosterMatch {
  std::string path;     // absolute path of a usable poster; empty: use the placeholder
  std::string warning;  // why there is no usable poster, when there is none
};

// Indexes a posters directory once, then resolves titles against it. Copes with the seed's defects:
// names compared case- and accent-insensitively, titles with ':' matched by the part before the colon
// (the original app truncated those file names, sometimes dropping the extension), and empty
// (0-byte) files treated as missing.
class PosterDirectory {
 public:
  explicit PosterDirectory(const std::string& dir);
  PosterMatch find(const std::string& title) const;
  bool exists() const { return exists_; }

 private:
  std::string dir_;
  bool exists_ = false;
  std::map<std::string, std::string> by_folded_name_;  // fold_for_search(file name) → absolute path
};

}  // namespace cinerec
