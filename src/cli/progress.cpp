#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace cinerec::cli {

bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

ProgressReporter::ProgressReporter(std::ostream& out, bool interactive, std::string what)
    : out_(out), interactive_(interactive), what_(std::move(what)), started_(std::chrono::steady_clock::now()) {}

void ProgressReporter::update(std::size_t done, std::size_t total) {
  const auto now = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(now - started_).count();
  const double fraction = total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  char rate[48] = "";
  if (seconds > 0.5 && done > 0) std::snprintf(rate, sizeof rate, ", %.1f/s", static_cast<double>(done) / seconds);
  if (interactive_) {
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(fraction * kWidth);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '.');
    char line[160];
    std::snprintf(line, sizeof line, "\r%s [%s] %zu/%zu (%3.0f%%%s)", what_.c_str(), bar.c_str(), done, total,
                  fraction * 100.0, rate);
    out_ << line << std::flush;
    drawn_ = true;
    return;
  }
  const bool first = last_line_ == std::chrono::steady_clock::time_point{};
  if (first || done == total || now - last_line_ >= std::chrono::seconds(2)) {
    out_ << what_ << ": " << done << "/" << total << rate << "\n" << std::flush;
    last_line_ = now;
  }
}

void ProgressReporter::finish() {
  if (interactive_ && drawn_) out_ << "\n" << std::flush;
  drawn_ = false;
}

}  // namespace cinerec::cli
