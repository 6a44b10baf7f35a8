#pragma once
// A search over cases (GET /v1/cases): the filters the console and the API offer, newest first,
// in pages with a cursor. Each filter that is set must hold; the SQL is built once here for both
// backends, so that they cannot differ, and every common filter is served by an index
// (sqlite_schema.cpp, pg_schema.cpp migration 5).

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/case_state.hpp"
#include "common/instant.hpp"

namespace swhub::journal {

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
};

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
