// The tamper-evident journal (issue 10, item 2) through a real hub: filings go in, `swhub audit
// verify` finds the chain intact while the hub serves and after it stops; then copies of the
// journal are tampered with through SQLite in each way (an edited field, a deleted row, two rows
// swapped, a forged row, a tail cut off past the last checkpoint, a forged checkpoint signature)
// and the command exits 1 naming the first bad entry.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "express_manifest.hpp"
#include "hub_process.hpp"

namespace swhub::testing {
namespace {

namespace fs = std::filesystem;

const std::map<std::string, std::string> kPost = {{"Authorization", "Bearer demo-post-token"},
                                                  {"Content-Type", "application/vnd.swhub.consignment+json"}};

// One value of `sql` on the journal at `file`.
std::string queryOne(const std::string& file, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  std::string text;
  if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
    text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return text;
}

void execute(const std::string& file, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db) << "\n" << sql;
  sqlite3_close(db);
}

class audit_verify : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("swhub-audit");
    HubProcess hub({"serve", "--config", exampleConfig(), "--listen", "127.0.0.1:0", "--journal", url(original())});
    for (int i = 0; i < 8; ++i) {
      const auto filed = request(hub.address(), "POST", "/v1/messages", exampleFiling("AUDIT-" + std::to_string(i)), kPost);
      ASSERT_EQ(filed.status, 202) << filed.body;
    }
    // While the hub serves: read-only beside it.
    const auto [code, said] = runSwhub({"audit", "verify", "--config", exampleConfig(), "--journal", url(original())});
    EXPECT_EQ(code, 0) << said;
    EXPECT_NE(said.find(" checkpoints, chain intact\n"), std::string::npos) << said;
    ASSERT_EQ(hub.terminate(), 0);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static std::string original() { return dir_->file("hub/journal.db"); }
  static std::string url(const std::string& file) { return "sqlite:" + file; }

  // A copy of the stopped hub's journal, with the receipt certificate beside it.
  std::string copy() {
    fs::create_directories(scratch_.path() / "var");
    const std::string file = scratch_.file("var/journal.db");
    fs::copy_file(original(), file);
    for (const char* suffix : {"-wal", "-shm"}) {
      if (fs::exists(original() + suffix)) fs::copy_file(original() + suffix, file + suffix);
    }
    fs::copy_file(dir_->file("hub/receipts.crt"), scratch_.file("var/receipts.crt"));
    return file;
  }

  std::pair<int, std::string> verify(const std::string& file) {
    return runSwhub({"audit", "verify", "--config", exampleConfig(), "--journal", url(file)});
  }

  // The case event `n` places from the first (1-based), as its seq.
  std::string eventSeq(const std::string& file, int n) {
    return queryOne(file, "SELECT seq FROM case_events ORDER BY seq LIMIT 1 OFFSET " + std::to_string(n - 1));
  }

  static TempDir* dir_;
  TempDir scratch_;
};

TempDir* audit_verify::dir_ = nullptr;

TEST_F(audit_verify, TheStoppedHubsJournalIsIntactAndItsHeadIsSigned) {
  const std::string file = copy();
  const std::string entries = queryOne(file, "SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM case_events)");
  const std::string checkpoints = queryOne(file, "SELECT count(*) FROM audit_checkpoints");
  EXPECT_NE(checkpoints, "0");  // at least the one of the clean stop
  EXPECT_EQ(queryOne(file, "SELECT max(seq) FROM audit_checkpoints"), entries);
  const auto [code, said] = verify(file);
  EXPECT_EQ(code, 0) << said;
  EXPECT_EQ(said, "audit: " + entries + " entries, " + checkpoints + " checkpoints, chain intact\n");
}

TEST_F(audit_verify, ALargeSpooledFilingIsChainedWhenItIsFinished) {
  // Over 1 MiB: spooled, staged in chunks and made visible in one last transaction.
  const std::string file = scratch_.file("large/journal.db");
  {
    HubProcess hub({"serve", "--config", exampleConfig(), "--listen", "127.0.0.1:0", "--journal", url(file)});
    const auto filed = fileManifest(hub.address(), expressManifest(7000), "audit-large", "demo-express-token",
                                    std::chrono::seconds(300));
    ASSERT_EQ(filed.status, 202) << filed.body.substr(0, 500);
    ASSERT_EQ(hub.terminate(), 0);
  }
  EXPECT_EQ(queryOne(file, "SELECT count(*) FROM messages WHERE audit_seq IS NULL"), "0");
  EXPECT_EQ(queryOne(file, "SELECT count(*) FROM case_events WHERE audit_seq IS NULL"), "0");
  const std::string entries = queryOne(file, "SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM case_events)");
  const auto [code, said] = verify(file);
  EXPECT_EQ(code, 0) << said;
  EXPECT_EQ(said.rfind("audit: " + entries + " entries, ", 0), 0u) << said;
}

TEST_F(audit_verify, AnEditedDecisionIsNamed) {
  const std::string file = copy();
  const std::string seq = eventSeq(file, 3);
  execute(file, "UPDATE case_events SET to_state = 'released' WHERE seq = " + seq);
  const auto [code, said] = verify(file);
  EXPECT_EQ(code, 1);
  EXPECT_EQ(said, "audit: case_events seq " + seq + ": hash does not match its content (edited?)\n");
}

