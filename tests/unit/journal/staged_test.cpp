// Staged messages: a large message written in several transactions, visible all at once or not
// at all (Journal::beginStaged ... finishStaged / abortStaged, and recovery at open).

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "backends.hpp"
#include "instants.hpp"
#include "temp_dir.hpp"
#include "journal/journal.hpp"

namespace swhub::journal {
namespace {

// The scratch journal of one test.
class TempDir : public swhub::testing::TempDir {
 public:
  std::string url() const { return "sqlite:" + file("journal.db"); }
};

const common::Instant kAt = swhub::testing::at("2026-11-28T10:00:00.000Z");

MessageRecord staging(const std::string& id) {
  return {id, "demo-express", "text/csv", "", "sha256:" + id, kAt, "", journal::MessageStatus::Staging, "", 0};
}

WriteBatch chunk(const std::string& message_id, int first, int count) {
  WriteBatch batch;
  for (int i = first; i < first + count; ++i) {
    const std::string id = "C-" + std::to_string(i);
    batch.new_cases.push_back({id, "demo-express", "HWB" + std::to_string(i), "pre-arrival", common::CaseState::Accepted, 1, "{}",
                               message_id, kAt, kAt});
    CaseEvent e;
    e.case_id = id;
    e.at = kAt;
    e.actor = common::Actor::hub();
    e.kind = "received";
    e.detail_json = "{}";
    batch.events.push_back(e);
    OutboxItem n;
    n.id = "N-" + std::to_string(i);
    n.channel = journal::Channel::Notification;
    n.recipient = "demo-express";
    n.case_id = id;
    n.content_type = "application/json";
    n.body = "{}";
    n.state = journal::OutboxState::Pull;
    n.created_at = kAt;
    batch.outbox.push_back(n);
  }
  return batch;
}

OutboxItem pullItem(const std::string& id) {
  OutboxItem o;
  o.id = id;
  o.channel = journal::Channel::Notification;
  o.recipient = "demo-express";
  o.case_id = "C-other";
  o.content_type = "application/json";
  o.body = "{}";
  o.state = journal::OutboxState::Pull;
  o.created_at = kAt;
  return o;
}

BlobSource textSource(std::shared_ptr<std::string> text) {
  auto offset = std::make_shared<std::size_t>(0);
  return {static_cast<std::int64_t>(text->size()), [text, offset](char* buffer, std::size_t capacity) {
            const std::size_t n = std::min(capacity, text->size() - *offset);
            std::copy_n(text->data() + *offset, n, buffer);
            *offset += n;
            return n;
          }};
}

std::string readPart(Journal& journal, const std::string& id, MessagePart part) {
  std::string out;
  char buffer[7];  // small on purpose: several pieces
  while (std::size_t n = journal.readMessagePart(id, part, static_cast<std::int64_t>(out.size()), buffer, sizeof buffer)) {
    out.append(buffer, n);
  }
  return out;
}

// On both backends (backends.hpp). journal_staged_sqlite: none.
JOURNAL_SUITE(journal_staged);

TEST_P(journal_staged, StagedRowsAreInvisibleUntilFinishedThenAllAppear) {
  auto journal = openJournal(journalUrl());
  ASSERT_EQ(journal->beginStaged(staging("M-1"), 10).status, CommitResult::Status::Committed);
  ASSERT_EQ(journal->writeStagedBody("M-1", 0, "0123").status, CommitResult::Status::Committed);
  ASSERT_EQ(journal->writeStagedBody("M-1", 4, "456789").status, CommitResult::Status::Committed);
  ASSERT_EQ(journal->stage("M-1", chunk("M-1", 0, 3)).status, CommitResult::Status::Committed);
  ASSERT_EQ(journal->stage("M-1", chunk("M-1", 3, 2)).status, CommitResult::Status::Committed);

  EXPECT_FALSE(journal->getMessage("M-1"));
  EXPECT_FALSE(journal->getCase("C-0"));
  EXPECT_TRUE(journal->findCases("demo-express", "HWB1").empty());
  EXPECT_TRUE(journal->caseEvents("C-0").empty());
  EXPECT_TRUE(journal->outboxAfter("demo-express", journal::Channel::Notification, 0, 100).empty());
  EXPECT_TRUE(journal->referenceTaken("demo-express", "HWB1", "M-1"));
  EXPECT_FALSE(journal->referenceTaken("demo-express", "HWB1", ""));

  // Committed while the message was staging: its seq is older than every staged item's final seq.
  WriteBatch other;
  other.outbox.push_back(pullItem("N-other"));
  ASSERT_EQ(journal->commit(std::move(other)).status, CommitResult::Status::Committed);
  const auto before = journal->outboxAfter("demo-express", journal::Channel::Notification, 0, 100);
  ASSERT_EQ(before.size(), 1u);

  MessageRecord done = staging("M-1");
  done.idempotency_key = "K-1";
  done.status = journal::MessageStatus::Accepted;
  done.http_status = 202;
  auto receipt = std::make_shared<std::string>("{\"message_id\":\"M-1\",\"cases\":[...]}");
  ASSERT_EQ(journal->finishStaged(done, textSource(receipt), {}).status, CommitResult::Status::Committed);

  auto stored = journal->getMessage("M-1");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->body, "0123456789");
  EXPECT_EQ(stored->status, journal::MessageStatus::Accepted);
  EXPECT_EQ(stored->response, *receipt);
  EXPECT_EQ(readPart(*journal, "M-1", MessagePart::Response), *receipt);
  EXPECT_EQ(readPart(*journal, "M-1", MessagePart::Body), "0123456789");
  EXPECT_EQ(journal->messagePartSize("M-1", MessagePart::Body), 10);
  auto summary = journal->findMessageSummary("demo-express", "K-1");
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->id, "M-1");
  EXPECT_TRUE(summary->body.empty());
  EXPECT_TRUE(journal->getCase("C-4"));
  EXPECT_EQ(journal->caseEvents("C-2").size(), 1u);
  // A pull reader past the item committed meanwhile still gets every staged one.
  const auto after = journal->outboxAfter("demo-express", journal::Channel::Notification, before.back().seq, 100);
  ASSERT_EQ(after.size(), 5u);
  EXPECT_EQ(after.front().id, "N-0");
  EXPECT_EQ(after.back().id, "N-4");
  EXPECT_EQ(journal->stats().cases, 5);
}

