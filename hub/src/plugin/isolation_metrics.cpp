#include "plugin/isolation_metrics.hpp"

#include <atomic>

namespace swhub::plugin {

IsolationMetricLines isolationMetrics(const PluginRegistry& registry) {
  IsolationMetricLines lines;
  std::vector<std::shared_ptr<const LoadedPlugin>> isolated;
  for (const auto& plugin : registry.all()) {
    if (plugin->entry.isolation == "process") isolated.push_back(plugin);
  }
  auto label = [](const std::string& family, const LoadedPlugin& p) { return family + "{plugin=\"" + p.name + "\"}"; };
  using Counter = std::atomic<std::uint64_t> IsolationStats::*;
  const std::pair<const char*, Counter> families[] = {{"swhub_plugin_crashes_total", &IsolationStats::crashes},
                                                      {"swhub_plugin_restarts_total", &IsolationStats::restarts},
                                                      {"swhub_plugin_timeouts_total", &IsolationStats::timeouts},
                                                      {"swhub_plugin_recycled_total", &IsolationStats::recycled}};
  for (const auto& [family, member] : families) {
    for (const auto& p : isolated) {
      lines.counters.emplace_back(label(family, *p), static_cast<double>((*p->isolationStats.*member).load()));
    }
  }
  for (const auto& p : isolated) {
    lines.gauges.emplace_back(label("swhub_plugin_children", *p), static_cast<double>(p->isolationStats->children.load()));
  }
  return lines;
}

}  // namespace swhub::plugin
