// PostgreSQL connection URLs: recognising them, making them safe to print, and turning them into the
// connection string cinerec actually uses (with a connect timeout, so a dead host fails in seconds).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace cinerec {

// True for "postgres://…" and "postgresql://…" (the two URI schemes libpq accepts).
bool is_postgres_url(std::string_view location);

// The URL with any password removed: the ":secret" of the user-info part and any "password=" query
// parameter. Safe for messages and logs; everything else is kept so the reader can tell which
// server and database were meant.
std::string redact_postgres_url(std::string_view url);

// The password the URL carries (user-info or "password=" parameter, percent-decoded); empty if none.
std::string postgres_url_password(std::string_view url);

// Checks the URL's shape (scheme, a database name, well-formed query parameters) and returns the
// libpq connection URI: the given URL plus, unless the URL sets them, connect_timeout=5 (seconds),
// application_name=cinerec, TCP keepalives (idle 10 s, then every 5 s, 3 probes) and
// tcp_user_timeout=15000 (ms), so a dead server or network is noticed in seconds. Errors never contain
// the password.
Result<std::string> postgres_connection_uri(std::string_view url);

// libpq's multi-line error text as one line (lines joined with "; "), with `password` (when at least 4
// characters long) and its percent-encoded form replaced by "***".
std::string one_line_pg_message(std::string_view message, std::string_view password);

}  // namespace cinerec
