#include "store/postgres/pg_store.h"
#include "store/postgres/pg_url.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace cinerec {

Result<std::unique_ptr<Store>> open_store(const std::string& location, OpenMode mode) {
  if (is_postgres_url(location)) return open_postgres_store(location, mode);
  return open_sqlite_store(location, mode);
}

}  // namespace cinerec
