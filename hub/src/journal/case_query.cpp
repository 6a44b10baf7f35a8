#include "journal/case_query.hpp"

namespace swhub::journal {

CaseQuerySql caseQuerySql(const CaseQuery& query, const std::function<std::string(std::size_t)>& placeholder) {
  CaseQuerySql out;
  auto param = [&](std::string value) {
    out.params.push_back(std::move(value));
    return placeholder(out.params.size());
  };
  auto add = [&](const std::string& condition) {
    out.where += out.where.empty() ? "" : " AND ";
    out.where += condition;
  };
  if (!query.reference.empty()) add("reference = " + param(query.reference));
  if (!query.partner.empty()) add("partner = " + param(query.partner));
  if (query.state) add("state = " + param(std::string(common::toString(*query.state))));
  if (query.from) add("created_at >= " + param(common::toString(*query.from)));
  if (query.to) add("created_at < " + param(common::toString(*query.to)));
  if (!query.agency.empty()) {
    // Routed to the agency: it was given a task or an assessment of the case.
    if (query.agency_plan == AgencyPlan::List) {
      add("id IN (SELECT case_id FROM outbox WHERE recipient = " + param(query.agency) +
          " AND channel IN ('task', 'assess'))");
    } else {
      add("EXISTS (SELECT 1 FROM outbox o WHERE o.case_id = cases.id AND o.recipient = " + param(query.agency) +
          " AND o.channel IN ('task', 'assess'))");
    }
  }
  if (query.after_created) {
    const std::string at = common::toString(*query.after_created);
    const std::string before = param(at);
    const std::string same = param(at);
    add("(created_at < " + before + " OR (created_at = " + same + " AND id < " + param(query.after_id) + "))");
  }
  if (out.where.empty()) out.where = "1 = 1";
  return out;
}

std::string agencyShareSql(const std::string& placeholder) {
  return "SELECT (SELECT coalesce(sum(value), 0) FROM stat_rollups WHERE scope = " + placeholder +
         " AND hour = -1 AND family = 'cases_filed' AND key1 = '' AND key2 = ''),"
         " (SELECT coalesce(sum(value), 0) FROM journal_totals WHERE name = 'cases')";
}

}  // namespace swhub::journal
