#pragma once
// The /metrics lines of the plugins under isolation: process (README "Plugin faults"), in the
// name/value form that metrics::HubMetrics::render() takes, each family's samples together.

#include <string>
#include <utility>
#include <vector>

#include "plugin/registry.hpp"

namespace swhub::plugin {

struct IsolationMetricLines {
  std::vector<std::pair<std::string, double>> gauges;    // swhub_plugin_children{plugin}
  std::vector<std::pair<std::string, double>> counters;  // crashes, restarts, timeouts, recycled
};

IsolationMetricLines isolationMetrics(const PluginRegistry& registry);

}  // namespace swhub::plugin
