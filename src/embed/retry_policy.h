// When and how long to wait before retrying a failed HTTP call. Pure functions, so the schedule is
// tested without sleeping; the HTTP client is the only caller.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string_view>

namespace cinerec {

struct RetryPolicy {
  int max_attempts = 5;                            // total tries, including the first
  std::chrono::milliseconds initial_delay{500};    // backoff before the 2nd try, doubled each time
  std::chrono::milliseconds max_delay{20'000};     // cap on the exponential backoff
  std::chrono::milliseconds max_retry_after{120'000};  // a longer Retry-After fails at once instead
};

// True for statuses worth retrying: 408 (request timeout), 429 (rate limit) and 5xx except 501
// (not implemented will not start working). Every other 4xx is the caller's fault and fails at once.
bool is_retryable_status(long status);

// Backoff before the next try after `failed_attempts` failures (>= 1): exponential from
// initial_delay, capped at max_delay, with "equal jitter" (half fixed, half uniform random) so that
// many clients rate-limited together do not retry in lockstep. Guarantees a result in [d/2, d].
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int failed_attempts,
                                        std::mt19937_64& rng);

// Parses a Retry-After header value: delta-seconds ("2", "1.5") or an HTTP-date (RFC 9110), the
// latter relative to `now`. A date in the past gives 0. Unparseable values give nullopt.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

// Parses OpenAI's "retry-after-ms" header (milliseconds, possibly fractional).
std::optional<std::chrono::milliseconds> parse_retry_after_ms(std::string_view value);

}  // namespace cinerec
