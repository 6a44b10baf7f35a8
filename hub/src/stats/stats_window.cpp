#include "stats/stats_window.hpp"

#include "journal/stat_rollups.hpp"

namespace swhub::stats {

common::Instant hourStart(std::int64_t hour) { return common::Instant(std::chrono::hours(hour)); }

std::optional<StatsWindow> parseWindow(const std::string& from, const std::string& to, common::Instant now,
                                       sdk::Errors& errors) {
  auto read = [&](const std::string& name, const std::string& text) -> std::optional<common::Instant> {
    if (text.empty()) return std::nullopt;
    auto at = common::parseInstant(text);
    if (!at) errors.push_back({name, "'" + text + "' is not an RFC 3339 UTC date-time such as 2026-12-06T00:00:00Z"});
    return at;
  };
  const auto fromAt = read("from", from);
  const auto toAt = read("to", to);
  if (!errors.empty()) return std::nullopt;
  const common::Instant end = toAt.value_or(now);
  const common::Instant start = fromAt.value_or(end - std::chrono::hours(24));
  if (start > end) {
    errors.push_back({"from", "'" + common::toString(start) + "' is after to '" + common::toString(end) + "'"});
    return std::nullopt;
  }
  StatsWindow window;
  window.from_hour = journal::hourOf(start);
  window.to_hour = journal::hourOf(end);
  if (hourStart(window.to_hour) < end || window.to_hour == window.from_hour) ++window.to_hour;  // rounded up
  return window;
}

}  // namespace swhub::stats