TEST_P(journal_staged, AbortLeavesNothing) {
  auto journal = openJournal(journalUrl());
  ASSERT_EQ(journal->beginStaged(staging("M-1"), 4).status, CommitResult::Status::Committed);
  ASSERT_EQ(journal->stage("M-1", chunk("M-1", 0, 3)).status, CommitResult::Status::Committed);
  ASSERT_EQ(journal->abortStaged("M-1").status, CommitResult::Status::Committed);
  EXPECT_FALSE(journal->referenceTaken("demo-express", "HWB1", "M-1"));
  EXPECT_EQ(journal->messagePartSize("M-1", MessagePart::Body), -1);
  EXPECT_EQ(journal->stats().messages, 0);
  // Finishing an aborted message is refused.
  MessageRecord done = staging("M-1");
  done.status = journal::MessageStatus::Accepted;
  EXPECT_EQ(journal->finishStaged(done, {}, {}).status, CommitResult::Status::Invalid);
  EXPECT_EQ(journal->stats().cases, 0);
}

TEST_P(journal_staged, RejectedMessageKeepsItsBodyAndDropsItsStagedRows) {
  auto journal = openJournal(journalUrl());
  ASSERT_EQ(journal->beginStaged(staging("M-1"), 3).status, CommitResult::Status::Committed);
  ASSERT_EQ(journal->writeStagedBody("M-1", 0, "abc").status, CommitResult::Status::Committed);
  ASSERT_EQ(journal->stage("M-1", chunk("M-1", 0, 2)).status, CommitResult::Status::Committed);
  MessageRecord rejected = staging("M-1");
  rejected.status = journal::MessageStatus::Rejected;
  rejected.response = "{\"status\":400}";
  rejected.http_status = 400;
  ASSERT_EQ(journal->finishStaged(rejected, {}, {}).status, CommitResult::Status::Committed);
  auto stored = journal->getMessage("M-1");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->body, "abc");
  EXPECT_EQ(stored->response, "{\"status\":400}");
  EXPECT_FALSE(journal->getCase("C-0"));
  EXPECT_FALSE(journal->referenceTaken("demo-express", "HWB0", "M-1"));
}

