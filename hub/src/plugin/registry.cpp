#include "plugin/registry.hpp"

#include "common/words.hpp"
#include "plugin/isolated_plugins.hpp"

#include <algorithm>

#include <boost/dll/library_info.hpp>
#include <boost/dll/runtime_symbol_info.hpp>
#include <filesystem>

namespace swhub::plugin {
namespace {

std::string versionText(std::uint32_t major, std::uint32_t minor) {
  return std::to_string(major) + "." + std::to_string(minor);
}

// The checks made before anything of a descriptor but its plain leading fields is trusted.
bool checkDescriptor(const sdk::Descriptor& d, const std::string& path, const std::string& where,
                     sdk::Errors& errors) {
  const std::string hubAbi = versionText(sdk::kAbiMajor, sdk::kAbiMinor);
  const std::string libAbi = versionText(d.abi_major, d.abi_minor);
  if (d.abi_major != sdk::kAbiMajor) {
    errors.push_back({where, "'" + path + "' was built for SDK ABI " + libAbi + ", this hub has ABI " + hubAbi +
                                 " (major versions differ)"});
    return false;
  }
  if (d.abi_minor > sdk::kAbiMinor) {
    errors.push_back({where, "'" + path + "' was built for SDK ABI " + libAbi + ", newer than this hub's ABI " +
                                 hubAbi});
    return false;
  }
  const std::string toolchain = d.toolchain ? d.toolchain : "";
  if (toolchain != sdk::kToolchain) {
    errors.push_back({where, "'" + path + "' was built with toolchain '" + toolchain + "', this hub with '" +
                                 sdk::kToolchain + "'"});
    return false;
  }
  if (!d.name || !*d.name || !d.version || !d.settings_schema) {
    errors.push_back({where, "'" + path + "' has an incomplete descriptor (name, version and settings schema are required)"});
    return false;
  }
  const bool factoryMatchesKind = (d.kind == sdk::PluginKind::Partner && d.partner_factory) ||
                                  (d.kind == sdk::PluginKind::Agency && d.agency_factory) ||
                                  (d.kind == sdk::PluginKind::Adapter && d.adapter_factory);
  if (!factoryMatchesKind) {
    errors.push_back({where, "'" + path + "' declares kind " + std::string(sdk::toString(d.kind)) +
                                 " but has no factory for it"});
    return false;
  }
  return true;
}

}  // namespace

PluginError::PluginError(sdk::Errors errors)
    : std::runtime_error(sdk::formatErrors(errors)), errors_(std::move(errors)) {}

sdk::Availability availabilityOf(const Instance<sdk::PartnerPlugin>& instance) {
  const sdk::Descriptor& descriptor = *instance.source->descriptor;
  if (descriptor.abi_minor < kAvailabilityAbiMinor || !instance.plugin) return {};
  sdk::Availability reported = instance.plugin->availability();
  const auto types = instance.plugin->contentTypes();
  sdk::Availability kept;
  for (auto& type : reported.unavailable_types) {
    if (std::find(types.begin(), types.end(), type) != types.end()) kept.unavailable_types.push_back(std::move(type));
  }
  kept.reason = std::move(reported.reason);
  if (!kept.unavailable_types.empty() && kept.reason.empty()) {
    kept.reason = "plugin '" + std::string(descriptor.name) + "' cannot read some of its formats now and gives no reason";
  }
  return kept;
}

#ifndef SWHUB_INSTALLED_PLUGIN_DIR
#define SWHUB_INSTALLED_PLUGIN_DIR "../lib/swhub/plugins"
#endif

std::string defaultPluginDir() {
  std::error_code ec;
  const auto exe = std::filesystem::canonical("/proc/self/exe", ec);
  if (ec) return "plugins";
  // A build tree keeps plugins/ beside the binary; an install keeps them in lib/swhub/plugins
  // (relative to bin/, as configured: CMAKE_INSTALL_LIBDIR), so bin/swhub is a plain binary.
  const auto beside = exe.parent_path() / "plugins";
  if (std::filesystem::is_directory(beside, ec)) return beside.string();
  return (exe.parent_path() / SWHUB_INSTALLED_PLUGIN_DIR).lexically_normal().string();
}

std::string resolveLibrary(const config::PluginEntry& entry, const std::string& pluginDir) {
  if (!entry.path.empty()) return entry.path;
  if (entry.library.find('/') != std::string::npos) return entry.library;
  return (std::filesystem::path(pluginDir.empty() ? defaultPluginDir() : pluginDir) / entry.library).string();
}

void builtInEntry(const config::PluginEntry& entry, sdk::Errors& notices, sdk::Errors& errors) {
  const std::string where = "plugins." + entry.name;
  const std::string formerLibrary = "swhub_" + entry.name + ".so";
  if (std::filesystem::path(entry.library).filename() == formerLibrary) {
    notices.push_back({where, "plugin '" + entry.name + "' is built into the hub: " + formerLibrary +
                                  " is not loaded and this entry can be removed"});
    return;
  }
  errors.push_back({where + ".library", "plugin '" + entry.name + "' is built into the hub; '" + entry.library +
                                            "' cannot replace it: register your library under another name"});
}

bool PluginRegistry::load(const config::PluginEntry& entry, const std::string& pluginDir, sdk::Errors& errors) {
  const std::string where = "plugins." + entry.name + ".library";
  const std::string path = resolveLibrary(entry, pluginDir);
  if (!std::filesystem::exists(path)) {
    errors.push_back({where, "cannot load '" + path + "': no such file (plugin folder: '" +
                                 (pluginDir.empty() ? defaultPluginDir() : pluginDir) + "')"});
    return false;
  }
  auto library = std::make_shared<boost::dll::shared_library>();
  boost::dll::fs::error_code ec;
  library->load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec) {
    errors.push_back({where, "cannot load '" + path + "': " + ec.message()});
    return false;
  }
  if (!library->has(sdk::kEntrySymbol)) {
    errors.push_back({where, "'" + path + "' has no entry symbol '" + sdk::kEntrySymbol +
                                 "': not a swhub plugin (build it with swhub_add_plugin and SWHUB_PLUGIN)"});
    return false;
  }
  const auto& entryFunction = library->get_alias<sdk::EntryFunction>(sdk::kEntrySymbol);
  const sdk::Descriptor* descriptor = entryFunction();
  if (descriptor == nullptr) {
    errors.push_back({where, "'" + path + "': entry '" + sdk::kEntrySymbol + "' returned no descriptor"});
    return false;
  }
  if (!checkDescriptor(*descriptor, path, where, errors)) return false;
  const std::string name = descriptor->name;
  if (auto it = byName_.find(name); it != byName_.end()) {
    errors.push_back({where, "'" + path + "' registers plugin '" + name + "', already registered by '" +
                                 it->second->path + "'"});
    return false;
  }
  if (name != entry.name) {
    errors.push_back({where, "'" + path + "' registers plugin '" + name + "', but the config names it '" +
                                 entry.name + "'"});
    return false;
  }
  auto loaded = std::make_shared<LoadedPlugin>();
  loaded->library = std::move(library);
  loaded->name = name;
  loaded->path = path;
  loaded->configPath = "plugins." + entry.name;
  loaded->descriptor = descriptor;
  loaded->entry = entry;
  try {
    loaded->settingsSchema = descriptor->settings_schema();
  } catch (const std::exception& e) {
    errors.push_back({where, "'" + path + "': settings schema failed: " + e.what()});
    return false;
  }
  byName_[name] = loaded;
  order_.push_back(loaded);
  return true;
}

