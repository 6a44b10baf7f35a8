#pragma once
// A search over cases (GET /v1/cases): the filters the console and the API offer, newest first,
// in pages with a cursor. Each filter that is set must hold; the SQL is built once here for both
// backends, so that they cannot differ, and every common filter is served by an index
// (sqlite_schema.cpp, pg_schema.cpp migration 5).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/case_state.hpp"
#include "common/instant.hpp"

namespace swhub::journal {

// How the agency filter is read (measured in tests/bench/README.md, "case search"):
//   Probe: walk the cases newest first (cases_filed) and probe each one's outbox rows (outbox_case)
//          until a page is full: a page costs about limit / share probes, so it is fast for an
//          agency that gets a fair share of the cases and slow for one that gets very few;
//   List:  read every case routed to the agency (outbox_pull) and sort them: fast when they are
//          few, seconds for an agency that gets most of 10^6 cases.
// The store picks one per query from the agency's share of the cases (agencyPlan below).
enum class AgencyPlan { Probe, List };

struct CaseQuery {
  std::string reference;                // "" = any
  std::string partner;                  // "" = any
  std::string agency;                   // "" = any; else the cases routed to it (a task or an assessment)
  std::optional<common::CaseState> state;
  std::optional<common::Instant> from;  // created_at >= from
  std::optional<common::Instant> to;    // created_at < to
  // The last case of the previous page (its created_at and id): the page starts after it.
  std::optional<common::Instant> after_created;
  std::string after_id;
  std::size_t limit = 50;
  AgencyPlan agency_plan = AgencyPlan::Probe;  // set by the store
};

// The SQL that reads an agency's share: the cases filed that were routed to it (its running total
// in the statistics rollups) and every case (journal_totals). `placeholder` is the agency's scope
// ("agency:<id>") parameter.
std::string agencyShareSql(const std::string& placeholder);
// List when the agency got fewer than 1 in kListBelowOneIn of the cases (its statistics are not
// filled yet, or it is new: 0, List, the plan that never walks every case for nothing).
inline constexpr std::int64_t kListBelowOneIn = 200;
inline AgencyPlan agencyPlan(std::int64_t agencyCases, std::int64_t allCases) {
  return agencyCases * kListBelowOneIn < allCases ? AgencyPlan::List : AgencyPlan::Probe;
}

// The WHERE clause (without the keyword; "1 = 1" when nothing is set) and its text parameters in
// order; `placeholder(n)` is the backend's n-th parameter ("?" or "$n", n from 1).
struct CaseQuerySql {
  std::string where;
  std::vector<std::string> params;
};
CaseQuerySql caseQuerySql(const CaseQuery& query, const std::function<std::string(std::size_t)>& placeholder);

// The columns the search reads (those of readCase, without the consignment and the status: a
// page of summaries), and its order: newest first, ties by id.
inline constexpr const char* kCaseSummaryColumns =
    "id, partner, reference, filing, state, version, '' AS consignment_json, message_id, created_at, updated_at,"
    " '{}' AS status_json";
inline constexpr const char* kCaseSearchOrder = " ORDER BY created_at DESC, id DESC";

}  // namespace swhub::journal
