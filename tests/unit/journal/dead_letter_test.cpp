// Push order per (recipient, case), pull-only items, release, dead letters and their replay.
// Time comes from an injected clock, so due times pass without sleeping.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "instants.hpp"
#include "temp_dir.hpp"
#include "journal/journal.hpp"

namespace swhub::journal {
namespace {

using namespace std::chrono_literals;

using swhub::testing::TempDir;

OutboxItem item(const std::string& id, const std::string& recipient, const std::string& case_id,
                journal::Channel channel = journal::Channel::Notification, journal::OutboxState state = journal::OutboxState::Pending) {
  OutboxItem o;
  o.id = id;
  o.channel = channel;
  o.recipient = recipient;
  o.case_id = case_id;
  o.content_type = "application/json";
  o.body = "{\"id\":\"" + id + "\"}";
  o.state = state;
  o.created_at = swhub::testing::at("2026-11-28T10:00:00.000Z");
  return o;
}

std::vector<std::string> ids(const std::vector<OutboxItem>& items) {
  std::vector<std::string> out;
  for (const auto& i : items) out.push_back(i.id);
  return out;
}

using Ids = std::vector<std::string>;

class JournalFixture : public ::testing::Test {
 protected:
  void SetUp() override { open(); }

  void open() {
    journal_.reset();
    JournalOptions options;
    options.clock = [this] { return now_; };
    journal_ = openJournal("sqlite:" + dir_.file("j.db"), options);
  }

  void add(std::vector<OutboxItem> items) {
    WriteBatch batch;
    batch.outbox = std::move(items);
    ASSERT_EQ(journal_->commit(batch).status, CommitResult::Status::Committed);
  }

  OutboxItem stored(const std::string& recipient, const std::string& id, journal::Channel channel = journal::Channel::Notification) {
    for (auto& i : journal_->outboxAfter(recipient, channel, 0, 100)) {
      if (i.id == id) return i;
    }
    ADD_FAILURE() << "no outbox item " << id;
    return {};
  }

  // Claims everything claimable for `owner` and kills each item (attempts+1, state dead).
  void killAll(journal::Channel channel = journal::Channel::Notification) {
    for (const auto& i : journal_->claimOutbox(channel, "killer", 100, 30s)) {
      journal_->completeOutbox(i.seq, "killer", journal::OutboxState::Dead, std::nullopt, "HTTP 400 from " + i.recipient);
    }
  }

  TempDir dir_;
  // 2026-11-28T10:00:00Z
  std::chrono::system_clock::time_point now_{std::chrono::seconds(1795860000)};
  std::unique_ptr<Journal> journal_;
};

class journal_order : public JournalFixture {};
class journal_pull_items : public JournalFixture {};
class journal_release : public JournalFixture {};
class journal_dead_letters : public JournalFixture {};

TEST_F(journal_order, RescheduledItemBlocksLaterItemsOfItsCaseOnly) {
  add({item("a1", "demo-post", "c1"), item("b1", "demo-post", "c2")});
  auto first = journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s);
  ASSERT_EQ(ids(first), (Ids{"a1", "b1"}));
  add({item("a2", "demo-post", "c1"), item("b2", "demo-post", "c2"), item("x1", "demo-express", "c1")});
  journal_->completeOutbox(first[0].seq, "w", journal::OutboxState::Pending, swhub::testing::at("2026-11-28T10:05:00.000Z"), "HTTP 503");
  journal_->completeOutbox(first[1].seq, "w", journal::OutboxState::Delivered, std::nullopt, "");

  // a1 waits for 10:05, so a2 (same recipient and case) waits too; b2 and x1 (another
  // recipient, same case id) do not.
  auto others = journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s);
  ASSERT_EQ(ids(others), (Ids{"b2", "x1"}));
  EXPECT_TRUE(journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s).empty());
  for (const auto& i : others) journal_->completeOutbox(i.seq, "w", journal::OutboxState::Delivered, std::nullopt, "");

  now_ += 5min;
  EXPECT_EQ(ids(journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s)), (Ids{"a1", "a2"}));
}

