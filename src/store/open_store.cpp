#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace cinerec {

Result<std::unique_ptr<Store>> open_store(const std::string& location, OpenMode mode) {
  if (location.starts_with("postgres://") || location.starts_with("postgresql://"))
    return Error{"this cinerec was built without PostgreSQL support; use a SQLite path for --db"};
  return open_sqlite_store(location, mode);
}

}  // namespace cinerec
