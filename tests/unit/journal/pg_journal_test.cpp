// What only the PostgreSQL journal has: several nodes on one database (claims that never overlap,
// a dead node's leases taken over, a live node's kept, one migration when nodes start at once,
// one audit chain across nodes) and `swhub migrate` from SQLite. Skipped, naming why, without
// the PostgreSQL binaries (pg_cluster.hpp).

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "journal/audit_chain.hpp"
#include "journal/journal.hpp"
#include "journal/pg_journal.hpp"
#include "journal/pg_migrate.hpp"
#include "instants.hpp"
#include "pg_cluster.hpp"
#include "temp_dir.hpp"

namespace swhub::journal {
namespace {

using namespace std::chrono_literals;
using Status = CommitResult::Status;
const Instant kAt = swhub::testing::at("2026-11-28T10:00:00.000Z");

class journal_pg : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!db_.available()) GTEST_SKIP() << "PostgreSQL skipped: " << db_.skipReason();
  }
  // Rows of one query on the test's database, each row's columns joined by '|'.
  std::vector<std::string> query(const std::string& sql) {
    PGconn* conn = PQconnectdb(db_.url().c_str());
    PGresult* result = PQexec(conn, sql.c_str());
    std::vector<std::string> rows;
    EXPECT_EQ(PQresultStatus(result), PGRES_TUPLES_OK) << PQerrorMessage(conn);
    for (int r = 0; r < PQntuples(result); ++r) {
      std::string row;
      for (int c = 0; c < PQnfields(result); ++c) row += (c ? "|" : "") + std::string(PQgetvalue(result, r, c));
      rows.push_back(row);
    }
    PQclear(result);
    PQfinish(conn);
    return rows;
  }
  static JournalOptions serving() {
    JournalOptions options;
    options.exclusive = true;
    return options;
  }
  swhub::testing::PgDatabase db_;
};

OutboxItem item(const std::string& id, const std::string& case_id) {
  OutboxItem o;
  o.id = id;
  o.channel = Channel::Assess;
  o.recipient = "customs";
  o.case_id = case_id;
  o.content_type = "application/json";
  o.body = "{}";
  o.created_at = kAt;
  return o;
}

// A case of message `message`, filed at kAt.
CaseRecord caseOf(const std::string& id, const std::string& message, const std::string& consignment, CaseState state) {
  CaseRecord c;
  c.id = id;
  c.partner = "demo-post";
  c.reference = "REF-" + id;
  c.filing = "pre-arrival";
  c.state = state;
  c.consignment_json = consignment;
  c.message_id = message;
  c.created_at = kAt;
  c.updated_at = kAt;
  return c;
}

// Message `id` (accepted) and its cases, in one commit.
Status commitMessage(Journal& journal, const std::string& id, std::vector<CaseRecord> cases) {
  WriteBatch batch;
  batch.message = MessageRecord{id, "demo-post", "application/json", "", "sha256:" + id, kAt, "{}",
                                MessageStatus::Accepted, "{}", 202};
  batch.new_cases = std::move(cases);
  return journal.commit(batch).status;
}

// Migration 6: the message and case totals are counted once from what the journal holds (a node
// of the version before wrote them), then kept by statement triggers.
TEST_F(journal_pg, MigrationSixCountsTheTotalsOnceThenTriggersKeepThem) {
  auto commitOne = [](Journal& journal, const std::string& id, int cases) {
    std::vector<CaseRecord> filed;
    for (int i = 0; i < cases; ++i) filed.push_back(caseOf(id + "-C" + std::to_string(i), id, "{}", CaseState::Accepted));
    return commitMessage(journal, id, std::move(filed));
  };
  {
    auto journal = openJournal(db_.url());
    ASSERT_EQ(commitOne(*journal, "M-1", 2), Status::Committed);
    ASSERT_EQ(commitOne(*journal, "M-2", 0), Status::Committed);
  }
  PGconn* conn = PQconnectdb(db_.url().c_str());
  PGresult* dropped = PQexec(conn,
                             "DROP TRIGGER journal_totals_message_insert ON messages; DROP TRIGGER journal_totals_message_delete ON messages;"
                             " DROP TRIGGER journal_totals_case_insert ON cases; DROP TRIGGER journal_totals_case_delete ON cases;"
                             " DROP FUNCTION swhub_journal_totals(); DROP TABLE journal_totals;"
                             " DELETE FROM schema_migrations WHERE version = 6");
  EXPECT_EQ(PQresultStatus(dropped), PGRES_COMMAND_OK) << PQerrorMessage(conn);
  PQclear(dropped);
  PQfinish(conn);

  auto journal = openJournal(db_.url());
  EXPECT_EQ(journal->stats().messages, 2);
  EXPECT_EQ(journal->stats().cases, 2);
  ASSERT_EQ(commitOne(*journal, "M-3", 40), Status::Committed);
  EXPECT_EQ(journal->stats().messages, 3);
  EXPECT_EQ(journal->stats().cases, 42);
  EXPECT_EQ(query("SELECT (SELECT count(*) FROM messages) || '|' || (SELECT count(*) FROM cases)"),
            (std::vector<std::string>{"3|42"}));
}

