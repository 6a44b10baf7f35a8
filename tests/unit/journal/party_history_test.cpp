// What the journal knows of a party: how many cases that came before the one being assessed (in
// journal order, an earlier message; the cases of its own message are not before it) name a
// seller or a buyer now, and how many of them are held or rejected now; read from the case's
// ordinal with the party and the party's totals, never by counting what was filed since.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>
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
                  const std::string& at, const std::string& message = "") {
  std::string parties;
  if (!seller.empty()) parties += R"("seller":{"name":"S","id":")" + seller + R"("})";
  if (!buyer.empty()) parties += std::string(parties.empty() ? "" : ",") + R"("buyer":{"name":"B","id":")" + buyer + R"("})";
  const std::string json = R"({"reference":")" + id + R"(","parties":{)" + parties + "}}";
  return {id, "demo-post", "R-" + id, "pre-arrival", *common::parseCaseState(state), 1, json,
          message.empty() ? "M-" + id : message,
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
                     caseOf("C-5", "cleared", "", "CN-1", "2026-11-28T10:00:05.000Z", "M-56"),
                     caseOf("C-6", "accepted", "CN-1", "PT-1", "2026-11-28T10:00:05.000Z", "M-56"),
                     caseOf("C-7", "held", "CN-1", "PT-1", "2026-11-28T10:00:05.000Z", "M-56")};
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
      {"seller", "CN-1", "C-7", 3, 2},  // C-6 came in the message of C-7: not before it
      {"buyer", "CN-1", "C-5", 0, 0},
      {"buyer", "CN-1", "C-6", 1, 0},   // C-6 does not name CN-1 as its buyer: all that CN-1 has
      {"buyer", "PT-1", "C-5", 4, 2},   // the same: C-1 held, C-4, C-6, C-7 held
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

TEST(journal_party_history_sqlite, TheCountReadsTheTotalsRowAndOnlyTheHeldCasesFiledSinceFromACoveringIndex) {
  // A seller with many earlier cases must cost neither a read of each case row nor a walk over
  // every index entry of its history per assessment: its totals are one row. Nor a walk over the
  // cases filed since (under load, the assessment's backlog): only the held ones after it, and
  // the departures after it (a case amended to name another party), are counted.
  TempDir dir;
  { auto journal = openJournal("sqlite:" + dir.file("journal.db")); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("journal.db").c_str(), &db), SQLITE_OK);
  for (const std::string role : {"seller", "buyer"}) {
    const std::string plan = planOf(db, sqlite::partyHistorySql(role));  // the query Journal::partyHistory runs
    EXPECT_NE(plan.find("SEARCH t USING PRIMARY KEY (role=? AND id=?)"), std::string::npos) << plan;
    EXPECT_NE(plan.find("SEARCH h USING COVERING INDEX cases_" + role + "_held (" + role + "_id=? AND " + role +
                        "_ord>?)"),
              std::string::npos)
        << plan;
    EXPECT_NE(plan.find("SEARCH d USING COVERING INDEX party_departures_ord (role=? AND id=? AND ord>?)"),
              std::string::npos)
        << plan;
    EXPECT_NE(plan.find("SEARCH c USING INDEX sqlite_autoindex_cases_1 (id=?)"), std::string::npos) << plan;
    // Only the one-row subquery is "scanned"; no table is.
    EXPECT_EQ(plan.find("SCAN cases"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN t"), std::string::npos) << plan;
  }
  sqlite3_close(db);
}

// What the journal must answer, kept by hand: each party's cases in the order they came to name
// it, each with the message (or the amendment: its case id) that brought it.
class PartyModel {
 public:
  void join(const std::string& party, const std::string& case_id, const std::string& token) {
    if (!party.empty()) joined_[party].push_back({case_id, token});
  }
  void leave(const std::string& party, const std::string& case_id) {
    if (party.empty()) return;
    auto& list = joined_[party];
    list.erase(std::remove_if(list.begin(), list.end(), [&](const Entry& e) { return e.case_id == case_id; }),
               list.end());
  }
  void setState(const std::string& case_id, const std::string& state) { states_[case_id] = state; }
  // The cases before `before` (all of them when it does not name the party), and the held ones.
  PartyHistory history(const std::string& party, const std::string& before) const {
    PartyHistory h;
    auto it = joined_.find(party);
    if (it == joined_.end()) return h;
    const auto& list = it->second;
    auto self = std::find_if(list.begin(), list.end(), [&](const Entry& e) { return e.case_id == before; });
    const std::string token = self == list.end() ? std::string() : self->token;
    for (const auto& e : list) {
      if (self != list.end() && e.token == token) break;  // the message's first case: the rest is not before
      ++h.cases;
      const std::string& state = states_.at(e.case_id);
      if (state == "held" || state == "rejected") ++h.held;
    }
    return h;
  }

 private:
  struct Entry {
    std::string case_id, token;
  };
  std::map<std::string, std::vector<Entry>> joined_;  // "seller:CN-1" -> cases in joining order
  std::map<std::string, std::string> states_;
};

TEST_P(journal_party_history, TheCountsFollowEveryMessageStateChangeAndAmendmentThatChangesAParty) {
  auto journal = openJournal(journalUrl());
  const std::vector<std::string> sellers{"CN-1", "CN-2", "CN-3"}, buyers{"PT-1", "PT-2"};
  const std::vector<std::string> states{"accepted", "held", "released", "rejected", "under-assessment"};
  unsigned seed = 7;
  auto pick = [&seed](std::size_t n) {
    seed = seed * 1103515245u + 12345u;
    return static_cast<std::size_t>((seed >> 16) % n);
  };
  PartyModel model;
  struct Filed {
    std::string id, seller, buyer;
    int version = 1;
  };
  std::vector<Filed> filed;
  std::size_t amended = 0;
  for (int m = 0; m < 40; ++m) {
    // A message of one to three filings, all written in one batch.
    const std::string message = "M-" + std::to_string(m);
    const std::string at = "2026-11-28T10:00:" + std::to_string(10 + m) + ".000Z";
    WriteBatch batch;
    for (std::size_t n = 1 + pick(3); n > 0; --n) {
      Filed f{"C-" + std::to_string(1000 + filed.size()), pick(4) == 0 ? "" : sellers[pick(sellers.size())],
              buyers[pick(buyers.size())]};
      const std::string state = states[pick(states.size())];
      batch.new_cases.push_back(caseOf(f.id, state, f.seller, f.buyer, at, message));
      model.join(f.seller.empty() ? "" : "seller:" + f.seller, f.id, message);
      model.join("buyer:" + f.buyer, f.id, message);
      model.setState(f.id, state);
      filed.push_back(f);
    }
    ASSERT_EQ(journal->commit(std::move(batch)).status, CommitResult::Status::Committed);
    // Now and then an earlier case changes state, or is amended to name another seller and no buyer.
    if (m % 2 == 1) {
      Filed& target = filed[pick(filed.size())];
      WriteBatch update;
      CaseUpdate u;
      u.id = target.id;
      u.expected_version = target.version++;
      const std::string state = states[pick(states.size())];
      u.state = common::parseCaseState(state);
      u.filing = "pre-arrival";
      u.updated_at = swhub::testing::at(at);
      model.setState(target.id, state);
      if (pick(3) == 0) {
        const std::string seller = sellers[pick(sellers.size())];
        u.consignment_json = caseOf(target.id, state, seller, "", at).consignment_json;
        if (seller != target.seller) {
          model.leave(target.seller.empty() ? "" : "seller:" + target.seller, target.id);
          model.join("seller:" + seller, target.id, target.id);
          ++amended;
        }
        model.leave(target.buyer.empty() ? "" : "buyer:" + target.buyer, target.id);
        target.seller = seller;
        target.buyer.clear();
      }
      update.case_updates = {u};
      ASSERT_EQ(journal->commit(std::move(update)).status, CommitResult::Status::Committed);
    }
  }
  ASSERT_GT(amended, 2u) << "the seed must move some cases to another seller";
  std::size_t nonzero = 0;
  for (const auto& f : filed) {
    for (const auto& s : sellers) {
      const PartyHistory want = model.history("seller:" + s, f.id), got = journal->partyHistory("seller", s, f.id);
      EXPECT_EQ(got.cases, want.cases) << s << " before " << f.id;
      EXPECT_EQ(got.held, want.held) << s << " before " << f.id;
      nonzero += want.held > 0;
    }
    for (const auto& b : buyers) {
      const PartyHistory want = model.history("buyer:" + b, f.id), got = journal->partyHistory("buyer", b, f.id);
      EXPECT_EQ(got.cases, want.cases) << b << " before " << f.id;
      EXPECT_EQ(got.held, want.held) << b << " before " << f.id;
    }
  }
  EXPECT_GT(nonzero, 10u);
}

// Runs `sql` on the journal file: what an older hub left there. Empty when it ran, else SQLite's error.
std::string rewrite(const std::string& file, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string error;
  if (sqlite3_open(file.c_str(), &db) != SQLITE_OK || sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
    error = sqlite3_errmsg(db);
  sqlite3_close(db);
  return error;
}

// The journal's schema version and whether it still has the index `index` ("8 0": version 8, gone).
std::string versionAndIndex(const std::string& file, const std::string& index) {
  sqlite3* db = nullptr;
  sqlite3_stmt* stmt = nullptr;
  std::string out = "error";
  const std::string sql = "SELECT (SELECT version FROM schema_version) || ' ' || (SELECT count(*) FROM sqlite_master"
                          " WHERE name = '" + index + "')";
  if (sqlite3_open(file.c_str(), &db) == SQLITE_OK && sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW)
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
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
  ASSERT_EQ(rewrite(file,
                    "DROP TRIGGER cases_party_insert; DROP TRIGGER cases_party_update; DROP TRIGGER cases_party_delete;"
                    " DROP TABLE party_totals; DROP TABLE party_departures; DROP INDEX cases_seller_held;"
                    " DROP INDEX cases_buyer_held; ALTER TABLE cases DROP COLUMN seller_ord;"
                    " ALTER TABLE cases DROP COLUMN buyer_ord;"
                    " ALTER TABLE cases DROP COLUMN seller_id; ALTER TABLE cases DROP COLUMN buyer_id;"
                    " CREATE INDEX cases_seller ON cases (json_extract(consignment_json, '$.parties.seller.id'));"
                    " UPDATE schema_version SET version = 4"),
            "");

  auto journal = openJournal("sqlite:" + file);
  EXPECT_EQ(journal->partyHistory("seller", "CN-1", "C-3").cases, 2);
  EXPECT_EQ(journal->partyHistory("seller", "CN-1", "C-3").held, 1);
  EXPECT_EQ(journal->partyHistory("buyer", "PT-1", "C-3").cases, 1);
  journal.reset();
  EXPECT_EQ(versionAndIndex(file, "cases_seller"), "8 0");  // the old index goes
}

TEST(journal_party_history_sqlite, ASchema7JournalGetsOrdinalsInFilingOrderAndCountsOnFromThem) {
  TempDir dir;
  const std::string file = dir.file("journal.db");
  {
    auto journal = openJournal("sqlite:" + file);
    WriteBatch batch;  // C-2 and C-3 came in one message
    batch.new_cases = {caseOf("C-1", "held", "CN-1", "PT-1", "2026-11-28T10:00:01.000Z"),
                       caseOf("C-2", "rejected", "CN-1", "", "2026-11-28T10:00:02.000Z", "M-23"),
                       caseOf("C-3", "accepted", "CN-1", "PT-1", "2026-11-28T10:00:02.000Z", "M-23"),
                       caseOf("C-4", "accepted", "CN-2", "PT-1", "2026-11-28T10:00:03.000Z")};
    ASSERT_EQ(journal->commit(std::move(batch)).status, CommitResult::Status::Committed);
  }
  // What a schema-7 hub wrote: no ordinals, no departures, its own insert trigger, the history
  // indexes on the filing time.
  ASSERT_EQ(rewrite(file,
                    "DROP TRIGGER cases_party_insert; DROP TRIGGER cases_party_update; DROP TRIGGER cases_party_delete;"
                    " DROP TABLE party_departures; DROP INDEX cases_seller_held;"
                    " DROP INDEX cases_buyer_held; ALTER TABLE cases DROP COLUMN seller_ord;"
                    " ALTER TABLE cases DROP COLUMN buyer_ord; ALTER TABLE party_totals DROP COLUMN joined;"
                    " ALTER TABLE party_totals DROP COLUMN last_message;"
                    " ALTER TABLE party_totals DROP COLUMN message_base;"
                    " CREATE INDEX cases_seller_history ON cases (seller_id, created_at, state);"
                    " CREATE TRIGGER cases_party_insert AFTER INSERT ON cases BEGIN"
                    "  INSERT INTO party_totals (role, id, cases, held) SELECT 'seller', new.seller_id, 1,"
                    "  new.state IN ('held', 'rejected') WHERE new.seller_id IS NOT NULL ON CONFLICT (role, id)"
                    "  DO UPDATE SET cases = cases + 1, held = held + excluded.held; END;"
                    " UPDATE schema_version SET version = 7"),
            "");

  auto journal = openJournal("sqlite:" + file);
  auto expect = [&](const char* role, const char* id, const char* before, std::int64_t cases, std::int64_t held) {
    const PartyHistory h = journal->partyHistory(role, id, before);
    EXPECT_EQ(h.cases, cases) << role << " " << id << " before " << before;
    EXPECT_EQ(h.held, held) << role << " " << id << " before " << before;
  };
  expect("seller", "CN-1", "C-1", 0, 0);
  expect("seller", "CN-1", "C-3", 1, 1);  // C-2 came with C-3: not before it
  expect("seller", "CN-1", "C-2", 1, 1);
  expect("seller", "CN-1", "C-4", 3, 2);  // C-4 names CN-2: all of CN-1's
  expect("buyer", "PT-1", "C-4", 2, 1);
  // The schema-8 triggers count on from the migrated ordinals.
  WriteBatch later;
  later.new_cases = {caseOf("C-5", "accepted", "CN-1", "PT-1", "2026-11-28T10:00:04.000Z")};
  ASSERT_EQ(journal->commit(std::move(later)).status, CommitResult::Status::Committed);
  expect("seller", "CN-1", "C-5", 3, 2);
  expect("buyer", "PT-1", "C-5", 3, 1);
  expect("seller", "CN-1", "C-3", 1, 1);
  journal.reset();
  EXPECT_EQ(versionAndIndex(file, "cases_seller_history"), "8 0");
}

}  // namespace
}  // namespace swhub::journal
