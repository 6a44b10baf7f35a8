#pragma once
// Exact money arithmetic for revenue: sdk::Decimal (4 fraction digits) only adds and subtracts,
// so multiplication by a percentage, conversion by an exchange rate and rounding to the
// jurisdiction's rule live here, on 128-bit integers, without any floating point.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "swhub/sdk/model.hpp"

namespace swhub::plugins::customs {

// A calendar day, "YYYY-MM-DD" (a real date of the Gregorian calendar).
class Date {
 public:
  static std::optional<Date> parse(std::string_view text);
  std::string toString() const;
  auto operator<=>(const Date&) const = default;

 private:
  int ymd_ = 0;  // 20261206: orders as the calendar does
};

enum class RoundingMode { HalfUp, HalfEven };

// Rounding of every line and every converted amount: half-up is half away from zero.
struct Rounding {
  RoundingMode mode = RoundingMode::HalfUp;
  int decimals = 2;  // 0 to 4

  // numerator / denominator, both in Decimal units (1/10000), rounded to `decimals`; nullopt
  // when the result does not fit a Decimal or the denominator is zero.
  std::optional<sdk::Decimal> quotient(__int128 numerator, __int128 denominator) const;
  sdk::Decimal apply(sdk::Decimal value) const { return *quotient(value.units(), 1); }
};

// An exchange rate: how many units of a currency one unit of the jurisdiction's currency buys
// (the ECB's convention: 1 EUR = 1.0523 USD). Exact, up to 10 fraction digits, above zero.
class Rate {
 public:
  static std::optional<Rate> parse(std::string_view text);
  std::string toString() const { return text_; }
  std::int64_t mantissa() const { return mantissa_; }
  int scale() const { return scale_; }  // the value is mantissa / 10^scale

 private:
  std::int64_t mantissa_ = 0;
  int scale_ = 0;
  std::string text_;
};

// `base` times `percent` / 100, rounded; nullopt on overflow.
std::optional<sdk::Decimal> percentOf(sdk::Decimal base, sdk::Decimal percent, const Rounding& rounding);

// `amount` in a foreign currency expressed in the jurisdiction's currency (amount / rate), rounded.
std::optional<sdk::Decimal> convert(sdk::Decimal amount, const Rate& rate, const Rounding& rounding);

// `amount` times `count`; nullopt on overflow.
std::optional<sdk::Decimal> times(sdk::Decimal amount, std::int64_t count);

}  // namespace swhub::plugins::customs
