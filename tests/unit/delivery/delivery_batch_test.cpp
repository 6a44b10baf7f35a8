// Batched push delivery: a recipient's due notifications go together up to its batch_max, put
// into its format once; the delivery id names the content; a failed batch is formed again on
// retry; order per (recipient, case) holds across batches; dead letters take the whole batch.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "instants.hpp"
#include "delivery/delivery_worker.hpp"
#include "delivery_test_support.hpp"

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

// The "partner format" of these tests: the ids of the notifications, in order, comma-separated.
sdk::EncodedMessage joinIds(const std::vector<journal::OutboxItem>& items) {
  std::string body;
  for (const auto& item : items) body += (body.empty() ? "" : ",") + item.id;
  return {"text/x-ids", body};
}

class delivery_batch : public ::testing::Test {
 protected:
  std::map<std::string, Endpoint> endpoints(std::size_t batch_max) {
    return {{"demo-express", Endpoint{&express_, batch_max, joinIds, ""}}, {"customs", Endpoint{&customs_, 1, nullptr, ""}}};
  }
  std::vector<std::string> bodies() const {
    std::vector<std::string> out;
    for (const auto& item : express_.seen()) out.push_back(item.body);
    return out;
  }

  ScratchJournal journal_;
  FakeAdapter express_;
  FakeAdapter customs_;
};

TEST_F(delivery_batch, ARecipientsNotificationsGoTogetherUpToItsBatchMax) {
  std::vector<journal::OutboxItem> items;
  for (int i = 1; i <= 7; ++i) items.push_back(outboxItem("n" + std::to_string(i), "demo-express", "c" + std::to_string(i)));
  items.push_back(outboxItem("t1", "customs", "c1", journal::Channel::Task));
  auto seqs = journal_.add(items);
  DeliveryWorker worker(*journal_, endpoints(3), tinyPolicy(), "node-1");
  EXPECT_EQ(worker.runOnce(), 8u);

  EXPECT_EQ(bodies(), (std::vector<std::string>{"n1,n2,n3", "n4,n5,n6", "n7"}));
  const auto seen = express_.seen();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].content_type, "text/x-ids");
  EXPECT_EQ(seen[0].kind, "notification");
  EXPECT_EQ(seen[0].attempt, 1);
  // A batch is named by what it carries; a single item keeps its own id.
  EXPECT_EQ(seen[0].id, batchDeliveryId({items[0], items[1], items[2]}));
  EXPECT_EQ(seen[0].id.rfind("B-", 0), 0u);
  EXPECT_EQ(seen[0].id.size(), 34u);
  EXPECT_NE(seen[0].id, seen[1].id);
  EXPECT_EQ(seen[2].id, "n7");
  EXPECT_EQ(worker.stats().deliveries.load(), 4);  // three batches and the task
  EXPECT_EQ(worker.stats().delivered.load(), 8);
  // Tasks are never batched nor formatted.
  ASSERT_EQ(customs_.seen().size(), 1u);
  EXPECT_EQ(customs_.seen()[0].id, "t1");
  EXPECT_EQ(customs_.seen()[0].body, items[7].body);
  // Each item records the delivery that carried it.
  EXPECT_EQ(journal_.get(seqs[0]).state, journal::OutboxState::Delivered);
  EXPECT_EQ(journal_.get(seqs[0]).batch, seen[0].id);
  EXPECT_EQ(journal_.get(seqs[5]).batch, seen[1].id);
  EXPECT_EQ(journal_.get(seqs[6]).batch, "");
}

TEST_F(delivery_batch, ASingleNotificationIsStillPutIntoTheRecipientsFormat) {
  journal_.add({outboxItem("n1", "demo-express", "c1")});
  DeliveryWorker worker(*journal_, endpoints(1), tinyPolicy(), "node-1");
  EXPECT_EQ(worker.runOnce(), 1u);
  ASSERT_EQ(express_.seen().size(), 1u);
  EXPECT_EQ(express_.seen()[0].id, "n1");
  EXPECT_EQ(express_.seen()[0].content_type, "text/x-ids");
  EXPECT_EQ(express_.seen()[0].body, "n1");
}

