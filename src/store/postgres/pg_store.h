// PostgreSQL implementation of Store: one catalog shared by any number of cinerec processes (server
// replicas, importers). Same behaviour as the SQLite store, method for method; what PostgreSQL adds:
//  - Writers serialize on the catalog_state row, so concurrent imports from several machines apply one
//    after another, each atomically; readers never wait.
//  - Every committed write sends NOTIFY cinerec_catalog with the new version, and wait_for_change()
//    LISTENs for it, so replicas learn of a write within milliseconds.
//  - A lost connection (the server restarted, a network blip) is re-established on the next call, and
//    the call is retried once when that is safe: reads always, writes when the connection broke before
//    COMMIT was sent. Connecting gives up after connect_timeout (default 5 s).
//  - Messages name the server by its URL with the password removed, and never contain the password.
// Bulk writes go through COPY into a temporary table, then one set-based statement.
// One Store object is used by one thread at a time; open one per thread.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace cinerec {

// `url`: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?PARAM=VALUE&…] (any libpq URI parameter).
// The database must exist. ReadOnly and ReadWrite fail when it holds no cinerec schema; CreateIfMissing
// creates (or migrates) the schema. ReadOnly sessions are read-only on the server too.
Result<std::unique_ptr<Store>> open_postgres_store(const std::string& url, OpenMode mode);

}  // namespace cinerec
