// Time-bounded calls into in-process plugins (bounded_plugins.hpp), without a hub: a call that
// does not return within the timeout leaves its caller with a TimedOut failure, its thread is
// counted stuck, every thread stuck makes the plugin Busy at once, and another plugin is not
// affected. The plugins here block on a gate that the test opens at its end.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "gate.hpp"
#include "plugin/bounded_plugins.hpp"
#include "plugin/plugin_failure.hpp"

namespace swhub::plugin {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::Gate;

// Clears, or waits at the gate first when the reference says "WAIT".
class GatedAgency : public sdk::AgencyPlugin {
 public:
  explicit GatedAgency(Gate& gate) : gate_(gate) {}
  sdk::Result<sdk::Assessment> assess(const sdk::AssessmentRequest& request) const noexcept override {
    if (request.consignment.reference == "WAIT") gate_.wait();
    if (request.consignment.reference == "ERROR") return sdk::Result<sdk::Assessment>::failure("x", "refused");
    sdk::Decision clear;
    clear.decision = "clear";
    clear.reason = "seen " + request.consignment.reference;
    return sdk::Assessment{false, {clear}};
  }

 private:
  Gate& gate_;
};

class GatedAdapter : public sdk::Adapter {
 public:
  explicit GatedAdapter(Gate& gate) : gate_(gate) {}
  sdk::DeliveryOutcome deliver(const sdk::DeliveryItem& item) const noexcept override {
    if (item.body == "WAIT") gate_.wait();
    return {sdk::DeliveryOutcome::Status::Delivered, "ok " + item.id, std::nullopt};
  }

 private:
  Gate& gate_;
};

template <class Interface>
Instance<Interface> instanceOf(const std::string& name, std::unique_ptr<Interface> plugin) {
  auto source = std::make_shared<LoadedPlugin>();
  source->name = name;
  Instance<Interface> instance;
  instance.id = name;
  instance.source = source;
  instance.plugin = std::move(plugin);
  return instance;
}

sdk::AssessmentRequest requestFor(const std::string& reference) {
  sdk::AssessmentRequest request;
  request.consignment.reference = reference;
  return request;
}

class BoundedCalls : public ::testing::Test {
 protected:
  void TearDown() override {
    gate_.open();  // stuck calls return, so nothing of this test outlives it
    EXPECT_TRUE(eventually([&] {
      int stuck = 0;
      for (const auto& [name, n] : bulkheads_.stuckByPlugin()) stuck += n;
      return stuck == 0;
    }));
  }

  Instance<sdk::AgencyPlugin> agency(const std::string& name, int threads, std::chrono::milliseconds timeout = 100ms) {
    auto instance = instanceOf<sdk::AgencyPlugin>(name, std::make_unique<GatedAgency>(gate_));
    bound(instance, {timeout, threads}, bulkheads_);
    return instance;
  }

  Gate gate_;
  CallBulkheads bulkheads_;
};

TEST_F(BoundedCalls, AnAnswerInTimeIsPassedThroughAndSoAreThePluginsOwnErrors) {
  auto customs = agency("gated", 2);
  auto cleared = customs.plugin->assess(requestFor("R-1"));
  ASSERT_TRUE(cleared.ok()) << sdk::formatErrors(cleared.errors());
  EXPECT_EQ(cleared.value().decisions.at(0).reason, "seen R-1");
  auto refused = customs.plugin->assess(requestFor("ERROR"));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.errors(), (sdk::Errors{{"x", "refused"}}));
  EXPECT_FALSE(isPluginFailure(refused.errors()));
}

TEST_F(BoundedCalls, ACallThatDoesNotReturnInTimeFailsAtTheTimeoutAndItsThreadIsStuck) {
  auto customs = agency("gated", 2);
  auto late = customs.plugin->assess(requestFor("WAIT"));  // the gate stays closed: it never returns
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.errors(), (sdk::Errors{{"plugins.gated", "plugin 'gated' did not answer in time during assess: "
                                                          "no answer within 100 ms"}}));
  EXPECT_EQ(bulkheads_.stuckByPlugin().at("gated"), 1);
  // The plugin's other thread still serves.
  EXPECT_TRUE(customs.plugin->assess(requestFor("R-2")).ok());
}

