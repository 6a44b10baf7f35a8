// Durability across restart, settings in effect, and the read side of the SQLite journal.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "instants.hpp"
#include "sqlite_query.hpp"
#include "backends.hpp"
#include "temp_dir.hpp"
#include "journal/journal.hpp"
#include "journal/sqlite_journal.hpp"

namespace swhub::journal {
namespace {

using journal::test_support::queryText;

using swhub::testing::TempDir;

MessageRecord message(const std::string& id, const std::string& key = "") {
  return {id, "demo-post", "application/json", key, "sha256:" + id, swhub::testing::at("2026-11-28T10:00:00.000Z"),
          std::string("body\0of ", 8) + id, journal::MessageStatus::Accepted, "{\"message_id\":\"" + id + "\"}", 202};
}

CaseRecord newCase(const std::string& id, const std::string& reference, const std::string& message_id) {
  return {id, "demo-post", reference, "pre-arrival", common::CaseState::Accepted, 1,
          "{\"reference\":\"" + reference + "\"}", message_id, swhub::testing::at("2026-11-28T10:00:00.000Z"),
          swhub::testing::at("2026-11-28T10:00:00.000Z")};
}

CaseEvent event(const std::string& case_id, const std::string& kind, const std::string& to_state) {
  CaseEvent e;
  e.case_id = case_id;
  e.at = swhub::testing::at("2026-11-28T10:00:00.000Z");
  e.actor = common::Actor::hub();
  e.kind = kind;
  e.to_state = common::parseCaseState(to_state);
  e.detail_json = "{}";
  return e;
}

// On both backends (backends.hpp). journal_store_sqlite: what only SQLite has (its PRAGMAs read back, its schema migrations).
JOURNAL_SUITE(journal_store);

TEST_P(journal_store, CommittedBatchIsReadableAfterReopen) {
  const std::string url = journalUrl();
  {
    auto journal = openJournal(url);
    WriteBatch batch;
    batch.message = message("m1", "key-1");
    batch.new_cases.push_back(newCase("c1", "LRN-1", "m1"));
    batch.events.push_back(event("c1", "received", "accepted"));
    ASSERT_EQ(journal->commit(batch).status, CommitResult::Status::Committed);
  }
  auto reopened = openJournal(url);
  auto stored = reopened->getMessage("m1");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->body, message("m1").body);  // bytes, embedded NUL included
  EXPECT_EQ(stored->http_status, 202);
  ASSERT_TRUE(reopened->findMessage("demo-post", "key-1"));
  auto found = reopened->getCase("c1");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->reference, "LRN-1");
  EXPECT_EQ(found->version, 1);
  ASSERT_EQ(reopened->caseEvents("c1").size(), 1u);
}

