#pragma once
// What the HTTP front serves from: the services of a running hub, as the API sees them. The hub
// itself (app/hub.hpp) assembles them; the API area only serves HTTP.

#include <string>

#include "api/account_api.hpp"
#include "api/admin_api.hpp"
#include "api/agency_api.hpp"
#include "api/case_views.hpp"
#include "api/estimate_api.hpp"
#include "api/filing_service.hpp"
#include "api/identity.hpp"
#include "api/licence_api.hpp"
#include "api/request_limits.hpp"
#include "api/route_dry_run.hpp"
#include "config/config.hpp"
#include "metrics/metrics.hpp"
#include "security/receipt_signer.hpp"

namespace swhub::api {

class HubServices {
 public:
  virtual ~HubServices() = default;

  virtual const config::HubConfig& config() const = 0;
  virtual metrics::HubMetrics& metrics() = 0;
  virtual const IdentityMap& identities() const = 0;
  virtual const FilingService& filings() const = 0;
  virtual const CaseViews& cases() const = 0;
  virtual const AgencyApi& agencyApi() const = 0;
  virtual const AdminApi& adminApi() const = 0;
  virtual const LicenceApi& licenceApi() const = 0;
  virtual const AccountApi& accountApi() const = 0;
  virtual const RouteDryRun& routeDryRun() const = 0;
  virtual RequestLimits& limits() = 0;
  // GET and POST /v1/public/estimate (no identity; rate limited per address).
  virtual EstimateApi& estimates() = 0;
  virtual bool hasReceipts() const = 0;
  virtual const security::ReceiptSigner& receipts() const = 0;
  // The journal is writable (GET /readyz).
  virtual bool ready() const = 0;
  // The /metrics exposition.
  virtual std::string renderMetrics() = 0;
  // After a commit that queued work: the workers look at the outbox now rather than at their next poll.
  virtual void wakeWorkers() = 0;
};

}  // namespace swhub::api
