// NumPy .npy files of vectors: a 2-D little-endian float32 (or float64, converted) array, one vector per
// row, as numpy.save writes it. Read and written a block of rows at a time, so files larger than
// memory stream through.
#pragma once

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "common/result.h"

namespace cinerec {

class NpyReader {
 public:
  // Opens and validates the header: format version 1-3, dtype '<f4' or '<f8', C order, 2-D shape,
  // and a file size that matches the shape. Errors name the file and what is wrong.
  static Result<NpyReader> open(const std::string& path);

  std::size_t rows() const { return rows_; }
  std::size_t dim() const { return dim_; }

  // Reads the next min(max_rows, rows left) rows as float32 into out (resized to rows read x dim).
  // Returns the number of rows read: 0 at the end.
  Result<std::size_t> read(std::size_t max_rows, std::vector<float>& out);

 private:
  std::string path_;
  std::ifstream in_;
  std::size_t rows_ = 0, dim_ = 0, next_row_ = 0;
  bool f64_ = false;
};

class NpyWriter {
 public:
  // Creates (truncates) `path` for float32 rows of `dim` values.
  static Result<NpyWriter> create(const std::string& path, std::size_t dim);

  // Appends `rows` rows (rows * dim floats).
  Status write(const float* data, std::size_t rows);

  // Writes the final shape into the header and closes the file. Without finish() the file is not a
  // valid .npy (its header still says 0 rows).
  Status finish();

 private:
  std::string path_;
  std::ofstream out_;
  std::size_t dim_ = 0, rows_ = 0;
};

namespace detail {
// The .npy header (magic through the '\n' that ends the dict) for float32 rows x dim, padded to
// `total` bytes (a multiple of 64, large enough for any row count).
std::string npy_header(std::size_t rows, std::size_t dim, std::size_t total);
}  // namespace detail

}  // namespace cinerec