void PluginRegistry::addBuiltIn(const sdk::Descriptor& descriptor) {
  const std::string name = descriptor.name;
  if (byName_.count(name) > 0) throw std::logic_error("built-in plugin '" + name + "' registered twice");
  auto loaded = std::make_shared<LoadedPlugin>();
  loaded->name = name;
  loaded->path = kBuiltInPath;
  loaded->configPath = "plugins." + name;
  loaded->descriptor = &descriptor;
  loaded->settingsSchema = descriptor.settings_schema();
  byName_[name] = loaded;
  order_.push_back(loaded);
}

bool PluginRegistry::isBuiltIn(const std::string& name) const {
  auto it = byName_.find(name);
  return it != byName_.end() && !it->second->library;
}

void PluginRegistry::loadAll(const std::vector<config::PluginEntry>& entries, const std::string& pluginDir) {
  sdk::Errors errors;
  for (const auto& entry : entries) load(entry, pluginDir, errors);
  if (!errors.empty()) throw PluginError(std::move(errors));
}

const LoadedPlugin* PluginRegistry::find(const std::string& name) const {
  auto it = byName_.find(name);
  return it == byName_.end() ? nullptr : it->second.get();
}

namespace {

// Runs the factory here, in this process; every error names the library.
template <class Interface, class Factory>
std::unique_ptr<Instance<Interface>> callFactory(const std::shared_ptr<const LoadedPlugin>& loaded,
                                                 const sdk::InstanceContext& context, sdk::Errors& errors,
                                                 Factory (*factoryOf)(const sdk::Descriptor&)) {
  const std::string& settingsPath = context.path;
  auto factory = factoryOf(*loaded->descriptor);
  try {
    auto made = factory(context);
    if (!made.ok()) {
      for (const auto& e : made.errors()) {
        errors.push_back({e.path.empty() ? settingsPath : e.path, "'" + loaded->path + "': " + e.message});
      }
      return nullptr;
    }
    auto instance = std::make_unique<Instance<Interface>>();
    instance->id = context.id;
    instance->source = loaded;
    instance->plugin = made.take();
    if (!instance->plugin) {
      errors.push_back({settingsPath, "'" + loaded->path + "': factory returned no instance"});
      return nullptr;
    }
    return instance;
  } catch (const std::exception& e) {
    // A factory built without SWHUB_PLUGIN's guard may still throw.
    errors.push_back({settingsPath, "'" + loaded->path + "': plugin '" + loaded->name + "' failed to start: " + e.what()});
  } catch (...) {
    errors.push_back({settingsPath, "'" + loaded->path + "': plugin '" + loaded->name + "' failed to start: unknown exception"});
  }
  return nullptr;
}

// The loaded plugin of that name and kind, or null with the error.
std::shared_ptr<const LoadedPlugin> findOfKind(const std::map<std::string, std::shared_ptr<const LoadedPlugin>>& byName,
                                               sdk::PluginKind kind, const std::string& pluginName,
                                               const std::string& configPath, sdk::Errors& errors) {
  auto it = byName.find(pluginName);
  if (it == byName.end()) {
    errors.push_back({configPath + ".plugin", "plugin '" + pluginName + "' is not loaded"});
    return nullptr;
  }
  if (it->second->descriptor->kind != kind) {
    errors.push_back({configPath + ".plugin", "plugin '" + pluginName + "' is " +
                                                  common::withArticle(sdk::toString(it->second->descriptor->kind)) +
                                                  " plugin; " + std::string(sdk::toString(kind)) + " expected"});
    return nullptr;
  }
  return it->second;
}

template <class Interface, class Factory>
std::unique_ptr<Instance<Interface>> makeInstance(const std::map<std::string, std::shared_ptr<const LoadedPlugin>>& byName,
                                                  sdk::PluginKind kind,
                                                  const std::string& pluginName, const std::string& id,
                                                  const std::string& configPath, const sdk::Value& settings,
                                                  sdk::Errors& errors, Factory (*factoryOf)(const sdk::Descriptor&),
                                                  const std::string& configDir) {
  auto loaded = findOfKind(byName, kind, pluginName, configPath, errors);
  if (!loaded) return nullptr;
  const std::string settingsPath = configPath + ".settings";
  const sdk::Value effective = settings.isNull() ? sdk::Value::map() : settings;
  auto settingsErrors = loaded->settingsSchema.validate(effective, settingsPath);
  if (!settingsErrors.empty()) {
    errors.insert(errors.end(), settingsErrors.begin(), settingsErrors.end());
    return nullptr;
  }
  sdk::InstanceContext context{id, settingsPath, effective, configDir};
  // isolation: process: the factory runs in the instance's child processes, behind a proxy.
  if (loaded->entry.isolation == "process") return isolation::makeIsolated<Interface>(loaded, context, errors);
  return callFactory<Interface>(loaded, context, errors, factoryOf);
}

sdk::PartnerFactory partnerFactoryOf(const sdk::Descriptor& d) { return d.partner_factory; }
sdk::AgencyFactory agencyFactoryOf(const sdk::Descriptor& d) { return d.agency_factory; }
sdk::AdapterFactory adapterFactoryOf(const sdk::Descriptor& d) { return d.adapter_factory; }

}  // namespace