// Migration 7: the cases a node of the version before wrote get their ordinals with their parties
// in the order they were filed (the cases of one message share theirs), then the triggers go on.
TEST_F(journal_pg, MigrationSevenGivesTheCasesOrdinalsInFilingOrderThenTriggersGoOn) {
  auto commitSellers = [](Journal& journal, const std::string& id,
                          const std::vector<std::tuple<std::string, std::string, CaseState>>& cases) {
    std::vector<CaseRecord> filed;
    for (const auto& [case_id, seller, state] : cases)
      filed.push_back(caseOf(case_id, id, R"({"parties":{"seller":{"name":"S","id":")" + seller + R"("}}})", state));
    return commitMessage(journal, id, std::move(filed));
  };
  {
    auto journal = openJournal(db_.url());
    ASSERT_EQ(commitSellers(*journal, "M-1", {{"C-1", "CN-1", CaseState::Held}}), Status::Committed);
    ASSERT_EQ(commitSellers(*journal, "M-2", {{"C-2", "CN-1", CaseState::Rejected}, {"C-3", "CN-1", CaseState::Accepted}}),
              Status::Committed);
    ASSERT_EQ(commitSellers(*journal, "M-3", {{"C-4", "CN-2", CaseState::Accepted}}), Status::Committed);
  }
  // What a node of migration 6 left: no ordinals, its AFTER triggers, the history indexes.
  PGconn* conn = PQconnectdb(db_.url().c_str());
  PGresult* undone = PQexec(conn, R"sql(
DROP TRIGGER cases_party_insert ON cases; DROP TRIGGER cases_party_update ON cases; DROP TRIGGER cases_party_delete ON cases;
DROP FUNCTION swhub_party_totals(); DROP FUNCTION swhub_party_step(TEXT, TEXT, BIGINT, INT, TEXT, INT, TEXT);
DROP TABLE party_departures; DROP INDEX cases_seller_held; DROP INDEX cases_buyer_held;
ALTER TABLE cases DROP COLUMN seller_ord, DROP COLUMN buyer_ord;
ALTER TABLE party_totals DROP COLUMN joined, DROP COLUMN last_message, DROP COLUMN message_base;
CREATE INDEX cases_seller_history ON cases (seller_id, created_at, state);
CREATE INDEX cases_buyer_history ON cases (buyer_id, created_at, state);
CREATE FUNCTION swhub_party_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.seller_id IS NOT NULL THEN
    INSERT INTO party_totals (role, id, cases, held) VALUES ('seller', NEW.seller_id, 1, (NEW.state IN ('held', 'rejected'))::int)
      ON CONFLICT (role, id) DO UPDATE SET cases = party_totals.cases + 1, held = party_totals.held + excluded.held;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER cases_party_insert AFTER INSERT ON cases FOR EACH ROW EXECUTE FUNCTION swhub_party_totals();
CREATE TRIGGER cases_party_update AFTER UPDATE OF state ON cases FOR EACH ROW EXECUTE FUNCTION swhub_party_totals();
CREATE TRIGGER cases_party_delete AFTER DELETE ON cases FOR EACH ROW EXECUTE FUNCTION swhub_party_totals();
DELETE FROM schema_migrations WHERE version = 7;
)sql");
  EXPECT_EQ(PQresultStatus(undone), PGRES_COMMAND_OK) << PQerrorMessage(conn);
  PQclear(undone);
  PQfinish(conn);

  auto journal = openJournal(db_.url());
  auto expect = [&](const char* id, const char* before, std::int64_t cases, std::int64_t held) {
    const PartyHistory h = journal->partyHistory("seller", id, before);
    EXPECT_EQ(h.cases, cases) << id << " before " << before;
    EXPECT_EQ(h.held, held) << id << " before " << before;
  };
  expect("CN-1", "C-1", 0, 0);
  expect("CN-1", "C-3", 1, 1);  // C-2 came with C-3: not before it
  expect("CN-1", "C-2", 1, 1);
  expect("CN-1", "C-4", 3, 2);  // C-4 names CN-2: all of CN-1's
  expect("CN-2", "C-4", 0, 0);
  ASSERT_EQ(commitSellers(*journal, "M-4", {{"C-5", "CN-1", CaseState::Accepted}}), Status::Committed);
  expect("CN-1", "C-5", 3, 2);
  expect("CN-1", "C-3", 1, 1);
  EXPECT_EQ(query("SELECT id, seller_ord FROM cases ORDER BY id"),
            (std::vector<std::string>{"C-1|0", "C-2|1", "C-3|1", "C-4|0", "C-5|3"}));
}

