#include <iostream>

#include "cli/commands.h"

namespace cinerec::cli {

int fail(const Error& error) {
  std::cerr << "cinerec: " << error.message << "\n";
  return kExitFailure;
}

Result<std::unique_ptr<Store>> open_db(const GlobalOptions& global, OpenMode mode) {
  return open_store(global.db, mode);
}

}  // namespace cinerec::cli
