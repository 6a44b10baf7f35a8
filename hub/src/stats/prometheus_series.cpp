#include "stats/prometheus_series.hpp"

#include "metrics/prometheus_text.hpp"
#include "stats/stats_report.hpp"
#include "swhub/sdk/model.hpp"

namespace swhub::stats {
namespace {

using metrics::HistogramSample;
using metrics::Labels;

// Every 8th latency bucket (a factor of 4): 1 ms, 4 ms, 16 ms, ... about 199 days.
constexpr int kStep = 8;
constexpr int kLastBound = 136;

std::vector<double> boundsSeconds() {
  std::vector<double> out;
  for (int i = 0; i <= kLastBound; i += kStep) out.push_back(journal::latencyBucketBoundMs(i) / 1000.0);
  return out;
}

void histogram(std::string& out, const RollupSums& sums, const std::string& family, const std::string& label,
               const std::string& name, const std::string& help) {
  std::vector<HistogramSample> samples;
  auto it = sums.find(family);
  if (it != sums.end()) {
    for (const auto& [key, buckets] : it->second) {
      HistogramSample s;
      s.labels = {{label, key}};
      s.cumulative.assign(static_cast<std::size_t>(kLastBound / kStep + 1), 0);
      for (const auto& [bucket, n] : buckets) {
        if (bucket == "sum") {
          s.sum = static_cast<double>(n) / 1000.0;
          continue;
        }
        if (bucket.size() < 2 || bucket[0] != 'b' || n <= 0) continue;
        const int b = std::stoi(bucket.substr(1));
        s.count += static_cast<std::uint64_t>(n);
        // A bucket counts in every cumulative bound at or above its own upper bound.
        for (std::size_t i = 0; i < s.cumulative.size(); ++i) {
          if (b <= static_cast<int>(i) * kStep) s.cumulative[i] += static_cast<std::uint64_t>(n);
        }
      }
      samples.push_back(std::move(s));
    }
  }
  metrics::renderHistogramFamily(out, name, help, boundsSeconds(), samples);
}

std::vector<std::pair<Labels, double>> counts(const RollupSums& sums, const std::string& family,
                                              const std::string& label1, const std::string& label2, bool money) {
  std::vector<std::pair<Labels, double>> out;
  auto it = sums.find(family);
  if (it == sums.end()) return out;
  for (const auto& [key1, values] : it->second) {
    for (const auto& [key2, n] : values) {
      Labels labels{{label1, key1}};
      if (!label2.empty()) labels.push_back({label2, key2});
      out.push_back({labels, money ? sdk::Decimal::fromUnits(n).toDouble() : static_cast<double>(n)});
    }
  }
  return out;
}

}  // namespace

const std::vector<std::string>& statsSeriesNames() {
  static const std::vector<std::string> kNames = {
      "swhub_release_seconds_bucket",         "swhub_release_seconds_sum",         "swhub_release_seconds_count",
      "swhub_arrival_release_seconds_bucket", "swhub_arrival_release_seconds_sum", "swhub_arrival_release_seconds_count",
      "swhub_decision_seconds_bucket",        "swhub_decision_seconds_sum",        "swhub_decision_seconds_count",
      "swhub_delivery_seconds_bucket",        "swhub_delivery_seconds_sum",        "swhub_delivery_seconds_count",
      "swhub_cases",                          "swhub_cases_filed_total",           "swhub_decisions_total",
      "swhub_decision_reasons_total",         "swhub_revenue_assessed_total",      "swhub_revenue_collected_total",
      "swhub_dead_letters_total",
  };
  return kNames;
}

std::string renderStatsSeries(journal::Journal& journal) {
  return renderStatsSeries(journal.statSums("", journal::kAllTimeHour, journal::kAllTimeHour + 1));
}

std::string renderStatsSeries(const std::vector<journal::StatDelta>& totals) {
  const RollupSums sums = indexSums(totals);
  std::string out;
  histogram(out, sums, "release_ms.partner", "partner", "swhub_release_seconds",
            "Time from filing to release, by partner (journal totals)");
  histogram(out, sums, "arrival_release_ms.partner", "partner", "swhub_arrival_release_seconds",
            "Time from the goods' arrival to release, by partner (journal totals)");
  histogram(out, sums, "decision_ms.agency", "agency", "swhub_decision_seconds",
            "Time from filing to each decision an agency gave, by agency (journal totals)");
  histogram(out, sums, "delivery_ms.recipient", "recipient", "swhub_delivery_seconds",
            "Time from an outbox item's creation to its push delivery, by recipient (journal totals)");
  metrics::renderFamily(out, "swhub_cases", "Cases in each state now", "gauge",
                        counts(sums, "cases_state", "state", "", false));
  metrics::renderFamily(out, "swhub_cases_filed_total", "Cases filed, by partner", "counter",
                        counts(sums, "cases_filed.partner", "partner", "", false));
  metrics::renderFamily(out, "swhub_decisions_total", "Decisions applied, by agency and outcome", "counter",
                        counts(sums, "decisions.agency", "agency", "outcome", false));
  metrics::renderFamily(out, "swhub_decision_reasons_total",
                        "Decisions applied, by outcome and reason code (\"none\" when none given)", "counter",
                        counts(sums, "outcomes.reason", "outcome", "reason", false));
  metrics::renderFamily(out, "swhub_revenue_assessed_total", "Revenue assessed (first and later assessments), by tax and currency",
                        "counter", counts(sums, "assessed.tax", "tax", "currency", true));
  metrics::renderFamily(out, "swhub_revenue_collected_total", "Payments confirmed, by collection model and currency",
                        "counter", counts(sums, "collected.model", "model", "currency", true));
  metrics::renderFamily(out, "swhub_dead_letters_total", "Deliveries that gave up, by recipient", "counter",
                        counts(sums, "dead_letters.recipient", "recipient", "", false));
  return out;
}

}  // namespace swhub::stats
