#include "accounts/period.hpp"

#include <cstdio>

namespace swhub::accounts {
namespace {

using namespace std::chrono;

std::int64_t localMidnight(const Period& p) {
  const sys_days day{year{p.year} / month{static_cast<unsigned>(p.month)} / 1};
  return duration_cast<seconds>(day.time_since_epoch()).count();
}

}  // namespace

std::optional<Period> Period::parse(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int y = 0, m = 0;
  for (std::size_t i = 0; i < 7; ++i) {
    if (i == 4) continue;
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    (i < 4 ? y : m) = (i < 4 ? y : m) * 10 + (text[i] - '0');
  }
  if (y < 2000 || m < 1 || m > 12) return std::nullopt;
  return Period{y, m};
}

std::string Period::toString() const {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d", year, month);
  return text;
}

Period Period::next() const { return month == 12 ? Period{year + 1, 1} : Period{year, month + 1}; }
Period Period::previous() const { return month == 1 ? Period{year - 1, 12} : Period{year, month - 1}; }

Bounds boundsOf(const Period& period, const TimeZone& zone) {
  return {Instant(seconds(zone.toUtc(localMidnight(period)))), Instant(seconds(zone.toUtc(localMidnight(period.next()))))};
}

Period periodOf(Instant at, const TimeZone& zone) {
  // Whole seconds toward the past, so that 23:59:59.999 stays in its day.
  const auto utc = floor<seconds>(at.time_since_epoch()).count();
  const sys_days day = floor<days>(sys_seconds(seconds(utc + zone.offsetAt(utc))));
  const year_month_day ymd(day);
  return Period{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month()))};
}

std::string paymentDueDate(const Period& period, int dueDays) {
  const sys_days lastDay = sys_days{year{period.year} / month{static_cast<unsigned>(period.month)} / last};
  const year_month_day due(lastDay + days(dueDays));
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(due.year()), static_cast<unsigned>(due.month()),
                static_cast<unsigned>(due.day()));
  return text;
}

}  // namespace swhub::accounts
