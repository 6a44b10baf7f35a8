// The audit chain (issue 10, item 2): every message and case event extends a hash chain inside
// SQLite only (backends.hpp): `swhub audit verify` reads SQLite journals; the PostgreSQL chain is checked in pg_journal_test.cpp.
// its commit; signed checkpoints pin its head; verifyAuditJournal names the first entry that was
// edited, deleted, reordered or inserted, and a tail cut off past a checkpoint.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "instants.hpp"
#include "common/ids.hpp"
#include "sqlite_query.hpp"
#include "temp_dir.hpp"
#include "journal/audit_chain.hpp"
#include "journal/audit_checkpoint.hpp"
#include "journal/audit_verify.hpp"
#include "journal/journal.hpp"

namespace swhub::journal {
namespace {

using journal::test_support::queryText;
using sqlite::AuditVerdict;

const common::Instant kAt = swhub::testing::at("2026-12-06T08:00:00.000Z");

// A stand-in for the receipt key: the unit under test is the chain, not the signature scheme
// (security/signature_check_test covers that with real keys).
std::string fakeSign(std::string_view text) { return "signed:" + common::sha256Hex(std::string(text)); }
bool fakeCheck(const std::string& text, const std::string& signature) { return signature == fakeSign(text); }

JournalOptions signing(std::int64_t every_entries = 4) {
  JournalOptions options;
  options.audit_sign = fakeSign;
  options.audit_checkpoint_entries = every_entries;
  options.audit_checkpoint_interval = std::chrono::hours(1);
  options.exclusive = true;
  return options;
}

MessageRecord message(const std::string& id) {
  const std::string body = "{\"reference\":\"" + id + "\"}";
  return {id, "demo-post", "application/json", "key-" + id, "sha256:" + common::sha256Hex(body), kAt, body,
          journal::MessageStatus::Accepted, "{\"message_id\":\"" + id + "\"}", 202};
}

CaseEvent event(const std::string& case_id, const std::string& kind, const std::string& to_state) {
  CaseEvent e;
  e.case_id = case_id;
  e.at = kAt;
  e.actor = common::Actor::hub();
  e.kind = kind;
  e.to_state = common::parseCaseState(to_state);
  e.detail_json = "{\"why\":\"" + kind + "\"}";
  return e;
}

// A filing: one message, its case, two events (3 chain entries).
WriteBatch filing(int n) {
  const std::string m = "M-" + std::to_string(n);
  const std::string c = "C-" + std::to_string(n);
  WriteBatch batch;
  batch.message = message(m);
  batch.new_cases.push_back({c, "demo-post", "LRN-" + std::to_string(n), "pre-arrival", common::CaseState::Accepted, 1, "{}", m, kAt, kAt});
  batch.events.push_back(event(c, "received", "accepted"));
  batch.events.push_back(event(c, "decision", "under-assessment"));
  return batch;
}

class journal_audit : public ::testing::Test {
 protected:
  std::string url() const { return "sqlite:" + dir_.file("j.db"); }

  // `filings` filings, then the journal is closed (a clean stop signs the head).
  void write(int filings, JournalOptions options = signing()) {
    auto journal = openJournal(url(), std::move(options));
    for (int i = 1; i <= filings; ++i) ASSERT_EQ(journal->commit(filing(i)).status, CommitResult::Status::Committed);
  }

  void tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(dir_.file("j.db").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db) << "\n" << sql;
    sqlite3_close(db);
  }

  std::string query(const char* sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(dir_.file("j.db").c_str(), &db), SQLITE_OK);
    std::string text = queryText(db, sql);
    sqlite3_close(db);
    return text;
  }

  AuditVerdict verify() { return sqlite::verifyAuditJournal(url(), fakeCheck); }

  swhub::testing::TempDir dir_;
};

TEST_F(journal_audit, ACleanJournalVerifiesWithEveryEntryAndItsCheckpoints) {
  write(10);
  const AuditVerdict verdict = verify();
  EXPECT_TRUE(verdict.intact) << verdict.problem;
  EXPECT_EQ(verdict.problem, "");
  EXPECT_EQ(verdict.entries, 30);  // 10 messages + 20 events
  // Every 4 entries at the latest, checked at each commit (3 entries a filing): positions 6, 12,
  // 18, 24, 30 (the last one also at the clean stop, which had nothing new to sign).
  EXPECT_EQ(verdict.checkpoints, 5);
  EXPECT_EQ(query("SELECT group_concat(seq) FROM audit_checkpoints"), "6,12,18,24,30");
  EXPECT_EQ(query("SELECT seq FROM audit_head"), "30");
}