TEST_F(delivery_batch, AFailedBatchIsFormedAgainWithTheSameIdAndNewItemsGoApart) {
  journal_.add({outboxItem("n1", "demo-express", "c1"), outboxItem("n2", "demo-express", "c2"),
                outboxItem("n3", "demo-express", "c3")});
  int calls = 0;  // the receiver fails its first call only (the script runs under the adapter's lock)
  express_.setScript([&calls](const sdk::DeliveryItem&, int) {
    return ++calls == 1 ? outcome(Status::RetryLater, "503 from receiver") : outcome(Status::Delivered);
  });
  DeliveryWorker worker(*journal_, endpoints(5), tinyPolicy(), "node-1");
  EXPECT_EQ(worker.runOnce(), 3u);
  ASSERT_EQ(express_.seen().size(), 1u);
  const std::string first = express_.seen()[0].id;
  // New notifications of the same cases arrive while the batch waits for its retry: they wait
  // behind it (order per case) and are claimed with it, but do not join it.
  journal_.add({outboxItem("n4", "demo-express", "c2"), outboxItem("n5", "demo-express", "c1")});
  ASSERT_TRUE(runUntil([&] { return worker.runOnce(); }, [&] { return express_.delivered().size() >= 2; }));

  const auto seen = express_.seen();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1].id, first);
  EXPECT_EQ(seen[1].body, "n1,n2,n3");
  EXPECT_EQ(seen[1].attempt, 2);
  EXPECT_EQ(seen[2].body, "n4,n5");
  EXPECT_EQ(express_.delivered(), (std::vector<std::string>{first, seen[2].id}));
}

TEST_F(delivery_batch, AnOlderItemInALaterBatchKeepsANewerOneOfItsCaseBack) {
  auto seqs = journal_.add({outboxItem("n1", "demo-express", "c1"), outboxItem("n2", "demo-express", "c2"),
                            outboxItem("n3", "demo-express", "c2")});
  // n2 failed in an earlier batch (its hint "B-earlier"); n1 and n3 are new and form a batch
  // that starts before it.
  auto claimed = journal_->claimOutbox(journal::Channel::Notification, "setup", 10, 60s);
  ASSERT_EQ(claimed.size(), 3u);
  journal_->completeOutboxItems({seqs[1]}, "setup", journal::OutboxState::Pending, swhub::testing::at("2000-01-01T00:00:00.000Z"), "timeout", "B-earlier");
  journal_->releaseOutboxItems({seqs[0], seqs[2]}, "setup", std::nullopt);

  DeliveryWorker worker(*journal_, endpoints(5), tinyPolicy(), "node-1");
  EXPECT_EQ(worker.runOnce(), 2u);
  EXPECT_EQ(bodies(), (std::vector<std::string>{"n1", "n2"}));  // n3 waited for n2
  EXPECT_EQ(journal_.get(seqs[2]).state, journal::OutboxState::Pending);
  EXPECT_EQ(journal_.get(seqs[2]).attempts, 0);
  EXPECT_EQ(worker.runOnce(), 1u);
  EXPECT_EQ(bodies(), (std::vector<std::string>{"n1", "n2", "n3"}));
}

TEST_F(delivery_batch, AWholeBatchIsDeadLetteredAfterMaxAttempts) {
  auto seqs = journal_.add({outboxItem("n1", "demo-express", "c1"), outboxItem("n2", "demo-express", "c2")});
  express_.setScript([](const sdk::DeliveryItem&, int) { return outcome(Status::RetryLater, "down"); });
  DeliveryWorker worker(*journal_, endpoints(5), tinyPolicy(3), "node-1");
  ASSERT_TRUE(runUntil([&] { return worker.runOnce(); }, [&] { return journal_.get(seqs[1]).state == journal::OutboxState::Dead; }));
  EXPECT_EQ(express_.seen().size(), 3u);
  for (auto seq : seqs) {
    const auto item = journal_.get(seq);
    EXPECT_EQ(item.state, journal::OutboxState::Dead);
    EXPECT_EQ(item.attempts, 3);
    EXPECT_EQ(item.last_error, "gave up after 3 attempts: down");
  }
  EXPECT_EQ(worker.stats().deadLettered.load(), 2);
}