TEST(journal_store_sqlite, WalAndSynchronousFullAreInEffect) {
  TempDir dir;
  auto journal = std::make_unique<sqlite::SqliteJournal>(dir.file("j.db"), "", JournalOptions{});
  // synchronous is per connection: the writer reads it back; WAL is a property of the file.
  EXPECT_EQ(journal->settings().synchronous, 2);
  EXPECT_EQ(journal->settings().wal_autocheckpoint, 0);
  EXPECT_TRUE(journal->settings().foreign_keys);
  EXPECT_EQ(journal->describe(), "sqlite:" + dir.file("j.db") + " (WAL, synchronous=FULL)");

  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open_v2(dir.file("j.db").c_str(), &other, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  EXPECT_EQ(queryText(other, "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(queryText(other, "SELECT version FROM schema_version"), "8");
  sqlite3_close(other);
}

// A typed column whose text names no value this hub knows (a journal edited by hand) is refused
// with the text, never read as something else.
TEST(journal_store_sqlite, AnActorThisHubDoesNotKnowIsRefusedNamingIt) {
  TempDir dir;
  {
    auto journal = openJournal("sqlite:" + dir.file("j.db"));
    WriteBatch batch;
    batch.new_cases = {newCase("c1", "LRN-1", "")};
    batch.events = {event("c1", "received", "accepted")};
    ASSERT_EQ(journal->commit(batch).status, CommitResult::Status::Committed);
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("j.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE case_events SET actor = 'robot:r2'", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto journal = openJournal("sqlite:" + dir.file("j.db"));
  try {
    journal->caseEvents("c1");
    ADD_FAILURE() << "an unknown actor was read";
  } catch (const std::exception& e) {
    EXPECT_EQ(std::string(e.what()), "journal: actor 'robot:r2' is not one this hub knows");
  }
}

TEST(journal_store_sqlite, OpeningASchema1JournalMigratesTo4AndKeepsItsItems) {
  TempDir dir;
  const std::string file = dir.file("j.db");
  {
    auto journal = openJournal("sqlite:" + file);
    WriteBatch batch;
    batch.message = message("m1");
    batch.new_cases.push_back(newCase("c1", "LRN-1", "m1"));
    OutboxItem item;
    item.id = "N-1";
    item.channel = journal::Channel::Notification;
    item.recipient = "demo-post";
    item.case_id = "c1";
    item.content_type = "application/json";
    item.body = "{}";
    item.created_at = swhub::testing::at("2026-11-28T10:00:00.000Z");
    batch.outbox.push_back(item);
    ASSERT_EQ(journal->commit(batch).status, CommitResult::Status::Committed);
  }
  // Turn it into what a schema-1 hub wrote: no batch column.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "ALTER TABLE outbox DROP COLUMN batch; DROP INDEX cases_reference_unique;"
                         " ALTER TABLE cases DROP COLUMN duplicate_of; UPDATE schema_version SET version = 1", nullptr,
                         nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);

  auto journal = openJournal("sqlite:" + file);
  auto claimed = journal->claimOutbox(journal::Channel::Notification, "w", 10, std::chrono::seconds(60));
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].id, "N-1");
  EXPECT_EQ(claimed[0].batch, "");
  journal->completeOutboxItems({claimed[0].seq}, "w", journal::OutboxState::Pending, swhub::testing::at("2026-11-28T10:00:00.000Z"), "receiver down", "B-1");
  EXPECT_EQ(journal->getOutboxItem(claimed[0].seq)->batch, "B-1");
  journal.reset();
  ASSERT_EQ(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  EXPECT_EQ(queryText(db, "SELECT version FROM schema_version"), "8");
  sqlite3_close(db);
}

// Schema 7: the message and case totals GET /v1/admin/stats reads are counted once from what a
// schema-6 journal holds, then kept by triggers.
TEST(journal_store_sqlite, OpeningASchema6JournalCountsItsTotalsOnce) {
  TempDir dir;
  const std::string file = dir.file("j.db");
  {
    auto journal = openJournal("sqlite:" + file);
    for (int i = 1; i <= 3; ++i) {
      WriteBatch batch;
      batch.message = message("m" + std::to_string(i));
      if (i < 3) batch.new_cases.push_back(newCase("c" + std::to_string(i), "LRN-" + std::to_string(i), batch.message->id));
      ASSERT_EQ(journal->commit(batch).status, CommitResult::Status::Committed);
    }
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "DROP TRIGGER journal_totals_message_insert; DROP TRIGGER journal_totals_message_delete;"
                         " DROP TRIGGER journal_totals_case_insert; DROP TRIGGER journal_totals_case_delete;"
                         " DROP TABLE journal_totals; UPDATE schema_version SET version = 6", nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);

  auto journal = openJournal("sqlite:" + file);
  EXPECT_EQ(journal->stats().messages, 3);
  EXPECT_EQ(journal->stats().cases, 2);
  WriteBatch batch;
  batch.message = message("m4");
  batch.new_cases.push_back(newCase("c4", "LRN-4", "m4"));
  ASSERT_EQ(journal->commit(batch).status, CommitResult::Status::Committed);
  EXPECT_EQ(journal->stats().messages, 4);
  EXPECT_EQ(journal->stats().cases, 3);
  journal.reset();
  journal = openJournal("sqlite:" + file);  // counted once: a reopen keeps the totals as they are
  EXPECT_EQ(journal->stats().messages, 4);
  EXPECT_EQ(journal->stats().cases, 3);
}

TEST_P(journal_store, ReopeningKeepsSchemaAndData) {
  const std::string url = journalUrl();
  for (int round = 0; round < 3; ++round) {
    auto journal = openJournal(url);
    WriteBatch batch;
    batch.message = message("m" + std::to_string(round));
    ASSERT_EQ(journal->commit(batch).status, CommitResult::Status::Committed);
    EXPECT_EQ(journal->stats().messages, round + 1);
  }
}

TEST_P(journal_store, CaseEventsComeBackInSeqOrder) {
  auto journal = openJournal(journalUrl());
  WriteBatch first;
  first.new_cases = {newCase("c1", "LRN-1", ""), newCase("c2", "LRN-2", "")};
  first.events = {event("c1", "received", "accepted"), event("c2", "received", "accepted"),
                  event("c1", "transition", "under-assessment")};
  ASSERT_EQ(journal->commit(first).status, CommitResult::Status::Committed);
  WriteBatch second;
  second.events = {event("c1", "decision", "cleared")};
  ASSERT_EQ(journal->commit(second).status, CommitResult::Status::Committed);

  auto events = journal->caseEvents("c1");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, "received");
  EXPECT_EQ(events[1].kind, "transition");
  EXPECT_EQ(events[2].kind, "decision");
  EXPECT_LT(events[0].seq, events[1].seq);
  EXPECT_LT(events[1].seq, events[2].seq);
}

// A case's view (GET /v1/cases/{id}) reads the case, its events, its links and its documents
// while a writer updates it: every read must see them agree (version 1 + n updates = 1 + n
// events = n documents; the completion there from the 150th update on), never a status older or
// newer than the history, the documents or the completion beside it.
TEST_P(journal_store, ACaseFileIsReadAsOfOneInstant) {
  auto journal = openJournal(journalUrl());
  WriteBatch first;
  first.new_cases = {newCase("c1", "LRN-1", ""), newCase("c2", "LRN-2", "")};
  first.events = {event("c1", "received", "accepted")};
  first.declaration_links = {{"c1", "simplified", "C", "", "", "", "{}", swhub::testing::at("2026-11-28T10:00:00.000Z")}};
  ASSERT_EQ(journal->commit(first).status, CommitResult::Status::Committed);
  EXPECT_FALSE(journal->caseFile("nope").has_value());

  constexpr int kUpdates = 300, kCompletedAt = 150;
  std::thread writer([&] {
    for (int version = 1; version <= kUpdates; ++version) {
      WriteBatch next;
      next.case_updates = {{"c1", version, common::CaseState::UnderAssessment, "accepted", "",
                            swhub::testing::at("2026-11-28T10:00:01.000Z"), ""}};
      next.events = {event("c1", "decision", "under-assessment")};
      CaseDocument d;
      d.case_id = "c1";
      d.digest = "sha256:" + std::to_string(version);
      d.type = "invoice";
      d.id = "INV-" + std::to_string(version);
      d.media_type = "application/pdf";
      d.size = 4;
      d.uploaded_by = common::Actor::partner("demo-post");
      d.uploaded_at = swhub::testing::at("2026-11-28T10:00:01.000Z");
      d.bytes = "%PDF";
      next.documents = {d};
      if (version == kCompletedAt) {
        next.declaration_links = {
            {"c2", "supplementary", "Y", "c1", "", "", "{}", swhub::testing::at("2026-11-28T10:00:01.000Z")}};
      }
      ASSERT_EQ(journal->commit(next).status, CommitResult::Status::Committed);
    }
  });
  int reads = 0;
  for (bool done = false; !done; ++reads) {
    const auto read = journal->caseFile("c1");
    ASSERT_TRUE(read.has_value());
    const auto version = static_cast<std::size_t>(read->record.version);
    ASSERT_EQ(version, read->events.size()) << "read " << reads;
    ASSERT_EQ(version - 1, read->documents.size()) << "read " << reads;
    ASSERT_EQ(read->completion.has_value(), version > kCompletedAt) << "read " << reads;
    ASSERT_EQ(read->links.size(), 1u);
    EXPECT_EQ(read->links[0].kind, "simplified");
    done = version == kUpdates + 1;
  }
  writer.join();
  EXPECT_GT(reads, 1);
  const auto read = journal->caseFile("c1");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->completion->case_id, "c2");
  EXPECT_EQ(read->documents.front().id, "INV-1");  // in the order attached
  EXPECT_EQ(read->documents.back().id, "INV-300");
  EXPECT_TRUE(read->documents.front().bytes.empty());  // a list carries no bytes
}

TEST_P(journal_store, FindCasesByPartnerAndReference) {
  auto journal = openJournal(journalUrl());
  WriteBatch batch;
  batch.new_cases = {newCase("c1", "LRN-1", ""), newCase("c2", "LRN-2", "")};
  ASSERT_EQ(journal->commit(batch).status, CommitResult::Status::Committed);
  auto found = journal->findCases("demo-post", "LRN-2");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, "c2");
  EXPECT_TRUE(journal->findCases("demo-express", "LRN-2").empty());
}

TEST_P(journal_store, CaseUpdateBumpsVersionAndKeepsConsignmentWhenEmpty) {
  auto journal = openJournal(journalUrl());
  WriteBatch create;
  create.new_cases = {newCase("c1", "LRN-1", "")};
  ASSERT_EQ(journal->commit(create).status, CommitResult::Status::Committed);
  WriteBatch update;
  update.case_updates.push_back({"c1", 1, common::CaseState::Cleared, "", "", swhub::testing::at("2026-11-28T11:00:00.000Z"), ""});
  ASSERT_EQ(journal->commit(update).status, CommitResult::Status::Committed);
  auto stored = journal->getCase("c1");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->version, 2);
  EXPECT_EQ(stored->state, common::CaseState::Cleared);
  EXPECT_EQ(stored->filing, "pre-arrival");
  EXPECT_EQ(stored->consignment_json, "{\"reference\":\"LRN-1\"}");
  EXPECT_EQ(stored->updated_at, swhub::testing::at("2026-11-28T11:00:00.000Z"));
}

}  // namespace
}  // namespace swhub::journal
