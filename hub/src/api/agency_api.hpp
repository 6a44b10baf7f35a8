#pragma once
// The agency side of the HTTP contract and the partner's notification pull:
//   GET  /v1/agency/tasks?after=CURSOR&limit=N   an agency's queue (only cases routed to it)
//   POST /v1/agency/decisions                    {case_id, decision, reason, items?, decided_at}
//   GET  /v1/notifications?after=CURSOR&limit=N  a partner's notifications, in order
// Cursors are the journal's outbox sequence numbers: pass back `next`.

#include <string>

#include "api/http_result.hpp"
#include "api/identity.hpp"
#include "journal/journal.hpp"
#include "metrics/metrics.hpp"
#include "release/coordinator.hpp"
#include "security/receipt_signer.hpp"

namespace swhub::api {

class AgencyApi {
 public:
  // `signer` signs the acknowledgement of every decision recorded (security/receipt_text.hpp).
  AgencyApi(journal::Journal& journal, const release::Coordinator& coordinator, metrics::HubMetrics& metrics,
            const security::ReceiptSigner& signer)
      : journal_(journal), coordinator_(coordinator), metrics_(metrics), signer_(signer) {}

  HttpResult tasks(const Identity& caller, const std::string& after, const std::string& limit) const;
  // GET /v1/agency/stats: the statistics of the cases routed to the caller and of its own
  // decisions over ?from=&to= (README "Statistics"); an agency only.
  HttpResult stats(const Identity& caller, const std::string& from, const std::string& to) const;
  HttpResult decide(const Identity& caller, const std::string& body) const;
  HttpResult notifications(const Identity& caller, const std::string& after, const std::string& limit) const;

 private:
  journal::Journal& journal_;
  const release::Coordinator& coordinator_;
  metrics::HubMetrics& metrics_;
  const security::ReceiptSigner& signer_;
};

// Parses a cursor and a limit (1..1000, default 100); errors name the query parameter.
sdk::Errors parsePage(const std::string& after, const std::string& limit, std::int64_t& cursor, std::size_t& count);

}  // namespace swhub::api
