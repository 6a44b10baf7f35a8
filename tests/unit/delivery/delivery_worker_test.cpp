// DeliveryWorker against a real journal with in-process fake adapters (no HTTP): outcomes and
// their journal records, backoff, dead letters and replay, order per (recipient, case), the
// background thread.

#include <gtest/gtest.h>

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "delivery/delivery_worker.hpp"
#include "delivery_test_support.hpp"

namespace swhub::delivery {
namespace {

using namespace std::chrono_literals;
using testing::outboxItem;
using testing::rfc3339;
using testing::runUntil;
using testing::ScratchJournal;
using testing::FakeAdapter;
using testing::outcome;
using testing::tinyPolicy;
using Status = sdk::DeliveryOutcome::Status;

std::vector<std::string> idsOf(const std::vector<sdk::DeliveryItem>& items, const std::string& prefix = "") {
  std::vector<std::string> ids;
  for (const auto& i : items) {
    if (i.id.rfind(prefix, 0) == 0) ids.push_back(i.id);
  }
  return ids;
}

class delivery_worker : public ::testing::Test {
 protected:
  ScratchJournal journal_;
  FakeAdapter post_;
  FakeAdapter customs_;
  std::map<std::string, const sdk::Adapter*> endpoints_{{"demo-post", &post_}, {"customs", &customs_}};
};

TEST_F(delivery_worker, DeliversNotificationsAndTasksAndRecordsThem) {
  auto seqs = journal_.add({outboxItem("n1", "demo-post", "c1"), outboxItem("t1", "customs", "c1", journal::Channel::Task)});
  DeliveryWorker worker(*journal_, endpoints_, tinyPolicy(), "node-1");
  EXPECT_EQ(worker.runOnce(), 2u);

  auto seen = post_.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].id, "n1");
  EXPECT_EQ(seen[0].kind, "notification");
  EXPECT_EQ(seen[0].recipient, "demo-post");
  EXPECT_EQ(seen[0].content_type, "application/vnd.swhub.notification+json");
  EXPECT_EQ(seen[0].body, outboxItem("n1", "demo-post", "c1").body);
  EXPECT_EQ(seen[0].attempt, 1);
  ASSERT_EQ(customs_.seen().size(), 1u);
  EXPECT_EQ(customs_.seen()[0].kind, "task");

  for (auto seq : seqs) {
    auto stored = journal_.get(seq);
    EXPECT_EQ(stored.state, journal::OutboxState::Delivered);
    EXPECT_EQ(stored.attempts, 1);
  }
  EXPECT_EQ(worker.stats().delivered.load(), 2);
  EXPECT_EQ(worker.runOnce(), 0u);
}

