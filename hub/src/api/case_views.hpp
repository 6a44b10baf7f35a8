#pragma once
// GET /v1/cases/{id} and GET /v1/cases?reference=: what a caller may see of cases, scoped to
// the caller: a partner sees only its own cases (another's is 404, never 403, so ids cannot be
// probed); an agency the cases routed to it; an admin sees all.

#include <string>
#include <utility>
#include <vector>

#include "api/http_result.hpp"
#include "api/identity.hpp"
#include "journal/journal.hpp"

namespace swhub::model {
class ObjectWriter;
}

namespace swhub::api {

// A case's summary members (case_id, reference, partner, filing, state, version, created_at,
// updated_at): one entry of a list of cases.
void writeCaseSummary(model::ObjectWriter& c, const journal::CaseRecord& record);

class CaseViews {
 public:
  explicit CaseViews(journal::Journal& journal) : journal_(journal) {}
  HttpResult byId(const Identity& caller, const std::string& caseId) const;
  // `partner` is only honoured for admins (a partner's own id is implied).
  HttpResult byReference(const Identity& caller, const std::string& reference, const std::string& partner) const;
  // GET /v1/cases?reference=&partner=&state=&agency=&from=&to=&limit=&after=: the caller's cases
  // that match, newest first, a page at a time (case_search.cpp). `?reference=R` alone (and an
  // admin's `&partner=P`) answers as byReference does.
  HttpResult search(const Identity& caller, const std::vector<std::pair<std::string, std::string>>& query) const;

 private:
  journal::Journal& journal_;
};

}  // namespace swhub::api
