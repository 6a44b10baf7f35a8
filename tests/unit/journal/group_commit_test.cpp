// Group commit: many callers share transactions; idempotency, stale versions and constraint
// errors are answered per batch, also when the batches share one transaction.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "backends.hpp"
#include "instants.hpp"
#include "temp_dir.hpp"
#include "journal/journal.hpp"
#include "journal/sqlite_journal.hpp"

namespace swhub::journal {
namespace {

using Status = CommitResult::Status;

using swhub::testing::TempDir;

WriteBatch filing(const std::string& id, const std::string& key, const std::string& body) {
  WriteBatch batch;
  batch.message = MessageRecord{id, "demo-post", "application/json", key, "sha256:" + body,
                                swhub::testing::at("2026-11-28T10:00:00.000Z"), body, journal::MessageStatus::Accepted, "{}", 202};
  return batch;
}

WriteBatch caseBatch(const std::string& id) {
  WriteBatch batch;
  batch.new_cases.push_back({id, "demo-post", "LRN-" + id, "pre-arrival", common::CaseState::Accepted, 1, "{}", "",
                             swhub::testing::at("2026-11-28T10:00:00.000Z"), swhub::testing::at("2026-11-28T10:00:00.000Z")});
  return batch;
}

// Holds the writer thread inside on_commit of the first group, so that the test can line up
// the next group exactly.
struct WriterGate {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::vector<std::size_t> groups;  // batches per commit, written by the writer thread only
  bool first = true;

