// Time zones read from the system's zoneinfo files: offsets, wall times around daylight saving
// changes, and the names refused.
#include <gtest/gtest.h>

#include "common/ids.hpp"
#include "common/time_zone.hpp"

namespace swhub::common {
namespace {

std::chrono::system_clock::time_point at(const std::string& text) { return parseRfc3339Utc(text).value(); }

TEST(common_time_zone, WallTimesSkippedOrRepeatedByAChange) {
  const auto lisbon = TimeZone::load("Europe/Lisbon");
  auto local = [](const char* text) {
    return std::chrono::duration_cast<std::chrono::seconds>(at(text).time_since_epoch()).count();
  };
  // 2026-03-29 01:00 local jumps to 02:00: 01:30 does not exist; the change's instant stands.
  EXPECT_EQ(lisbon.toUtc(local("2026-03-29T01:30:00Z")), local("2026-03-29T01:00:00Z"));
  // 2026-10-25 02:00 local goes back to 01:00: 01:30 happens twice; the first one.
  EXPECT_EQ(lisbon.toUtc(local("2026-10-25T01:30:00Z")), local("2026-10-25T00:30:00Z"));
  EXPECT_EQ(lisbon.offsetAt(local("2026-07-01T00:00:00Z")), 3600);
  EXPECT_EQ(lisbon.offsetAt(local("2026-12-01T00:00:00Z")), 0);
}

TEST(common_time_zone, AnUnknownOrUnsafeNameIsRefusedWithTheReason) {
  EXPECT_EQ(TimeZone::load("UTC").name(), "UTC");
  try {
    TimeZone::load("Europe/Lisbonn", "/usr/share/zoneinfo");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(),
                 "unknown time zone 'Europe/Lisbonn' (no /usr/share/zoneinfo/Europe/Lisbonn; is tzdata installed?)");
  }
  try {
    TimeZone::load("../../etc/passwd");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "'../../etc/passwd' is not a time zone name (e.g. Europe/Lisbon or UTC)");
  }
}

}  // namespace
}  // namespace swhub::common
