// The outbox: pull order and cursor, claims with a lease, lease expiry, completion by owner.
// Time comes from an injected clock, so leases expire without sleeping.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "backends.hpp"
#include "instants.hpp"
#include "temp_dir.hpp"
#include "journal/journal.hpp"

namespace swhub::journal {
namespace {

using namespace std::chrono_literals;

using swhub::testing::TempDir;

OutboxItem item(const std::string& id, const std::string& recipient, journal::Channel channel = journal::Channel::Notification) {
  OutboxItem o;
  o.id = id;
  o.channel = channel;
  o.recipient = recipient;
  o.case_id = "c1";
  o.content_type = "application/json";
  o.body = "{\"id\":\"" + id + "\"}";
  o.created_at = swhub::testing::at("2026-11-28T10:00:00.000Z");
  return o;
}

std::vector<std::string> ids(const std::vector<OutboxItem>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.id);
  return out;
}

class journal_outbox : public test_support::JournalBackend {
 protected:
  void SetUp() override {
    JournalBackend::SetUp();
    if (IsSkipped()) return;
    open();
  }

  void open() {
    journal_.reset();
    JournalOptions options;
    options.clock = [this] { return now_; };
    journal_ = openJournal(journalUrl(), options);
  }

  void add(std::vector<OutboxItem> items) {
    WriteBatch batch;
    batch.outbox = std::move(items);
    ASSERT_EQ(journal_->commit(batch).status, CommitResult::Status::Committed);
  }

  // 2026-11-28T10:00:00Z
  std::chrono::system_clock::time_point now_{std::chrono::seconds(1795860000)};
  std::unique_ptr<Journal> journal_;
};

JOURNAL_BACKENDS(journal_outbox);

TEST_P(journal_outbox, PullReadersPageInSeqOrder) {
  add({item("n1", "demo-post"), item("n2", "demo-express"), item("n3", "demo-post")});
  add({item("n4", "demo-post"), item("t1", "customs", journal::Channel::Task)});

  auto page = journal_->outboxAfter("demo-post", journal::Channel::Notification, 0, 2);
  ASSERT_EQ(ids(page), (std::vector<std::string>{"n1", "n3"}));
  EXPECT_LT(page[0].seq, page[1].seq);
  auto next = journal_->outboxAfter("demo-post", journal::Channel::Notification, page[1].seq, 10);
  EXPECT_EQ(ids(next), (std::vector<std::string>{"n4"}));
  EXPECT_TRUE(journal_->outboxAfter("demo-post", journal::Channel::Notification, next[0].seq, 10).empty());
  EXPECT_EQ(ids(journal_->outboxAfter("customs", journal::Channel::Task, 0, 10)), (std::vector<std::string>{"t1"}));
}

TEST_P(journal_outbox, ClaimLeasesDueItemsInOrderToOneOwner) {
  add({item("n1", "a"), item("n2", "b"), item("n3", "c")});
  auto claimed = journal_->claimOutbox(journal::Channel::Notification, "worker-1", 2, 30s);
  EXPECT_EQ(ids(claimed), (std::vector<std::string>{"n1", "n2"}));
  EXPECT_EQ(ids(journal_->claimOutbox(journal::Channel::Notification, "worker-2", 10, 30s)), (std::vector<std::string>{"n3"}));
  EXPECT_TRUE(journal_->claimOutbox(journal::Channel::Notification, "worker-3", 10, 30s).empty());
}

TEST_P(journal_outbox, ExpiredLeaseMakesItemClaimableAgain) {
  add({item("n1", "a")});
  ASSERT_EQ(journal_->claimOutbox(journal::Channel::Notification, "worker-1", 10, 30s).size(), 1u);
  now_ += 29s;
  EXPECT_TRUE(journal_->claimOutbox(journal::Channel::Notification, "worker-2", 10, 30s).empty());
  now_ += 2s;
  EXPECT_EQ(ids(journal_->claimOutbox(journal::Channel::Notification, "worker-2", 10, 30s)), (std::vector<std::string>{"n1"}));
}

TEST_P(journal_outbox, CompleteByAnotherOwnerIsIgnored) {
  add({item("n1", "a")});
  auto claimed = journal_->claimOutbox(journal::Channel::Notification, "worker-1", 10, 30s);
  ASSERT_EQ(claimed.size(), 1u);
  journal_->completeOutbox(claimed[0].seq, "worker-2", journal::OutboxState::Delivered, std::nullopt, "");
  auto stored = journal_->outboxAfter("a", journal::Channel::Notification, 0, 10);
  EXPECT_EQ(stored[0].state, journal::OutboxState::Pending);
  EXPECT_EQ(stored[0].attempts, 0);

  journal_->completeOutbox(claimed[0].seq, "worker-1", journal::OutboxState::Delivered, std::nullopt, "");
  stored = journal_->outboxAfter("a", journal::Channel::Notification, 0, 10);
  EXPECT_EQ(stored[0].state, journal::OutboxState::Delivered);
  EXPECT_EQ(stored[0].attempts, 1);
}

TEST_P(journal_outbox, WorkerWhoseLeaseWasTakenOverCannotComplete) {
  add({item("n1", "a")});
  const auto seq = journal_->claimOutbox(journal::Channel::Notification, "worker-1", 10, 30s).at(0).seq;
  now_ += 31s;
  ASSERT_EQ(journal_->claimOutbox(journal::Channel::Notification, "worker-2", 10, 30s).size(), 1u);
  journal_->completeOutbox(seq, "worker-1", journal::OutboxState::Dead, std::nullopt, "gave up");
  EXPECT_EQ(journal_->outboxAfter("a", journal::Channel::Notification, 0, 10).at(0).state, journal::OutboxState::Pending);
}

TEST_P(journal_outbox, RescheduledItemWaitsForItsNextAttempt) {
  add({item("n1", "a")});
  const auto seq = journal_->claimOutbox(journal::Channel::Notification, "worker-1", 10, 30s).at(0).seq;
  journal_->completeOutbox(seq, "worker-1", journal::OutboxState::Pending, swhub::testing::at("2026-11-28T10:05:00.000Z"), "HTTP 503");
  EXPECT_TRUE(journal_->claimOutbox(journal::Channel::Notification, "worker-1", 10, 30s).empty());
  now_ += 5min;
  auto again = journal_->claimOutbox(journal::Channel::Notification, "worker-1", 10, 30s);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].attempts, 1);
  EXPECT_EQ(again[0].last_error, "HTTP 503");
}

