#pragma once
// Admin endpoints: the compiled routes and their reload, the dead-letter queue and its replay,
// a case's whole trace, and counts.
//   GET  /v1/admin/routes                 POST /v1/admin/reload
//   GET  /v1/admin/dead-letters           POST /v1/admin/dead-letters/{seq}/replay
//   GET  /v1/admin/cases/{id}/trace       GET  /v1/admin/stats

#include <functional>
#include <string>

#include "api/http_result.hpp"
#include "journal/journal.hpp"
#include "release/coordinator.hpp"

namespace swhub::api {

// Why a reload was refused: the file is not valid, or it changes more than the routes (a new
// agency, partner, credential, plugin or listener needs a restart; a reload never routes to an
// agency that the running hub has not started). Both empty: the routes were swapped.
struct ReloadOutcome {
  sdk::Errors invalid;
  sdk::Errors needsRestart;
};

class AdminApi {
 public:
  // `reload` re-reads the config file and swaps the route table, or says why it refused.
  AdminApi(journal::Journal& journal, release::Coordinator& coordinator,
           std::function<ReloadOutcome()> reload, std::function<void()> wakeDelivery)
      : journal_(journal), coordinator_(coordinator), reload_(std::move(reload)), wake_(std::move(wakeDelivery)) {}

  HttpResult routes() const;
  HttpResult reload() const;
  HttpResult deadLetters(const std::string& after, const std::string& limit) const;
  HttpResult replay(const std::string& seq) const;
  HttpResult trace(const std::string& caseId) const;
  // The journal counts and the statistics over ?from=&to= (README "Statistics").
  HttpResult stats(const std::string& from = "", const std::string& to = "") const;

  // The trace as JSON (also for `swhub trace`), or "" when the case does not exist.
  std::string traceJson(const std::string& caseId) const;

 private:
  journal::Journal& journal_;
  release::Coordinator& coordinator_;
  std::function<ReloadOutcome()> reload_;
  std::function<void()> wake_;
};

// The same trace, straight from a journal (the CLI opens the journal itself).
std::string caseTraceJson(journal::Journal& journal, const std::string& caseId);

}  // namespace swhub::api
