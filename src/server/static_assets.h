// The web front end (src/server/web/*), compiled into the binary by cmake/embed_assets.cmake so a
// built `cinerec` serves its pages from any directory, with nothing to install beside it.
#pragma once

#include <cstddef>
#include <string_view>

namespace cinerec {

struct StaticAsset {
  std::string_view path;  // relative to src/server/web, e.g. "app.js", "i18n/es.json"
  const unsigned char* data;
  std::size_t size;
  std::string_view etag;  // a hash of the content, quoted
};

// The asset at `path`, or nullptr. Only the embedded files exist: no path reaches the file system.
const StaticAsset* find_static_asset(std::string_view path);

// The content type for an asset path, from its extension.
std::string_view asset_content_type(std::string_view path);

}  // namespace cinerec