TEST_P(journal_outbox, DeliveredStateSurvivesRestartAndIsNotClaimedAgain) {
  add({item("n1", "a"), item("n2", "a")});
  const auto seq = journal_->claimOutbox(journal::Channel::Notification, "worker-1", 1, 30s).at(0).seq;
  journal_->completeOutbox(seq, "worker-1", journal::OutboxState::Delivered, std::nullopt, "");
  EXPECT_EQ(journal_->stats().outbox_pending, 1);
  open();
  EXPECT_EQ(journal_->outboxAfter("a", journal::Channel::Notification, 0, 10).at(0).state, journal::OutboxState::Delivered);
  EXPECT_EQ(ids(journal_->claimOutbox(journal::Channel::Notification, "worker-9", 10, 30s)), (std::vector<std::string>{"n2"}));
}

// A claim finished in the commit of what its work wrote (an assessment's decision): both or neither.
TEST_P(journal_outbox, ABatchFinishesAClaimInItsOwnCommit) {
  add({item("t1", "customs", journal::Channel::Task)});
  const auto seq = journal_->claimOutbox(journal::Channel::Task, "worker-1", 10, 30s).at(0).seq;
  WriteBatch batch;
  batch.outbox.push_back(item("n1", "demo-post"));
  batch.completions.push_back({seq, "worker-1", journal::OutboxState::Delivered, std::nullopt, "decided"});
  ASSERT_EQ(journal_->commit(batch).status, CommitResult::Status::Committed);
  const auto task = journal_->outboxAfter("customs", journal::Channel::Task, 0, 10).at(0);
  EXPECT_EQ(task.state, journal::OutboxState::Delivered);
  EXPECT_EQ(task.attempts, 1);
  EXPECT_EQ(task.last_error, "decided");
  EXPECT_EQ(ids(journal_->outboxAfter("demo-post", journal::Channel::Notification, 0, 10)), (std::vector<std::string>{"n1"}));
  now_ += 31s;
  EXPECT_TRUE(journal_->claimOutbox(journal::Channel::Task, "worker-2", 10, 30s).empty());
}

TEST_P(journal_outbox, ARefusedBatchLeavesItsClaimAsItWas) {
  add({item("t1", "customs", journal::Channel::Task)});
  const auto seq = journal_->claimOutbox(journal::Channel::Task, "worker-1", 10, 30s).at(0).seq;
  WriteBatch batch;
  CaseUpdate gone;
  gone.id = "no-such-case";
  gone.expected_version = 1;
  batch.case_updates.push_back(gone);
  batch.completions.push_back({seq, "worker-1", journal::OutboxState::Delivered, std::nullopt, ""});
  ASSERT_EQ(journal_->commit(batch).status, CommitResult::Status::Stale);
  const auto task = journal_->outboxAfter("customs", journal::Channel::Task, 0, 10).at(0);
  EXPECT_EQ(task.state, journal::OutboxState::Pending);
  EXPECT_EQ(task.attempts, 0);
  // Still leased to worker-1 (which may try again), then claimable once the lease ends.
  EXPECT_TRUE(journal_->claimOutbox(journal::Channel::Task, "worker-2", 10, 30s).empty());
  now_ += 31s;
  EXPECT_EQ(journal_->claimOutbox(journal::Channel::Task, "worker-2", 10, 30s).size(), 1u);
}

TEST_P(journal_outbox, ACompletionWhoseLeaseWasTakenOverIsSkippedAndTheBatchStillCommits) {
  add({item("t1", "customs", journal::Channel::Task)});
  const auto seq = journal_->claimOutbox(journal::Channel::Task, "worker-1", 10, 30s).at(0).seq;
  now_ += 31s;
  ASSERT_EQ(journal_->claimOutbox(journal::Channel::Task, "worker-2", 10, 30s).size(), 1u);
  WriteBatch batch;
  batch.outbox.push_back(item("n1", "demo-post"));
  batch.completions.push_back({seq, "worker-1", journal::OutboxState::Dead, std::nullopt, "late"});
  ASSERT_EQ(journal_->commit(batch).status, CommitResult::Status::Committed);
  EXPECT_EQ(journal_->outboxAfter("customs", journal::Channel::Task, 0, 10).at(0).state, journal::OutboxState::Pending);
  EXPECT_EQ(journal_->outboxAfter("demo-post", journal::Channel::Notification, 0, 10).size(), 1u);
}

}  // namespace
}  // namespace swhub::journal
