#include "store/rating_store.h"
#include "store/sqlite/sqlite_store.h"

namespace cinerec {

Result<std::unique_ptr<RatingStore>> open_rating_store(const std::string& location, OpenMode mode) {
  if (location.starts_with("postgres://") || location.starts_with("postgresql://"))
    return Error{"rating histories are not yet stored in PostgreSQL; use a SQLite path for --db"};
  return open_sqlite_rating_store(location, mode);
}

}  // namespace cinerec
