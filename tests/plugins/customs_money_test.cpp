// The exact money of the customs agency's revenue core (plugins/agencies/customs/money.hpp):
// rounding, percentages, conversion, dates and rates, without floating point.

#include "customs_test_support.hpp"

using namespace swhub::testing::customs;

namespace {

// ---------------------------------------------------------------- money

TEST(CustomsMoney, RoundsQuotientsHalfUpAndHalfEvenToTheRuleDecimals) {
  struct Case { const char* numerator; std::int64_t denominator; RoundingMode mode; int decimals; const char* expected; };
  const Case cases[] = {
      {"1.025", 1, RoundingMode::HalfUp, 2, "1.03"},   {"1.025", 1, RoundingMode::HalfEven, 2, "1.02"},
      {"1.035", 1, RoundingMode::HalfEven, 2, "1.04"}, {"-1.025", 1, RoundingMode::HalfUp, 2, "-1.03"},
      {"1.0249", 1, RoundingMode::HalfUp, 2, "1.02"},  {"2.5", 1, RoundingMode::HalfUp, 0, "3.00"},
      {"2.5", 1, RoundingMode::HalfEven, 0, "2.00"},   {"100", 3, RoundingMode::HalfUp, 2, "33.33"},
      {"200", 3, RoundingMode::HalfUp, 2, "66.67"},    {"1.23456", 1, RoundingMode::HalfUp, 4, "1.2346"},
  };
  for (const Case& c : cases) {
    const Rounding r{c.mode, c.decimals};
    // "1.23456" has 5 fraction digits: build its units by hand.
    const __int128 units = std::string(c.numerator) == "1.23456" ? 123456 : dec(c.numerator).units() * 10;
    auto q = r.quotient(units, static_cast<__int128>(c.denominator) * 10);
    ASSERT_TRUE(q.has_value());
    EXPECT_EQ(q->toString(), c.expected) << c.numerator << " / " << c.denominator;
  }
}

TEST(CustomsMoney, PercentagesAndConversionsAreExact) {
  const Rounding halfUp{RoundingMode::HalfUp, 2};
  EXPECT_EQ(percentOf(dec("48"), dec("23"), halfUp)->toString(), "11.04");
  EXPECT_EQ(percentOf(dec("150.01"), dec("2"), halfUp)->toString(), "3.00");
  EXPECT_EQ(percentOf(dec("45.9"), dec("23"), halfUp)->toString(), "10.56");  // 10.557
  EXPECT_EQ(percentOf(dec("10.25"), dec("10"), halfUp)->toString(), "1.03");  // 1.025: half up
  EXPECT_EQ(percentOf(dec("10.25"), dec("10"), Rounding{RoundingMode::HalfEven, 2})->toString(), "1.02");
  EXPECT_EQ(percentOf(dec("0.1"), dec("2.5"), halfUp)->toString(), "0.00");   // 0.0025
  // A double would make 0.1 + 0.2 + ... drift; 1000 additions of 0.1 stay 100.
  Decimal sum;
  for (int i = 0; i < 1000; ++i) sum = sum + dec("0.1");
  EXPECT_EQ(sum.toString(), "100.00");

  EXPECT_EQ(convert(dec("180"), *Rate::parse("1.2"), halfUp)->toString(), "150.00");
  EXPECT_EQ(convert(dec("180.01"), *Rate::parse("1.2"), halfUp)->toString(), "150.01");    // 150.00833
  EXPECT_EQ(convert(dec("180.005"), *Rate::parse("1.2"), halfUp)->toString(), "150.00");   // 150.00417
  EXPECT_EQ(convert(dec("115"), *Rate::parse("1.2000"), halfUp)->toString(), "95.83");
  EXPECT_EQ(convert(dec("900000000"), *Rate::parse("0.0000000001"), halfUp), std::nullopt);  // out of range
  EXPECT_EQ(times(dec("3"), 3)->toString(), "9.00");
}

TEST(CustomsMoney, ParsesDatesAndRatesStrictly) {
  EXPECT_EQ(Date::parse("2026-12-06")->toString(), "2026-12-06");
  EXPECT_TRUE(Date::parse("2028-02-29").has_value());
  for (const char* bad : {"2026-02-29", "2026-13-01", "2026-1-01", "06/12/2026", "", "2026-12-06T00:00:00Z"}) {
    EXPECT_FALSE(Date::parse(bad).has_value()) << bad;
  }
  EXPECT_LT(*Date::parse("2026-06-30"), *Date::parse("2026-07-01"));
  EXPECT_EQ(Rate::parse("8.4000")->toString(), "8.4000");
  for (const char* bad : {"0", "0.0", "-1", "1e3", "1.", "abc", "1.00000000001"}) {
    EXPECT_FALSE(Rate::parse(bad).has_value()) << bad;
  }
}

}  // namespace
