// RFC 3339 UTC times are instants: parsed to the microsecond, written in one canonical form.
#include <gtest/gtest.h>

#include "common/ids.hpp"

namespace swhub::common {
namespace {

using std::chrono::microseconds;

std::int64_t micros(const std::string& text) {
  auto at = parseRfc3339Utc(text);
  EXPECT_TRUE(at.has_value()) << text;
  return at ? std::chrono::duration_cast<microseconds>(at->time_since_epoch()).count() : 0;
}

TEST(common_times, ParsesWithAndWithoutAFraction) {
  EXPECT_EQ(micros("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(micros("1970-01-01T00:00:01.5Z"), 1'500'000);
  EXPECT_EQ(micros("1970-01-01T00:00:00.000001Z"), 1);
  EXPECT_EQ(micros("1970-01-01T00:00:00.0000019Z"), 1);  // beyond microseconds: cut, not rounded
  EXPECT_EQ(micros("2026-11-28T10:00:00Z") + 500'000, micros("2026-11-28T10:00:00.500Z"));
}

TEST(common_times, ALeapSecondIsTheNextMinutesFirstInstant) {
  EXPECT_EQ(micros("2016-12-31T23:59:60Z"), micros("2017-01-01T00:00:00Z"));
}

TEST(common_times, RefusesWhatIsNotAnRfc3339UtcTime) {
  for (const char* bad : {"", "2026-11-28", "2026-11-28T10:00:00", "2026-11-28T10:00:00+01:00", "2026-11-28 10:00:00Z",
                          "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-28T24:00:00Z",
                          "2026-11-28T10:00:00.Z", "2026-11-28T10:00:00.5xZ", "2026-11-28T10:0a:00Z",
                          "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"}) {
    EXPECT_FALSE(parseRfc3339Utc(bad).has_value()) << bad;
    EXPECT_FALSE(canonicalRfc3339(bad).has_value()) << bad;
  }
  EXPECT_TRUE(parseRfc3339Utc("2024-02-29T00:00:00Z").has_value());
  EXPECT_GT(micros("2261-12-31T23:59:59Z"), micros("2026-01-01T00:00:00Z"));
  EXPECT_FALSE(parseRfc3339Utc("2025-02-29T00:00:00Z").has_value());
}

TEST(common_times, TheCanonicalFormHasMilliseconds) {
  EXPECT_EQ(canonicalRfc3339("2026-11-28T10:00:00Z").value(), "2026-11-28T10:00:00.000Z");
  EXPECT_EQ(canonicalRfc3339("2026-11-28T10:00:00.5Z").value(), "2026-11-28T10:00:00.500Z");
  EXPECT_EQ(canonicalRfc3339("2026-11-28T10:00:00.123456Z").value(), "2026-11-28T10:00:00.123Z");
  EXPECT_EQ(canonicalRfc3339(rfc3339(*parseRfc3339Utc("2026-11-28T10:00:00.250Z"))).value(),
            "2026-11-28T10:00:00.250Z");
}

}  // namespace
}  // namespace swhub::common