// The server dropped every connection (restarted, or its backends terminated): a read finds its
// idle connection broken, and is run again once on a new one, not failed.
TEST_F(journal_pg, AReadOnAConnectionTheServerDroppedIsRunAgainOnANewOne) {
  auto journal = openJournal(db_.url());
  EXPECT_FALSE(journal->getCase("C-NONE").has_value());  // leaves an idle reader behind
  PGconn* conn = PQconnectdb(db_.url().c_str());
  PGresult* killed = PQexec(conn,
                            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                            " WHERE datname = current_database() AND pid <> pg_backend_pid()");
  ASSERT_EQ(PQresultStatus(killed), PGRES_TUPLES_OK) << PQerrorMessage(conn);
  EXPECT_GE(std::stoi(PQgetvalue(killed, 0, 0)), 2);  // the writer and the reader at least
  PQclear(killed);
  PQfinish(conn);
  // pg_terminate_backend only signals them: wait until they are gone.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()") !=
             std::vector<std::string>{"0"} &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_NO_THROW(EXPECT_FALSE(journal->getCase("C-NONE").has_value()));
  EXPECT_NO_THROW(journal->searchCases({}));
}

TEST_F(journal_pg, ItSaysItCommitsDurably) {
  auto journal = openJournal(db_.url());
  EXPECT_EQ(journal->describe(), db_.url() + " (PostgreSQL, synchronous_commit=on)");
}

TEST_F(journal_pg, NodesStartingAtOnceMigrateOnce) {
  std::vector<std::thread> nodes;
  std::atomic<int> opened{0};
  for (int i = 0; i < 4; ++i) {
    nodes.emplace_back([&] {
      auto journal = openJournal(db_.url(), serving());
      ++opened;
    });
  }
  for (auto& n : nodes) n.join();
  EXPECT_EQ(opened, 4);
  EXPECT_EQ(query("SELECT version FROM schema_migrations ORDER BY version"), (std::vector<std::string>{"1", "2", "3", "4", "5", "6", "7"}));
}

