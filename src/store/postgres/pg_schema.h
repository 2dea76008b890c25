// The PostgreSQL schema as an ordered list of migrations; the table schema_version holds the number
// applied. Same tables and meaning as the SQLite schema (store/sqlite/sqlite_schema.cpp), in
// PostgreSQL types: vectors are bytea (little-endian float32) beside their model, dimension and norm.
#pragma once

#include <string_view>
#include <vector>

namespace cinerec {

// Migration i (0-based) takes the schema from version i to version i + 1. Never edit a published
// migration: append a new one.
const std::vector<std::string_view>& postgres_migrations();

// The NOTIFY channel every committed write signals, with the new catalog version as payload.
inline constexpr std::string_view kCatalogChannel = "cinerec_catalog";

}  // namespace cinerec