TEST_P(journal_staged, SameKeyAtFinishIsDuplicateOrConflictAndWritesNothing) {
  auto journal = openJournal(journalUrl());
  WriteBatch first;
  first.message = MessageRecord{"M-0", "demo-express", "text/csv", "K", "sha256:M-1", kAt, "x", journal::MessageStatus::Accepted, "{}", 202};
  ASSERT_EQ(journal->commit(std::move(first)).status, CommitResult::Status::Committed);
  ASSERT_EQ(journal->beginStaged(staging("M-1"), 1).status, CommitResult::Status::Committed);
  ASSERT_EQ(journal->stage("M-1", chunk("M-1", 0, 1)).status, CommitResult::Status::Committed);
  MessageRecord done = staging("M-1");
  done.idempotency_key = "K";
  done.status = journal::MessageStatus::Accepted;
  done.http_status = 202;
  auto result = journal->finishStaged(done, {}, {});
  ASSERT_EQ(result.status, CommitResult::Status::Duplicate);
  ASSERT_TRUE(result.existing);
  EXPECT_EQ(result.existing->id, "M-0");
  EXPECT_FALSE(journal->getCase("C-0"));
  done.digest = "sha256:other";
  EXPECT_EQ(journal->finishStaged(done, {}, {}).status, CommitResult::Status::Conflict);
  EXPECT_FALSE(journal->getCase("C-0"));
}

TEST_P(journal_staged, ReopeningDropsWhatACrashLeftStaged) {
  {
    auto journal = openJournal(journalUrl());
    ASSERT_EQ(journal->beginStaged(staging("M-1"), 4).status, CommitResult::Status::Committed);
    ASSERT_EQ(journal->stage("M-1", chunk("M-1", 0, 3)).status, CommitResult::Status::Committed);
  }  // closed without finishing, as a crash would leave it
  JournalOptions serving;
  serving.exclusive = true;  // the serving hub's open: it alone may judge a staging message dead
  auto journal = openJournal(journalUrl(), serving);
  EXPECT_FALSE(journal->referenceTaken("demo-express", "HWB1", "M-1"));
  EXPECT_EQ(journal->messagePartSize("M-1", MessagePart::Body), -1);
  EXPECT_EQ(journal->stats().messages, 0);
  MessageRecord done = staging("M-1");
  done.status = journal::MessageStatus::Accepted;
  EXPECT_EQ(journal->finishStaged(done, {}, {}).status, CommitResult::Status::Invalid);
  EXPECT_FALSE(journal->getCase("C-0"));
}