// A migration merged after a later-numbered one (3 landing after 5) is still applied to a journal
// that has the later one: each is applied by its own row, not by the highest version.
TEST_F(journal_pg, AMigrationMissingBelowTheHighestAppliedIsAppliedOnce) {
  openJournal(db_.url()).reset();
  PGconn* conn = PQconnectdb(db_.url().c_str());
  PGresult* dropped = PQexec(conn, "DROP TABLE stat_rollups; DROP TABLE stat_fill; DELETE FROM schema_migrations WHERE version = 3");
  EXPECT_EQ(PQresultStatus(dropped), PGRES_COMMAND_OK) << PQerrorMessage(conn);
  PQclear(dropped);
  PQfinish(conn);
  ASSERT_EQ(query("SELECT max(version) FROM schema_migrations"), (std::vector<std::string>{"7"}));
  openJournal(db_.url()).reset();
  EXPECT_EQ(query("SELECT count(*) FROM schema_migrations WHERE version = 3"), (std::vector<std::string>{"1"}));
  EXPECT_EQ(query("SELECT count(*) FROM stat_rollups"), (std::vector<std::string>{"0"}));
  openJournal(db_.url()).reset();  // and only once
  EXPECT_EQ(query("SELECT count(*) FROM schema_migrations"), (std::vector<std::string>{"7"}));
}

TEST_F(journal_pg, TwoNodesClaimingAtOnceNeverGetTheSameItem) {
  auto a = openJournal(db_.url(), serving());
  auto b = openJournal(db_.url(), serving());
  WriteBatch batch;
  for (int i = 0; i < 200; ++i) batch.outbox.push_back(item("A-" + std::to_string(i), "C-" + std::to_string(i)));
  ASSERT_EQ(a->commit(batch).status, Status::Committed);
  std::mutex mutex;
  std::vector<std::int64_t> claimed;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    Journal& node = w % 2 ? *a : *b;
    workers.emplace_back([&, w] {
      for (;;) {
        auto got = node.claimOutbox(Channel::Assess, "node" + std::to_string(w) + "/assess", 5, 60s);
        if (got.empty()) return;
        std::lock_guard lock(mutex);
        for (const auto& i : got) claimed.push_back(i.seq);
      }
    });
  }
  for (auto& w : workers) w.join();
  const std::set<std::int64_t> distinct(claimed.begin(), claimed.end());
  EXPECT_EQ(claimed.size(), 200u);
  EXPECT_EQ(distinct.size(), 200u);
}

TEST_F(journal_pg, ADeadNodesLeasesAreTakenOverAndALiveNodesAreKept) {
  auto a = std::make_unique<pg::PgJournal>(db_.url(), serving());
  pg::PgJournal b(db_.url(), serving());
  EXPECT_EQ(a->releaseDeadClaims("host/1-1-aa/"), 0u);
  EXPECT_EQ(b.releaseDeadClaims("host/2-2-bb/"), 0u);
  WriteBatch batch;
  for (int i = 0; i < 6; ++i) batch.outbox.push_back(item("A-" + std::to_string(i), "C-" + std::to_string(i)));
  ASSERT_EQ(a->commit(batch).status, Status::Committed);
  ASSERT_EQ(a->claimOutbox(Channel::Assess, "host/1-1-aa/assess", 4, 60s).size(), 4u);
  ASSERT_EQ(b.claimOutbox(Channel::Assess, "host/2-2-bb/assess", 1, 60s).size(), 1u);
  // Both alive: nobody's leases go.
  EXPECT_EQ(b.reapDeadNodes(), 0u);
  EXPECT_EQ(a->reapDeadNodes(), 0u);
  // Node a goes: its session lock with it (as when its process is killed: the server ends the
  // session of a connection that closed). Its 4 leases come back to b at once, not in 60 s.
  a.reset();
  EXPECT_EQ(b.reapDeadNodes(), 4u);
  EXPECT_EQ(b.claimOutbox(Channel::Assess, "host/2-2-bb/assess", 10, 60s).size(), 5u);
  EXPECT_EQ(query("SELECT count(*) FROM nodes"), (std::vector<std::string>{"1"}));
}