std::unique_ptr<Instance<sdk::PartnerPlugin>> PluginRegistry::makePartner(const std::string& plugin, const std::string& id,
                                                                         const std::string& configPath,
                                                                         const sdk::Value& settings,
                                                                         sdk::Errors& errors) const {
  return makeInstance<sdk::PartnerPlugin, sdk::PartnerFactory>(byName_, sdk::PluginKind::Partner, plugin, id,
                                                               configPath, settings, errors, partnerFactoryOf, configDir_);
}

std::unique_ptr<Instance<sdk::AgencyPlugin>> PluginRegistry::makeAgency(const std::string& plugin, const std::string& id,
                                                                       const std::string& configPath,
                                                                       const sdk::Value& settings,
                                                                       sdk::Errors& errors) const {
  return makeInstance<sdk::AgencyPlugin, sdk::AgencyFactory>(byName_, sdk::PluginKind::Agency, plugin, id,
                                                             configPath, settings, errors, agencyFactoryOf, configDir_);
}

std::unique_ptr<Instance<sdk::Adapter>> PluginRegistry::makeAdapter(const std::string& plugin, const std::string& id,
                                                                   const std::string& configPath,
                                                                   const sdk::Value& settings,
                                                                   sdk::Errors& errors) const {
  return makeInstance<sdk::Adapter, sdk::AdapterFactory>(byName_, sdk::PluginKind::Adapter, plugin, id,
                                                         configPath, settings, errors, adapterFactoryOf, configDir_);
}

