#include "plugin/bounded_plugins.hpp"

#include "plugin/bounded_decoder.hpp"

#include <optional>
#include <utility>

namespace swhub::plugin {
namespace {

// The plugin and its library, kept by the bulkhead's threads: a stuck call may still run in them.
// `source` first, so destroyed last: the plugin's code stays mapped until the plugin is gone.
template <class Interface>
struct Held {
  std::shared_ptr<const LoadedPlugin> source;
  std::unique_ptr<Interface> plugin;
};

// Runs `call` (which owns copies of its inputs) on the bulkhead; its result, or the failure.
template <class T, class Call>
sdk::Result<T> boundedCall(CallBulkhead& calls, const char* name, Call call) noexcept {
  auto slot = std::make_shared<std::optional<sdk::Result<T>>>();
  auto failure = calls.run(name, [slot, call = std::move(call)]() mutable { slot->emplace(call()); });
  if (failure) return sdk::Errors{failureError(*failure)};
  return std::move(**slot);
}

class BoundedAgency : public sdk::AgencyPlugin {
 public:
  BoundedAgency(std::shared_ptr<Held<sdk::AgencyPlugin>> held, std::shared_ptr<CallBulkhead> calls)
      : held_(std::move(held)), calls_(std::move(calls)) {}

  sdk::Result<sdk::Assessment> assess(const sdk::AssessmentRequest& request) const noexcept override {
    const sdk::AgencyPlugin* plugin = held_->plugin.get();
    return boundedCall<sdk::Assessment>(*calls_, "assess", [plugin, request] { return plugin->assess(request); });
  }
  // Forwarded to the plugin's own assessCase(): the hub calls it only on a library that has one.
  sdk::Result<sdk::CaseAssessment> assessCase(const sdk::AssessmentRequest& request) const noexcept override {
    const sdk::AgencyPlugin* plugin = held_->plugin.get();
    return boundedCall<sdk::CaseAssessment>(*calls_, "assess",
                                            [plugin, request] { return plugin->assessCase(request); });
  }

 private:
  std::shared_ptr<Held<sdk::AgencyPlugin>> held_;
  std::shared_ptr<CallBulkhead> calls_;
};

class BoundedPartner : public sdk::PartnerPlugin {
 public:
  BoundedPartner(std::shared_ptr<Held<sdk::PartnerPlugin>> held, std::shared_ptr<CallBulkhead> calls)
      : held_(std::move(held)), calls_(std::move(calls)) {}

  std::vector<std::string> contentTypes() const override { return held_->plugin->contentTypes(); }
  std::unique_ptr<sdk::Decoder> open(const sdk::MessageContext& context, sdk::ByteSource& input) const noexcept override {
    return openBounded(held_, *held_->plugin, calls_, context, input);
  }
  sdk::Result<sdk::EncodedMessage> encode(const std::vector<sdk::Notification>& batch) const noexcept override {
    const sdk::PartnerPlugin* plugin = held_->plugin.get();
    return boundedCall<sdk::EncodedMessage>(*calls_, "encode", [plugin, batch] { return plugin->encode(batch); });
  }
  // Forwarded: the registry asks only a library that has it (availabilityOf).
  sdk::Availability availability() const noexcept override { return held_->plugin->availability(); }

 private:
  std::shared_ptr<Held<sdk::PartnerPlugin>> held_;
  std::shared_ptr<CallBulkhead> calls_;
};

class BoundedAdapter : public sdk::Adapter {
 public:
  BoundedAdapter(std::shared_ptr<Held<sdk::Adapter>> held, std::shared_ptr<CallBulkhead> calls)
      : held_(std::move(held)), calls_(std::move(calls)) {}

  sdk::DeliveryOutcome deliver(const sdk::DeliveryItem& item) const noexcept override {
    const sdk::Adapter* adapter = held_->plugin.get();
    auto slot = std::make_shared<sdk::DeliveryOutcome>();
    auto failure = calls_->run("deliver", [slot, adapter, item] { *slot = adapter->deliver(item); });
    if (!failure) return std::move(*slot);
    sdk::DeliveryOutcome retry;
    retry.status = sdk::DeliveryOutcome::Status::RetryLater;
    retry.detail = sdk::formatError(failureError(*failure));
    return retry;
  }
  std::vector<sdk::SourceMessage> poll() noexcept override { return held_->plugin->poll(); }

 private:
  std::shared_ptr<Held<sdk::Adapter>> held_;
  std::shared_ptr<CallBulkhead> calls_;
};

template <class Bounded, class Interface>
void boundInstance(Instance<Interface>& instance, const CallLimits& limits, CallBulkheads& bulkheads) {
  if (!instance.plugin) return;
  auto held = std::make_shared<Held<Interface>>();
  held->source = instance.source;
  held->plugin = std::move(instance.plugin);
  auto calls = std::make_shared<CallBulkhead>(instance.source->name, limits.timeout, limits.threads, held);
  bulkheads.add(calls);
  instance.plugin = std::make_unique<Bounded>(std::move(held), std::move(calls));
}

}  // namespace

void CallBulkheads::add(std::shared_ptr<const CallBulkhead> bulkhead) {
  std::lock_guard lock(mutex_);
  all_.push_back(bulkhead);
}

std::map<std::string, int> CallBulkheads::stuckByPlugin() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, int> stuck;
  for (const auto& weak : all_) {
    if (auto bulkhead = weak.lock()) stuck[bulkhead->plugin()] += bulkhead->stuck();
  }
  return stuck;
}

CallLimits limitsOf(const config::PluginEntry& entry) {
  return {std::chrono::milliseconds(entry.call_timeout_ms), entry.call_threads};
}

void bound(Instance<sdk::AgencyPlugin>& instance, const CallLimits& limits, CallBulkheads& bulkheads) {
  boundInstance<BoundedAgency>(instance, limits, bulkheads);
}
void bound(Instance<sdk::PartnerPlugin>& instance, const CallLimits& limits, CallBulkheads& bulkheads) {
  boundInstance<BoundedPartner>(instance, limits, bulkheads);
}
void bound(Instance<sdk::Adapter>& instance, const CallLimits& limits, CallBulkheads& bulkheads) {
  boundInstance<BoundedAdapter>(instance, limits, bulkheads);
}

}  // namespace swhub::plugin
