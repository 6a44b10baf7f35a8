#pragma once
// Statistics rollups (README "Statistics"): counters keyed by (scope, hour, family, key1, key2),
// written by the journal in the same transaction as the rows they count, so that they never
// disagree with the journal after a crash. hub/src/stats/ decides what to count and reads them;
// the journal stores and sums them. Latencies are counted in fixed log-scale buckets.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/instant.hpp"

namespace swhub::journal {

// One change of one counter. `hour`: hours since the epoch (UTC), or kAllTimeHour for the running
// total that /metrics reads. `scope`: "" for the whole hub, "agency:<id>" for one agency's view.
struct StatDelta {
  std::int64_t hour = 0;
  std::string scope;
  std::string family;  // "filings.partner", "release_ms.agency", ...
  std::string key1;    // the dimension's value ("demo-post"); "" for a family's total
  std::string key2;    // a histogram bucket ("b12", "sum"), a currency, a reason code; "" when none
  std::int64_t value = 0;

  bool sameKey(const StatDelta& o) const {
    return hour == o.hour && scope == o.scope && family == o.family && key1 == o.key1 && key2 == o.key2;
  }
};

// The row of every family's running total (all hours together).
inline constexpr std::int64_t kAllTimeHour = -1;

inline std::int64_t hourOf(common::Instant at) {
  return std::chrono::floor<std::chrono::hours>(at).time_since_epoch().count();
}

// Every counter is kept per hour and per UTC day too: a day's row is in scope dayScope(scope) at
// the day's first hour, so that a window of many days reads a row set per day, not per hour.
inline std::string dayScope(std::string_view scope) {
  std::string day = "day/";
  day += scope;
  return day;
}
inline std::int64_t dayStartHour(std::int64_t hour) { return (hour >= 0 ? hour : hour - 23) / 24 * 24; }

// Latency buckets: bucket i holds durations d with 2^((i-1)/4) ms < d <= 2^(i/4) ms (bucket 0:
// d <= 1 ms), so a percentile read as its bucket's upper bound is at most 19 % above the truth.
inline constexpr int kLatencyBuckets = 161;  // up to 2^40 ms (about 35 years); longer is the last
inline int latencyBucket(std::int64_t ms) {
  if (ms <= 1) return 0;
  const int i = static_cast<int>(std::ceil(4.0 * std::log2(static_cast<double>(ms)) - 1e-9));
  return std::clamp(i, 0, kLatencyBuckets - 1);
}
inline double latencyBucketBoundMs(int bucket) { return std::exp2(bucket / 4.0); }

// Deltas summed by key as they are added, each key's strings built once: the cases of a batch
// add to the same few hundred counters (a staged manifest's chunk of 256 cases would otherwise
// build some 25,000 deltas). What one case added can be taken back whole (the planner leaves out
// a case it cannot read).
class StatSums {
 public:
  void add(std::int64_t hour, std::string_view scope, std::string_view family, std::string_view key1,
           std::string_view key2, std::int64_t by);
  // What is added from here on can be taken back by takeBack().
  void mark() { added_.clear(); }
  void takeBack() {
    for (const auto& [sum, by] : added_) *sum -= by;
    added_.clear();
  }
  // The sums that change something, in key order (mergeStatDeltas' order).
  void appendTo(std::vector<StatDelta>& out) const { append(out, false); }

 private:
  friend std::vector<StatDelta> mergeStatDeltas(const std::vector<StatDelta>& deltas);
  std::int64_t& sumOf(std::int64_t hour, std::string_view scope, std::string_view family, std::string_view key1,
                      std::string_view key2);
  // In key order; sums of zero too when `withZeros`.
  void append(std::vector<StatDelta>& out, bool withZeros) const;

  // A key packed into one string (each part length-prefixed, then the hour): a sum found without
  // building a string or comparing five, a new one stored with one allocation.
  std::unordered_map<std::string, std::int64_t> sums_;
  std::string packed_;  // add()'s key, built in place
  std::vector<std::pair<std::int64_t*, std::int64_t>> added_;  // node-based map: stable
};

inline void putDelta(std::vector<StatDelta>& out, std::int64_t hour, std::string_view scope, std::string_view family,
                     std::string_view key1, std::string_view key2, std::int64_t value) {
  out.push_back({hour, std::string(scope), std::string(family), std::string(key1), std::string(key2), value});
}
inline void putDelta(StatSums& out, std::int64_t hour, std::string_view scope, std::string_view family,
                     std::string_view key1, std::string_view key2, std::int64_t value) {
  out.add(hour, scope, family, key1, key2, value);
}

// The deltas of one latency observation into histogram `family`, key1 `key` (bucket and sum), in
// the hour, its day and the running total. `Out`: a vector of deltas or StatSums.
template <typename Out>
void addLatency(Out& out, std::int64_t hour, std::string_view scope, std::string_view family, std::string_view key,
                std::int64_t ms) {
  ms = std::max<std::int64_t>(ms, 0);
  const std::string bucket = "b" + std::to_string(latencyBucket(ms));
  const std::string day = dayScope(scope);
  for (const auto& [h, s] : {std::pair<std::int64_t, std::string_view>{hour, scope},
                             std::pair<std::int64_t, std::string_view>{dayStartHour(hour), day},
                             std::pair<std::int64_t, std::string_view>{kAllTimeHour, scope}}) {
    putDelta(out, h, s, family, key, bucket, 1);
    putDelta(out, h, s, family, key, "sum", ms);
  }
}

// A counter's delta in the hour, its day and the running total.
template <typename Out>
void addCount(Out& out, std::int64_t hour, std::string_view scope, std::string_view family, std::string_view key1,
              std::string_view key2, std::int64_t by = 1) {
  putDelta(out, hour, scope, family, key1, key2, by);
  putDelta(out, dayStartHour(hour), dayScope(scope), family, key1, key2, by);
  putDelta(out, kAllTimeHour, scope, family, key1, key2, by);
}

// The deltas a finished delivery adds (the backends call it when completing an outbox item):
// a delivered push item's latency from its creation, or a dead letter. Tasks and assessments
// count in their agency's scope too.
inline void addDeliveryStats(std::vector<StatDelta>& out, bool dead, bool agencyChannel,
                             const std::string& recipient, common::Instant created, common::Instant now) {
  const std::int64_t hour = hourOf(now);
  std::vector<std::string> scopes{""};
  if (agencyChannel) scopes.push_back("agency:" + recipient);
  for (const auto& scope : scopes) {
    if (dead) {
      addCount(out, hour, scope, "dead_letters", "", "");
      addCount(out, hour, scope, "dead_letters.recipient", recipient, "");
    } else {
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - created).count();
      addLatency(out, hour, scope, "delivery_ms", "", ms);
      addLatency(out, hour, scope, "delivery_ms.recipient", recipient, ms);
    }
  }
}

// Sums the deltas of one key together (fewer rows to write), in key order.
std::vector<StatDelta> mergeStatDeltas(const std::vector<StatDelta>& deltas);

}  // namespace swhub::journal
