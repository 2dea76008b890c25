// Serving poster images from one directory, and nothing outside it.
//
// A poster is named by the movie (the server looks its stored path up), never by a path from the URL;
// even so, a stored path is only read when, with symbolic links resolved, it is a regular file inside
// the posters directory, at most kMaxPosterBytes, and its first bytes are a PNG, JPEG, GIF or WebP
// image. Everything else gets the placeholder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "catalog/movie.h"

namespace cinerec {

struct PosterImage {
  std::string content_type;
  std::string bytes;
  std::string etag;        // changes when the file changes (size and modification time)
  bool placeholder = false;
};

class PosterFiles {
 public:
  static constexpr std::size_t kMaxPosterBytes = 8u << 20;

  // `dir` empty: no posters directory; every movie gets the placeholder. The seed's placeholder
  // (default.JPG, any case) is used when the directory has one, else the built-in SVG.
  explicit PosterFiles(const std::filesystem::path& dir);

  // The directory that holds most of the stored posters: where the importer found them. Empty when no
  // movie has a poster.
  static std::filesystem::path guess_dir(const std::vector<Movie>& movies);

  const std::filesystem::path& dir() const { return dir_; }

  // The poster of a movie whose stored poster path is `stored`, or the placeholder.
  PosterImage poster(const std::string& stored) const;
  PosterImage placeholder() const;

 private:
  std::optional<PosterImage> read_confined(const std::filesystem::path& path) const;

  std::filesystem::path dir_;  // canonical; empty when there is none
  std::filesystem::path seed_placeholder_;
};

// The image type named by a file's first bytes ("image/png", …), or empty when it is not one we serve.
std::string sniff_image_type(const std::string& head);

}  // namespace cinerec