// A format that refuses "n2" (with a reason) and carries the others together.
Formatted refuseN2(const std::vector<journal::OutboxItem>& items) {
  Formatted out;
  std::vector<journal::OutboxItem> kept;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].id == "n2") {
      out.refused.emplace_back(i, "partner 'demo-express': plugin 'x' could not encode notification n2: no");
    } else {
      out.carried.push_back(i);
      kept.push_back(items[i]);
    }
  }
  out.message = joinIds(kept);
  return out;
}

TEST_F(delivery_batch, ItemsTheFormatRefusesAreDeadLetteredWithTheReasonAndTheOthersGoTogether) {
  auto seqs = journal_.add({outboxItem("n1", "demo-express", "c1"), outboxItem("n2", "demo-express", "c2"),
                            outboxItem("n3", "demo-express", "c3"), outboxItem("n4", "demo-express", "c2")});
  DeliveryWorker worker(*journal_, {{"demo-express", Endpoint{&express_, 5, refuseN2, ""}}}, tinyPolicy(), "node-1");
  EXPECT_EQ(worker.runOnce(), 4u);  // n2 dead; the others in one delivery (a dead letter holds nothing back)
  EXPECT_EQ(bodies(), (std::vector<std::string>{"n1,n3,n4"}));
  const auto dead = journal_.get(seqs[1]);
  EXPECT_EQ(dead.state, journal::OutboxState::Dead);
  EXPECT_EQ(dead.attempts, 1);
  EXPECT_EQ(dead.last_error, "partner 'demo-express': plugin 'x' could not encode notification n2: no");
  for (auto seq : {seqs[0], seqs[2], seqs[3]}) EXPECT_EQ(journal_.get(seq).state, journal::OutboxState::Delivered);
  EXPECT_EQ(journal_.get(seqs[0]).batch, express_.seen().at(0).id);
  EXPECT_EQ(express_.seen().at(0).id,
            batchDeliveryId({journal_.get(seqs[0]), journal_.get(seqs[2]), journal_.get(seqs[3])}));
  EXPECT_EQ(worker.stats().unformattable.load(), 1);
  EXPECT_EQ(worker.stats().deadLettered.load(), 1);
  EXPECT_EQ(worker.stats().delivered.load(), 3);
  EXPECT_EQ(journal_->deadLetters(0, 10).size(), 1u);
}

// A format that can carry only one notification at a time: the others are deferred.
Formatted oneAtATime(const std::vector<journal::OutboxItem>& items) {
  Formatted out;
  out.message = joinIds({items.front()});
  out.carried = {0};
  for (std::size_t i = 1; i < items.size(); ++i) out.deferred.push_back(i);
  return out;
}

TEST_F(delivery_batch, DeferredItemsGoInLaterDeliveriesInOrder) {
  auto seqs = journal_.add({outboxItem("n1", "demo-express", "c1"), outboxItem("n2", "demo-express", "c1"),
                            outboxItem("n3", "demo-express", "c2")});
  DeliveryWorker worker(*journal_, {{"demo-express", Endpoint{&express_, 5, oneAtATime, ""}}}, tinyPolicy(), "node-1");
  ASSERT_TRUE(runUntil([&] { return worker.runOnce(); }, [&] { return express_.delivered().size() == 3; }));
  EXPECT_EQ(bodies(), (std::vector<std::string>{"n1", "n2", "n3"}));
  for (auto seq : seqs) EXPECT_EQ(journal_.get(seq).attempts, 1);
}

TEST(delivery_batch_id, NamesTheContentNotThePosition) {
  auto a = outboxItem("N-1", "p", "c1");
  auto b = outboxItem("N-2", "p", "c2");
  EXPECT_EQ(batchDeliveryId({a}), "N-1");
  EXPECT_EQ(batchDeliveryId({a, b}), batchDeliveryId({a, b}));
  EXPECT_NE(batchDeliveryId({a, b}), batchDeliveryId({b, a}));
  EXPECT_NE(batchDeliveryId({a, b}), batchDeliveryId({a, b, outboxItem("N-3", "p", "c3")}));
}

}  // namespace
}  // namespace swhub::delivery
