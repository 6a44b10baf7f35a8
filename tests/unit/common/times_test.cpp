// RFC 3339 UTC times are instants: parsed to the microsecond, written in one canonical form.
#include <gtest/gtest.h>

#include <ctime>
#include <random>

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

// The written form agrees with the C library's calendar (gmtime_r) across the clock's range:
// leap days, century years, the last millisecond of a day, and instants before 1970.
TEST(common_times, TheWrittenFormIsTheCalendarsInstantToTheMillisecond) {
  const auto written = [](std::int64_t ms) {
    return rfc3339(std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
  };
  EXPECT_EQ(written(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(written(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(written(951'868'799'999), "2000-02-29T23:59:59.999Z");
  EXPECT_EQ(written(4'107'542'400'000), "2100-03-01T00:00:00.000Z");
  EXPECT_EQ(written(-9'214'560'000'000), "1678-01-01T00:00:00.000Z");
  std::mt19937_64 random(20261207);
  std::uniform_int_distribution<std::int64_t> range(-9'214'560'000'000, 9'214'560'000'000);
  for (int i = 0; i < 20000; ++i) {
    const std::int64_t ms = range(random);
    const std::int64_t floorSeconds = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    const std::time_t seconds = static_cast<std::time_t>(floorSeconds);
    std::tm utc{};
    ASSERT_NE(gmtime_r(&seconds, &utc), nullptr);
    char expected[64];
    std::snprintf(expected, sizeof expected, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms - floorSeconds * 1000));
    ASSERT_EQ(written(ms), expected) << ms;
    ASSERT_EQ(parseRfc3339Utc(expected).value(), std::chrono::system_clock::time_point(std::chrono::milliseconds(ms)));
  }
}

}  // namespace
}  // namespace swhub::common
