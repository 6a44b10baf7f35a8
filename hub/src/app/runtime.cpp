#include "app/runtime.hpp"

#include "builtin/canonical_partner.hpp"

namespace swhub::app {
namespace {

// An in-process instance gets its own call threads, each call bounded by the plugin's
// call_timeout_ms (plugin/bounded_plugins.hpp); `isolation: process` is served elsewhere.
template <class Interface>
void boundInProcess(plugin::Instance<Interface>& instance, const config::HubConfig& config, Runtime& runtime) {
  for (const auto& entry : config.plugins) {
    if (entry.name != instance.source->name) continue;
    if (entry.isolation == "in-process") plugin::bound(instance, plugin::limitsOf(entry), runtime.bulkheads);
    return;
  }
}

}  // namespace

Runtime::~Runtime() {
  push.clear();
  canonical.reset();
  partners.clear();
  agencies.clear();
}

std::unique_ptr<Runtime> buildRuntime(const config::HubConfig& config) {
  auto runtime = std::make_unique<Runtime>();
  runtime->registry.setConfigDir(config.base_dir);
  sdk::Errors errors;
  // Built in first: a library may not take a built-in plugin's name.
  runtime->registry.addBuiltIn(builtin::canonicalDescriptor());
  for (const auto& entry : config.plugins) {
    if (runtime->registry.isBuiltIn(entry.name)) {
      plugin::builtInEntry(entry, runtime->notices, errors);
    } else {
      runtime->registry.load(entry, config.plugin_dir, errors);
    }
  }
  for (const auto& p : config.partners) {
    const std::string path = "partners." + p.id;
    if (runtime->registry.find(p.plugin) == nullptr) continue;  // its load error is already listed
    auto instance = runtime->registry.makePartner(p.plugin, p.id, path, p.settings, errors);
    if (!instance) continue;
    boundInProcess(*instance, config, *runtime);
    auto partner = std::make_unique<intake::PartnerRuntime>();
    partner->config = p;
    partner->contentTypes = instance->plugin->contentTypes();
    partner->availability = plugin::availabilityOf(*instance);
    if (!partner->availability.reason.empty()) runtime->notices.push_back({path, partner->availability.reason});
    partner->maxBodyBytes = p.max_body_bytes > 0 ? p.max_body_bytes : config.max_body_bytes;
    partner->instance = std::move(instance);
    runtime->partners[p.id] = std::move(partner);
  }
  for (const auto& a : config.agencies) {
    if (a.plugin.empty() || runtime->registry.find(a.plugin) == nullptr) continue;
    auto instance = runtime->registry.makeAgency(a.plugin, a.id, "agencies." + a.id, a.settings, errors);
    if (!instance) continue;
    boundInProcess(*instance, config, *runtime);
    runtime->agencies[a.id] = std::move(instance);
  }
  // The canonical format for every partner, whatever its own plugin (with the format's defaults).
  runtime->canonical = runtime->registry.makePartner("canonical", "canonical", "plugins.canonical",
                                                     sdk::Value::map(), errors);
  auto addPush = [&](const std::string& recipient, const std::string& path, const std::optional<config::PushConfig>& push) {
    if (!push || runtime->registry.find(push->adapter) == nullptr) return;
    auto adapter = runtime->registry.makeAdapter(push->adapter, recipient, path + ".push", push->settings, errors);
    if (!adapter) return;
    boundInProcess(*adapter, config, *runtime);
    runtime->push[recipient] = std::move(adapter);
  };
  for (const auto& p : config.partners) addPush(p.id, "partners." + p.id, p.push);
  for (const auto& a : config.agencies) addPush(a.id, "agencies." + a.id, a.push);
  auto routes = routing::RouteTable::compile(config.routes.isNull() ? sdk::Value::list() : config.routes, "routes");
  if (routes.ok()) {
    runtime->routes = routes.take();
  } else {
    errors.insert(errors.end(), routes.errors().begin(), routes.errors().end());
  }
  if (!errors.empty()) throw plugin::PluginError(std::move(errors));
  return runtime;
}

}  // namespace swhub::app
