#pragma once
// Pieces of the Prometheus text exposition format for series kept outside HubMetrics (the
// statistics rollups' families, hub/src/stats/prometheus_series.cpp).

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace swhub::metrics {

// A label value escaped (backslash, quote, newline) and a sample value as Prometheus reads them.
std::string escapeLabel(const std::string& value);
std::string formatNumber(double value);

// One sample's labels: (name, value) pairs in order.
using Labels = std::vector<std::pair<std::string, std::string>>;
std::string labelText(const Labels& labels);

// A histogram series: cumulative counts at each bound (same length as the bounds), sum and count.
struct HistogramSample {
  Labels labels;
  std::vector<std::uint64_t> cumulative;
  double sum = 0;
  std::uint64_t count = 0;
};
void renderHistogramFamily(std::string& out, const std::string& name, const std::string& help,
                           const std::vector<double>& bounds, const std::vector<HistogramSample>& samples);

// A counter or gauge family (`type` "counter" | "gauge").
void renderFamily(std::string& out, const std::string& name, const std::string& help, const std::string& type,
                  const std::vector<std::pair<Labels, double>>& samples);

}  // namespace swhub::metrics