TEST_F(journal_audit, ACheckpointIsAlsoDueAfterItsInterval) {
  JournalOptions options = signing(1000);
  options.audit_checkpoint_interval = std::chrono::milliseconds(0);  // due at every commit
  write(3, options);
  EXPECT_EQ(query("SELECT group_concat(seq) FROM audit_checkpoints"), "3,6,9");
  EXPECT_TRUE(verify().intact);
}

TEST_F(journal_audit, WithoutASignerTheChainGrowsButNothingIsSigned) {
  JournalOptions options = signing();
  options.audit_sign = nullptr;  // CLI commands beside a hub
  write(3, options);
  const AuditVerdict verdict = verify();
  EXPECT_TRUE(verdict.intact) << verdict.problem;
  EXPECT_EQ(verdict.entries, 9);
  EXPECT_EQ(verdict.checkpoints, 0);
}

TEST_F(journal_audit, EntriesAreChainedInCommitOrderAcrossMessagesAndEvents) {
  write(2);
  EXPECT_EQ(query("SELECT group_concat(audit_seq) FROM (SELECT audit_seq FROM messages ORDER BY audit_seq)"), "1,4");
  EXPECT_EQ(query("SELECT group_concat(audit_seq) FROM (SELECT audit_seq FROM case_events ORDER BY seq)"), "2,3,5,6");
  // Entry 1's hash is over the documented serialisation (audit_chain.hpp) with the genesis hash.
  const MessageRecord m = message("M-1");
  EXPECT_EQ(query("SELECT audit_hash FROM messages WHERE id = 'M-1'"),
            sqlite::messageEntryHash(sqlite::kAuditGenesis, 1, sqlite::messageEntry(m)));
}

TEST_F(journal_audit, AnEditedEventIsNamed) {
  write(5);
  tamper("UPDATE case_events SET to_state = 'released' WHERE seq = 7");
  const AuditVerdict verdict = verify();
  EXPECT_FALSE(verdict.intact);
  EXPECT_EQ(verdict.problem, "case_events seq 7: hash does not match its content (edited?)");
}

TEST_F(journal_audit, AnEditedMessageFieldIsNamed) {
  write(5);
  tamper("UPDATE messages SET partner = 'demo-express' WHERE id = 'M-3'");
  EXPECT_EQ(verify().problem, "messages id M-3: hash does not match its content (edited?)");
}

TEST_F(journal_audit, AnEditedMessageBodyIsNamedByItsDigest) {
  write(5);
  tamper("UPDATE messages SET body = CAST('{\"reference\":\"forged\"}' AS BLOB) WHERE id = 'M-2'");
  EXPECT_EQ(verify().problem, "messages id M-2: body does not match its digest (edited?)");
}

TEST_F(journal_audit, ADeletedEventIsAGap) {
  write(5);
  // Event seq 5 is chain position 8 (filing 3's first event); the next entry names the gap.
  tamper("DELETE FROM case_events WHERE seq = 5");
  EXPECT_EQ(verify().problem, "case_events seq 6: gap: chain position 8 is missing before it (deleted?)");
}

TEST_F(journal_audit, ADeletedMessageIsAGap) {
  write(5);
  tamper("DELETE FROM messages WHERE id = 'M-4'");  // chain position 10
  EXPECT_EQ(verify().problem, "case_events seq 7: gap: chain position 10 is missing before it (deleted?)");
}

TEST_F(journal_audit, TwoEventsSwappedAreOutOfOrder) {
  write(5);
  // Positions 8 and 9: their rows trade places in the case's history.
  tamper("UPDATE case_events SET seq = -1 WHERE seq = 5; UPDATE case_events SET seq = 5 WHERE seq = 6;"
         " UPDATE case_events SET seq = 6 WHERE seq = -1");
  EXPECT_EQ(verify().problem,
            "case_events seq 5: out of order: chain position 9 comes before position 8 (case_events seq 6) (reordered?)");
}

TEST_F(journal_audit, AForgedEventOutsideTheChainIsNamed) {
  write(5);
  tamper("INSERT INTO case_events (case_id, at, actor, kind, from_state, to_state, detail_json, message_id)"
         " VALUES ('C-2', '2026-12-06T08:00:00.000Z', 'agency:customs', 'decision', 'under-assessment', 'cleared',"
         " '{}', '')");
  EXPECT_EQ(verify().problem, "case_events seq 11: not in the chain (inserted?)");
}