TEST_F(journal_order, LeasedItemBlocksLaterItemsOfItsCase) {
  add({item("a1", "demo-post", "c1")});
  ASSERT_EQ(ids(journal_->claimOutbox(journal::Channel::Notification, "w1", 10, 30s)), (Ids{"a1"}));
  add({item("a2", "demo-post", "c1"), item("b1", "demo-post", "c2")});
  auto other = journal_->claimOutbox(journal::Channel::Notification, "w2", 10, 30s);
  ASSERT_EQ(ids(other), (Ids{"b1"}));
  journal_->completeOutbox(other[0].seq, "w2", journal::OutboxState::Delivered, std::nullopt, "");
  // The lease expires: a1 is claimable again, and a2 with it, after it.
  now_ += 31s;
  EXPECT_EQ(ids(journal_->claimOutbox(journal::Channel::Notification, "w2", 10, 30s)), (Ids{"a1", "a2"}));
}

TEST_F(journal_order, DueItemsOfOneCaseAreClaimedTogetherInSeqOrder) {
  add({item("a1", "p", "c1"), item("a2", "p", "c1"), item("a3", "p", "c1")});
  auto claimed = journal_->claimOutbox(journal::Channel::Notification, "w", 2, 30s);
  ASSERT_EQ(ids(claimed), (Ids{"a1", "a2"}));
  EXPECT_LT(claimed[0].seq, claimed[1].seq);
  // a3 is not handed to anyone while a1 and a2 are leased.
  EXPECT_TRUE(journal_->claimOutbox(journal::Channel::Notification, "w2", 10, 30s).empty());
}

TEST_F(journal_order, PendingItemOfAnotherChannelBlocks) {
  add({item("t1", "customs", "c1", journal::Channel::Task), item("n1", "customs", "c1", journal::Channel::Notification)});
  EXPECT_TRUE(journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s).empty());
  auto tasks = journal_->claimOutbox(journal::Channel::Task, "w", 10, 30s);
  ASSERT_EQ(ids(tasks), (Ids{"t1"}));
  journal_->completeOutbox(tasks[0].seq, "w", journal::OutboxState::Delivered, std::nullopt, "");
  EXPECT_EQ(ids(journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s)), (Ids{"n1"}));
}

TEST_F(journal_order, DeliveredDeadAndPullItemsDoNotBlock) {
  add({item("a1", "p", "c1"), item("a2", "p", "c1", journal::Channel::Notification, journal::OutboxState::Pull)});
  auto first = journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s);
  ASSERT_EQ(ids(first), (Ids{"a1"}));
  journal_->completeOutbox(first[0].seq, "w", journal::OutboxState::Dead, std::nullopt, "HTTP 400");
  add({item("a3", "p", "c1")});
  auto next = journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s);
  ASSERT_EQ(ids(next), (Ids{"a3"}));
  journal_->completeOutbox(next[0].seq, "w", journal::OutboxState::Delivered, std::nullopt, "");
  add({item("a4", "p", "c1")});
  EXPECT_EQ(ids(journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s)), (Ids{"a4"}));
}

TEST_F(journal_pull_items, AreNeverClaimedButArePaged) {
  add({item("p1", "demo-post", "c1", journal::Channel::Notification, journal::OutboxState::Pull), item("p2", "demo-post", "c2", journal::Channel::Notification, journal::OutboxState::Pull)});
  EXPECT_TRUE(journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s).empty());
  now_ += 24h;
  EXPECT_TRUE(journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s).empty());
  auto page = journal_->outboxAfter("demo-post", journal::Channel::Notification, 0, 10);
  ASSERT_EQ(ids(page), (Ids{"p1", "p2"}));
  EXPECT_EQ(page[0].state, journal::OutboxState::Pull);
  EXPECT_EQ(journal_->stats().outbox_pending, 0);
}

TEST_F(journal_pull_items, CannotBeCompletedOrReplayed) {
  add({item("p1", "demo-post", "c1", journal::Channel::Notification, journal::OutboxState::Pull)});
  const auto seq = stored("demo-post", "p1").seq;
  journal_->completeOutbox(seq, "w", journal::OutboxState::Delivered, std::nullopt, "");
  EXPECT_FALSE(journal_->replayDeadLetter(seq));
  EXPECT_EQ(journal_->getOutboxItem(seq)->state, journal::OutboxState::Pull);
}

