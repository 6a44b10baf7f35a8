#pragma once
// isolation: process (README "Plugin faults"): an instance whose plugin entry says so is a proxy
// implementing the same SDK interface (PartnerPlugin and its Decoders, AgencyPlugin, Adapter), so
// that nothing else in the hub changes. Each call goes to one of the instance's child processes
// (child_pool.hpp); a failure there comes back as the one shape of plugin_failure.hpp:
//   - encode, assess: Errors{failureError(...)};
//   - a decoder: one Decoded{Errors{failureError(...)}}, then the end;
//   - deliver: RetryLater, the failure's text as its detail (a DeliveryOutcome has no errors).
// A call whose child crashed is retried once in another child where its input is still whole
// (encode, assess, deliver; a decode only before any byte of the message was read); a timeout is
// not retried (the caller waited long enough), nor is garbage (the plugin would answer the same).

#include <memory>

#include "plugin/registry.hpp"

namespace swhub::plugin::isolation {

// The instance of `loaded` for `context`, served by child processes; null with the errors of the
// child's load or factory (as they read in process) when its first child cannot start.
template <class Interface>
std::unique_ptr<Instance<Interface>> makeIsolated(const std::shared_ptr<const LoadedPlugin>& loaded,
                                                  const sdk::InstanceContext& context, sdk::Errors& errors);

template <>
std::unique_ptr<Instance<sdk::PartnerPlugin>> makeIsolated(const std::shared_ptr<const LoadedPlugin>& loaded,
                                                           const sdk::InstanceContext& context, sdk::Errors& errors);
template <>
std::unique_ptr<Instance<sdk::AgencyPlugin>> makeIsolated(const std::shared_ptr<const LoadedPlugin>& loaded,
                                                          const sdk::InstanceContext& context, sdk::Errors& errors);
template <>
std::unique_ptr<Instance<sdk::Adapter>> makeIsolated(const std::shared_ptr<const LoadedPlugin>& loaded,
                                                     const sdk::InstanceContext& context, sdk::Errors& errors);

}  // namespace swhub::plugin::isolation
