#pragma once
// The period of an account statement: a calendar month in the accounts' time zone
// (hub.accounts.time_zone), from its first midnight (inclusive) to the next month's (exclusive).

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "common/time_zone.hpp"

namespace swhub::accounts {

using common::TimeZone;

struct Period {
  int year = 1970;
  int month = 1;  // 1..12

  // "YYYY-MM" (year 2000..9999, month 01..12); nullopt otherwise.
  static std::optional<Period> parse(std::string_view text);
  std::string toString() const;  // "2026-11"
  Period next() const;
  Period previous() const;
  auto operator<=>(const Period&) const = default;
};

using Instant = std::chrono::system_clock::time_point;

// The instants the period spans in `zone`: [from, to).
struct Bounds {
  Instant from;
  Instant to;
};
Bounds boundsOf(const Period& period, const TimeZone& zone);

// The period in `zone` that holds the instant.
Period periodOf(Instant at, const TimeZone& zone);

// The day payment is due: the period's last day plus `days` ("YYYY-MM-DD").
std::string paymentDueDate(const Period& period, int days);

}  // namespace swhub::accounts