// The rows of staged_cases, staged_events and staged_outbox of the SQLite journal at `file`.
std::int64_t stagedRows(const std::string& file) {
  sqlite3* db = nullptr;
  std::int64_t rows = -1;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
      sqlite3_prepare_v2(db,
                         "SELECT (SELECT count(*) FROM staged_cases) + (SELECT count(*) FROM staged_events)"
                         " + (SELECT count(*) FROM staged_outbox)",
                         -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    rows = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

// SQLite deletes a finished message's staged rows after finishStaged returned, a few rows of each
// table a transaction (here 7 of 25): they go, all of them, for an accepted message and a
// rejected one, and the finished message's staged references no longer count as taken.
TEST(journal_staged_sqlite, AFinishedMessagesStagedRowsAreDeletedAfterItsAnswerInChunks) {
  TempDir dir;
  JournalOptions options;
  options.staged_sweep_rows = 7;
  std::atomic<int> emptyCommits{0};  // transactions without a batch: here, the deletions alone
  options.on_commit = [&](std::chrono::duration<double>, std::size_t batches) {
    if (batches == 0) ++emptyCommits;
  };
  auto journal = openJournal(dir.url(), options);
  for (const std::string id : {"M-1", "M-2"}) {
    ASSERT_EQ(journal->beginStaged(staging(id), 0).status, CommitResult::Status::Committed);
    const int first = id == "M-1" ? 0 : 100;
    for (int part = 0; part < 5; ++part) {
      ASSERT_EQ(journal->stage(id, chunk(id, first + 5 * part, 5)).status, CommitResult::Status::Committed);
    }
  }
  ASSERT_EQ(stagedRows(dir.file("journal.db")), 2 * 3 * 25);
  const int before = emptyCommits;
  MessageRecord accepted = staging("M-1");
  accepted.status = journal::MessageStatus::Accepted;
  accepted.http_status = 202;
  MessageRecord rejected = staging("M-2");
  rejected.status = journal::MessageStatus::Rejected;
  rejected.http_status = 400;
  ASSERT_EQ(journal->finishStaged(accepted, {}, {}).status, CommitResult::Status::Committed);
  ASSERT_EQ(journal->finishStaged(rejected, {}, {}).status, CommitResult::Status::Committed);
  EXPECT_TRUE(journal->getCase("C-24"));
  EXPECT_FALSE(journal->getCase("C-100"));
  EXPECT_FALSE(journal->referenceTaken("demo-express", "HWB100", "M-2"));
  EXPECT_TRUE(journal->referenceTaken("demo-express", "HWB24", "M-1"));  // a visible case now
  // Each message's 25 rows a table go in 4 transactions (7, 7, 7 and the last 4).
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((emptyCommits - before < 8 || stagedRows(dir.file("journal.db")) != 0) &&
         std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(stagedRows(dir.file("journal.db")), 0);
  EXPECT_EQ(emptyCommits - before, 8);
  EXPECT_EQ(journal->caseEvents("C-24").size(), 1u);
}

TEST_P(journal_staged, AStagedMessagesCasesAreNotBeforeEachOtherInTheirPartysHistory) {
  // Journal::partyHistory: the cases of one message share their place in a party's history,
  // however many chunks staged them; the cases before them and after them count as usual.
  auto journal = openJournal(journalUrl());
  auto sellerCase = [](const std::string& id, const std::string& message, common::CaseState state) {
    return CaseRecord{id, "demo-express", "HWB-" + id, "pre-arrival", state, 1,
                      R"({"parties":{"seller":{"name":"S","id":"CN-9"}}})", message, kAt, kAt};
  };
  WriteBatch first;
  first.new_cases = {sellerCase("C-A", "M-0", common::CaseState::Held)};
  ASSERT_EQ(journal->commit(std::move(first)).status, CommitResult::Status::Committed);
  ASSERT_EQ(journal->beginStaged(staging("M-1"), 0).status, CommitResult::Status::Committed);
  for (int part = 0; part < 2; ++part) {
    WriteBatch chunk;
    for (int i = part * 3; i < part * 3 + 3; ++i) {
      chunk.new_cases.push_back(sellerCase("C-" + std::to_string(i), "M-1",
                                           i == 4 ? common::CaseState::Held : common::CaseState::Accepted));
    }
    ASSERT_EQ(journal->stage("M-1", std::move(chunk)).status, CommitResult::Status::Committed);
  }
  MessageRecord done = staging("M-1");
  done.status = journal::MessageStatus::Accepted;
  done.http_status = 202;
  ASSERT_EQ(journal->finishStaged(done, {}, {}).status, CommitResult::Status::Committed);
  WriteBatch last;
  last.new_cases = {sellerCase("C-B", "M-2", common::CaseState::Accepted)};
  ASSERT_EQ(journal->commit(std::move(last)).status, CommitResult::Status::Committed);

  for (const char* staged : {"C-0", "C-2", "C-3", "C-5"}) {
    const PartyHistory h = journal->partyHistory("seller", "CN-9", staged);
    EXPECT_EQ(h.cases, 1) << staged;  // C-A only
    EXPECT_EQ(h.held, 1) << staged;
  }
  const PartyHistory after = journal->partyHistory("seller", "CN-9", "C-B");
  EXPECT_EQ(after.cases, 7);
  EXPECT_EQ(after.held, 2);  // C-A, C-4
  EXPECT_EQ(journal->partyHistory("seller", "CN-9", "C-A").cases, 0);
}

}  // namespace
}  // namespace swhub::journal
