#include "stats/stats_report.hpp"

#include <cmath>

#include "swhub/sdk/model.hpp"

namespace swhub::stats {
namespace {

using Keyed = std::map<std::string, std::map<std::string, std::int64_t>>;  // key1 -> key2 -> value

const Keyed& familyOf(const RollupSums& sums, const std::string& family) {
  static const Keyed kNone;
  auto it = sums.find(family);
  return it == sums.end() ? kNone : it->second;
}

std::int64_t valueOf(const Keyed& family, const std::string& key1, const std::string& key2) {
  auto a = family.find(key1);
  if (a == family.end()) return 0;
  auto b = a->second.find(key2);
  return b == a->second.end() ? 0 : b->second;
}

void writePercentiles(model::ObjectWriter& o, const std::string& name, const std::map<std::string, std::int64_t>& h) {
  std::int64_t count = 0;
  for (const auto& [key, n] : h) {
    if (key.size() > 1 && key[0] == 'b') count += n;
  }
  model::ObjectWriter p(o.key(name));
  p.integer("count", count);
  p.integer("p50_ms", percentileMs(h, 0.50));
  p.integer("p90_ms", percentileMs(h, 0.90));
  p.integer("p99_ms", percentileMs(h, 0.99));
}

// {"all": {...}, "by_<dim>": {key: {...}}} of histogram `family` and its `.dim` families.
void writeTimes(model::ObjectWriter& o, const std::string& name, const RollupSums& sums, const std::string& family,
                const std::vector<std::string>& dims) {
  model::ObjectWriter t(o.key(name));
  const Keyed& all = familyOf(sums, family);
  auto total = all.find("");
  writePercentiles(t, "all", total == all.end() ? std::map<std::string, std::int64_t>{} : total->second);
  for (const auto& dim : dims) {
    model::ObjectWriter by(t.key("by_" + dim));
    for (const auto& [key, h] : familyOf(sums, family + "." + dim)) writePercentiles(by, key, h);
  }
}

void writeCounts(model::ObjectWriter& o, const std::string& name, const Keyed& family) {
  model::ObjectWriter c(o.key(name));
  for (const auto& [key, values] : family) {
    auto v = values.find("");
    if (v != values.end() && v->second != 0) c.integer(key, v->second);
  }
}

// {"total": n, "by_<dim>": {key: n}}.
void writeCountsBy(model::ObjectWriter& o, const std::string& name, const RollupSums& sums, const std::string& family,
                   const std::vector<std::string>& dims) {
  model::ObjectWriter c(o.key(name));
  c.integer("total", valueOf(familyOf(sums, family), "", ""));
  for (const auto& dim : dims) writeCounts(c, "by_" + dim, familyOf(sums, family + "." + dim));
}

void writeMoney(model::ObjectWriter& o, const std::string& name, const std::map<std::string, std::int64_t>& byCurrency) {
  model::ObjectWriter m(o.key(name));
  for (const auto& [currency, units] : byCurrency) m.string(currency, sdk::Decimal::fromUnits(units).toString(), true);
}

void writeMoneyBy(model::ObjectWriter& o, const std::string& name, const RollupSums& sums, const std::string& family,
                  const std::vector<std::string>& dims) {
  model::ObjectWriter m(o.key(name));
  const Keyed& all = familyOf(sums, family);
  auto total = all.find("");
  writeMoney(m, "total", total == all.end() ? std::map<std::string, std::int64_t>{} : total->second);
  for (const auto& dim : dims) {
    model::ObjectWriter by(m.key("by_" + dim));
    for (const auto& [key, currencies] : familyOf(sums, family + "." + dim)) writeMoney(by, key, currencies);
  }
}

}  // namespace

RollupSums indexSums(const std::vector<journal::StatDelta>& sums) {
  RollupSums out;
  for (const auto& d : sums) out[d.family][d.key1][d.key2] += d.value;
  return out;
}

std::int64_t percentileMs(const std::map<std::string, std::int64_t>& histogram, double q) {
  std::map<int, std::int64_t> buckets;
  std::int64_t count = 0;
  for (const auto& [key, n] : histogram) {
    if (key.size() < 2 || key[0] != 'b' || n <= 0) continue;
    buckets[std::stoi(key.substr(1))] += n;
    count += n;
  }
  if (count == 0) return 0;
  const auto rank = std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(q * static_cast<double>(count) - 1e-9)));
  std::int64_t seen = 0;
  for (const auto& [bucket, n] : buckets) {
    seen += n;
    if (seen >= rank) return static_cast<std::int64_t>(std::ceil(journal::latencyBucketBoundMs(bucket) - 1e-9));
  }
  return static_cast<std::int64_t>(std::ceil(journal::latencyBucketBoundMs(buckets.rbegin()->first)));
}

void writeStats(model::ObjectWriter& o, const StatsWindow& window, const RollupSums& sums, const RollupSums* states) {
  {
    model::ObjectWriter w(o.key("window"));
    w.string("from", common::toString(hourStart(window.from_hour)), true);
    w.string("to", common::toString(hourStart(window.to_hour)), true);
    w.string("granularity", "hour", true);
  }
  writeCountsBy(o, "filings", sums, "filings", {"partner", "kind"});
  writeCountsBy(o, "cases_filed", sums, "cases_filed", {"partner", "kind", "category"});
  writeCountsBy(o, "items", sums, "items", {"partner"});
  {
    model::ObjectWriter t(o.key("times"));
    writeTimes(t, "filing_to_decision", sums, "decision_ms", {"agency", "partner"});
    writeTimes(t, "filing_to_release", sums, "release_ms", {"agency", "partner"});
    writeTimes(t, "arrival_to_release", sums, "arrival_release_ms", {"agency", "partner"});
  }
  {
    model::ObjectWriter out(o.key("outcomes"));
    const Keyed& reasons = familyOf(sums, "outcomes.reason");
    for (const auto& [outcome, values] : familyOf(sums, "outcomes")) {
      model::ObjectWriter one(out.key(outcome));
      one.integer("decisions", valueOf(familyOf(sums, "outcomes"), outcome, ""));
      model::ObjectWriter why(one.key("reasons"));
      auto codes = reasons.find(outcome);
      if (codes == reasons.end()) continue;
      for (const auto& [code, n] : codes->second) why.integer(code, n);
    }
  }
  {
    model::ObjectWriter by(o.key("decisions_by_agency"));
    for (const auto& [agency, outcomes] : familyOf(sums, "decisions.agency")) {
      model::ObjectWriter one(by.key(agency));
      for (const auto& [outcome, n] : outcomes) one.integer(outcome, n);
    }
  }
  {
    model::ObjectWriter r(o.key("revenue"));
    writeMoneyBy(r, "assessed", sums, "assessed", {"tax", "model"});
    writeMoneyBy(r, "collected", sums, "collected", {"model"});
  }
  {
    model::ObjectWriter d(o.key("delivery"));
    writeCountsBy(d, "dead_letters", sums, "dead_letters", {"recipient"});
    writeTimes(d, "latency", sums, "delivery_ms", {"recipient"});
  }
  if (states) writeCounts(o, "cases_by_state", familyOf(*states, "cases_state"));
}

}  // namespace swhub::stats