  JournalOptions options() {
    JournalOptions options;
    options.on_commit = [this](std::chrono::duration<double>, std::size_t batches) {
      groups.push_back(batches);
      if (first) {
        first = false;
        entered.set_value();
        released.wait();
      }
    };
    return options;
  }
};

// Starts commit(batch) on its own thread and returns once the batch sits in the queue.
std::future<CommitResult> queueCommit(sqlite::SqliteJournal& journal, WriteBatch batch, std::size_t depth) {
  auto result = std::async(std::launch::async, [&journal, batch] { return journal.commit(batch); });
  while (journal.queuedWrites() < depth) std::this_thread::yield();
  return result;
}

// On both backends (backends.hpp). journal_group_commit_sqlite: they line groups up through SqliteJournal::queuedWrites.
JOURNAL_SUITE(journal_group_commit);

TEST_P(journal_group_commit, ConcurrentCommitsAreAllDurableAndShareTransactions) {
  const std::string url = journalUrl();
  constexpr int kThreads = 32;
  constexpr int kPerThread = 50;
  {
    auto journal = openJournal(url);
    std::vector<std::thread> threads;
    std::atomic<int> committed{0};
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          const std::string id = std::to_string(t) + "-" + std::to_string(i);
          WriteBatch batch = filing("m" + id, "k" + id, "body" + id);
          batch.new_cases = caseBatch("c" + id).new_cases;
          if (journal->commit(batch).status == Status::Committed) ++committed;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(committed.load(), kThreads * kPerThread);
    const JournalStats stats = journal->stats();
    EXPECT_EQ(stats.batches, kThreads * kPerThread);
    EXPECT_LT(stats.commits, kThreads * kPerThread) << "no two batches ever shared a transaction";
    EXPECT_EQ(stats.messages, kThreads * kPerThread);
  }
  auto reopened = openJournal(url);
  EXPECT_EQ(reopened->stats().cases, kThreads * kPerThread);
  EXPECT_TRUE(reopened->getCase("c31-49"));
  EXPECT_TRUE(reopened->findMessage("demo-post", "k0-0"));
}

TEST_P(journal_group_commit, SameKeyAndBodyIsDuplicateWithStoredMessage) {
  auto journal = openJournal(journalUrl());
  ASSERT_EQ(journal->commit(filing("m1", "key-1", "A")).status, Status::Committed);
  const CommitResult again = journal->commit(filing("m2", "key-1", "A"));
  EXPECT_EQ(again.status, Status::Duplicate);
  ASSERT_TRUE(again.existing);
  EXPECT_EQ(again.existing->id, "m1");
  EXPECT_FALSE(journal->getMessage("m2"));
}

TEST_P(journal_group_commit, SameKeyOtherBodyIsConflictAndWritesNothing) {
  auto journal = openJournal(journalUrl());
  ASSERT_EQ(journal->commit(filing("m1", "key-1", "A")).status, Status::Committed);
  WriteBatch other = filing("m2", "key-1", "B");
  other.new_cases = caseBatch("c2").new_cases;
  const CommitResult result = journal->commit(other);
  EXPECT_EQ(result.status, Status::Conflict);
  EXPECT_NE(result.error.find("key-1"), std::string::npos) << result.error;
  EXPECT_FALSE(journal->getMessage("m2"));
  EXPECT_FALSE(journal->getCase("c2"));
}

TEST_P(journal_group_commit, MessagesWithoutKeyAreNeverDuplicates) {
  auto journal = openJournal(journalUrl());
  EXPECT_EQ(journal->commit(filing("m1", "", "A")).status, Status::Committed);
  EXPECT_EQ(journal->commit(filing("m2", "", "A")).status, Status::Committed);
}

TEST(journal_group_commit_sqlite, DuplicateAndConflictWithinOneGroup) {
  TempDir dir;
  WriterGate gate;
  auto journal = std::make_unique<sqlite::SqliteJournal>(dir.file("j.db"), "", gate.options());
  auto first = std::async(std::launch::async, [&] { return journal->commit(caseBatch("c0")); });
  gate.entered.get_future().wait();  // the writer is busy: what we queue now forms one group

  auto original = queueCommit(*journal, filing("m1", "key-1", "A"), 1);
  auto duplicate = queueCommit(*journal, filing("m2", "key-1", "A"), 2);
  auto conflict = queueCommit(*journal, filing("m3", "key-1", "B"), 3);
  gate.release.set_value();

  EXPECT_EQ(first.get().status, Status::Committed);
  EXPECT_EQ(original.get().status, Status::Committed);
  const CommitResult dup = duplicate.get();
  EXPECT_EQ(dup.status, Status::Duplicate);
  ASSERT_TRUE(dup.existing);
  EXPECT_EQ(dup.existing->id, "m1");
  EXPECT_EQ(conflict.get().status, Status::Conflict);
  EXPECT_EQ(gate.groups, (std::vector<std::size_t>{1, 3}));
  EXPECT_TRUE(journal->getMessage("m1"));
  EXPECT_FALSE(journal->getMessage("m2"));
  EXPECT_FALSE(journal->getMessage("m3"));
  EXPECT_EQ(journal->stats().batches, 2);
}

// A group's statistics are written once, merged, before its COMMIT: what its committed batches
// added to one counter is their sum, and a refused batch of the same group adds nothing.
TEST(journal_group_commit_sqlite, AGroupsStatisticsAreItsCommittedBatchesSummed) {
  TempDir dir;
  WriterGate gate;
  auto journal = std::make_unique<sqlite::SqliteJournal>(dir.file("j.db"), "", gate.options());
  WriteBatch first = caseBatch("c0");
  first.stats = {{100, "", "filings", "", "", 1}};
  auto committedFirst = std::async(std::launch::async, [&] { return journal->commit(first); });
  gate.entered.get_future().wait();  // the writer is busy: what we queue now forms one group

  WriteBatch a = caseBatch("c1");
  a.stats = {{100, "", "filings", "", "", 2}, {100, "agency:customs", "filings", "", "", 5}};
  WriteBatch refused;
  refused.case_updates.push_back({"no-such-case", 1, common::CaseState::Held, "", "", std::nullopt, ""});
  refused.stats = {{100, "", "filings", "", "", 1000}, {100, "", "outcomes", "hold", "", 1}};
  WriteBatch b = caseBatch("c2");
  b.stats = {{100, "", "filings", "", "", 4}, {100, "agency:customs", "filings", "", "", -5}};
  auto ra = queueCommit(*journal, a, 1);
  auto rr = queueCommit(*journal, refused, 2);
  auto rb = queueCommit(*journal, b, 3);
  gate.release.set_value();

  EXPECT_EQ(committedFirst.get().status, Status::Committed);
  EXPECT_EQ(ra.get().status, Status::Committed);
  EXPECT_EQ(rr.get().status, Status::Stale);
  EXPECT_EQ(rb.get().status, Status::Committed);
  EXPECT_EQ(gate.groups, (std::vector<std::size_t>{1, 3}));
  std::map<std::string, std::int64_t> sums;
  for (const auto& d : journal->statSums("", 0, 1000)) sums[d.family + "/" + d.key1] += d.value;
  EXPECT_EQ(sums, (std::map<std::string, std::int64_t>{{"filings/", 1 + 2 + 4}}));
  // +5 and -5 in one group: the counter nets to nothing and is not written at all.
  EXPECT_TRUE(journal->statSums("agency:customs", 0, 1000).empty());
}

// A staged message made visible changes more pages than a savepoint should copy: it runs in a
// transaction of its own, between the groups of the batches queued around it.
TEST(journal_group_commit_sqlite, AStagedMessagesFinishRunsAloneBetweenGroups) {
  TempDir dir;
  WriterGate gate;
  auto journal = std::make_unique<sqlite::SqliteJournal>(dir.file("j.db"), "", gate.options());
  MessageRecord staged{"M-S", "demo-express", "text/csv", "", "sha256:staged", swhub::testing::at("2026-11-28T10:00:00.000Z"),
                       "", MessageStatus::Staging, "", 0};
  // The staged message's first transaction holds the writer (after its commit) while the rest queues.
  auto first = std::async(std::launch::async, [&] { return journal->beginStaged(staged, 0); });
  gate.entered.get_future().wait();

  auto before = queueCommit(*journal, caseBatch("c1"), 1);
  MessageRecord done = staged;
  done.status = MessageStatus::Accepted;
  done.http_status = 202;
  auto finished = std::async(std::launch::async, [&] { return journal->finishStaged(done, {}, {}); });
  while (journal->queuedWrites() < 2) std::this_thread::yield();
  auto after = queueCommit(*journal, caseBatch("c2"), 3);
  gate.release.set_value();

  EXPECT_EQ(first.get().status, Status::Committed);
  EXPECT_EQ(before.get().status, Status::Committed);
  EXPECT_EQ(finished.get().status, Status::Committed);
  EXPECT_EQ(after.get().status, Status::Committed);
  ASSERT_TRUE(journal->getMessage("M-S"));
  EXPECT_EQ(journal->getMessage("M-S")->status, MessageStatus::Accepted);
  EXPECT_EQ(journal->stats().cases, 2);
  // Closed (the writer drained and joined) before its groups are read. Batches per transaction;
  // the last is the staged rows' deletion, queued after the finish returned (none left here).
  journal.reset();
  EXPECT_EQ(gate.groups, (std::vector<std::size_t>{0, 1, 1, 1, 0}));
}

// A job alone that is refused takes its whole transaction back, and the journal goes on writing.
TEST(journal_group_commit_sqlite, ARefusedJobAloneLeavesNothingAndTheJournalWritesOn) {
  TempDir dir;
  auto journal = std::make_unique<sqlite::SqliteJournal>(dir.file("j.db"), "", JournalOptions{});
  ASSERT_EQ(journal->commit(filing("m1", "key-1", "A")).status, Status::Committed);
  MessageRecord staged{"M-S", "demo-post", "text/csv", "key-1", "sha256:other", swhub::testing::at("2026-11-28T10:00:00.000Z"),
                       "", MessageStatus::Staging, "", 0};
  ASSERT_EQ(journal->beginStaged(staged, 0).status, Status::Committed);
  MessageRecord done = staged;
  done.status = MessageStatus::Accepted;
  done.http_status = 202;
  WriteBatch rows = caseBatch("c-staged");
  EXPECT_EQ(journal->finishStaged(done, {}, rows).status, Status::Conflict);  // key-1 is m1's, another body
  EXPECT_FALSE(journal->getCase("c-staged"));
  EXPECT_TRUE(journal->writable());
  ASSERT_EQ(journal->commit(caseBatch("c1")).status, Status::Committed);
  EXPECT_EQ(journal->stats().cases, 1);
}

TEST_P(journal_group_commit, StaleCaseUpdateIsRefusedAndWritesNothing) {
  auto journal = openJournal(journalUrl());
  ASSERT_EQ(journal->commit(caseBatch("c1")).status, Status::Committed);
  WriteBatch update;
  update.case_updates.push_back({"c1", 1, common::CaseState::UnderAssessment, "", "", swhub::testing::at("2026-11-28T10:01:00.000Z"), ""});
  ASSERT_EQ(journal->commit(update).status, Status::Committed);

  WriteBatch stale;
  stale.case_updates.push_back({"c1", 1, common::CaseState::Cleared, "", "", swhub::testing::at("2026-11-28T10:02:00.000Z"), ""});
  stale.events.push_back({0, "c1", swhub::testing::at("2026-11-28T10:02:00.000Z"), common::Actor::agency("customs"), "decision", std::nullopt, common::CaseState::Cleared, "{}", ""});
  const CommitResult result = journal->commit(stale);
  EXPECT_EQ(result.status, Status::Stale);
  EXPECT_EQ(result.error, "case 'c1' is at version 2, not 1");
  EXPECT_EQ(journal->getCase("c1")->state, common::CaseState::UnderAssessment);
  EXPECT_TRUE(journal->caseEvents("c1").empty());
}

TEST_P(journal_group_commit, ConstraintErrorRejectsOnlyItsBatch) {
  auto journal = openJournal(journalUrl());
  ASSERT_EQ(journal->commit(caseBatch("c1")).status, Status::Committed);
  WriteBatch sameId = caseBatch("c1");
  sameId.new_cases[0].reference = "LRN-other";  // the same reference would be ReferenceTaken
  const CommitResult again = journal->commit(sameId);
  EXPECT_EQ(again.status, Status::Invalid);
  EXPECT_NE(again.error.find(postgres() ? "SQLSTATE 23505" : "SQLITE_CONSTRAINT_PRIMARYKEY"), std::string::npos)
      << again.error;
  EXPECT_TRUE(journal->writable());
  EXPECT_EQ(journal->commit(caseBatch("c2")).status, Status::Committed);
}

TEST_P(journal_group_commit, OnCommitReportsEveryDurableCommit) {
  std::size_t reported = 0;
  JournalOptions options;
  options.on_commit = [&](std::chrono::duration<double> took, std::size_t batches) {
    EXPECT_GE(took.count(), 0.0);
    reported += batches;
  };
  auto journal = openJournal(journalUrl(), options);
  ASSERT_EQ(journal->commit(caseBatch("c1")).status, Status::Committed);
  ASSERT_EQ(journal->commit(caseBatch("c2")).status, Status::Committed);
  EXPECT_EQ(reported, 2u);  // on_commit runs before commit() returns
}

TEST(journal_group_commit_sqlite, DestructorAnswersEveryQueuedBatch) {
  TempDir dir;
  const std::string path = dir.file("j.db");
  std::vector<std::future<CommitResult>> results;
  {
    WriterGate gate;
    auto journal = std::make_unique<sqlite::SqliteJournal>(path, "", gate.options());
    results.push_back(std::async(std::launch::async, [&] { return journal->commit(caseBatch("c0")); }));
    gate.entered.get_future().wait();
    for (std::size_t i = 1; i <= 5; ++i) results.push_back(queueCommit(*journal, caseBatch("c" + std::to_string(i)), i));
    gate.release.set_value();
    // ~SqliteJournal must drain the queue before it closes anything.
    journal.reset();
  }
  for (auto& result : results) EXPECT_EQ(result.get().status, Status::Committed);
  auto reopened = openJournal("sqlite:" + path);
  EXPECT_EQ(reopened->stats().cases, 6);
}

}  // namespace
}  // namespace swhub::journal
