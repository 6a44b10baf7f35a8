// The public estimate's token bucket per source address, on a clock the test steps.
#include <gtest/gtest.h>

#include "estimate/rate_limiter.hpp"

namespace swhub::estimate {
namespace {

using namespace std::chrono_literals;

struct SteppedClock {
  std::chrono::steady_clock::time_point now{};
  RateLimiter::Clock clock() {
    return [this] { return now; };
  }
};

TEST(estimate_rate_limiter, AnAddressMayAskItsBurstAtOnceThenWaits) {
  SteppedClock time;
  RateLimiter limiter(30, 3, time.clock());  // one token every 2 s
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.take("192.0.2.1").allowed) << i;
  const auto refused = limiter.take("192.0.2.1");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retryAfter, 2s);
  time.now += 1500ms;
  const auto still = limiter.take("192.0.2.1");
  EXPECT_FALSE(still.allowed);
  EXPECT_EQ(still.retryAfter, 1s);  // half a second left, in whole seconds
  time.now += 500ms;
  EXPECT_TRUE(limiter.take("192.0.2.1").allowed);
  EXPECT_FALSE(limiter.take("192.0.2.1").allowed);
}

TEST(estimate_rate_limiter, ABucketRefillsUpToItsBurstOnly) {
  SteppedClock time;
  RateLimiter limiter(60, 2, time.clock());
  EXPECT_TRUE(limiter.take("a").allowed);
  EXPECT_TRUE(limiter.take("a").allowed);
  time.now += 1h;
  EXPECT_TRUE(limiter.take("a").allowed);
  EXPECT_TRUE(limiter.take("a").allowed);
  EXPECT_FALSE(limiter.take("a").allowed);
}

TEST(estimate_rate_limiter, AddressesHaveBucketsOfTheirOwn) {
  SteppedClock time;
  RateLimiter limiter(1, 1, time.clock());
  EXPECT_TRUE(limiter.take("192.0.2.1").allowed);
  EXPECT_FALSE(limiter.take("192.0.2.1").allowed);
  EXPECT_EQ(limiter.take("192.0.2.1").retryAfter, 60s);
  EXPECT_TRUE(limiter.take("192.0.2.2").allowed);
  EXPECT_TRUE(limiter.take("2001:db8::1").allowed);
}

TEST(estimate_rate_limiter, FullBucketsAreForgottenWhenTheMapIsFull) {
  SteppedClock time;
  RateLimiter limiter(60, 1, time.clock());
  for (std::size_t i = 0; i < RateLimiter::kMaxAddresses; ++i) ASSERT_TRUE(limiter.take("a" + std::to_string(i)).allowed);
  // Every bucket is empty: one more address has no room yet.
  EXPECT_FALSE(limiter.take("new").allowed);
  // A second later they are full again, remember nothing, and make room.
  time.now += 1s;
  EXPECT_TRUE(limiter.take("new").allowed);
  EXPECT_FALSE(limiter.take("new").allowed);
}

}  // namespace
}  // namespace swhub::estimate
