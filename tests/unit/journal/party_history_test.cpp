// What the journal knows of a party: how many cases filed before the one being assessed name a
// seller or a buyer, and how many of them are held or rejected; looked up through an index.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "backends.hpp"
#include "instants.hpp"
#include "temp_dir.hpp"
#include "journal/journal.hpp"
#include "journal/sqlite_store.hpp"

namespace swhub::journal {
namespace {

using swhub::testing::TempDir;

// A case whose consignment names `seller` and `buyer` (ids; "" leaves the party out).
CaseRecord caseOf(const std::string& id, const std::string& state, const std::string& seller, const std::string& buyer,
                  const std::string& at) {
  std::string parties;
  if (!seller.empty()) parties += R"("seller":{"name":"S","id":")" + seller + R"("})";
  if (!buyer.empty()) parties += std::string(parties.empty() ? "" : ",") + R"("buyer":{"name":"B","id":")" + buyer + R"("})";
  const std::string json = R"({"reference":")" + id + R"(","parties":{)" + parties + "}}";
  return {id, "demo-post", "R-" + id, "pre-arrival", *common::parseCaseState(state), 1, json, "M-" + id,
          swhub::testing::at(at), swhub::testing::at(at)};
}

// On both backends (backends.hpp). journal_party_history_sqlite: SQLite query plans, its triggers read by hand and its schema-4 migration.
JOURNAL_SUITE(journal_party_history);

TEST_P(journal_party_history, CountsTheCasesOfASellerOrBuyerAndTheHeldOnesLeavingOneOut) {
  auto journal = openJournal(journalUrl());
  WriteBatch batch;
  batch.new_cases = {caseOf("C-1", "held", "CN-1", "PT-1", "2026-11-28T10:00:01.000Z"),
                     caseOf("C-2", "released", "CN-1", "", "2026-11-28T10:00:02.000Z"),
                     caseOf("C-3", "rejected", "CN-1", "PT-2", "2026-11-28T10:00:03.000Z"),
                     caseOf("C-4", "under-assessment", "CN-2", "PT-1", "2026-11-28T10:00:04.000Z"),
                     caseOf("C-5", "cleared", "", "CN-1", "2026-11-28T10:00:05.000Z"),
                     caseOf("C-6", "accepted", "CN-1", "PT-1", "2026-11-28T10:00:05.000Z")};
  ASSERT_EQ(journal->commit(std::move(batch)).status, CommitResult::Status::Committed);

  struct Row {
    const char* role;
    const char* id;
    const char* before;
    std::int64_t cases, held;
  };
  const Row rows[] = {
      {"seller", "CN-1", "C-6", 3, 2},  // C-1 held, C-3 rejected; C-5 names CN-1 as its buyer only
      {"seller", "CN-1", "C-3", 2, 1},  // only what was filed before: C-3 itself and later ones not
      {"seller", "CN-1", "C-1", 0, 0},  // its first case
      {"seller", "CN-2", "C-4", 0, 0},  // never seen before
      {"seller", "XX-9", "C-6", 0, 0},
      {"seller", "CN-1", "C-404", 0, 0},  // no such case: nothing known before it
      {"buyer", "PT-1", "C-6", 2, 1},   // C-1 held, C-4
      {"buyer", "CN-1", "C-6", 0, 0},   // C-5 was filed in the same instant as C-6: not before
  };
  for (const auto& row : rows) {
    const PartyHistory h = journal->partyHistory(row.role, row.id, row.before);
    EXPECT_EQ(h.cases, row.cases) << row.role << " " << row.id << " before " << row.before;
    EXPECT_EQ(h.held, row.held) << row.role << " " << row.id << " before " << row.before;
  }
  EXPECT_THROW(journal->partyHistory("carrier", "X", ""), std::invalid_argument);
}

// The plan of a query, as SQLite gives it (the detail is column 3).
std::string planOf(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    return std::string("error: ") + sqlite3_errmsg(db);
  }
  std::string plan;
  while (sqlite3_step(stmt) == SQLITE_ROW) plan += std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3))) + "; ";
  sqlite3_finalize(stmt);
  return plan;
}