TEST_F(journal_release, GivesItemBackWithoutCountingAnAttempt) {
  add({item("a1", "p", "c1")});
  auto first = journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s);
  ASSERT_EQ(first.size(), 1u);
  journal_->completeOutbox(first[0].seq, "w", journal::OutboxState::Pending, std::nullopt, "HTTP 503");
  auto again = journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s);
  ASSERT_EQ(again.size(), 1u);

  journal_->releaseOutbox(again[0].seq, "w", swhub::testing::at("2026-11-28T10:01:00.000Z"));
  auto item = journal_->getOutboxItem(again[0].seq);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->state, journal::OutboxState::Pending);
  EXPECT_EQ(item->attempts, 1);
  EXPECT_EQ(item->last_error, "HTTP 503");
  EXPECT_EQ(item->next_attempt_at, swhub::testing::at("2026-11-28T10:01:00.000Z"));
  EXPECT_TRUE(journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s).empty());
  now_ += 1min;
  EXPECT_EQ(ids(journal_->claimOutbox(journal::Channel::Notification, "w2", 10, 30s)), (Ids{"a1"}));
}

TEST_F(journal_release, ByAnotherOwnerIsIgnoredAndEmptyTimeKeepsTheStoredOne) {
  add({item("a1", "p", "c1")});
  const auto seq = journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s).at(0).seq;
  journal_->releaseOutbox(seq, "intruder", std::nullopt);
  EXPECT_TRUE(journal_->claimOutbox(journal::Channel::Notification, "w2", 10, 30s).empty());
  journal_->releaseOutbox(seq, "w", std::nullopt);
  EXPECT_EQ(journal_->getOutboxItem(seq)->next_attempt_at, std::nullopt);
  EXPECT_EQ(ids(journal_->claimOutbox(journal::Channel::Notification, "w2", 10, 30s)), (Ids{"a1"}));
}

TEST_F(journal_dead_letters, GetOutboxItemBySeq) {
  add({item("a1", "p", "c1")});
  const auto seq = stored("p", "a1").seq;
  auto found = journal_->getOutboxItem(seq);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, "a1");
  EXPECT_EQ(found->recipient, "p");
  EXPECT_EQ(found->case_id, "c1");
  EXPECT_EQ(found->body, "{\"id\":\"a1\"}");
  EXPECT_FALSE(journal_->getOutboxItem(seq + 100));
}

TEST_F(journal_dead_letters, ListedInSeqOrderWithCursor) {
  add({item("a1", "p", "c1"), item("b1", "q", "c2"), item("c1", "r", "c3"), item("t1", "customs", "c4", journal::Channel::Task)});
  auto claimed = journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s);
  ASSERT_EQ(claimed.size(), 3u);
  journal_->completeOutbox(claimed[0].seq, "w", journal::OutboxState::Dead, std::nullopt, "HTTP 400");
  journal_->completeOutbox(claimed[1].seq, "w", journal::OutboxState::Delivered, std::nullopt, "");
  journal_->completeOutbox(claimed[2].seq, "w", journal::OutboxState::Dead, std::nullopt, "HTTP 404");
  killAll(journal::Channel::Task);

  auto dead = journal_->deadLetters(0, 10);
  ASSERT_EQ(ids(dead), (Ids{"a1", "c1", "t1"}));
  EXPECT_EQ(dead[0].state, journal::OutboxState::Dead);
  EXPECT_EQ(dead[0].last_error, "HTTP 400");
  EXPECT_EQ(dead[0].attempts, 1);
  EXPECT_EQ(ids(journal_->deadLetters(0, 2)), (Ids{"a1", "c1"}));
  EXPECT_EQ(ids(journal_->deadLetters(dead[1].seq, 10)), (Ids{"t1"}));
  EXPECT_TRUE(journal_->deadLetters(dead[2].seq, 10).empty());
}

