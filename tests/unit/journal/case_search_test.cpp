// The case search (Journal::searchCases, GET /v1/cases): every filter alone and together, newest
// first, pages that follow each other through the cursor, an agency's cases (those it was given
// a task or an assessment of), on both backends; on SQLite, the plan of each common filter reads
// an index, never the whole cases table.

#include <gtest/gtest.h>
#include <sqlite3.h>

// Queries are written with designated initializers, naming only the filters they set.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <string>
#include <vector>

#include "backends.hpp"
#include "instants.hpp"
#include "temp_dir.hpp"
#include "journal/journal.hpp"

namespace swhub::journal {
namespace {

using swhub::testing::at;
using swhub::testing::TempDir;

CaseRecord caseOf(const std::string& id, const std::string& partner, const std::string& reference,
                  common::CaseState state, const std::string& filed) {
  return {id, partner, reference, "pre-arrival", state, 1, R"({"reference":")" + reference + R"("})", "M-" + id,
          at(filed), at(filed)};
}

OutboxItem taskOf(const std::string& caseId, const std::string& agency, Channel channel) {
  OutboxItem o;
  o.id = "T-" + caseId + "-" + agency;
  o.channel = channel;
  o.recipient = agency;
  o.case_id = caseId;
  o.content_type = "application/json";
  o.body = "{}";
  o.state = OutboxState::Pull;
  o.created_at = at("2026-11-28T10:00:00.000Z");
  return o;
}

std::vector<std::string> ids(const std::vector<CaseRecord>& cases) {
  std::vector<std::string> out;
  for (const auto& c : cases) out.push_back(c.id);
  return out;
}

JOURNAL_SUITE(journal_case_search);

class Seeded {
 public:
  explicit Seeded(Journal& journal) {
    using common::CaseState;
    WriteBatch batch;
    batch.new_cases = {caseOf("C-1", "demo-post", "R-1", CaseState::Held, "2026-11-28T10:00:01.000Z"),
                       caseOf("C-2", "demo-post", "R-2", CaseState::Released, "2026-11-28T10:00:02.000Z"),
                       caseOf("C-3", "demo-shop", "R-1", CaseState::Held, "2026-11-29T09:00:00.000Z"),
                       caseOf("C-4", "demo-shop", "R-4", CaseState::Accepted, "2026-11-30T08:00:00.000Z"),
                       // Filed in the same millisecond as C-4: the id breaks the tie.
                       caseOf("C-5", "demo-post", "R-5", CaseState::Held, "2026-11-30T08:00:00.000Z")};
    batch.outbox = {taskOf("C-1", "customs", Channel::Assess), taskOf("C-3", "customs", Channel::Task),
                    taskOf("C-3", "food-safety", Channel::Task), taskOf("C-5", "customs", Channel::Task),
                    // A notification to a partner named like an agency routes nothing.
                    taskOf("C-2", "customs", Channel::Notification)};
    EXPECT_EQ(journal.commit(std::move(batch)).status, CommitResult::Status::Committed);
  }
};

TEST_P(journal_case_search, EachFilterAloneAndTogetherNewestFirst) {
  auto journal = openJournal(journalUrl());
  Seeded seeded(*journal);
  auto search = [&](CaseQuery q) { return ids(journal->searchCases(q)); };
  using V = std::vector<std::string>;
  EXPECT_EQ(search({}), (V{"C-5", "C-4", "C-3", "C-2", "C-1"}));
  EXPECT_EQ(search({.reference = "R-1"}), (V{"C-3", "C-1"}));
  EXPECT_EQ(search({.partner = "demo-post"}), (V{"C-5", "C-2", "C-1"}));
  EXPECT_EQ(search({.agency = "customs"}), (V{"C-5", "C-3", "C-1"}));
  EXPECT_EQ(search({.agency = "food-safety"}), (V{"C-3"}));
  EXPECT_EQ(search({.agency = "nobody"}), V{});
  EXPECT_EQ(search({.state = common::CaseState::Held}), (V{"C-5", "C-3", "C-1"}));
  EXPECT_EQ(search({.from = at("2026-11-29T00:00:00Z")}), (V{"C-5", "C-4", "C-3"}));
  EXPECT_EQ(search({.to = at("2026-11-29T09:00:00Z")}), (V{"C-2", "C-1"}));  // `to` excluded
  EXPECT_EQ(search({.from = at("2026-11-29T00:00:00Z"), .to = at("2026-11-30T00:00:00Z")}), (V{"C-3"}));
  EXPECT_EQ(search({.reference = "R-1", .partner = "demo-post"}), (V{"C-1"}));
  EXPECT_EQ(search({.partner = "demo-post", .agency = "customs", .state = common::CaseState::Held}),
            (V{"C-5", "C-1"}));
  // A summary: the row without the consignment and the status.
  const auto one = journal->searchCases({.reference = "R-4"});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].partner, "demo-shop");
  EXPECT_EQ(one[0].state, common::CaseState::Accepted);
  EXPECT_EQ(one[0].created_at, at("2026-11-30T08:00:00Z"));
  EXPECT_EQ(one[0].consignment_json, "");
}

