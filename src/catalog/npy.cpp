#include "catalog/npy.h"

#include <cstring>
#include <filesystem>
#include <regex>

namespace cinerec {
namespace {
constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicLen = 6;
// Header size NpyWriter reserves: room for any shape up to 20-digit row counts.
constexpr std::size_t kWriterHeader = 128;

bool little_endian() {
  const std::uint16_t one = 1;
  std::uint8_t first;
  std::memcpy(&first, &one, 1);
  return first == 1;
}
}  // namespace

namespace detail {
std::string npy_header(std::size_t rows, std::size_t dim, std::size_t total) {
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
                     std::to_string(dim) + "), }";
  std::string h(kMagic, kMagicLen);
  h += '\x01';
  h += '\x00';
  const std::size_t len = total - 10;
  h += static_cast<char>(len & 0xff);
  h += static_cast<char>((len >> 8) & 0xff);
  h += dict;
  h.append(total - h.size() - 1, ' ');
  h += '\n';
  return h;
}
}  // namespace detail

Result<NpyReader> NpyReader::open(const std::string& path) {
  if (!little_endian()) return Error{path + ": .npy reading needs a little-endian machine"};
  NpyReader r;
  r.path_ = path;
  r.in_.open(path, std::ios::binary);
  if (!r.in_) return Error{path + ": cannot open file"};
  char pre[8];
  if (!r.in_.read(pre, 8) || std::memcmp(pre, kMagic, kMagicLen) != 0) return Error{path + ": not a .npy file (bad magic)"};
  const int major = static_cast<unsigned char>(pre[6]);
  std::size_t header_len = 0;
  std::size_t prefix = 0;
  if (major == 1) {
    unsigned char b[2];
    if (!r.in_.read(reinterpret_cast<char*>(b), 2)) return Error{path + ": truncated .npy header"};
    header_len = b[0] | (std::size_t(b[1]) << 8);
    prefix = 10;
  } else if (major == 2 || major == 3) {
    unsigned char b[4];
    if (!r.in_.read(reinterpret_cast<char*>(b), 4)) return Error{path + ": truncated .npy header"};
    header_len = b[0] | (std::size_t(b[1]) << 8) | (std::size_t(b[2]) << 16) | (std::size_t(b[3]) << 24);
    prefix = 12;
  } else {
    return Error{path + ": unsupported .npy format version " + std::to_string(major)};
  }
  std::string dict(header_len, '\0');
  if (!r.in_.read(dict.data(), static_cast<std::streamsize>(header_len))) return Error{path + ": truncated .npy header"};

  std::smatch m;
  static const std::regex descr(R"('descr'\s*:\s*'([^']*)')");
  static const std::regex order(R"('fortran_order'\s*:\s*(True|False))");
  static const std::regex shape(R"('shape'\s*:\s*\(\s*(\d+)\s*,\s*(\d+)\s*,?\s*\))");
  if (!std::regex_search(dict, m, descr)) return Error{path + ": .npy header has no dtype"};
  if (m[1] == "<f4") r.f64_ = false;
  else if (m[1] == "<f8") r.f64_ = true;
  else return Error{path + ": .npy dtype is " + m[1].str() + ", expected little-endian float32 ('<f4') or float64 ('<f8')"};
  if (!std::regex_search(dict, m, order) || m[1] != "False")
    return Error{path + ": .npy array is in Fortran order; save it C-ordered (numpy.ascontiguousarray)"};
  if (!std::regex_search(dict, m, shape))
    return Error{path + ": .npy array is not 2-D (rows, dimension)"};
  r.rows_ = std::stoull(m[1].str());
  r.dim_ = std::stoull(m[2].str());
  if (r.dim_ == 0 && r.rows_ > 0) return Error{path + ": .npy vectors have dimension 0"};
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  const std::size_t want = prefix + header_len + r.rows_ * r.dim_ * (r.f64_ ? 8 : 4);
  if (ec || size != want)
    return Error{path + ": file has " + std::to_string(size) + " bytes, its header's shape (" + std::to_string(r.rows_) +
                 ", " + std::to_string(r.dim_) + ") needs " + std::to_string(want)};
  return r;
}

Result<std::size_t> NpyReader::read(std::size_t max_rows, std::vector<float>& out) {
  const std::size_t n = std::min(max_rows, rows_ - next_row_);
  out.resize(n * dim_);
  if (n == 0) return std::size_t{0};
  if (!f64_) {
    if (!in_.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(n * dim_ * 4)))
      return Error{path_ + ": read error at row " + std::to_string(next_row_)};
  } else {
    std::vector<double> tmp(n * dim_);
    if (!in_.read(reinterpret_cast<char*>(tmp.data()), static_cast<std::streamsize>(n * dim_ * 8)))
      return Error{path_ + ": read error at row " + std::to_string(next_row_)};
    for (std::size_t i = 0; i < tmp.size(); ++i) out[i] = static_cast<float>(tmp[i]);
  }
  next_row_ += n;
  return n;
}

Result<NpyWriter> NpyWriter::create(const std::string& path, std::size_t dim) {
  if (!little_endian()) return Error{path + ": .npy writing needs a little-endian machine"};
  NpyWriter w;
  w.path_ = path;
  w.dim_ = dim;
  w.out_.open(path, std::ios::binary | std::ios::trunc);
  if (!w.out_) return Error{path + ": cannot create file"};
  const std::string header = detail::npy_header(0, dim, kWriterHeader);
  w.out_.write(header.data(), static_cast<std::streamsize>(header.size()));
  if (!w.out_) return Error{path + ": write error"};
  return w;
}

Status NpyWriter::write(const float* data, std::size_t rows) {
  out_.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(rows * dim_ * sizeof(float)));
  if (!out_) return Error{path_ + ": write error after row " + std::to_string(rows_)};
  rows_ += rows;
  return Status::Ok();
}

Status NpyWriter::finish() {
  const std::string header = detail::npy_header(rows_, dim_, kWriterHeader);
  out_.seekp(0);
  out_.write(header.data(), static_cast<std::streamsize>(header.size()));
  out_.close();
  if (!out_) return Error{path_ + ": write error while finishing"};
  return Status::Ok();
}

}  // namespace cinerec
