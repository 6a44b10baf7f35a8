#include "stats/stats_query.hpp"

#include "stats/stats_report.hpp"

namespace swhub::stats {

std::string statsJson(journal::Journal& journal, const std::string& scope, const StatsWindow& window,
                      const std::function<void(model::ObjectWriter&)>& head) {
  const RollupSums sums = indexSums(journal.statSums(scope, window.from_hour, window.to_hour));
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
