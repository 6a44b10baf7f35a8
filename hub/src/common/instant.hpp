#pragma once
// An instant as the hub keeps it: a UTC time point to the millisecond, the journal's precision,
// so that an instant written and read back is the same value. Compared as a time point; written
// as RFC 3339 UTC with milliseconds ("2026-11-28T07:39:24.123Z") only at the edges.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace swhub::common {

using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

// A clock's time to the millisecond (earlier, never later, than `at`).
inline Instant toInstant(std::chrono::system_clock::time_point at) {
  return std::chrono::floor<std::chrono::milliseconds>(at);
}
inline Instant nowInstant() { return toInstant(std::chrono::system_clock::now()); }

// "2026-11-28T07:39:24.123Z".
std::string toString(Instant at);
// The instant an RFC 3339 UTC time names (any number of fraction digits, cut to the millisecond);
// nullopt when the text is not one (common::parseRfc3339Utc).
std::optional<Instant> parseInstant(std::string_view text);

}  // namespace swhub::common
