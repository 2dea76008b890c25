#include "catalog/posters.h"

#include <filesystem>
#include <vector>

#include "common/text.h"

namespace fs = std::filesystem;

namespace cinerec {

PosterDirectory::PosterDirectory(const std::string& dir) : dir_(dir) {
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return;
  exists_ = true;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file(ec)) continue;
    by_folded_name_[fold_for_search(entry.path().filename().string())] = fs::absolute(entry.path(), ec).string();
  }
}

PosterMatch PosterDirectory::find(const std::string& title) const {
  if (!exists_) return {};
  std::vector<std::string> stems = {"m_" + title};
  if (auto colon = title.find(':'); colon != std::string::npos) stems.push_back("m_" + title.substr(0, colon));
  for (const auto& stem : stems) {
    for (const char* extension : {".png", ".jpg", ".jpeg", ".webp", ""}) {
      auto it = by_folded_name_.find(fold_for_search(stem + extension));
      if (it == by_folded_name_.end()) continue;
      std::error_code ec;
      if (fs::file_size(it->second, ec) == 0 || ec)
        return {"", "poster " + fs::path(it->second).filename().string() + " is empty; using the placeholder"};
      return {it->second, ""};
    }
  }
  return {"", "no poster m_" + title + ".png in " + dir_ + "; using the placeholder"};
}

}  // namespace cinerec
