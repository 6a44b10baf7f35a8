// Plugin failures on the delivery path: an adapter that answers a status that is none of
// DeliveryOutcome's is a RetryLater with the reason (and counted); an adapter call that timed out
// (its bounded decorator's RetryLater "plugins.<name>: ...") is counted by plugin and kind; a
// notification whose encoder failed is retried with backoff, then dead-lettered with the failure
// as its reason, while other recipients keep receiving theirs.

#include <gtest/gtest.h>

#include "delivery/delivery_worker.hpp"
#include "delivery_test_support.hpp"
#include "plugin/plugin_failure.hpp"

namespace swhub::delivery {
namespace {

using namespace std::chrono_literals;
using testing::FakeAdapter;
using testing::outboxItem;
using testing::outcome;
using testing::runUntil;
using testing::ScratchJournal;
using testing::tinyPolicy;
using Status = sdk::DeliveryOutcome::Status;

TEST(delivery_plugin_failure, AStatusThatIsNoneOfTheOutcomesIsRetriedWithTheReason) {
  ScratchJournal journal;
  FakeAdapter odd([](const sdk::DeliveryItem&, int call) {
    return call == 1 ? outcome(static_cast<Status>(77)) : outcome(Status::Delivered);
  });
  std::map<std::string, Endpoint> endpoints;
  endpoints["demo-post"].adapter = &odd;
  endpoints["demo-post"].adapter_name = "faulty_adapter";
  const auto seq = journal.add({outboxItem("n1", "demo-post", "c1")}).at(0);
  DeliveryWorker worker(*journal, endpoints, tinyPolicy(), "node-1");
  std::vector<plugin::Failure> counted;
  worker.onPluginFailure([&](const plugin::Failure& f) { counted.push_back(f); });

  ASSERT_EQ(worker.runOnce(), 1u);
  auto stored = journal.get(seq);
  EXPECT_EQ(stored.state, journal::OutboxState::Pending);
  EXPECT_EQ(stored.last_error, "plugins.faulty_adapter: plugin 'faulty_adapter' answered something unusable during "
                               "deliver: status 77 is none of delivered, retry later, failed for good");
  ASSERT_EQ(counted.size(), 1u);
  EXPECT_EQ(counted[0].plugin, "faulty_adapter");
  EXPECT_EQ(counted[0].kind, plugin::FailureKind::Garbage);

  ASSERT_TRUE(runUntil([&] { return worker.runOnce(); }, [&] { return journal.get(seq).state == journal::OutboxState::Delivered; }));
  const auto seen = odd.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].id, "n1");  // the same delivery id: the receiver may have applied it already
}

TEST(delivery_plugin_failure, AnAdapterCallThatTimedOutIsCountedByPluginAndKind) {
  ScratchJournal journal;
  FakeAdapter late([](const sdk::DeliveryItem&, int) {
    return outcome(Status::RetryLater, "plugins.faulty_adapter: plugin 'faulty_adapter' did not answer in time "
                                       "during deliver: no answer within 300 ms");
  });
  const auto seq = journal.add({outboxItem("n1", "demo-post", "c1")}).at(0);
  DeliveryWorker worker(*journal, std::map<std::string, const sdk::Adapter*>{{"demo-post", &late}}, tinyPolicy(),
                        "node-1");
  std::vector<plugin::Failure> counted;
  worker.onPluginFailure([&](const plugin::Failure& f) { counted.push_back(f); });
  ASSERT_EQ(worker.runOnce(), 1u);
  EXPECT_EQ(journal.get(seq).state, journal::OutboxState::Pending);
  ASSERT_EQ(counted.size(), 1u);
  EXPECT_EQ(counted[0].plugin, "faulty_adapter");
  EXPECT_EQ(counted[0].kind, plugin::FailureKind::TimedOut);
}

TEST(delivery_plugin_failure, ANotificationWhoseEncoderFailedIsRetriedThenDeadLetteredWithTheFailure) {
  ScratchJournal journal;
  FakeAdapter slowPartner;
  FakeAdapter otherPartner;
  std::map<std::string, Endpoint> endpoints;
  endpoints["demo-slow"].adapter = &slowPartner;
  endpoints["demo-slow"].format = [](const std::vector<journal::OutboxItem>& items) {
    Formatted out;
    for (std::size_t i = 0; i < items.size(); ++i) {
      out.failed.emplace_back(i, "partner 'demo-slow': plugin 'faulty_partner' could not encode notification " +
                                     items[i].id + ": plugin 'faulty_partner' did not answer in time during encode");
    }
    return out;
  };
  endpoints["demo-other"].adapter = &otherPartner;
  const auto seqs = journal.add({outboxItem("n1", "demo-slow", "c1"), outboxItem("n2", "demo-other", "c2")});
  DeliveryWorker worker(*journal, endpoints, tinyPolicy(3), "node-1");

  ASSERT_EQ(worker.runOnce(), 2u);
  EXPECT_EQ(journal.get(seqs[0]).state, journal::OutboxState::Pending);
  EXPECT_EQ(journal.get(seqs[0]).attempts, 1);
  EXPECT_EQ(journal.get(seqs[1]).state, journal::OutboxState::Delivered);
  ASSERT_TRUE(runUntil([&] { return worker.runOnce(); }, [&] { return journal.get(seqs[0]).state == journal::OutboxState::Dead; }));
  const auto dead = journal.get(seqs[0]);
  EXPECT_EQ(dead.attempts, 3);
  EXPECT_EQ(dead.last_error, "gave up after 3 attempts: partner 'demo-slow': plugin 'faulty_partner' could not encode "
                             "notification n1: plugin 'faulty_partner' did not answer in time during encode");
  EXPECT_TRUE(slowPartner.seen().empty());  // never sent in another format
  EXPECT_EQ(worker.stats().deadLettered.load(), 1);
}

}  // namespace
}  // namespace swhub::delivery
