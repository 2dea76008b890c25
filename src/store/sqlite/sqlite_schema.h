// The SQLite schema as an ordered list of migrations; PRAGMA user_version = number applied.
#pragma once

#include <string_view>
#include <vector>

namespace cinerec {

// Migration i (0-based) takes the schema from version i to version i + 1. Never edit a published
// migration: append a new one.
const std::vector<std::string_view>& sqlite_migrations();

}  // namespace cinerec
