#include "stats/stats_query.hpp"

#include "stats/stats_report.hpp"

namespace swhub::stats {

std::string statsJson(journal::Journal& journal, const std::string& scope, const StatsWindow& window,
                      const std::function<void(model::ObjectWriter&)>& head) {
  // Whole UTC days from the day rows, the hours before and after them from the hour rows.
  const std::int64_t firstDay = journal::dayStartHour(window.from_hour + 23);
  const std::int64_t endDay = journal::dayStartHour(window.to_hour);
  std::vector<journal::StatDelta> rows;
  auto add = [&](const std::string& s, std::int64_t from, std::int64_t to) {
    if (from >= to) return;
    auto part = journal.statSums(s, from, to);
    rows.insert(rows.end(), part.begin(), part.end());
  };
  if (firstDay < endDay) {
    add(scope, window.from_hour, firstDay);
    add(journal::dayScope(scope), firstDay, endDay);
    add(scope, endDay, window.to_hour);
  } else {
    add(scope, window.from_hour, window.to_hour);
  }
  const RollupSums sums = indexSums(rows);
  RollupSums states;
  if (scope.empty()) states = indexSums(journal.statSums(scope, journal::kAllTimeHour, journal::kAllTimeHour + 1));
  std::string out;
  {
    model::ObjectWriter o(out);
    if (head) head(o);
    writeStats(o, window, sums, scope.empty() ? &states : nullptr);
  }
  return out;
}

}  // namespace swhub::stats