TEST_F(journal_audit, AForgedEventCopyingAChainPositionIsNamed) {
  write(5);
  tamper("INSERT INTO case_events (seq, case_id, at, actor, kind, from_state, to_state, detail_json, message_id,"
         " audit_seq, audit_hash) SELECT 100, case_id, at, actor, 'decision', from_state, 'cleared', detail_json,"
         " message_id, audit_seq, audit_hash FROM case_events WHERE seq = 3");
  EXPECT_EQ(verify().problem, "case_events seq 100: chain position 5 again, after position 15 (inserted?)");
}

TEST_F(journal_audit, ATailCutOffPastACheckpointIsNamed) {
  write(5);  // checkpoints at 6, 12 and 15
  // The last two filings go, and the head with them: only the checkpoint shows it.
  tamper("DELETE FROM case_events WHERE seq > 6; DELETE FROM messages WHERE id IN ('M-4', 'M-5');"
         " UPDATE audit_head SET seq = 9, hash = (SELECT audit_hash FROM case_events WHERE seq = 6)");
  EXPECT_EQ(verify().problem, "checkpoint at chain position 15: the chain ends at position 9 (truncated?)");
}

TEST_F(journal_audit, ATailCutOffAfterTheLastCheckpointShowsInTheHead) {
  write(3, signing(1000));  // one checkpoint, at the clean stop (position 9)
  tamper("DELETE FROM audit_checkpoints; DELETE FROM case_events WHERE seq = 6");
  EXPECT_EQ(verify().problem, "the chain ends at position 8 but its recorded head is position 9 (truncated?)");
}

TEST_F(journal_audit, AForgedCheckpointSignatureIsNamed) {
  write(5);
  tamper("UPDATE audit_checkpoints SET signature = 'c2lnbmVk' WHERE seq = 12");
  EXPECT_EQ(verify().problem, "checkpoint at chain position 12: signature does not verify with the receipt certificate");
}

TEST_F(journal_audit, ARewrittenChainNoLongerMatchesItsCheckpoint) {
  write(5);
  // Someone who knows the scheme edits entry 14 and recomputes its hash and the one after.
  const std::string h13 = query("SELECT audit_hash FROM messages WHERE id = 'M-5'");
  CaseEvent e14{9, "C-5", kAt, common::Actor::hub(), "received", std::nullopt, common::CaseState::Cleared, "{\"why\":\"received\"}", ""};
  const std::string h14 = sqlite::eventEntryHash(h13, 14, sqlite::eventEntry(e14));
  CaseEvent e15{10, "C-5", kAt, common::Actor::hub(), "decision", std::nullopt, common::CaseState::UnderAssessment, "{\"why\":\"decision\"}", ""};
  const std::string h15 = sqlite::eventEntryHash(h14, 15, sqlite::eventEntry(e15));
  tamper("UPDATE case_events SET to_state = 'cleared', audit_hash = '" + h14 + "' WHERE seq = 9;"
         " UPDATE case_events SET audit_hash = '" + h15 + "' WHERE seq = 10;"
         " UPDATE audit_head SET hash = '" + h15 + "'");
  EXPECT_EQ(verify().problem, "checkpoint at chain position 15: head hash does not match the chain (rewritten?)");
}

TEST_F(journal_audit, ARefusedBatchInAGroupLeavesTheChainIntact) {
  {
    auto journal = openJournal(url(), signing());
    ASSERT_EQ(journal->commit(filing(1)).status, CommitResult::Status::Committed);
    // Same idempotency key, another body: refused after nothing was written; then a stale update
    // whose message and events were written and rolled back to the savepoint.
    WriteBatch conflict = filing(2);
    conflict.message->id = "M-x";
    conflict.message->idempotency_key = "key-M-1";
    EXPECT_EQ(journal->commit(conflict).status, CommitResult::Status::Conflict);
    WriteBatch stale = filing(3);
    CaseUpdate update;
    update.id = "C-1";
    update.expected_version = 7;
    update.state = common::CaseState::Held;
    stale.case_updates.push_back(update);
    EXPECT_EQ(journal->commit(stale).status, CommitResult::Status::Stale);
    ASSERT_EQ(journal->commit(filing(4)).status, CommitResult::Status::Committed);
  }
  const AuditVerdict verdict = verify();
  EXPECT_TRUE(verdict.intact) << verdict.problem;
  EXPECT_EQ(verdict.entries, 6);
}

