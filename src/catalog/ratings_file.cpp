#include "catalog/ratings_file.h"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "catalog/csv.h"
#include "common/text.h"

namespace cinerec {
namespace {

Result<std::vector<CsvRow>> read_csv_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Error{path + ": is a directory, not a CSV file"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path + ": cannot open file"};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Error{path + ": read error"};
  auto rows = parse_csv(buffer.str());
  if (!rows.ok()) return Error{path + ": malformed CSV: " + rows.error().message};
  if (rows->empty()) return Error{path + ": empty file (expected a header row)"};
  return rows;
}

// Column index of each wanted header name (compared folded), or an error naming the missing one.
Result<std::vector<std::size_t>> find_columns(const std::string& path, const CsvRow& header,
                                              const std::vector<std::string>& wanted) {
  std::vector<std::size_t> columns;
  for (const auto& name : wanted) {
    std::size_t found = header.fields.size();
    for (std::size_t c = 0; c < header.fields.size(); ++c)
      if (fold_for_search(trim(header.fields[c])) == fold_for_search(name)) found = c;
    if (found == header.fields.size()) {
      std::string names;
      for (const auto& h : header.fields) names += (names.empty() ? "" : ", ") + h;
      return Error{path + ":1: no \"" + name + "\" column in the header (" + names + ")"};
    }
    columns.push_back(found);
  }
  return columns;
}

}  // namespace

Result<std::vector<RatingRow>> read_ratings_file(const std::string& path) {
  auto rows = read_csv_file(path);
  if (!rows.ok()) return rows.error();
  auto columns = find_columns(path, rows->front(), {"userId", "movieId", "rating", "timestamp"});
  if (!columns.ok()) return columns.error();
  const auto& header = rows->front().fields;
  std::vector<RatingRow> result;
  result.reserve(rows->size());
  std::set<std::pair<std::string, std::string>> seen;
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const auto& row = (*rows)[r];
    std::string where = path + ":" + std::to_string(row.line);
    if (row.fields.size() != header.size())
      return Error{where + ": " + std::to_string(row.fields.size()) + " fields, the header has " +
                   std::to_string(header.size())};
    RatingRow rating;
    rating.location = where;
    rating.user = std::string(trim(row.fields[(*columns)[0]]));
    rating.item = std::string(trim(row.fields[(*columns)[1]]));
    if (rating.user.empty()) return Error{where + ": empty userId"};
    if (rating.item.empty()) return Error{where + ": empty movieId"};
    std::string_view value = trim(row.fields[(*columns)[2]]);
    double parsed = 0.0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (ec != std::errc() || end != value.data() + value.size() || !std::isfinite(parsed) || parsed < 0.5 ||
        parsed > 5.0)
      return Error{where + ": rating \"" + std::string(value) + "\" is not a number from 0.5 to 5"};
    rating.rating = static_cast<float>(parsed);
    std::string_view stamp = trim(row.fields[(*columns)[3]]);
    auto [stamp_end, stamp_ec] = std::from_chars(stamp.data(), stamp.data() + stamp.size(), rating.timestamp);
    if (stamp_ec != std::errc() || stamp_end != stamp.data() + stamp.size() || rating.timestamp < 0)
      return Error{where + ": timestamp \"" + std::string(stamp) + "\" is not a non-negative integer (seconds)"};
    if (!seen.emplace(rating.user, rating.item).second)
      return Error{where + ": user " + rating.user + " rates movie " + rating.item + " a second time"};
    result.push_back(std::move(rating));
  }
  return result;
}

Result<std::map<std::string, ExternalIds>> read_links_file(const std::string& path) {
  auto rows = read_csv_file(path);
  if (!rows.ok()) return rows.error();
  auto columns = find_columns(path, rows->front(), {"movieId", "imdbId", "tmdbId"});
  if (!columns.ok()) return columns.error();
  const auto& header = rows->front().fields;
  std::map<std::string, ExternalIds> links;
  for (std::size_t r = 1; r < rows->size(); ++r) {
    const auto& row = (*rows)[r];
    std::string where = path + ":" + std::to_string(row.line);
    if (row.fields.size() != header.size())
      return Error{where + ": " + std::to_string(row.fields.size()) + " fields, the header has " +
                   std::to_string(header.size())};
    std::string movie(trim(row.fields[(*columns)[0]]));
    if (movie.empty()) return Error{where + ": empty movieId"};
    ExternalIds ids;
    std::string imdb(trim(row.fields[(*columns)[1]]));
    if (!imdb.empty()) ids.imdb = imdb.starts_with("tt") ? imdb : "tt" + imdb;
    ids.tmdb = std::string(trim(row.fields[(*columns)[2]]));
    if (!links.emplace(movie, ids).second) return Error{where + ": movieId " + movie + " appears twice"};
  }
  return links;
}

}  // namespace cinerec
