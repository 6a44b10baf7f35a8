#pragma once
// Loads the plugin and adapter libraries that the config names (Boost.DLL), checks each
// descriptor before trusting it, and builds the partner, agency and adapter instances. Nothing
// is loaded by scanning a folder, and nothing that fails is skipped: every error names the
// config path, the library path and the cause.

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include "config/config.hpp"
#include "plugin/isolation_stats.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::plugin {

// Thrown when a library cannot be loaded or an instance cannot be built; carries every error.
class PluginError : public std::runtime_error {
 public:
  explicit PluginError(sdk::Errors errors);
  const sdk::Errors& errors() const { return errors_; }

 private:
  sdk::Errors errors_;
};

// One loaded library. Everything created from it holds `library` so the code stays mapped
// until the last instance is destroyed.
struct LoadedPlugin {
  // First member, so destroyed last: the schema below was built by the library's code. Null for
  // a plugin built into the hub.
  std::shared_ptr<boost::dll::shared_library> library;
  std::string name;
  std::string path;
  std::string configPath;  // "plugins.<name>"
  const sdk::Descriptor* descriptor = nullptr;
  sdk::Schema settingsSchema;
  // The config entry: isolation: process makes every instance a proxy to child processes.
  config::PluginEntry entry;
  // What the supervision of its children counted (isolation: process), for /metrics.
  std::shared_ptr<IsolationStats> isolationStats = std::make_shared<IsolationStats>();
};

// An instance and the library it came from. Declaration order matters: `plugin` is destroyed
// before `library` releases the code.
template <class Interface>
struct Instance {
  std::string id;
  std::shared_ptr<const LoadedPlugin> source;
  std::unique_ptr<Interface> plugin;
};

// The first SDK ABI minor whose PartnerPlugin has availability(): a library built for an older
// minor has no such entry in its vtable, so the hub must not call it there.
inline constexpr std::uint32_t kAvailabilityAbiMinor = 1;

// The first SDK ABI minor whose AgencyPlugin has assessCase() (findings: category, risk, revenue).
inline constexpr std::uint32_t kFindingsAbiMinor = 2;

// What a partner instance cannot serve (PartnerPlugin::availability()), asked only of a library
// built for ABI 3.1 or newer; everything is available for an older one. Only media types of the
// instance's contentTypes() are kept, and a part switched off without a reason gets one.
sdk::Availability availabilityOf(const Instance<sdk::PartnerPlugin>& instance);

// What `path` says of a plugin built into the hub.
inline constexpr const char* kBuiltInPath = "(built in)";

// The default plugin folder: "plugins" beside the running swhub binary (symlinks resolved).
std::string defaultPluginDir();

// The path a config entry resolves to: a bare file name is looked up in `pluginDir`.
std::string resolveLibrary(const config::PluginEntry& entry, const std::string& pluginDir);

// A config entry under `plugins` that names a plugin built into the hub. The entry configs kept
// from before it was built in (`canonical: {library: swhub_canonical.so}`) is accepted with a
// notice and nothing is loaded; another library under that name is an error.
void builtInEntry(const config::PluginEntry& entry, sdk::Errors& notices, sdk::Errors& errors);

class PluginRegistry {
 public:
  // Loads every library of config.plugins (all errors collected; throws PluginError).
  void loadAll(const std::vector<config::PluginEntry>& entries, const std::string& pluginDir);
  // Loads one library; appends its errors to `errors` and returns false when refused.
  bool load(const config::PluginEntry& entry, const std::string& pluginDir, sdk::Errors& errors);

  // A plugin built into the hub (builtin/): found by name like a loaded library, with no library
  // behind it (path "(built in)"). A name registered twice is a bug of the hub: throws.
  void addBuiltIn(const sdk::Descriptor& descriptor);
  bool isBuiltIn(const std::string& name) const;

  const LoadedPlugin* find(const std::string& name) const;
  // The config file's folder, handed to every factory (relative paths in settings are relative to it).
  void setConfigDir(std::string dir) { configDir_ = std::move(dir); }
  std::vector<std::shared_ptr<const LoadedPlugin>> all() const { return order_; }

  // Validates `settings` against the plugin's schema and calls its factory. `configPath` is the
  // dotted path of the instance ("partners.demo-post"). Appends errors; returns null on failure.
  std::unique_ptr<Instance<sdk::PartnerPlugin>> makePartner(const std::string& plugin, const std::string& id,
                                                            const std::string& configPath,
                                                            const sdk::Value& settings, sdk::Errors& errors) const;
  std::unique_ptr<Instance<sdk::AgencyPlugin>> makeAgency(const std::string& plugin, const std::string& id,
                                                          const std::string& configPath,
                                                          const sdk::Value& settings, sdk::Errors& errors) const;
  std::unique_ptr<Instance<sdk::Adapter>> makeAdapter(const std::string& plugin, const std::string& id,
                                                      const std::string& configPath,
                                                      const sdk::Value& settings, sdk::Errors& errors) const;

  // Calls the factory in this process with a context already validated (the plugin host, in the
  // child of an isolated plugin): the errors are those makePartner() etc. report.
  std::unique_ptr<Instance<sdk::PartnerPlugin>> buildPartner(const std::string& plugin, const sdk::InstanceContext& context,
                                                             sdk::Errors& errors) const;
  std::unique_ptr<Instance<sdk::AgencyPlugin>> buildAgency(const std::string& plugin, const sdk::InstanceContext& context,
                                                           sdk::Errors& errors) const;
  std::unique_ptr<Instance<sdk::Adapter>> buildAdapter(const std::string& plugin, const sdk::InstanceContext& context,
                                                       sdk::Errors& errors) const;

 private:
  std::map<std::string, std::shared_ptr<const LoadedPlugin>> byName_;
  std::vector<std::shared_ptr<const LoadedPlugin>> order_;
  std::string configDir_;
};

}  // namespace swhub::plugin