TEST_F(journal_dead_letters, ReplayMakesItPendingAndDueNowDurably) {
  add({item("a1", "p", "c1")});
  const auto seq = journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s).at(0).seq;
  journal_->completeOutbox(seq, "w", journal::OutboxState::Dead, std::nullopt, "HTTP 400: bad request");
  now_ += 1h;

  EXPECT_TRUE(journal_->replayDeadLetter(seq));
  open();  // what replay wrote survives a restart
  auto item = journal_->getOutboxItem(seq);
  ASSERT_TRUE(item);
  EXPECT_EQ(item->state, journal::OutboxState::Pending);
  EXPECT_EQ(item->attempts, 0);
  EXPECT_EQ(item->next_attempt_at, swhub::testing::at("2026-11-28T11:00:00.000Z"));
  EXPECT_EQ(item->last_error, "HTTP 400: bad request");
  EXPECT_TRUE(journal_->deadLetters(0, 10).empty());
  auto claimed = journal_->claimOutbox(journal::Channel::Notification, "w2", 10, 30s);
  ASSERT_EQ(ids(claimed), (Ids{"a1"}));
  EXPECT_EQ(claimed[0].attempts, 0);
}

TEST_F(journal_dead_letters, ReplayClearsAStaleLease) {
  add({item("a1", "p", "c1")});
  const auto seq = journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s).at(0).seq;
  journal_->completeOutbox(seq, "w", journal::OutboxState::Dead, std::nullopt, "gave up");
  ASSERT_TRUE(journal_->replayDeadLetter(seq));
  // The old owner cannot complete the replayed item: its lease is gone.
  journal_->completeOutbox(seq, "w", journal::OutboxState::Delivered, std::nullopt, "");
  EXPECT_EQ(journal_->getOutboxItem(seq)->state, journal::OutboxState::Pending);
  EXPECT_EQ(ids(journal_->claimOutbox(journal::Channel::Notification, "w2", 10, 30s)), (Ids{"a1"}));
}

TEST_F(journal_dead_letters, ReplayRefusesItemsThatAreNotDead) {
  add({item("a1", "p", "c1"), item("b1", "q", "c2")});
  const auto pending = stored("p", "a1").seq;
  EXPECT_FALSE(journal_->replayDeadLetter(pending));
  EXPECT_FALSE(journal_->replayDeadLetter(pending + 100));
  EXPECT_FALSE(journal_->replayDeadLetter(-1));
  auto claimed = journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s);
  ASSERT_EQ(claimed.size(), 2u);
  journal_->completeOutbox(claimed[1].seq, "w", journal::OutboxState::Delivered, std::nullopt, "");
  EXPECT_FALSE(journal_->replayDeadLetter(claimed[1].seq));
  EXPECT_EQ(journal_->getOutboxItem(claimed[1].seq)->state, journal::OutboxState::Delivered);
  EXPECT_EQ(journal_->getOutboxItem(claimed[1].seq)->attempts, 1);
}

TEST_F(journal_dead_letters, ReplayAllReplaysEveryDeadItemOnly) {
  add({item("a1", "p", "c1"), item("b1", "q", "c2"), item("c1", "r", "c3")});
  auto claimed = journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s);
  ASSERT_EQ(claimed.size(), 3u);
  journal_->completeOutbox(claimed[0].seq, "w", journal::OutboxState::Dead, std::nullopt, "x");
  journal_->completeOutbox(claimed[1].seq, "w", journal::OutboxState::Delivered, std::nullopt, "");
  journal_->completeOutbox(claimed[2].seq, "w", journal::OutboxState::Dead, std::nullopt, "y");

  EXPECT_EQ(journal_->replayAllDeadLetters(), 2u);
  EXPECT_EQ(journal_->replayAllDeadLetters(), 0u);
  EXPECT_EQ(journal_->stats().outbox_pending, 2);
  EXPECT_EQ(ids(journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s)), (Ids{"a1", "c1"}));
}

TEST_F(journal_dead_letters, ReplayedItemBlocksLaterItemsOfItsCaseAgain) {
  add({item("a1", "p", "c1")});
  killAll();
  add({item("a2", "p", "c1")});
  ASSERT_TRUE(journal_->replayDeadLetter(stored("p", "a1").seq));
  EXPECT_EQ(ids(journal_->claimOutbox(journal::Channel::Notification, "w", 1, 30s)), (Ids{"a1"}));
  EXPECT_TRUE(journal_->claimOutbox(journal::Channel::Notification, "w", 10, 30s).empty());
}

}  // namespace
}  // namespace swhub::journal
