#include "metrics/metrics.hpp"
#include "metrics/prometheus_text.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace swhub::metrics {
namespace {

std::string number(double v) { return formatNumber(v); }

}  // namespace

CounterFamily::CounterFamily(std::string name, std::string help, std::string label)
    : name_(std::move(name)), help_(std::move(help)), label_(std::move(label)) {}

void CounterFamily::increment(const std::string& labelValue, std::uint64_t by) {
  std::lock_guard lock(mutex_);
  values_[labelValue] += by;
}

std::uint64_t CounterFamily::value(const std::string& labelValue) const {
  std::lock_guard lock(mutex_);
  auto it = values_.find(labelValue);
  return it == values_.end() ? 0 : it->second;
}

void CounterFamily::render(std::string& out) const {
  out += "# HELP " + name_ + " " + help_ + "\n# TYPE " + name_ + " counter\n";
  std::lock_guard lock(mutex_);
  for (const auto& [label, value] : values_) {
    out += name_ + "{" + label_ + "=\"" + escapeLabel(label) + "\"} " + std::to_string(value) + "\n";
  }
}

CounterFamily2::CounterFamily2(std::string name, std::string help, std::string label1, std::string label2)
    : name_(std::move(name)), help_(std::move(help)), label1_(std::move(label1)), label2_(std::move(label2)) {}

void CounterFamily2::increment(const std::string& value1, const std::string& value2, std::uint64_t by) {
  std::lock_guard lock(mutex_);
  values_[{value1, value2}] += by;
}

std::uint64_t CounterFamily2::value(const std::string& value1, const std::string& value2) const {
  std::lock_guard lock(mutex_);
  auto it = values_.find({value1, value2});
  return it == values_.end() ? 0 : it->second;
}

void CounterFamily2::render(std::string& out) const {
  out += "# HELP " + name_ + " " + help_ + "\n# TYPE " + name_ + " counter\n";
  std::lock_guard lock(mutex_);
  for (const auto& [labels, value] : values_) {
    out += name_ + "{" + label1_ + "=\"" + escapeLabel(labels.first) + "\"," + label2_ + "=\"" +
           escapeLabel(labels.second) + "\"} " + std::to_string(value) + "\n";
  }
}

Histogram::Histogram(std::string name, std::string help, std::vector<double> bounds)
    : name_(std::move(name)), help_(std::move(help)), bounds_(std::move(bounds)), buckets_(bounds_.size() + 1, 0) {}

void Histogram::observe(double seconds) {
  const auto index = std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin();
  std::lock_guard lock(mutex_);
  ++buckets_[index];
  sum_ += seconds;
  ++count_;
}

std::uint64_t Histogram::count() const {
  std::lock_guard lock(mutex_);
  return count_;
}

double Histogram::quantileBound(double q) const {
  std::lock_guard lock(mutex_);
  const double target = q * static_cast<double>(count_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (count_ > 0 && static_cast<double>(seen) >= target) {
      return i < bounds_.size() ? bounds_[i] : std::numeric_limits<double>::max();
    }
  }
  return 0;
}

void Histogram::render(std::string& out) const {
  out += "# HELP " + name_ + " " + help_ + "\n# TYPE " + name_ + " histogram\n";
  std::lock_guard lock(mutex_);
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += buckets_[i];
    out += name_ + "_bucket{le=\"" + number(bounds_[i]) + "\"} " + std::to_string(cumulative) + "\n";
  }
  cumulative += buckets_.back();
  out += name_ + "_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  out += name_ + "_sum " + number(sum_) + "\n";
  out += name_ + "_count " + std::to_string(count_) + "\n";
}

HubMetrics::HubMetrics() = default;

std::string HubMetrics::render(const std::vector<std::pair<std::string, double>>& gauges,
                               const std::vector<std::pair<std::string, double>>& counters) const {
  std::string out;
  filingsAccepted.render(out);
  filingsRejected.render(out);
  httpResponses.render(out);
  notificationsUnencodable.render(out);
  pluginFailures.render(out);
  commitSeconds.render(out);
  commitBatch.render(out);
  out += "# HELP swhub_http_in_flight Requests being served\n# TYPE swhub_http_in_flight gauge\n";
  out += "swhub_http_in_flight " + std::to_string(inFlight.load()) + "\n";
  std::string family;  // one TYPE line per family, before its first sample (a name may carry labels)
  for (const auto& [name, value] : gauges) {
    const std::string base = name.substr(0, name.find('{'));
    if (base != family) out += "# TYPE " + base + " gauge\n";
    family = base;
    out += name + " " + number(value) + "\n";
  }
  family.clear();
  for (const auto& [name, value] : counters) {
    const std::string base = name.substr(0, name.find('{'));
    if (base != family) out += "# TYPE " + base + " counter\n";
    family = base;
    out += name + " " + number(value) + "\n";
  }
  return out;
}

}  // namespace swhub::metrics
