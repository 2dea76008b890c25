// Progress of a long command: a redrawn bar on a terminal, plain lines otherwise (logs, pipes, CI),
// so captured output stays readable.
#pragma once

#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>

namespace cinerec::cli {

class ProgressReporter {
 public:
  // `interactive`: redraw one line with '\r' (use stderr_is_terminal()).
  ProgressReporter(std::ostream& out, bool interactive, std::string what);

  // done of total units finished. On a terminal redraws the bar; otherwise prints a line, at most one
  // per 2 seconds plus the first and the last, so a big job does not flood a log.
  void update(std::size_t done, std::size_t total);
  // Ends the bar's line on a terminal; no-op otherwise.
  void finish();

 private:
  std::ostream& out_;
  bool interactive_;
  std::string what_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_line_{};
};

bool stderr_is_terminal();

}  // namespace cinerec::cli
