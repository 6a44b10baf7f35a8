// RequestLimits: one caller's requests and all filings together are bounded; a place comes back
// when its slot goes.

#include "api/request_limits.hpp"

#include <gtest/gtest.h>

namespace swhub::api {
namespace {

config::HttpLimits limits(int perIdentity, int filings, std::int64_t bytes) {
  config::HttpLimits l;
  l.max_requests_per_identity = perIdentity;
  l.max_filings = filings;
  l.max_filing_bytes = bytes;
  return l;
}

TEST(api_request_limits, OneCallerHoldsAtMostItsPlacesAndOthersAreNotAffected) {
  RequestLimits bounds(limits(2, 10, 1000));
  auto a = bounds.enterIdentity("partner:a");
  auto b = bounds.enterIdentity("partner:a");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(bounds.enterIdentity("partner:a"), nullptr);
  EXPECT_NE(bounds.enterIdentity("partner:b"), nullptr);
  a.reset();
  EXPECT_NE(bounds.enterIdentity("partner:a"), nullptr);
}

TEST(api_request_limits, FilingsAreBoundedByCount) {
  RequestLimits bounds(limits(10, 2, 1000));
  auto a = bounds.admitFiling(10);
  auto b = bounds.admitFiling(10);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(bounds.admitFiling(10), nullptr);
  b.reset();
  EXPECT_NE(bounds.admitFiling(10), nullptr);
}

TEST(api_request_limits, FilingsAreBoundedByBytesButOneAloneIsAlwaysLetIn) {
  RequestLimits bounds(limits(10, 10, 1000));
  auto big = bounds.admitFiling(5000);  // alone: let in, else it could never be filed
  ASSERT_TRUE(big);
  EXPECT_EQ(bounds.admitFiling(1), nullptr);
  big.reset();
  auto a = bounds.admitFiling(600);
  ASSERT_TRUE(a);
  EXPECT_EQ(bounds.admitFiling(401), nullptr);
  EXPECT_NE(bounds.admitFiling(400), nullptr);
}

}  // namespace
}  // namespace swhub::api
