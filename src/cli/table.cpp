#include "cli/table.h"

#include <cstdio>
#include <ostream>

namespace cinerec::cli {

static std::size_t display_width(const std::string& s) {
  std::size_t width = 0;
  for (unsigned char c : s) width += (c & 0xC0) != 0x80;  // count code point starts
  return width;
}

void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (widths.size() <= c) widths.push_back(0);
      widths[c] = std::max(widths[c], display_width(row[c]));
    }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(widths[c] - display_width(row[c]) + 2, ' ');
    }
    out << line << "\n";
  }
}

void print_recommendations(std::ostream& out, const Recommendations& recs, bool explain) {
  bool because = false;
  for (const auto& r : recs.results) because |= r.closest_liked != nullptr;
  std::vector<std::vector<std::string>> rows = {{"#", "score", "title", "year", "genres"}};
  if (because) rows[0].push_back("closest liked");
  for (std::size_t i = 0; i < recs.results.size(); ++i) {
    const auto& r = recs.results[i];
    char score[16];
    std::snprintf(score, sizeof score, "%.3f", r.score);
    std::string genres;
    for (const auto& g : r.movie->genres) genres += (genres.empty() ? "" : ", ") + g;
    rows.push_back({std::to_string(i + 1), score, r.movie->title, r.movie->year ? std::to_string(*r.movie->year) : "",
                    genres});
    if (because) rows.back().push_back(r.closest_liked ? r.closest_liked->title : "");
  }
  if (!recs.results.empty()) print_table(out, rows);
  if (explain) {
    for (const auto& line : recs.understood) out << "understood: " << line << "\n";
    for (std::size_t i = 0; i < recs.results.size(); ++i) {
      const auto& r = recs.results[i];
      char parts[96];
      std::snprintf(parts, sizeof parts, "lexical %.3f, vector %.3f, genre/era %.3f", r.lexical_score,
                    r.vector_score, r.intent_score);
      out << "why #" << (i + 1) << ": " << parts;
      if (!r.matched_words.empty()) {
        out << "; words:";
        for (const auto& w : r.matched_words) out << " " << w;
      }
      if (r.near) out << "; near: " << r.near->title;
      out << "\n";
    }
  }
  for (const auto& notice : recs.notices) out << "note: " << notice << "\n";
  if (explain && !recs.vector_search.empty()) out << "vector search: " << recs.vector_search << "\n";
}

}  // namespace cinerec::cli
