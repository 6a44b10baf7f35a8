// Statement periods: calendar months in the accounts' time zone, their edges to the millisecond,
// daylight saving changes, and the payment due date.
#include <gtest/gtest.h>

#include "accounts/period.hpp"
#include "common/ids.hpp"

namespace swhub::accounts {
namespace {

Instant at(const std::string& text) { return common::parseRfc3339Utc(text).value(); }

TEST(accounts_period, ParsesOnlyAMonthYYYYMM) {
  EXPECT_EQ(Period::parse("2026-11"), (Period{2026, 11}));
  EXPECT_EQ(Period::parse("2026-12")->next(), (Period{2027, 1}));
  EXPECT_EQ(Period::parse("2027-01")->previous(), (Period{2026, 12}));
  for (const char* bad : {"2026-13", "2026-00", "2026-1", "26-11", "2026/11", "2026-11-01", "1999-12", "", "2026-1x"}) {
    EXPECT_FALSE(Period::parse(bad).has_value()) << bad;
  }
  EXPECT_EQ((Period{2026, 3}).toString(), "2026-03");
}

TEST(accounts_period, BoundsAreTheMonthsMidnightsInTheTimeZone) {
  struct Row {
    const char* zone;
    const char* period;
    const char* from;
    const char* to;
  };
  const Row rows[] = {
      {"UTC", "2026-11", "2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z"},
      {"UTC", "2026-12", "2026-12-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"},
      {"UTC", "2028-02", "2028-02-01T00:00:00.000Z", "2028-03-01T00:00:00.000Z"},
      // Lisbon: summer time (UTC+1) until the last Sunday of October, then UTC.
      {"Europe/Lisbon", "2026-08", "2026-07-31T23:00:00.000Z", "2026-08-31T23:00:00.000Z"},
      {"Europe/Lisbon", "2026-10", "2026-09-30T23:00:00.000Z", "2026-11-01T00:00:00.000Z"},
      {"Europe/Lisbon", "2026-11", "2026-11-01T00:00:00.000Z", "2026-12-01T00:00:00.000Z"},
      {"Asia/Tokyo", "2026-12", "2026-11-30T15:00:00.000Z", "2026-12-31T15:00:00.000Z"},
      // New York: UTC-5 in winter, UTC-4 from the second Sunday of March.
      {"America/New_York", "2027-03", "2027-03-01T05:00:00.000Z", "2027-04-01T04:00:00.000Z"},
  };
  for (const auto& row : rows) {
    const auto zone = TimeZone::load(row.zone);
    const Bounds b = boundsOf(*Period::parse(row.period), zone);
    EXPECT_EQ(common::rfc3339(b.from), row.from) << row.zone << " " << row.period;
    EXPECT_EQ(common::rfc3339(b.to), row.to) << row.zone << " " << row.period;
  }
}

TEST(accounts_period, AnInstantBelongsToTheMonthOfItsLocalTime) {
  struct Row {
    const char* zone;
    const char* instant;
    const char* period;
  };
  const Row rows[] = {
      {"UTC", "2026-11-30T23:59:59.999Z", "2026-11"},
      {"UTC", "2026-12-01T00:00:00.000Z", "2026-12"},
      {"UTC", "2026-12-31T23:59:59.999Z", "2026-12"},
      {"UTC", "2027-01-01T00:00:00.000Z", "2027-01"},
      {"Asia/Tokyo", "2026-11-30T14:59:59.999Z", "2026-11"},
      {"Asia/Tokyo", "2026-11-30T15:00:00.000Z", "2026-12"},
      {"Europe/Lisbon", "2026-07-31T22:59:59.999Z", "2026-07"},
      {"Europe/Lisbon", "2026-07-31T23:00:00.000Z", "2026-08"},
      {"Europe/Lisbon", "2026-11-30T23:59:59.999Z", "2026-11"},
      {"America/New_York", "2027-01-01T04:59:59.999Z", "2026-12"},
      {"America/New_York", "2027-01-01T05:00:00.000Z", "2027-01"},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(periodOf(at(row.instant), TimeZone::load(row.zone)).toString(), row.period) << row.zone << " " << row.instant;
  }
}

TEST(accounts_period, PaymentIsDueDaysAfterThePeriodsLastDay) {
  EXPECT_EQ(paymentDueDate({2026, 11}, 15), "2026-12-15");
  EXPECT_EQ(paymentDueDate({2026, 12}, 15), "2027-01-15");
  EXPECT_EQ(paymentDueDate({2028, 2}, 0), "2028-02-29");
  EXPECT_EQ(paymentDueDate({2027, 2}, 30), "2027-03-30");
}

}  // namespace
}  // namespace swhub::accounts