TEST(journal_party_history_sqlite, TheCountReadsTheTotalsRowAndOnlyTheCasesFiledSinceFromACoveringIndex) {
  // A seller with many earlier cases must cost neither a read of each case row nor a walk over
  // every index entry of its history per assessment: its totals are one row.
  TempDir dir;
  { auto journal = openJournal("sqlite:" + dir.file("journal.db")); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("journal.db").c_str(), &db), SQLITE_OK);
  for (const std::string role : {"seller", "buyer"}) {
    const std::string plan = planOf(db, sqlite::partyHistorySql(role));  // the query Journal::partyHistory runs
    EXPECT_NE(plan.find("SEARCH t USING PRIMARY KEY (role=? AND id=?)"), std::string::npos) << plan;
    EXPECT_NE(plan.find("USING COVERING INDEX cases_" + role + "_history (" + role + "_id=? AND created_at>?)"),
              std::string::npos)
        << plan;
    // Only the one-row subquery is "scanned"; no table is.
    EXPECT_EQ(plan.find("SCAN cases"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN t"), std::string::npos) << plan;
  }
  sqlite3_close(db);
}

// A history counted the slow way, straight from the cases: what the totals must always equal.
PartyHistory countedOf(sqlite3* db, const std::string& role, const std::string& id, const std::string& before) {
  const std::string sql = "SELECT count(*), coalesce(sum(state IN ('held', 'rejected')), 0) FROM cases WHERE json_extract("
                          "consignment_json, '$.parties." + role + ".id') = ?1 AND created_at < (SELECT created_at FROM "
                          "cases WHERE id = ?2)";
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  sqlite3_bind_text(stmt, 1, id.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, before.c_str(), -1, SQLITE_TRANSIENT);
  PartyHistory h;
  if (sqlite3_step(stmt) == SQLITE_ROW) h = {sqlite3_column_int64(stmt, 0), sqlite3_column_int64(stmt, 1)};
  sqlite3_finalize(stmt);
  return h;
}

TEST(journal_party_history_sqlite, TheTotalsFollowEveryStateChangeAndAnAmendmentThatChangesAParty) {
  TempDir dir;
  const std::string file = dir.file("journal.db");
  auto journal = openJournal("sqlite:" + file);
  const std::vector<std::string> sellers{"CN-1", "CN-2", "CN-3"}, buyers{"PT-1", "PT-2"};
  const std::vector<std::string> states{"accepted", "held", "released", "rejected", "under-assessment"};
  std::vector<int> versions;
  unsigned seed = 7;
  auto pick = [&seed](std::size_t n) {
    seed = seed * 1103515245u + 12345u;
    return static_cast<std::size_t>((seed >> 16) % n);
  };
  auto idOf = [](std::size_t i) { return "C-" + std::to_string(1000 + i); };
  for (std::size_t i = 0; i < 60; ++i) {
    WriteBatch batch;
    // Three cases filed in one instant now and then, as a message of several filings is.
    const std::string at = "2026-11-28T10:00:" + std::to_string(10 + i / 3) + ".000Z";
    batch.new_cases = {caseOf(idOf(i), states[pick(states.size())], pick(4) == 0 ? "" : sellers[pick(sellers.size())],
                              buyers[pick(buyers.size())], at)};
    versions.push_back(1);
    ASSERT_EQ(journal->commit(std::move(batch)).status, CommitResult::Status::Committed);
    // Now and then an earlier case changes state, or is amended to name another seller.
    if (i % 2 == 1) {
      const std::size_t target = pick(i);
      auto record = journal->getCase(idOf(target));
      ASSERT_TRUE(record);
      WriteBatch update;
      CaseUpdate u;
      u.id = record->id;
      u.expected_version = versions[target]++;
      u.state = common::parseCaseState(states[pick(states.size())]);
      u.filing = record->filing;
      u.updated_at = swhub::testing::at(at);
      if (pick(3) == 0) u.consignment_json = caseOf(record->id, std::string(toString(*u.state)), sellers[pick(sellers.size())], "", at).consignment_json;
      update.case_updates = {u};
      ASSERT_EQ(journal->commit(std::move(update)).status, CommitResult::Status::Committed);
    }
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  for (std::size_t i = 0; i < 60; i += 7) {
    for (const auto& s : sellers) {
      const PartyHistory want = countedOf(db, "seller", s, idOf(i)), got = journal->partyHistory("seller", s, idOf(i));
      EXPECT_EQ(got.cases, want.cases) << s << " before " << idOf(i);
      EXPECT_EQ(got.held, want.held) << s << " before " << idOf(i);
    }
    for (const auto& b : buyers) {
      const PartyHistory want = countedOf(db, "buyer", b, idOf(i)), got = journal->partyHistory("buyer", b, idOf(i));
      EXPECT_EQ(got.cases, want.cases) << b << " before " << idOf(i);
      EXPECT_EQ(got.held, want.held) << b << " before " << idOf(i);
    }
  }
  sqlite3_close(db);
}

TEST(journal_party_history_sqlite, ASchema4JournalGetsThePartyColumnsFromItsConsignments) {
  TempDir dir;
  const std::string file = dir.file("journal.db");
  {
    auto journal = openJournal("sqlite:" + file);
    WriteBatch batch;
    batch.new_cases = {caseOf("C-1", "held", "CN-1", "PT-1", "2026-11-28T10:00:01.000Z"),
                       caseOf("C-2", "released", "CN-1", "", "2026-11-28T10:00:02.000Z"),
                       caseOf("C-3", "accepted", "CN-1", "PT-1", "2026-11-28T10:00:03.000Z")};
    ASSERT_EQ(journal->commit(std::move(batch)).status, CommitResult::Status::Committed);
  }
  // What a schema-4 hub wrote: no party columns, an index on the expression instead, no totals.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER cases_party_insert; DROP TRIGGER cases_party_update; DROP TRIGGER cases_party_delete;"
                         " DROP TABLE party_totals; DROP INDEX cases_seller_history; DROP INDEX cases_buyer_history;"
                         " ALTER TABLE cases DROP COLUMN seller_id; ALTER TABLE cases DROP COLUMN buyer_id;"
                         " CREATE INDEX cases_seller ON cases (json_extract(consignment_json, '$.parties.seller.id'));"
                         " UPDATE schema_version SET version = 4",
                         nullptr, nullptr, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);

  auto journal = openJournal("sqlite:" + file);
  EXPECT_EQ(journal->partyHistory("seller", "CN-1", "C-3").cases, 2);
  EXPECT_EQ(journal->partyHistory("seller", "CN-1", "C-3").held, 1);
  EXPECT_EQ(journal->partyHistory("buyer", "PT-1", "C-3").cases, 1);
  journal.reset();
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT (SELECT version FROM schema_version) || ' ' || (SELECT count(*) FROM sqlite_master"
                               " WHERE name = 'cases_seller')",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))), "7 0");  // the old index goes
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

}  // namespace
}  // namespace swhub::journal