TEST_P(journal_case_search, PagesFollowEachOtherThroughTheCursorWithoutGapOrRepeat) {
  auto journal = openJournal(journalUrl());
  Seeded seeded(*journal);
  // Pages of one and of two: a cursor falls between C-5 and C-4, filed in the same millisecond.
  for (const std::size_t size : {1u, 2u}) {
    std::vector<std::string> seen;
    CaseQuery q{.limit = size};
    for (int page = 0; page < 6; ++page) {
      const auto cases = journal->searchCases(q);
      for (const auto& c : cases) seen.push_back(c.id);
      if (cases.size() < q.limit) break;
      q.after_created = cases.back().created_at;
      q.after_id = cases.back().id;
    }
    EXPECT_EQ(seen, (std::vector<std::string>{"C-5", "C-4", "C-3", "C-2", "C-1"})) << size;
  }
  // The cursor goes with the filters: the customs cases after C-5.
  EXPECT_EQ(ids(journal->searchCases({.agency = "customs", .after_created = at("2026-11-30T08:00:00Z"), .after_id = "C-5"})),
            (std::vector<std::string>{"C-3", "C-1"}));
}

// The agency filter has two plans (case_query.hpp): an agency with a fair share of the cases is
// probed case by case, newest first; one with few has its cases listed and sorted. The share is
// read from the statistics rollups (here written by the test itself, as plan_stats would), and
// either plan answers the same cases in the same order, pages included.
TEST_P(journal_case_search, TheAgencyFilterAnswersAlikeWhicheverPlanTheAgencysShareChooses) {
  auto journal = openJournal(journalUrl());
  Seeded seeded(*journal);
  auto search = [&](CaseQuery q) { return ids(journal->searchCases(q)); };
  using V = std::vector<std::string>;
  const V customs{"C-5", "C-3", "C-1"}, food{"C-3"};
  EXPECT_EQ(search({.agency = "customs"}), customs);  // no rollups: a share of 0, listed
  WriteBatch shares;
  shares.stats = {{kAllTimeHour, "agency:customs", "cases_filed", "", "", 3},
                  {kAllTimeHour, "agency:food-safety", "cases_filed", "", "", 1}};
  ASSERT_EQ(journal->commit(std::move(shares)).status, CommitResult::Status::Committed);
  EXPECT_EQ(agencyPlan(3, 5), AgencyPlan::Probe);
  EXPECT_EQ(agencyPlan(1, 1000), AgencyPlan::List);
  EXPECT_EQ(search({.agency = "customs"}), customs);  // 3 of 5: probed
  EXPECT_EQ(search({.agency = "food-safety"}), food);
  EXPECT_EQ(search({.agency = "customs", .after_created = at("2026-11-30T08:00:00Z"), .after_id = "C-5", .limit = 1}), V{"C-3"});
  // Both plans' SQL, whatever the share, on this journal's rows.
  for (const AgencyPlan plan : {AgencyPlan::Probe, AgencyPlan::List}) {
    CaseQuery q{.agency = "customs"};
    q.agency_plan = plan;
    const CaseQuerySql sql = caseQuerySql(q, [](std::size_t n) { return "$" + std::to_string(n); });
    EXPECT_NE(sql.where.find(plan == AgencyPlan::Probe ? "EXISTS" : " IN ("), std::string::npos) << sql.where;
  }
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

TEST(journal_case_search_sqlite, EveryCommonFilterReadsAnIndexNotTheWholeTable) {
  TempDir dir;
  { auto journal = openJournal("sqlite:" + dir.file("journal.db")); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir.file("journal.db").c_str(), &db), SQLITE_OK);
  const CaseQuery queries[] = {{},
                               {.reference = "R-1"},
                               {.partner = "demo-post"},
                               {.agency = "customs", .agency_plan = AgencyPlan::List},
                               {.state = common::CaseState::Held},
                               {.from = at("2026-11-29T00:00:00Z"), .to = at("2026-11-30T00:00:00Z")},
                               {.partner = "demo-post", .after_created = at("2026-11-30T08:00:00Z"), .after_id = "C-5"}};
  for (const auto& q : queries) {
    const CaseQuerySql sql = caseQuerySql(q, [](std::size_t) { return std::string("?"); });
    const std::string text = std::string("SELECT ") + kCaseSummaryColumns + " FROM cases WHERE " + sql.where +
                             kCaseSearchOrder + " LIMIT 50";
    const std::string plan = planOf(db, text);
    // A whole-table read is "SCAN cases;"; the unfiltered search walks cases_filed in order and
    // stops at its limit.
    EXPECT_EQ(plan.find("SCAN cases;"), std::string::npos) << sql.where << ": " << plan;
    if (sql.where != "1 = 1") {
      EXPECT_EQ(plan.find("SCAN cases"), std::string::npos) << sql.where << ": " << plan;
    }
    EXPECT_EQ(plan.find("SCAN outbox"), std::string::npos) << sql.where << ": " << plan;
    EXPECT_EQ(plan.find("error"), std::string::npos) << plan;
  }
  // The probing plan walks the filing-time index newest first (stopping at its limit) and probes
  // each case's outbox rows by their case index.
  const CaseQuerySql probe = caseQuerySql({.agency = "customs", .agency_plan = AgencyPlan::Probe},
                                          [](std::size_t) { return std::string("?"); });
  const std::string plan = planOf(db, std::string("SELECT ") + kCaseSummaryColumns + " FROM cases WHERE " +
                                          probe.where + kCaseSearchOrder + " LIMIT 50");
  EXPECT_NE(plan.find("SCAN cases USING INDEX cases_filed"), std::string::npos) << plan;
  EXPECT_NE(plan.find("USING INDEX outbox_case (case_id=?)"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
  sqlite3_close(db);
}

}  // namespace
}  // namespace swhub::journal
