#include "money.hpp"

#include <cstdio>
#include <limits>

namespace swhub::plugins::customs {

namespace {

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int daysIn(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

bool digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int toInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

__int128 pow10(int n) {
  __int128 v = 1;
  while (n-- > 0) v *= 10;
  return v;
}

std::optional<sdk::Decimal> fit(__int128 units) {
  if (units > std::numeric_limits<std::int64_t>::max() || units < std::numeric_limits<std::int64_t>::min()) {
    return std::nullopt;
  }
  return sdk::Decimal::fromUnits(static_cast<std::int64_t>(units));
}

}  // namespace

std::optional<Date> Date::parse(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto y = text.substr(0, 4), m = text.substr(5, 2), d = text.substr(8, 2);
  if (!digits(y) || !digits(m) || !digits(d)) return std::nullopt;
  const int year = toInt(y), month = toInt(m), day = toInt(d);
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return std::nullopt;
  Date out;
  out.ymd_ = year * 10000 + month * 100 + day;
  return out;
}

std::string Date::toString() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", ymd_ / 10000, ymd_ / 100 % 100, ymd_ % 100);
  return buf;
}

std::optional<sdk::Decimal> Rounding::quotient(__int128 numerator, __int128 denominator) const {
  if (denominator == 0) return std::nullopt;
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  // Round to a step of 10^(4 - decimals) units: q = numerator / (denominator * step).
  const __int128 step = pow10(4 - decimals);
  const __int128 den = denominator * step;
  const bool negative = numerator < 0;
  const __int128 magnitude = negative ? -numerator : numerator;
  __int128 q = magnitude / den;
  const __int128 twiceRest = (magnitude % den) * 2;
  if (twiceRest > den || (twiceRest == den && (mode == RoundingMode::HalfUp || q % 2 == 1))) ++q;
  return fit((negative ? -q : q) * step);
}

std::optional<Rate> Rate::parse(std::string_view text) {
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (!digits(whole) || (dot != std::string_view::npos && !digits(fraction)) || fraction.size() > 10 ||
      whole.size() > 8) {
    return std::nullopt;
  }
  Rate r;
  __int128 m = 0;
  for (char c : whole) m = m * 10 + (c - '0');
  for (char c : fraction) m = m * 10 + (c - '0');
  if (m <= 0) return std::nullopt;
  r.mantissa_ = static_cast<std::int64_t>(m);
  r.scale_ = static_cast<int>(fraction.size());
  r.text_ = std::string(text);
  return r;
}

std::optional<sdk::Decimal> percentOf(sdk::Decimal base, sdk::Decimal percent, const Rounding& rounding) {
  // base.units * percent.units / 10^4 is in units; / 100 for the percentage.
  return rounding.quotient(static_cast<__int128>(base.units()) * percent.units(), static_cast<__int128>(1000000));
}

std::optional<sdk::Decimal> convert(sdk::Decimal amount, const Rate& rate, const Rounding& rounding) {
  // amount / (mantissa / 10^scale) = amount * 10^scale / mantissa.
  return rounding.quotient(static_cast<__int128>(amount.units()) * pow10(rate.scale()), rate.mantissa());
}

std::optional<sdk::Decimal> times(sdk::Decimal amount, std::int64_t count) {
  return fit(static_cast<__int128>(amount.units()) * count);
}

}  // namespace swhub::plugins::customs
