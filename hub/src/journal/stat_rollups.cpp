#include "journal/stat_rollups.hpp"

#include <map>
#include <tuple>

namespace swhub::journal {

std::vector<StatDelta> mergeStatDeltas(const std::vector<StatDelta>& deltas) {
  // In key order: two nodes adding to the same counters lock their rows in the same order.
  std::map<std::tuple<std::string, std::int64_t, std::string, std::string, std::string>, std::int64_t> sums;
  for (const auto& d : deltas) sums[{d.scope, d.hour, d.family, d.key1, d.key2}] += d.value;
  std::vector<StatDelta> out;
  out.reserve(sums.size());
  for (const auto& [key, value] : sums) {
    const auto& [scope, hour, family, key1, key2] = key;
    out.push_back({hour, scope, family, key1, key2, value});
  }
  return out;
}

}  // namespace swhub::journal
