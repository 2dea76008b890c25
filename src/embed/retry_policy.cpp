#include "embed/retry_policy.h"

#include <curl/curl.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>

#include "common/text.h"

namespace cinerec {

bool is_retryable_status(long status) {
  if (status == 408 || status == 429) return true;
  return status >= 500 && status <= 599 && status != 501;
}

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int failed_attempts,
                                        std::mt19937_64& rng) {
  const double base = static_cast<double>(std::max<std::int64_t>(policy.initial_delay.count(), 0));
  const double cap = static_cast<double>(std::max<std::int64_t>(policy.max_delay.count(), 0));
  const int exponent = std::clamp(failed_attempts - 1, 0, 30);
  const double full = std::min(cap, base * std::ldexp(1.0, exponent));
  std::uniform_real_distribution<double> half(0.0, full / 2.0);
  const double ms = full / 2.0 + half(rng);
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(std::min(ms, full))));
}

static std::optional<double> parse_non_negative_number(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (!std::isfinite(value) || value < 0) return std::nullopt;
  return value;
}

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
  if (auto seconds = parse_non_negative_number(value)) {
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(*seconds * 1000.0)));
  }
  const std::string text(trim(value));
  if (text.empty()) return std::nullopt;
  const time_t when = curl_getdate(text.c_str(), nullptr);
  if (when == static_cast<time_t>(-1)) return std::nullopt;
  const auto target = std::chrono::system_clock::from_time_t(when);
  if (target <= now) return std::chrono::milliseconds(0);
  return std::chrono::ceil<std::chrono::milliseconds>(target - now);
}

std::optional<std::chrono::milliseconds> parse_retry_after_ms(std::string_view value) {
  auto ms = parse_non_negative_number(value);
  if (!ms) return std::nullopt;
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(*ms)));
}

}  // namespace cinerec
