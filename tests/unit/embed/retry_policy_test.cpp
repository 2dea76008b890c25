#include "embed/retry_policy.h"

#include <gtest/gtest.h>

#include <set>

namespace cinerec {
namespace {

using namespace std::chrono_literals;

TEST(RetryPolicy, RetryableStatuses) {
  for (long s : {408L, 429L, 500L, 502L, 503L, 504L, 599L}) EXPECT_TRUE(is_retryable_status(s)) << s;
  for (long s : {200L, 400L, 401L, 403L, 404L, 422L, 501L}) EXPECT_FALSE(is_retryable_status(s)) << s;
}

TEST(RetryPolicy, BackoffDoublesWithinJitterBoundsAndIsCapped) {
  RetryPolicy p;
  p.initial_delay = 100ms;
  p.max_delay = 1000ms;
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    for (int failed = 1; failed <= 8; ++failed) {
      const auto full = std::min<std::chrono::milliseconds>(100ms * (1 << (failed - 1)), 1000ms);
      const auto d = backoff_delay(p, failed, rng);
      EXPECT_GE(d, full / 2);
      EXPECT_LE(d, full);
    }
  }
  // Huge attempt numbers neither overflow nor exceed the cap.
  EXPECT_LE(backoff_delay(p, 1000, rng), 1000ms);
}

TEST(RetryPolicy, JitterSpreadsClients) {
  RetryPolicy p;
  p.initial_delay = 1000ms;
  std::mt19937_64 rng(1);
  std::set<long> seen;
  for (int i = 0; i < 50; ++i) seen.insert(static_cast<long>(backoff_delay(p, 1, rng).count()));
  EXPECT_GT(seen.size(), 10u);
}

TEST(RetryAfter, ParsesSecondsDatesAndRejectsGarbage) {
  const auto now = std::chrono::system_clock::from_time_t(1445412480);  // Wed, 21 Oct 2015 07:28:00 GMT
  EXPECT_EQ(parse_retry_after("2", now), 2000ms);
  EXPECT_EQ(parse_retry_after(" 0.5 \r\n", now), 500ms);
  EXPECT_EQ(parse_retry_after("0", now), 0ms);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now), 30000ms);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), 0ms);  // in the past
  EXPECT_FALSE(parse_retry_after("soon", now).has_value());
  EXPECT_FALSE(parse_retry_after("-3", now).has_value());
  EXPECT_FALSE(parse_retry_after("", now).has_value());
  EXPECT_EQ(parse_retry_after_ms("1250"), 1250ms);
  EXPECT_EQ(parse_retry_after_ms("20.2"), 21ms);
  EXPECT_FALSE(parse_retry_after_ms("x").has_value());
}

}  // namespace
}  // namespace cinerec
