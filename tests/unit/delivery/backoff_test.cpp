// backoff(): min(cap, base * 2^(attempt-1)) scaled by a jitter factor in [1-jitter, 1].

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

#include "delivery/delivery_worker.hpp"

namespace swhub::delivery {
namespace {

using namespace std::chrono_literals;

struct Range {
  std::int64_t min = std::numeric_limits<std::int64_t>::max();
  std::int64_t max = std::numeric_limits<std::int64_t>::min();
};

Range draw(int attempt, const RetryPolicy& policy, int draws = 5000) {
  std::mt19937_64 rng(42);
  Range range;
  for (int i = 0; i < draws; ++i) {
    const auto ms = backoff(attempt, policy, rng).count();
    range.min = std::min(range.min, ms);
    range.max = std::max(range.max, ms);
  }
  return range;
}

RetryPolicy policy(std::chrono::milliseconds base, std::chrono::milliseconds cap, double jitter) {
  RetryPolicy p;
  p.base = base;
  p.cap = cap;
  p.jitter = jitter;
  return p;
}

TEST(delivery_backoff, DoublesFromBaseUpToCapWithoutJitter) {
  const auto p = policy(500ms, 60000ms, 0.0);
  std::mt19937_64 rng(1);
  EXPECT_EQ(backoff(1, p, rng), 500ms);
  EXPECT_EQ(backoff(2, p, rng), 1000ms);
  EXPECT_EQ(backoff(3, p, rng), 2000ms);
  EXPECT_EQ(backoff(7, p, rng), 32000ms);
  EXPECT_EQ(backoff(8, p, rng), 60000ms);
  EXPECT_EQ(backoff(1000, p, rng), 60000ms) << "a huge attempt saturates, it does not overflow";
  EXPECT_EQ(backoff(0, p, rng), 500ms) << "attempt < 1 counts as the first";
}

TEST(delivery_backoff, JitterStaysWithinBoundsAndSpreadsOverThem) {
  const auto p = policy(1000ms, 60000ms, 0.5);
  // attempt 1: [500, 1000]
  Range first = draw(1, p);
  EXPECT_GE(first.min, 500);
  EXPECT_LE(first.max, 1000);
  EXPECT_LT(first.min, 510);
  EXPECT_GT(first.max, 990);
  // attempt 4: 8000 * [0.5, 1]
  Range fourth = draw(4, p);
  EXPECT_GE(fourth.min, 4000);
  EXPECT_LE(fourth.max, 8000);
  EXPECT_LT(fourth.min, 4100);
  EXPECT_GT(fourth.max, 7900);
  // capped: 60000 * [0.5, 1]
  Range capped = draw(30, p);
  EXPECT_GE(capped.min, 30000);
  EXPECT_LE(capped.max, 60000);
  EXPECT_LT(capped.min, 30500);
  EXPECT_GT(capped.max, 59500);
}

TEST(delivery_backoff, FullJitterMayReachZero) {
  const auto p = policy(100ms, 1000ms, 1.0);
  Range range = draw(1, p);
  EXPECT_GE(range.min, 0);
  EXPECT_LE(range.min, 2);
  EXPECT_LE(range.max, 100);
  EXPECT_GE(range.max, 98);
}

TEST(delivery_backoff, DefaultPolicyMatchesItsComment) {
  const RetryPolicy p;
  Range second = draw(1, p);  // the delay before the 2nd attempt
  EXPECT_GE(second.min, 250);
  EXPECT_LE(second.max, 500);
  EXPECT_EQ(p.maxAttempts, 10);
}

}  // namespace
}  // namespace swhub::delivery
