#include <map>

#include "store/postgres/pg_rating_store.h"
#include "store/postgres/pg_url.h"
#include "store/rating_store.h"
#include "store/sqlite/sqlite_store.h"

namespace cinerec {

Status check_rating_batch(const std::vector<Rating>& ratings) {
  std::map<std::pair<std::string, MovieId>, std::size_t> seen;
  for (std::size_t i = 0; i < ratings.size(); ++i) {
    const auto& r = ratings[i];
    if (!(r.value >= 0.5f && r.value <= 5.0f))
      return Error{"user " + r.user + ", movie " + std::to_string(r.movie) + ": rating " + std::to_string(r.value) +
                   " is outside 0.5 … 5"};
    auto [it, inserted] = seen.emplace(std::pair{r.user, r.movie}, i);
    if (!inserted)
      return Error{"rating " + std::to_string(i) + ": user " + r.user + " rates movie " + std::to_string(r.movie) +
                   " twice in one batch (first: rating " + std::to_string(it->second) + ")"};
  }
  return Status::Ok();
}

Result<std::unique_ptr<RatingStore>> open_rating_store(const std::string& location, OpenMode mode) {
  if (is_postgres_url(location)) return open_postgres_rating_store(location, mode);
  return open_sqlite_rating_store(location, mode);
}

}  // namespace cinerec
