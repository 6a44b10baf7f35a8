// What the journal knows of a party: how many cases name a seller or a buyer, how many of them
// are held or rejected, the case being assessed left out; looked up through an index.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "temp_dir.hpp"
#include "journal/journal.hpp"

namespace swhub::journal {
namespace {

using swhub::testing::TempDir;
const char* kAt = "2026-11-28T10:00:00.000Z";

// A case whose consignment names `seller` and `buyer` (ids; "" leaves the party out).
CaseRecord caseOf(const std::string& id, const std::string& state, const std::string& seller, const std::string& buyer) {
  std::string parties;
  if (!seller.empty()) parties += R"("seller":{"name":"S","id":")" + seller + R"("})";
  if (!buyer.empty()) parties += std::string(parties.empty() ? "" : ",") + R"("buyer":{"name":"B","id":")" + buyer + R"("})";
  const std::string json = R"({"reference":")" + id + R"(","parties":{)" + parties + "}}";
  return {id, "demo-post", "R-" + id, "pre-arrival", state, 1, json, "M-" + id, kAt, kAt};
}

TEST(journal_party_history, CountsTheCasesOfASellerOrBuyerAndTheHeldOnesLeavingOneOut) {
  TempDir dir;
  auto journal = openJournal("sqlite:" + dir.file("journal.db"));
  WriteBatch batch;
  batch.new_cases = {caseOf("C-1", "held", "CN-1", "PT-1"), caseOf("C-2", "released", "CN-1", ""),
                     caseOf("C-3", "rejected", "CN-1", "PT-2"), caseOf("C-4", "under-assessment", "CN-2", "PT-1"),
                     caseOf("C-5", "cleared", "", "CN-1")};
  ASSERT_EQ(journal->commit(std::move(batch)).status, CommitResult::Status::Committed);

  struct Row {
    const char* role;
    const char* id;
    const char* except;
    std::int64_t cases, held;
  };
  const Row rows[] = {
      {"seller", "CN-1", "", 3, 2},    // C-1 held, C-3 rejected; C-5 names CN-1 as its buyer only
      {"seller", "CN-1", "C-1", 2, 1},  // the case being assessed is left out
      {"seller", "CN-2", "C-4", 0, 0},  // never seen before
      {"seller", "XX-9", "", 0, 0},
      {"buyer", "PT-1", "", 2, 1},
      {"buyer", "CN-1", "", 1, 0},
  };
  for (const auto& row : rows) {
    const PartyHistory h = journal->partyHistory(row.role, row.id, row.except);
    EXPECT_EQ(h.cases, row.cases) << row.role << " " << row.id << " except " << row.except;
    EXPECT_EQ(h.held, row.held) << row.role << " " << row.id << " except " << row.except;
  }
  EXPECT_THROW(journal->partyHistory("carrier", "X", ""), std::invalid_argument);
}

TEST(journal_party_history, TheLookupUsesAnIndexNotAScanOfEveryCase) {
  TempDir dir;
  { auto journal = openJournal("sqlite:" + dir.file("journal.db")); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("journal.db").c_str(), &db), SQLITE_OK);
  for (const char* role : {"seller", "buyer"}) {
    // The query Journal::partyHistory runs, as SQLite plans it (the detail is column 3).
    const std::string sql = std::string("EXPLAIN QUERY PLAN SELECT count(*) FROM cases WHERE json_extract(") +
                            "consignment_json, '$.parties." + role + ".id') = 'X' AND id <> ''";
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    std::string plan;
    while (sqlite3_step(stmt) == SQLITE_ROW) plan += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
    sqlite3_finalize(stmt);
    EXPECT_NE(plan.find(std::string("USING INDEX cases_") + role), std::string::npos) << plan;
  }
  sqlite3_close(db);
}

}  // namespace
}  // namespace swhub::journal