TEST_F(delivery_worker, RetriesAfterBackoffThenDelivers) {
  post_.setScript([](const sdk::DeliveryItem&, int call) {
    return call <= 2 ? outcome(Status::RetryLater, "HTTP 503 Service Unavailable") : outcome(Status::Delivered);
  });
  RetryPolicy policy;
  policy.base = 50ms;
  policy.jitter = 0;
  const auto seq = journal_.add({outboxItem("n1", "demo-post", "c1")}).at(0);
  DeliveryWorker worker(*journal_, endpoints_, policy, "node-1");

  const auto before = std::chrono::system_clock::now();
  EXPECT_EQ(worker.runOnce(), 1u);
  const auto after = std::chrono::system_clock::now();
  auto stored = journal_.get(seq);
  EXPECT_EQ(stored.state, journal::OutboxState::Pending);
  EXPECT_EQ(stored.attempts, 1);
  EXPECT_EQ(stored.last_error, "HTTP 503 Service Unavailable");
  EXPECT_GE(stored.next_attempt_at, common::toInstant(before + 50ms));
  EXPECT_LE(stored.next_attempt_at, common::toInstant(after + 50ms));

  ASSERT_TRUE(runUntil([&] { return worker.runOnce(); }, [&] { return journal_.get(seq).state == journal::OutboxState::Delivered; }));
  stored = journal_.get(seq);
  EXPECT_EQ(stored.attempts, 3);
  EXPECT_EQ(stored.last_error, "");
  std::vector<int> attempts;
  for (const auto& i : post_.seen()) attempts.push_back(i.attempt);
  EXPECT_EQ(attempts, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(worker.stats().retried.load(), 2);
  EXPECT_EQ(worker.stats().delivered.load(), 1);
}

TEST_F(delivery_worker, ReceiversRetryAfterWinsOverAShorterBackoff) {
  post_.setScript([](const sdk::DeliveryItem&, int) { return outcome(Status::RetryLater, "HTTP 429", 2s); });
  const auto seq = journal_.add({outboxItem("n1", "demo-post", "c1")}).at(0);
  DeliveryWorker worker(*journal_, endpoints_, tinyPolicy(), "node-1");
  const auto before = std::chrono::system_clock::now();
  ASSERT_EQ(worker.runOnce(), 1u);
  EXPECT_GE(journal_.get(seq).next_attempt_at, common::toInstant(before + 2s));
  EXPECT_EQ(worker.runOnce(), 0u);
}

TEST_F(delivery_worker, DeadLetteredAfterMaxAttempts) {
  post_.setScript([](const sdk::DeliveryItem&, int) { return outcome(Status::RetryLater, "HTTP 503"); });
  const auto seq = journal_.add({outboxItem("n1", "demo-post", "c1")}).at(0);
  DeliveryWorker worker(*journal_, endpoints_, tinyPolicy(3), "node-1");

  ASSERT_TRUE(runUntil([&] { return worker.runOnce(); }, [&] { return journal_.get(seq).state == journal::OutboxState::Dead; }));
  auto stored = journal_.get(seq);
  EXPECT_EQ(stored.attempts, 3);
  EXPECT_EQ(stored.last_error, "gave up after 3 attempts: HTTP 503");
  EXPECT_EQ(post_.seen().size(), 3u);
  EXPECT_EQ(worker.stats().retried.load(), 2);
  EXPECT_EQ(worker.stats().deadLettered.load(), 1);
  auto dead = journal_->deadLetters(0, 10);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].id, "n1");
  EXPECT_EQ(worker.runOnce(), 0u);
}

TEST_F(delivery_worker, FailedForGoodIsDeadAtOnce) {
  post_.setScript([](const sdk::DeliveryItem&, int) {
    return outcome(Status::FailedForGood, "HTTP 400 Bad Request: missing field");
  });
  const auto seq = journal_.add({outboxItem("n1", "demo-post", "c1")}).at(0);
  DeliveryWorker worker(*journal_, endpoints_, tinyPolicy(), "node-1");
  EXPECT_EQ(worker.runOnce(), 1u);
  auto stored = journal_.get(seq);
  EXPECT_EQ(stored.state, journal::OutboxState::Dead);
  EXPECT_EQ(stored.attempts, 1);
  EXPECT_EQ(stored.last_error, "HTTP 400 Bad Request: missing field");
  EXPECT_EQ(worker.stats().deadLettered.load(), 1);
}

TEST_F(delivery_worker, MissingEndpointIsRetriedWithItsReason) {
  const auto seq = journal_.add({outboxItem("n1", "demo-unknown", "c1")}).at(0);
  DeliveryWorker worker(*journal_, endpoints_, tinyPolicy(), "node-1");
  EXPECT_EQ(worker.runOnce(), 1u);
  auto stored = journal_.get(seq);
  EXPECT_EQ(stored.state, journal::OutboxState::Pending);
  EXPECT_EQ(stored.attempts, 1);
  EXPECT_EQ(stored.last_error, "no push endpoint for recipient 'demo-unknown'");
}

