#pragma once
// Time-bounded calls for in-process plugins (isolation: in-process): decorators implementing the
// SDK interfaces that run an agency's assess()/assessCase(), a partner's encode() and an adapter's
// deliver() on the instance's own call threads (call_bulkhead.hpp), so that callers do not change
// and a plugin that loops or sleeps costs only its own calls. What fails reaches the caller as
// failureError() (TimedOut, Busy); an adapter's failure is a RetryLater whose detail is that error
// ("plugins.<name>: plugin '<name>' did not answer in time during deliver: ...").
//
// A partner's decoders (open(), Decoder::next()) run ahead of their reader on a thread of their own
// under the same timeout (bounded_decoder.hpp). Not bounded: contentTypes() and availability()
// (asked once at start) and an adapter's poll().
// A plugin that segfaults, aborts or lets an exception escape a noexcept call still takes the hub
// down with it in process: that is what `isolation: process` is for.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "plugin/call_bulkhead.hpp"
#include "plugin/registry.hpp"

namespace swhub::plugin {

// Every bulkhead built, for /metrics (swhub_plugin_stuck_calls{plugin}).
class CallBulkheads {
 public:
  void add(std::shared_ptr<const CallBulkhead> bulkhead);
  // Stuck calls by plugin name (instances of one library summed); every bounded plugin is listed.
  std::map<std::string, int> stuckByPlugin() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::weak_ptr<const CallBulkhead>> all_;
};

struct CallLimits {
  std::chrono::milliseconds timeout{10000};
  int threads = 4;
};

// The limits of a plugin's config entry (call_timeout_ms, call_threads).
CallLimits limitsOf(const config::PluginEntry& entry);

// Replaces instance.plugin by its bounded decorator (which owns the plugin and keeps its library
// mapped while a call may still run in it); the bulkhead is added to `bulkheads`.
void bound(Instance<sdk::AgencyPlugin>& instance, const CallLimits& limits, CallBulkheads& bulkheads);
void bound(Instance<sdk::PartnerPlugin>& instance, const CallLimits& limits, CallBulkheads& bulkheads);
void bound(Instance<sdk::Adapter>& instance, const CallLimits& limits, CallBulkheads& bulkheads);

}  // namespace swhub::plugin
