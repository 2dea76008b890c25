#include "common/read_file.h"

#include <fstream>
#include <sstream>

namespace cinerec {

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{"cannot open " + path};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Error{"cannot read " + path};
  return buffer.str();
}

}  // namespace cinerec