std::unique_ptr<Instance<sdk::PartnerPlugin>> PluginRegistry::buildPartner(const std::string& plugin,
                                                                          const sdk::InstanceContext& context,
                                                                          sdk::Errors& errors) const {
  auto loaded = findOfKind(byName_, sdk::PluginKind::Partner, plugin, context.path, errors);
  return loaded ? callFactory<sdk::PartnerPlugin>(loaded, context, errors, partnerFactoryOf) : nullptr;
}

std::unique_ptr<Instance<sdk::AgencyPlugin>> PluginRegistry::buildAgency(const std::string& plugin,
                                                                        const sdk::InstanceContext& context,
                                                                        sdk::Errors& errors) const {
  auto loaded = findOfKind(byName_, sdk::PluginKind::Agency, plugin, context.path, errors);
  return loaded ? callFactory<sdk::AgencyPlugin>(loaded, context, errors, agencyFactoryOf) : nullptr;
}

std::unique_ptr<Instance<sdk::Adapter>> PluginRegistry::buildAdapter(const std::string& plugin,
                                                                    const sdk::InstanceContext& context,
                                                                    sdk::Errors& errors) const {
  auto loaded = findOfKind(byName_, sdk::PluginKind::Adapter, plugin, context.path, errors);
  return loaded ? callFactory<sdk::Adapter>(loaded, context, errors, adapterFactoryOf) : nullptr;
}

}  // namespace swhub::plugin
