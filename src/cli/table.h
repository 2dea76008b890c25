// Human-readable tables for the terminal, aligned by Unicode code points (not bytes).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "recommend/recommender.h"

namespace cinerec::cli {

// Prints rows with columns padded to the widest cell; the first row is the header.
void print_table(std::ostream& out, const std::vector<std::vector<std::string>>& rows);

// The ranked results of a recommendation as a table (rank, score, title, year, genres, and the
// closest liked movie when there is one), then notices.
// With `explain`, how the prompt was read, then one line per result: score parts, matched terms, and
// the movie it was found through.
void print_recommendations(std::ostream& out, const Recommendations& recs, bool explain = false);

}  // namespace cinerec::cli
