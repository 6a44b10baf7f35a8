// The rollups' running totals as Prometheus series.

#include <gtest/gtest.h>

#include "stats/prometheus_series.hpp"

namespace swhub::stats {
namespace {

bool has(const std::string& text, const std::string& line) { return text.find(line + "\n") != std::string::npos; }

TEST(stats_prometheus, histogramsAreCumulativeWithSumAndCount) {
  std::vector<journal::StatDelta> d;
  journal::addLatency(d, 1, "", "release_ms.partner", "demo-post", 3);     // bucket 7: up to 3.4 ms
  journal::addLatency(d, 1, "", "release_ms.partner", "demo-post", 2000);  // bucket 44: under 4.096 s
  std::vector<journal::StatDelta> totals;
  for (const auto& x : journal::mergeStatDeltas(d)) {
    if (x.hour == journal::kAllTimeHour) totals.push_back(x);
  }
  const std::string text = renderStatsSeries(totals);
  EXPECT_TRUE(has(text, "# TYPE swhub_release_seconds histogram"));
  EXPECT_TRUE(has(text, "swhub_release_seconds_bucket{partner=\"demo-post\",le=\"0.001\"} 0"));
  EXPECT_TRUE(has(text, "swhub_release_seconds_bucket{partner=\"demo-post\",le=\"0.004\"} 1"));
  EXPECT_TRUE(has(text, "swhub_release_seconds_bucket{partner=\"demo-post\",le=\"0.016\"} 1"));
  EXPECT_TRUE(has(text, "swhub_release_seconds_bucket{partner=\"demo-post\",le=\"1.024\"} 1"));
  EXPECT_TRUE(has(text, "swhub_release_seconds_bucket{partner=\"demo-post\",le=\"4.096\"} 2"));
  EXPECT_TRUE(has(text, "swhub_release_seconds_bucket{partner=\"demo-post\",le=\"+Inf\"} 2"));
  EXPECT_TRUE(has(text, "swhub_release_seconds_sum{partner=\"demo-post\"} 2.003"));
  EXPECT_TRUE(has(text, "swhub_release_seconds_count{partner=\"demo-post\"} 2"));
}

TEST(stats_prometheus, gaugesAndCountersWithTheirLabels) {
  const std::vector<journal::StatDelta> totals{
      {journal::kAllTimeHour, "", "cases_state", "held", "", 3},
      {journal::kAllTimeHour, "", "decisions.agency", "customs", "hold", 4},
      {journal::kAllTimeHour, "", "outcomes.reason", "hold", "FS-VET", 4},
      {journal::kAllTimeHour, "", "assessed.tax", "vat", "EUR", 92000},
      {journal::kAllTimeHour, "", "collected.model", "consumer", "EUR", 117000},
      {journal::kAllTimeHour, "", "dead_letters.recipient", "demo-express", "", 1},
      {journal::kAllTimeHour, "", "cases_filed.partner", "demo-post", "", 7}};
  const std::string text = renderStatsSeries(totals);
  EXPECT_TRUE(has(text, "# TYPE swhub_cases gauge"));
  EXPECT_TRUE(has(text, "swhub_cases{state=\"held\"} 3"));
  EXPECT_TRUE(has(text, "swhub_decisions_total{agency=\"customs\",outcome=\"hold\"} 4"));
  EXPECT_TRUE(has(text, "swhub_decision_reasons_total{outcome=\"hold\",reason=\"FS-VET\"} 4"));
  EXPECT_TRUE(has(text, "swhub_revenue_assessed_total{tax=\"vat\",currency=\"EUR\"} 9.2"));
  EXPECT_TRUE(has(text, "swhub_revenue_collected_total{model=\"consumer\",currency=\"EUR\"} 11.7"));
  EXPECT_TRUE(has(text, "swhub_dead_letters_total{recipient=\"demo-express\"} 1"));
  EXPECT_TRUE(has(text, "swhub_cases_filed_total{partner=\"demo-post\"} 7"));
}

TEST(stats_prometheus, everyListedNameIsRendered) {
  std::vector<journal::StatDelta> d;
  for (const char* f : {"release_ms.partner", "arrival_release_ms.partner", "decision_ms.agency", "delivery_ms.recipient"}) {
    journal::addLatency(d, 1, "", f, "x", 5);
  }
  std::vector<journal::StatDelta> totals;
  for (const auto& x : journal::mergeStatDeltas(d)) {
    if (x.hour == journal::kAllTimeHour) totals.push_back(x);
  }
  for (const char* f : {"cases_state", "cases_filed.partner", "decisions.agency", "outcomes.reason", "assessed.tax",
                        "collected.model", "dead_letters.recipient"}) {
    totals.push_back({journal::kAllTimeHour, "", f, "x", "y", 1});
  }
  const std::string text = renderStatsSeries(totals);
  for (const auto& name : statsSeriesNames()) EXPECT_NE(text.find("\n" + name + "{"), std::string::npos) << name;
}

}  // namespace
}  // namespace swhub::stats
