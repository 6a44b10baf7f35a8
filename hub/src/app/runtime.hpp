#pragma once
// The loaded plugins and the partner/agency instances built from the config, and the compiled
// route table: what a hub (or `swhub check-config`) builds before anything runs.

#include <map>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "intake/partner_runtime.hpp"
#include "plugin/bounded_plugins.hpp"
#include "plugin/registry.hpp"
#include "routing/route_table.hpp"

namespace swhub::app {

// Throws plugin::PluginError with every error (load, settings, factory, routes) found.
struct Runtime {
  plugin::PluginRegistry registry;
  std::map<std::string, std::unique_ptr<intake::PartnerRuntime>> partners;
  std::map<std::string, std::unique_ptr<plugin::Instance<sdk::AgencyPlugin>>> agencies;
  std::unique_ptr<plugin::Instance<sdk::PartnerPlugin>> canonical;  // the canonical format, for every partner
  std::map<std::string, std::unique_ptr<plugin::Instance<sdk::Adapter>>> push;  // recipient -> push adapter
  std::shared_ptr<const routing::RouteTable> routes;
  // The call threads of every in-process instance (bounded calls; README "Plugin faults").
  plugin::CallBulkheads bulkheads;
  // What works only in part, for the operator ({"partners.demo-broker", "DMS filings are off: ..."}):
  // shown by check-config and the start-up log; the hub runs all the same.
  sdk::Errors notices;

  // Destroy instances before the registry releases the libraries.
  ~Runtime();
};

std::unique_ptr<Runtime> buildRuntime(const config::HubConfig& config);

}  // namespace swhub::app
