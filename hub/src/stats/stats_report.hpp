#pragma once
// The statistics of a window as JSON (schemas/openapi.yaml `Stats`), from the rollup sums the
// journal gives (Journal::statSums): the same shape for the admin and for one agency's scope.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "journal/stat_rollups.hpp"
#include "model/json_writer.hpp"
#include "stats/stats_window.hpp"

namespace swhub::stats {

// family -> key1 -> key2 -> value.
using RollupSums = std::map<std::string, std::map<std::string, std::map<std::string, std::int64_t>>>;
RollupSums indexSums(const std::vector<journal::StatDelta>& sums);

// A percentile (0 < q <= 1) of a latency histogram (key2 "b<i>" -> count): the upper bound in ms
// of the bucket holding it, rounded up; 0 when empty.
std::int64_t percentileMs(const std::map<std::string, std::int64_t>& histogram, double q);

// Writes the Stats members into `o`. `states`: the running totals (kAllTimeHour) for
// cases_by_state; nullptr leaves it out (an agency's view).
void writeStats(model::ObjectWriter& o, const StatsWindow& window, const RollupSums& sums, const RollupSums* states);

}  // namespace swhub::stats