TEST_F(journal_audit, AStagedMessageIsChainedWhenItIsFinished) {
  {
    auto journal = openJournal(url(), signing());
    ASSERT_EQ(journal->commit(filing(1)).status, CommitResult::Status::Committed);
    const std::string body = "line 1\nline 2\n";
    MessageRecord staged{"M-big", "demo-post", "text/csv", "", "sha256:" + common::sha256Hex(body), kAt, "", journal::MessageStatus::Staging, "", 0};
    ASSERT_EQ(journal->beginStaged(staged, static_cast<std::int64_t>(body.size())).status, CommitResult::Status::Committed);
    ASSERT_EQ(journal->writeStagedBody("M-big", 0, body).status, CommitResult::Status::Committed);
    WriteBatch chunk;
    chunk.new_cases.push_back({"C-big", "demo-post", "HWB-1", "pre-arrival", common::CaseState::Accepted, 1, "{}", "M-big", kAt, kAt});
    chunk.events.push_back(event("C-big", "received", "accepted"));
    ASSERT_EQ(journal->stage("M-big", chunk).status, CommitResult::Status::Committed);
    // Another filing commits while the large one is staged: it comes first in the chain.
    ASSERT_EQ(journal->commit(filing(2)).status, CommitResult::Status::Committed);
    staged.status = journal::MessageStatus::Accepted;
    staged.response = "{\"message_id\":\"M-big\"}";
    staged.http_status = 202;
    WriteBatch last;
    last.events.push_back(event("C-big", "notified", "accepted"));
    ASSERT_EQ(journal->finishStaged(staged, BlobSource{}, last).status, CommitResult::Status::Committed);
  }
  const AuditVerdict verdict = verify();
  EXPECT_TRUE(verdict.intact) << verdict.problem;
  EXPECT_EQ(verdict.entries, 9);  // 2 filings, the large message and its two events
  EXPECT_EQ(query("SELECT audit_seq FROM messages WHERE id = 'M-big'"), "7");
}

TEST_F(journal_audit, ASchema3JournalIsChainedWhenItIsOpened) {
  write(3);
  // What a schema-3 hub wrote: no chain at all.
  tamper("DROP INDEX messages_audit; ALTER TABLE messages DROP COLUMN audit_seq; ALTER TABLE messages DROP COLUMN audit_hash;"
         " ALTER TABLE case_events DROP COLUMN audit_seq; ALTER TABLE case_events DROP COLUMN audit_hash;"
         " DROP TABLE audit_head; DROP TABLE audit_checkpoints; UPDATE schema_version SET version = 3");
  write(0);
  EXPECT_EQ(query("SELECT version FROM schema_version"), "8");
  const AuditVerdict verdict = verify();
  EXPECT_TRUE(verdict.intact) << verdict.problem;
  EXPECT_EQ(verdict.entries, 9);
  EXPECT_EQ(verdict.checkpoints, 1);  // signed at the stop that followed the migration
}

TEST_F(journal_audit, AJournalBeforeTheChainIsNamedNotMisread) {
  write(1);
  tamper("DROP INDEX messages_audit; ALTER TABLE messages DROP COLUMN audit_seq; ALTER TABLE messages DROP COLUMN audit_hash;"
         " ALTER TABLE case_events DROP COLUMN audit_seq; ALTER TABLE case_events DROP COLUMN audit_hash;"
         " UPDATE schema_version SET version = 3");
  try {
    verify();
    FAIL() << "no error";
  } catch (const JournalError& e) {
    EXPECT_EQ(std::string(e.what()), url() +
                                         " is at schema 3, before the audit chain (schema 4): start this hub on it"
                                         " once to chain what it holds");
  }
}

TEST_F(journal_audit, NoJournalIsAnError) {
  try {
    verify();
    FAIL() << "no error";
  } catch (const JournalError& e) {
    EXPECT_EQ(std::string(e.what()), "no journal at " + dir_.file("j.db"));
  }
}

TEST(journal_audit_checkpoint, TheSignedTextIsDocumented) {
  EXPECT_EQ(sqlite::checkpointText(12, std::string(64, 'a'), common::toString(kAt)),
            "swhub audit checkpoint\nseq: 12\nhead: " + std::string(64, 'a') + "\nat: " + common::toString(kAt) + "\n");
}

}  // namespace
}  // namespace swhub::journal
