// SQLite implementation of Store: one database file in WAL mode, so readers (the server) keep answering
// while a writer (an import) commits. The schema version is PRAGMA user_version; migrations in
// sqlite_schema.cpp bring older files up to date inside one transaction.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace cinerec {

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path, OpenMode mode);

}  // namespace cinerec
