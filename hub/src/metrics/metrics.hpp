#pragma once
// Prometheus metrics of the hub: counters by label and fixed-bucket histograms, rendered in the
// text exposition format for GET /metrics. Thread-safe; increments take one short lock.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace swhub::metrics {

// A counter family with one label ("partner", "status", ...).
class CounterFamily {
 public:
  CounterFamily(std::string name, std::string help, std::string label);
  void increment(const std::string& labelValue, std::uint64_t by = 1);
  std::uint64_t value(const std::string& labelValue) const;
  void render(std::string& out) const;

 private:
  std::string name_, help_, label_;
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> values_;
};

// A counter family with two labels ("plugin" and "kind").
class CounterFamily2 {
 public:
  CounterFamily2(std::string name, std::string help, std::string label1, std::string label2);
  void increment(const std::string& value1, const std::string& value2, std::uint64_t by = 1);
  std::uint64_t value(const std::string& value1, const std::string& value2) const;
  void render(std::string& out) const;

 private:
  std::string name_, help_, label1_, label2_;
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> values_;
};

// A histogram of seconds with fixed upper bounds.
class Histogram {
 public:
  Histogram(std::string name, std::string help, std::vector<double> bounds);
  void observe(double seconds);
  std::uint64_t count() const;
  // The upper bound of the bucket holding quantile q (0..1) of observations; +Inf as max double.
  double quantileBound(double q) const;
  void render(std::string& out) const;

 private:
  std::string name_, help_;
  std::vector<double> bounds_;
  mutable std::mutex mutex_;
  std::vector<std::uint64_t> buckets_;  // one per bound, plus +Inf
  double sum_ = 0;
  std::uint64_t count_ = 0;
};

// Every metric the hub exposes.
class HubMetrics {
 public:
  HubMetrics();
  CounterFamily filingsAccepted{"swhub_filings_accepted_total", "Filings accepted (journaled and acknowledged), by partner", "partner"};
  CounterFamily filingsRejected{"swhub_filings_rejected_total", "Filings rejected (invalid, refused or unsupported), by partner", "partner"};
  CounterFamily httpResponses{"swhub_http_responses_total", "HTTP responses by status code", "code"};
  CounterFamily notificationsUnencodable{"swhub_notifications_unencodable_total",
                                         "Notifications dead-lettered because the partner's plugin could not "
                                         "encode them (never sent in another format), by partner",
                                         "partner"};
  CounterFamily2 pluginFailures{"swhub_plugin_failures_total",
                                "Plugin calls that failed as their caller saw it (timed-out, busy, crashed, "
                                "threw, garbage), by plugin and kind",
                                "plugin", "kind"};
  Histogram commitSeconds{"swhub_journal_commit_seconds", "Journal commit latency (one transaction, group commit)",
                          {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}};
  Histogram commitBatch{"swhub_journal_commit_batches", "WriteBatches per journal transaction (group commit size)",
                        {1, 2, 4, 8, 16, 32, 64, 128, 256}};
  std::atomic<std::int64_t> inFlight{0};

  // The whole exposition; `gauges` and `counters` add name/value lines kept elsewhere (journal
  // writable; the delivery worker's counts). A name may carry labels: name{label="value"}.
  std::string render(const std::vector<std::pair<std::string, double>>& gauges = {},
                     const std::vector<std::pair<std::string, double>>& counters = {}) const;
};

}  // namespace swhub::metrics