TEST_F(journal_pg, TheReaperTakesADeadNodesLeasesOverWithinSeconds) {
  auto a = std::make_unique<pg::PgJournal>(db_.url(), serving());
  pg::PgJournal b(db_.url(), serving());
  a->releaseDeadClaims("host/1-1-aa/");
  b.releaseDeadClaims("host/2-2-bb/");  // starts b's reaper
  WriteBatch batch;
  batch.outbox.push_back(item("A-1", "C-1"));
  ASSERT_EQ(a->commit(batch).status, Status::Committed);
  ASSERT_EQ(a->claimOutbox(Channel::Assess, "host/1-1-aa/assess", 1, 60s).size(), 1u);
  a.reset();
  const auto killed = std::chrono::steady_clock::now();
  std::vector<OutboxItem> taken;
  while (taken.empty() && std::chrono::steady_clock::now() - killed < 10s) {
    taken = b.claimOutbox(Channel::Assess, "host/2-2-bb/assess", 1, 60s);
    if (taken.empty()) std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(taken.size(), 1u);
  EXPECT_LT(std::chrono::steady_clock::now() - killed, 5s);
}

TEST_F(journal_pg, NodesWritingAtOnceExtendOneAuditChain) {
  auto a = openJournal(db_.url(), serving());
  auto b = openJournal(db_.url(), serving());
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    Journal& node = w % 2 ? *a : *b;
    writers.emplace_back([&node, w] {
      for (int i = 0; i < 20; ++i) {
        const std::string id = std::to_string(w) + "-" + std::to_string(i);
        WriteBatch batch;
        batch.message = MessageRecord{"M-" + id, "demo-post", "application/json", "", "sha256:" + id, kAt, "{}", MessageStatus::Accepted, "{}", 202};
        batch.new_cases.push_back({"C-" + id, "demo-post", "R-" + id, "pre-arrival", CaseState::Accepted, 1, "{}", "M-" + id, kAt, kAt});
        batch.events.push_back({0, "C-" + id, kAt, Actor::hub(), "received", std::nullopt, CaseState::Accepted, "{}", "M-" + id});
        ASSERT_EQ(node.commit(batch).status, Status::Committed);
      }
    });
  }
  for (auto& w : writers) w.join();
  // Every entry recomputed in chain order: positions 1..160 without a gap, each hash from its
  // predecessor's, the head the last one.
  auto messages = query("SELECT audit_seq, id, partner, content_type, idempotency_key, digest, received_at, status,"
                        " http_status, audit_hash FROM messages");
  auto events = query("SELECT audit_seq, seq, case_id, at, actor, kind, from_state, to_state, detail_json, message_id,"
                      " audit_hash FROM case_events");
  std::map<std::int64_t, std::pair<std::string, std::vector<std::string>>> chain;  // position -> kind, fields
  auto split = [](const std::string& row) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t bar; (bar = row.find('|', start)) != std::string::npos; start = bar + 1) out.push_back(row.substr(start, bar - start));
    out.push_back(row.substr(start));
    return out;
  };
  for (const auto& m : messages) chain[std::stoll(split(m)[0])] = {"message", split(m)};
  for (const auto& e : events) chain[std::stoll(split(e)[0])] = {"event", split(e)};
  ASSERT_EQ(chain.size(), 160u);
  std::string hash = sqlite::kAuditGenesis;
  std::int64_t expected = 1;
  for (const auto& [position, entry] : chain) {
    ASSERT_EQ(position, expected++);
    const auto& f = entry.second;
    std::string computed;
    if (entry.first == "message") {
      computed = sqlite::messageEntryHash(hash, position, sqlite::MessageEntry{f[1], f[2], f[3], f[4], f[5], f[6], f[7], std::stoll(f[8])});
      EXPECT_EQ(computed, f[9]) << "message at " << position;
    } else {
      computed = sqlite::eventEntryHash(hash, position, sqlite::EventEntry{std::stoll(f[1]), f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9]});
      EXPECT_EQ(computed, f[10]) << "event at " << position;
    }
    hash = computed;
  }
  EXPECT_EQ(query("SELECT seq, hash FROM audit_head"), (std::vector<std::string>{"160|" + hash}));
}