TEST_F(BoundedCalls, WhenEveryThreadIsStuckCallsFailAtOnceAsBusy) {
  auto customs = agency("gated", 2, 50ms);
  EXPECT_FALSE(customs.plugin->assess(requestFor("WAIT")).ok());
  EXPECT_FALSE(customs.plugin->assess(requestFor("WAIT")).ok());
  ASSERT_EQ(bulkheads_.stuckByPlugin().at("gated"), 2);
  auto busy = customs.plugin->assess(requestFor("R-3"));
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.errors(), (sdk::Errors{{"plugins.gated", "plugin 'gated' is busy with calls that did not return "
                                                          "during assess: all 2 of its call threads are held by calls "
                                                          "that did not return"}}));
  auto failure = failureOf(busy.errors().front());
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->kind, FailureKind::Busy);

  // The stuck calls return after all: their threads serve again.
  gate_.open();
  ASSERT_TRUE(eventually([&] { return bulkheads_.stuckByPlugin().at("gated") == 0; }));
  EXPECT_TRUE(customs.plugin->assess(requestFor("R-4")).ok());
}

TEST_F(BoundedCalls, APluginWhoseThreadsAreStuckDelaysNoOtherPlugin) {
  auto stuck = agency("stuck", 1);
  auto other = agency("other", 1);
  EXPECT_FALSE(stuck.plugin->assess(requestFor("WAIT")).ok());
  EXPECT_FALSE(stuck.plugin->assess(requestFor("R-5")).ok());  // busy
  auto answered = other.plugin->assess(requestFor("R-6"));
  ASSERT_TRUE(answered.ok()) << sdk::formatErrors(answered.errors());
  EXPECT_EQ(answered.value().decisions.at(0).reason, "seen R-6");
  EXPECT_EQ(bulkheads_.stuckByPlugin(), (std::map<std::string, int>{{"other", 0}, {"stuck", 1}}));
}

TEST_F(BoundedCalls, AnAdapterThatDoesNotAnswerInTimeIsARetryLaterNamingThePlugin) {
  auto webhook = instanceOf<sdk::Adapter>("gated_webhook", std::make_unique<GatedAdapter>(gate_));
  bound(webhook, {100ms, 2}, bulkheads_);
  sdk::DeliveryItem item;
  item.id = "N-1";
  item.body = "WAIT";
  const auto outcome = webhook.plugin->deliver(item);
  EXPECT_EQ(outcome.status, sdk::DeliveryOutcome::Status::RetryLater);
  EXPECT_EQ(outcome.detail, "plugins.gated_webhook: plugin 'gated_webhook' did not answer in time during deliver: "
                            "no answer within 100 ms");
  item.body = "hello";
  EXPECT_EQ(webhook.plugin->deliver(item).detail, "ok N-1");
}

TEST_F(BoundedCalls, ACallRefusedAsBusyNeverRunsLater) {
  CallBulkhead calls("gated", 50ms, 1, nullptr);
  EXPECT_TRUE(calls.run("assess", [&] { gate_.wait(); }));  // keeps the only thread
  std::atomic<bool> ran{false};
  auto busy = calls.run("assess", [&] { ran = true; });
  ASSERT_TRUE(busy);
  EXPECT_EQ(busy->kind, FailureKind::Busy);
  gate_.open();
  ASSERT_TRUE(eventually([&] { return calls.stuck() == 0; }));
  EXPECT_FALSE(calls.run("assess", [] {}));  // the thread serves again
  EXPECT_FALSE(ran.load());
}

// What a call reads (a decoder's input, a request) is never touched once its caller gave up
// before a thread took it.
TEST_F(BoundedCalls, ACallStillQueuedAtItsTimeoutIsDroppedUnrun) {
  CallBulkhead calls("gated", 300ms, 1, nullptr);
  std::thread first([&] { EXPECT_TRUE(calls.run("encode", [&] { gate_.wait(); })); });  // times out, stuck
  ASSERT_TRUE(eventually([&] { return gate_.waiting() == 1; }));
  std::atomic<bool> ran{false};
  auto late = calls.run("encode", [&] { ran = true; });  // queued behind it, the only thread taken
  ASSERT_TRUE(late);
  EXPECT_EQ(late->kind, FailureKind::TimedOut);
  first.join();
  gate_.open();
  ASSERT_TRUE(eventually([&] { return calls.stuck() == 0; }));
  EXPECT_FALSE(calls.run("encode", [] {}));  // the queue was served past the dropped call
  EXPECT_FALSE(ran.load());
}

TEST_F(BoundedCalls, CallsRunAtOnceUpToTheThreadCount) {
  auto customs = agency("gated", 4, 5000ms);
  std::atomic<int> answered{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 4; ++i) {
    callers.emplace_back([&] {
      if (customs.plugin->assess(requestFor("WAIT")).ok()) answered.fetch_add(1);
    });
  }
  // Four calls wait at the gate at once (each on its own call thread); opening it answers all.
  EXPECT_TRUE(eventually([&] { return gate_.waiting() == 4; }));
  gate_.open();
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(answered.load(), 4);
}

}  // namespace
}  // namespace swhub::plugin
