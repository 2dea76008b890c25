#include "server/poster_files.h"

#include <algorithm>
#include <fstream>
#include <map>

#include "common/text.h"
#include "server/static_assets.h"

namespace cinerec {

namespace fs = std::filesystem;

std::string sniff_image_type(const std::string& head) {
  if (head.rfind("\x89PNG\r\n\x1a\n", 0) == 0) return "image/png";
  if (head.size() >= 3 && static_cast<unsigned char>(head[0]) == 0xFF && static_cast<unsigned char>(head[1]) == 0xD8 &&
      static_cast<unsigned char>(head[2]) == 0xFF)
    return "image/jpeg";
  if (head.rfind("GIF87a", 0) == 0 || head.rfind("GIF89a", 0) == 0) return "image/gif";
  if (head.size() >= 12 && head.compare(0, 4, "RIFF") == 0 && head.compare(8, 4, "WEBP") == 0) return "image/webp";
  return {};
}

PosterFiles::PosterFiles(const fs::path& dir) {
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return;
  dir_ = fs::canonical(dir, ec);
  if (ec) {
    dir_.clear();
    return;
  }
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    if (fold_for_search(entry.path().filename().string()) == "default.jpg") seed_placeholder_ = entry.path();
  }
}

fs::path PosterFiles::guess_dir(const std::vector<Movie>& movies) {
  std::map<fs::path, std::size_t> count;
  for (const auto& m : movies)
    if (!m.poster.empty()) ++count[fs::path(m.poster).parent_path()];
  fs::path best;
  std::size_t most = 0;
  for (const auto& [dir, n] : count)
    if (n > most) best = dir, most = n;
  return best;
}

std::optional<PosterImage> PosterFiles::read_confined(const fs::path& path) const {
  if (dir_.empty() || path.empty()) return std::nullopt;
  std::error_code ec;
  fs::path real = fs::canonical(path, ec);
  if (ec) return std::nullopt;
  // Component-wise prefix check: "/posters-evil/x" is not inside "/posters".
  auto [mismatch, _] = std::mismatch(dir_.begin(), dir_.end(), real.begin(), real.end());
  if (mismatch != dir_.end() || real == dir_) return std::nullopt;
  if (!fs::is_regular_file(real, ec)) return std::nullopt;
  auto size = fs::file_size(real, ec);
  if (ec || size == 0 || size > kMaxPosterBytes) return std::nullopt;
  auto mtime = fs::last_write_time(real, ec);
  if (ec) return std::nullopt;
  std::ifstream in(real, std::ios::binary);
  std::string bytes(size, '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) return std::nullopt;
  auto type = sniff_image_type(bytes.substr(0, 16));
  if (type.empty()) return std::nullopt;
  PosterImage image;
  image.content_type = type;
  image.bytes = std::move(bytes);
  image.etag = "\"" + std::to_string(size) + "-" + std::to_string(static_cast<unsigned long long>(mtime.time_since_epoch().count())) + "\"";
  return image;
}

PosterImage PosterFiles::placeholder() const {
  if (auto seed = read_confined(seed_placeholder_)) {
    seed->placeholder = true;
    return *seed;
  }
  const StaticAsset* svg = find_static_asset("placeholder.svg");
  PosterImage image;
  image.placeholder = true;
  image.content_type = "image/svg+xml";
  if (svg) image.bytes.assign(reinterpret_cast<const char*>(svg->data), svg->size);
  image.etag = "\"placeholder-" + std::to_string(image.bytes.size()) + "\"";
  return image;
}

PosterImage PosterFiles::poster(const std::string& stored) const {
  if (auto image = read_confined(stored)) return *image;
  return placeholder();
}

}  // namespace cinerec