TEST_F(audit_verify, AnEditedFilingBodyIsNamed) {
  const std::string file = copy();
  const std::string id = queryOne(file, "SELECT id FROM messages ORDER BY audit_seq LIMIT 1 OFFSET 2");
  execute(file, "UPDATE messages SET body = CAST(replace(CAST(body AS TEXT), '45.0', '4.5') AS BLOB) WHERE id = '" + id + "'");
  const auto [code, said] = verify(file);
  EXPECT_EQ(code, 1);
  EXPECT_EQ(said, "audit: messages id " + id + ": body does not match its digest (edited?)\n");
}

TEST_F(audit_verify, ADeletedRowIsAGap) {
  const std::string file = copy();
  const std::string seq = eventSeq(file, 4);
  const std::string position = queryOne(file, "SELECT audit_seq FROM case_events WHERE seq = " + seq);
  const std::string next = queryOne(file,
      "SELECT name FROM (SELECT 'messages id ' || id AS name, audit_seq FROM messages UNION ALL"
      " SELECT 'case_events seq ' || seq, audit_seq FROM case_events) WHERE audit_seq > " + position +
      " ORDER BY audit_seq LIMIT 1");
  execute(file, "DELETE FROM case_events WHERE seq = " + seq);
  const auto [code, said] = verify(file);
  EXPECT_EQ(code, 1);
  EXPECT_EQ(said, "audit: " + next + ": gap: chain position " + position + " is missing before it (deleted?)\n");
}

TEST_F(audit_verify, TwoRowsSwappedAreOutOfOrder) {
  const std::string file = copy();
  const std::string first = eventSeq(file, 2);
  const std::string second = eventSeq(file, 3);
  const std::string position = queryOne(file, "SELECT audit_seq FROM case_events WHERE seq = " + first);
  const std::string later = queryOne(file, "SELECT audit_seq FROM case_events WHERE seq = " + second);
  execute(file, "UPDATE case_events SET seq = -1 WHERE seq = " + first + "; UPDATE case_events SET seq = " + first +
                    " WHERE seq = " + second + "; UPDATE case_events SET seq = " + second + " WHERE seq = -1");
  const auto [code, said] = verify(file);
  EXPECT_EQ(code, 1);
  EXPECT_EQ(said, "audit: case_events seq " + first + ": out of order: chain position " + later +
                      " comes before position " + position + " (case_events seq " + second + ") (reordered?)\n");
}

TEST_F(audit_verify, AForgedDecisionIsNamed) {
  const std::string file = copy();
  const std::string next = queryOne(file, "SELECT max(seq) + 1 FROM case_events");
  execute(file,
          "INSERT INTO case_events (case_id, at, actor, kind, from_state, to_state, detail_json, message_id)"
          " SELECT case_id, at, 'agency:customs', 'decision', to_state, 'cleared', '{\"decision\":\"clear\"}', ''"
          " FROM case_events ORDER BY seq LIMIT 1");
  const auto [code, said] = verify(file);
  EXPECT_EQ(code, 1);
  EXPECT_EQ(said, "audit: case_events seq " + next + ": not in the chain (inserted?)\n");
}

TEST_F(audit_verify, ATailCutOffPastTheLastCheckpointIsNamed) {
  const std::string file = copy();
  const std::string last = queryOne(file, "SELECT max(seq) FROM audit_checkpoints");
  // The last filing's rows go, and the recorded head is moved back to match.
  const std::string cut = queryOne(file, "SELECT audit_seq FROM messages ORDER BY audit_seq DESC LIMIT 1");
  execute(file, "DELETE FROM case_events WHERE audit_seq >= " + cut + "; DELETE FROM messages WHERE audit_seq >= " + cut +
                    "; UPDATE audit_head SET seq = " + cut + " - 1");
  const auto [code, said] = verify(file);
  EXPECT_EQ(code, 1);
  EXPECT_EQ(said, "audit: checkpoint at chain position " + last + ": the chain ends at position " +
                      std::to_string(std::stoll(cut) - 1) + " (truncated?)\n");
}

TEST_F(audit_verify, AForgedCheckpointSignatureIsNamed) {
  const std::string file = copy();
  const std::string last = queryOne(file, "SELECT max(seq) FROM audit_checkpoints");
  execute(file, "UPDATE audit_checkpoints SET signature = 'MEUCIQDfakefakefakefakefakefakefakefakefakefake=' WHERE seq = " + last);
  const auto [code, said] = verify(file);
  EXPECT_EQ(code, 1);
  EXPECT_EQ(said, "audit: checkpoint at chain position " + last + ": signature does not verify with the receipt certificate\n");
}

TEST_F(audit_verify, WithoutTheCertificateNothingIsClaimed) {
  const std::string file = copy();
  fs::remove(scratch_.file("var/receipts.crt"));
  const auto [code, said] = verify(file);
  EXPECT_EQ(code, 1);
  EXPECT_EQ(said, "audit: cannot read the receipt certificate " + scratch_.file("var/receipts.crt") +
                      " (checkpoints are verified with the receipt certificate)\n");
}

}  // namespace
}  // namespace swhub::testing