TEST_F(journal_pg, MigrateCopiesAnSqliteJournalAndVerifiesIt) {
  swhub::testing::TempDir dir;
  const std::string source = "sqlite:" + dir.file("j.db");
  {
    auto journal = openJournal(source);
    for (int i = 0; i < 30; ++i) {
      const std::string id = std::to_string(i);
      WriteBatch batch;
      batch.message = MessageRecord{"M-" + id, "demo-post", "application/json", "key-" + id, "sha256:" + id, kAt,
                                    std::string("body\0\ttab\nline\\ ", 16) + id, MessageStatus::Accepted, "{\"r\":1}", 202};
      batch.new_cases.push_back({"C-" + id, "demo-post", "R-" + id, "pre-arrival", CaseState::Accepted, 1,
                                 "{\"parties\":{\"seller\":{\"id\":\"S" + std::to_string(i % 3) + "\"}}}", "M-" + id, kAt, kAt});
      batch.events.push_back({0, "C-" + id, kAt, Actor::hub(), "received", std::nullopt, CaseState::Accepted, "{\"n\":" + id + "}", "M-" + id});
      batch.outbox.push_back(item("O-" + id, "C-" + id));
      addCount(batch.stats, 490000 + i % 3, "", "filings.partner", "demo-post", "");
      // A supporting document on every third case, the same bytes for all (stored once).
      if (i % 3 == 0) {
        batch.documents.push_back({"C-" + id, "sha256:doc", "certificate", "C640", "VET-" + id, "application/pdf", 9,
                                   Actor::partner("demo-post"), kAt, std::string("%PDF-\0\xff\n0", 9)});
      }
      ASSERT_EQ(journal->commit(batch).status, Status::Committed);
    }
    ASSERT_EQ(journal->fillStats({}).status, Status::Committed);
    ASSERT_EQ(journal->putLicence({"food-safety", "L-1", "C640", "B1", "2026-01-01", "2026-12-31", 100, 100, ""},
                                  LicencePut::Insert).status,
              LicencePutResult::Status::Written);
  }
  const auto report = pg::migrateFromSqlite(source, db_.url());
  for (const auto& t : report.tables) EXPECT_TRUE(t.matches()) << t.table << " " << t.rows << " " << t.copied_rows;
  ASSERT_TRUE(report.verified());
  const auto messages = std::find_if(report.tables.begin(), report.tables.end(), [](const auto& t) { return t.table == "messages"; });
  EXPECT_EQ(messages->rows, 30);

  auto journal = openJournal(db_.url());
  const auto stored = journal->findMessage("demo-post", "key-7");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->body, std::string("body\0\ttab\nline\\ 7", 17));
  EXPECT_EQ(journal->caseEvents("C-7").at(0).detail_json, "{\"n\":7}");
  // Documents: the bytes once, each case's link, in the order attached.
  EXPECT_EQ(query("SELECT count(*) FROM document_blobs"), (std::vector<std::string>{"1"}));
  EXPECT_EQ(journal->caseDocument("C-3", "sha256:doc")->bytes, std::string("%PDF-\0\xff\n0", 9));
  EXPECT_EQ(journal->caseDocuments("C-6").at(0).id, "VET-6");
  EXPECT_EQ(journal->caseDocuments("C-6").at(0).code, "C640");
  // The party totals are the target's own (its triggers, as the cases were copied): S1 is the
  // seller of cases 1, 4, ..., 28.
  EXPECT_EQ(query("SELECT cases, held FROM party_totals WHERE role = 'seller' AND id = 'S1'"),
            (std::vector<std::string>{"10|0"}));
  // The statistics rollups come along, marked filled (the target's hub fills nothing again).
  EXPECT_TRUE(journal->statsFilled());
  const auto sums = journal->statSums("", 490000, 490003);
  ASSERT_EQ(sums.size(), 1u);
  EXPECT_EQ(sums[0].value, 30);
  EXPECT_EQ(journal->statSums("", kAllTimeHour, kAllTimeHour + 1).at(0).value, 30);
  // Seqs go on past the copied ones.
  WriteBatch next;
  next.outbox.push_back(item("O-new", "C-1"));
  ASSERT_EQ(journal->commit(next).status, Status::Committed);
  EXPECT_GT(journal->outboxAfter("customs", Channel::Assess, 0, 100).back().seq, 30);
  // A second copy into a journal that holds one already is refused.
  try {
    pg::migrateFromSqlite(source, db_.url());
    ADD_FAILURE() << "a second migrate was not refused";
  } catch (const JournalError& e) {
    EXPECT_STREQ(e.what(), "the PostgreSQL journal is not empty: swhub migrate copies into a new one only");
  }
}

}  // namespace
}  // namespace swhub::journal