TEST_F(delivery_worker, OrderPerCaseKeptAcrossFailures) {
  // a1 fails twice; a2 and a3 (same recipient and case) must wait for it; case c2 does not.
  post_.setScript([](const sdk::DeliveryItem& item, int call) {
    return item.id == "a1" && call <= 2 ? outcome(Status::RetryLater, "HTTP 503") : outcome(Status::Delivered);
  });
  auto seqs = journal_.add({outboxItem("a1", "demo-post", "c1"), outboxItem("b1", "demo-post", "c2"),
                            outboxItem("a2", "demo-post", "c1"), outboxItem("b2", "demo-post", "c2"),
                            outboxItem("a3", "demo-post", "c1")});
  DeliveryWorker worker(*journal_, endpoints_, tinyPolicy(), "node-1");

  EXPECT_EQ(worker.runOnce(), 3u);  // a1 failed, b1 and b2 delivered; a2 and a3 given back
  EXPECT_EQ(post_.delivered(), (std::vector<std::string>{"b1", "b2"}));
  const auto a1 = journal_.get(seqs[0]);
  for (auto seq : {seqs[2], seqs[4]}) {
    auto held = journal_.get(seq);
    EXPECT_EQ(held.state, journal::OutboxState::Pending);
    EXPECT_EQ(held.attempts, 0) << "a released item counts no attempt";
    EXPECT_EQ(held.next_attempt_at, a1.next_attempt_at);
  }
  EXPECT_EQ(worker.stats().released.load(), 2);

  ASSERT_TRUE(runUntil([&] { return worker.runOnce(); }, [&] { return post_.delivered().size() == 5; }));
  EXPECT_EQ(idsOf(post_.seen(), "a"), (std::vector<std::string>{"a1", "a1", "a1", "a2", "a3"}));
  EXPECT_EQ(post_.delivered(), (std::vector<std::string>{"b1", "b2", "a1", "a2", "a3"}));
}

TEST_F(delivery_worker, DeadItemDoesNotHoldItsCaseForever) {
  post_.setScript([](const sdk::DeliveryItem& item, int) {
    return item.id == "a1" ? outcome(Status::FailedForGood, "HTTP 422") : outcome(Status::Delivered);
  });
  auto seqs = journal_.add({outboxItem("a1", "demo-post", "c1"), outboxItem("a2", "demo-post", "c1")});
  DeliveryWorker worker(*journal_, endpoints_, tinyPolicy(), "node-1");
  EXPECT_EQ(worker.runOnce(), 1u);  // a2 is given back in the batch where a1 died ...
  EXPECT_EQ(journal_.get(seqs[1]).state, journal::OutboxState::Pending);
  EXPECT_EQ(worker.runOnce(), 1u);  // ... and delivered next round: a dead letter does not block
  EXPECT_EQ(journal_.get(seqs[0]).state, journal::OutboxState::Dead);
  EXPECT_EQ(journal_.get(seqs[1]).state, journal::OutboxState::Delivered);
}

TEST_F(delivery_worker, ReplayedDeadLetterIsDelivered) {
  post_.setScript([](const sdk::DeliveryItem&, int) { return outcome(Status::FailedForGood, "HTTP 404"); });
  const auto seq = journal_.add({outboxItem("n1", "demo-post", "c1")}).at(0);
  DeliveryWorker worker(*journal_, endpoints_, tinyPolicy(), "node-1");
  ASSERT_EQ(worker.runOnce(), 1u);
  ASSERT_EQ(journal_.get(seq).state, journal::OutboxState::Dead);

  post_.setScript({});  // the partner fixed its endpoint
  ASSERT_TRUE(journal_->replayDeadLetter(seq));
  EXPECT_EQ(worker.runOnce(), 1u);
  auto stored = journal_.get(seq);
  EXPECT_EQ(stored.state, journal::OutboxState::Delivered);
  EXPECT_EQ(stored.attempts, 1);
  auto seen = post_.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].id, "n1");
  EXPECT_EQ(seen[1].attempt, 1);
  EXPECT_TRUE(journal_->deadLetters(0, 10).empty());
}

TEST_F(delivery_worker, BackgroundThreadDeliversWhatIsCommittedAndStops) {
  DeliveryWorker worker(*journal_, endpoints_, tinyPolicy(), "node-1");
  worker.start();
  journal_.add({outboxItem("n1", "demo-post", "c1"), outboxItem("n2", "demo-post", "c1")});
  worker.wake();
  ASSERT_TRUE(post_.waitDelivered(2));
  journal_.add({outboxItem("n3", "demo-post", "c1")});
  worker.wake();
  ASSERT_TRUE(post_.waitDelivered(3));
  worker.stop();
  EXPECT_EQ(post_.delivered(), (std::vector<std::string>{"n1", "n2", "n3"}));
  EXPECT_EQ(worker.stats().delivered.load(), 3);
}

TEST_F(delivery_worker, RefusesAnEmptyOwner) {
  EXPECT_THROW(DeliveryWorker(*journal_, endpoints_, tinyPolicy(), ""), std::invalid_argument);
}

}  // namespace
}  // namespace swhub::delivery
