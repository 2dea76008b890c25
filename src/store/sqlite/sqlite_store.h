// SQLite implementation of Store: one database file in WAL mode, so readers (the server) keep answering
// while a writer (an import) commits. The schema version is PRAGMA user_version; migrations in
// sqlite_schema.cpp bring older files up to date inside one transaction.
#pragma once

#include <memory>
#include <string>

#include "store/rating_store.h"
#include "store/store.h"

namespace cinerec {

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, OpenMode mode);

// The rating tables of the same file (sqlite_rating_store.cpp).
Result<std::unique_ptr<RatingStore>> open_sqlite_rating_store(const std::string& path, OpenMode mode);

}  // namespace cinerec
