// A (partner, reference) names one case: the journal enforces it (a unique index), also for two
// messages that race, in memory or staged; and a journal written before it keeps every case.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <functional>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "instants.hpp"
#include "sqlite_query.hpp"
#include "backends.hpp"
#include "temp_dir.hpp"
#include "journal/journal.hpp"

namespace swhub::journal {
namespace {

using journal::test_support::queryText;

using Status = CommitResult::Status;
using swhub::testing::TempDir;

const common::Instant kAt = swhub::testing::at("2026-11-28T10:00:00.000Z");

CaseRecord newCase(const std::string& id, const std::string& partner, const std::string& reference,
                   const std::string& message_id, common::Instant at = kAt) {
  return {id, partner, reference, "pre-arrival", common::CaseState::Accepted, 1, "{}", message_id, at, at};
}

WriteBatch filing(const std::string& message_id, const std::string& case_id, const std::string& reference,
                  const std::string& partner = "demo-post") {
  WriteBatch batch;
  batch.message = MessageRecord{message_id, partner, "application/json", "", "sha256:" + message_id, kAt, "{}",
                                journal::MessageStatus::Accepted, "{}", 202};
  batch.new_cases.push_back(newCase(case_id, partner, reference, message_id));
  return batch;
}

// Runs `a` and `b` on two threads released at once; returns their results.
template <typename Fn>
std::pair<CommitResult, CommitResult> race(Fn a, Fn b) {
  std::latch start(2);
  CommitResult ra, rb;
  std::thread ta([&] {
    start.arrive_and_wait();
    ra = a();
  });
  std::thread tb([&] {
    start.arrive_and_wait();
    rb = b();
  });
  ta.join();
  tb.join();
  return {ra, rb};
}

void expectOneWinner(const CommitResult& a, const CommitResult& b, const std::string& reference) {
  const CommitResult& loser = a.status == Status::Committed ? b : a;
  EXPECT_TRUE(a.status == Status::Committed || b.status == Status::Committed) << a.error << " / " << b.error;
  EXPECT_EQ(loser.status, Status::ReferenceTaken) << loser.error;
  EXPECT_EQ(loser.taken_references, std::vector<std::string>{reference});
  EXPECT_EQ(loser.error, "reference(s) already filed: '" + reference + "'");
}

// On both backends (backends.hpp). journal_reference_sqlite: the SQLite schema-2 migration.
JOURNAL_SUITE(journal_reference);

TEST_P(journal_reference, TwoConcurrentCommitsWithOneReferenceMakeOneCase) {
  auto journal = openJournal(journalUrl());
  for (int round = 0; round < 10; ++round) {
    const std::string reference = "LRN-" + std::to_string(round);
    const std::string a = "A" + std::to_string(round), b = "B" + std::to_string(round);
    auto [ra, rb] = race<std::function<CommitResult()>>([&] { return journal->commit(filing("M-" + a, "C-" + a, reference)); },
                                                        [&] { return journal->commit(filing("M-" + b, "C-" + b, reference)); });
    expectOneWinner(ra, rb, reference);
    EXPECT_EQ(journal->findCases("demo-post", reference).size(), 1u);
    // Nothing of the loser was written, its message neither.
    const std::string loser = ra.status == Status::Committed ? b : a;
    EXPECT_FALSE(journal->getMessage("M-" + loser));
    EXPECT_FALSE(journal->getCase("C-" + loser));
  }
  EXPECT_EQ(journal->stats().cases, 10);
}

TEST_P(journal_reference, TheSameReferenceOfAnotherPartnerIsAnotherCase) {
  auto journal = openJournal(journalUrl());
  ASSERT_EQ(journal->commit(filing("M-1", "C-1", "LRN-1", "demo-post")).status, Status::Committed);
  ASSERT_EQ(journal->commit(filing("M-2", "C-2", "LRN-1", "demo-express")).status, Status::Committed);
  EXPECT_EQ(journal->commit(filing("M-3", "C-3", "LRN-1", "demo-post")).status, Status::ReferenceTaken);
}

TEST_P(journal_reference, TwoConcurrentStagedMessagesWithOneReferenceMakeOneCase) {
  auto journal = openJournal(journalUrl());
  for (const std::string id : {"M-1", "M-2"}) {
    ASSERT_EQ(journal->beginStaged({id, "demo-express", "text/csv", "", "sha256:" + id, kAt, "", journal::MessageStatus::Staging, "", 0}, 0)
                  .status,
              Status::Committed);
    WriteBatch chunk;
    chunk.new_cases.push_back(newCase("C-" + id, "demo-express", "HWB-" + id, id));
    chunk.new_cases.push_back(newCase("C-shared-" + id, "demo-express", "HWB-SHARED", id));
    ASSERT_EQ(journal->stage(id, std::move(chunk)).status, Status::Committed);
  }
  auto finish = [&](const std::string& id) {
    return [&journal, id] {
      MessageRecord done{id, "demo-express", "text/csv", "", "sha256:" + id, kAt, "", journal::MessageStatus::Accepted, "{}", 202};
      return journal->finishStaged(done, {}, {});
    };
  };
  auto [r1, r2] = race<std::function<CommitResult()>>(finish("M-1"), finish("M-2"));
  expectOneWinner(r1, r2, "HWB-SHARED");
  EXPECT_EQ(journal->findCases("demo-express", "HWB-SHARED").size(), 1u);
  // The loser's own references stay free: none of its cases was made visible.
  const std::string loser = r1.status == Status::Committed ? "M-2" : "M-1";
  EXPECT_TRUE(journal->findCases("demo-express", "HWB-" + loser).empty());
  EXPECT_EQ(journal->stats().cases, 2);
}

TEST(journal_reference_sqlite, ASchema2JournalWithDuplicatesKeepsEveryCaseAndTheOlderKeepsTheReference) {
  TempDir dir;
  const std::string file = dir.file("j.db");
  {
    auto journal = openJournal("sqlite:" + file);
    ASSERT_EQ(journal->commit(filing("M-1", "C-old", "LRN-1")).status, Status::Committed);
    ASSERT_EQ(journal->commit(filing("M-2", "C-other", "LRN-2")).status, Status::Committed);
  }
  // What a schema-2 hub could write: a second case under LRN-1, filed later by a racing message.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP INDEX cases_reference_unique; ALTER TABLE cases DROP COLUMN duplicate_of;"
                         " UPDATE schema_version SET version = 2;"
                         " INSERT INTO messages (id, partner, content_type, digest, received_at, body, status,"
                         "  response, http_status) VALUES ('M-3', 'demo-post', 'application/json', 'sha256:3',"
                         "  '2026-11-28T10:00:01.000Z', X'', 'accepted', '{}', 202);"
                         " INSERT INTO cases (id, partner, reference, filing, state, version, consignment_json,"
                         "  message_id, created_at, updated_at) VALUES ('C-new', 'demo-post', 'LRN-1', 'pre-arrival',"
                         "  'under-assessment', 1, '{}', 'M-3', '2026-11-28T10:00:01.000Z', '2026-11-28T10:00:01.000Z')",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);

  auto journal = openJournal("sqlite:" + file);
  // Nothing lost: both cases are there, readable by id; the reference names the older one.
  ASSERT_TRUE(journal->getCase("C-old"));
  ASSERT_TRUE(journal->getCase("C-new"));
  const auto found = journal->findCases("demo-post", "LRN-1");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found.back().id, "C-old");
  // The later one says so in its history (the trace).
  const auto events = journal->caseEvents("C-new");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, "duplicate-reference");
  EXPECT_EQ(events[0].actor, common::Actor::hub());
  EXPECT_EQ(events[0].from_state, common::CaseState::UnderAssessment);
  EXPECT_NE(events[0].detail_json.find("\"kept\":\"C-old\""), std::string::npos) << events[0].detail_json;
  EXPECT_TRUE(journal->caseEvents("C-old").empty());
  EXPECT_TRUE(journal->caseEvents("C-other").empty());
  // From now on the reference is enforced.
  EXPECT_EQ(journal->commit(filing("M-4", "C-4", "LRN-1")).status, Status::ReferenceTaken);
  journal.reset();
  ASSERT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  EXPECT_EQ(queryText(db, "SELECT version FROM schema_version"), "8");
  sqlite3_close(db);
}

}  // namespace
}  // namespace swhub::journal
