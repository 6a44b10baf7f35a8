#pragma once
// Calendar days (YYYY-MM-DD) as typed values: a licence's validity is compared as days, never as
// text.

#include <chrono>
#include <optional>
#include <string>

namespace swhub::common {

// "2026-12-06", or the date part of an RFC 3339 instant ("2026-12-06T10:00:00Z"); nullopt when
// it is not a real day (2026-02-30).
std::optional<std::chrono::sys_days> parseDay(const std::string& text);

// "2026-12-06".
std::string dayText(std::chrono::sys_days day);

}  // namespace swhub::common
