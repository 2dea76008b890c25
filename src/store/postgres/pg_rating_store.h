// PostgreSQL implementation of RatingStore: the rating tables (migration 3) of the same database as the
// catalog, on a connection of its own with the same policy (pg_session.h: reconnection, timeouts,
// passwords never in messages). What PostgreSQL adds over SQLite: rating writers from any number of
// processes take turns on the ratings_state row, each import applying atomically; ratings are loaded
// with COPY.
#pragma once

#include <memory>
#include <string>

#include "store/rating_store.h"

namespace cinerec {

// Checks (and, when writing, migrates) the schema exactly as open_postgres_store does, then connects.
Result<std::unique_ptr<RatingStore>> open_postgres_rating_store(const std::string& url, OpenMode mode);

}  // namespace cinerec
