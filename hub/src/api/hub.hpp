#pragma once
// The running hub: configuration, plugin instances, journal, metrics and the HTTP front,
// assembled in that order and torn down in reverse.

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "api/admin_api.hpp"
#include "api/agency_api.hpp"
#include "api/case_views.hpp"
#include "api/filing_service.hpp"
#include "api/identity.hpp"
#include "api/request_limits.hpp"
#include "config/config.hpp"
#include "journal/journal.hpp"
#include "metrics/metrics.hpp"
#include "plugin/bounded_plugins.hpp"
#include "plugin/registry.hpp"
#include "delivery/delivery_worker.hpp"
#include "release/assessment_worker.hpp"
#include "release/coordinator.hpp"
#include "routing/route_table.hpp"
#include "security/receipt_signer.hpp"

namespace Poco {
class ThreadPool;
}  // namespace Poco

namespace swhub::api {

class ConnectionGate;

// The loaded plugins and the partner/agency instances built from the config. Throws
// plugin::PluginError with every error (load, settings, factory) found.
struct Runtime {
  plugin::PluginRegistry registry;
  std::map<std::string, std::unique_ptr<PartnerRuntime>> partners;
  std::map<std::string, std::unique_ptr<plugin::Instance<sdk::AgencyPlugin>>> agencies;
  std::unique_ptr<plugin::Instance<sdk::PartnerPlugin>> canonical;  // the canonical format, for every partner
  std::map<std::string, std::unique_ptr<plugin::Instance<sdk::Adapter>>> push;  // recipient -> push adapter
  std::shared_ptr<const routing::RouteTable> routes;
  // The call threads of every in-process instance (bounded calls; README "Plugin faults").
  plugin::CallBulkheads bulkheads;
  // What works only in part, for the operator ({"partners.demo-broker", "DMS filings are off: ..."}):
  // shown by check-config and the start-up log; the hub runs all the same.
  sdk::Errors notices;

  // Destroy instances before the registry releases the libraries.
// Also compiles the route table (all errors with their paths).
  ~Runtime();
};

std::unique_ptr<Runtime> buildRuntime(const config::HubConfig& config);

// The certificate that verifies receipts and audit checkpoints: hub.receipts.cert, else the one
// made at the first start beside the journal (`swhub audit verify` reads it).
std::string receiptCertificatePath(const config::HubConfig& config);

class Hub {
 public:
  // Loads plugins, opens the journal, binds the listening socket. Throws on any error.
  explicit Hub(config::HubConfig config);
  ~Hub();

  void start();
  void stop();
  // "127.0.0.1:PORT" as bound (the real port when the config said 0).
  std::string boundAddress() const;
  std::string scheme() const { return config_.tls.enabled ? "https" : "http"; }

  const config::HubConfig& config() const { return config_; }
  journal::Journal& journal() { return *journal_; }
  metrics::HubMetrics& metrics() { return metrics_; }
  const IdentityMap& identities() const { return identities_; }
  const FilingService& filings() const { return *filings_; }
  const CaseViews& cases() const { return *cases_; }
  const AgencyApi& agencyApi() const { return *agencyApi_; }
  const AdminApi& adminApi() const { return *adminApi_; }
  RequestLimits& limits() { return *limits_; }
  release::Coordinator& coordinator() { return *coordinator_; }
  bool hasReceipts() const { return receipts_ != nullptr; }
  const security::ReceiptSigner& receipts() const { return *receipts_; }
  // Where the receipt key is, for the start-up log ("made now at the first start: ...").
  const std::string& receiptsNote() const { return receiptsNote_; }
  const sdk::Errors& notices() const { return runtime_->notices; }
  bool ready() const;
  // The /metrics exposition: the hub's metrics with the journal's and the delivery worker's.
  std::string renderMetrics();
  // After a commit that queued work: the workers look at the outbox now rather than at their next poll.
  void wakeWorkers();

 private:
  config::HubConfig config_;
  metrics::HubMetrics metrics_;
  IdentityMap identities_;
  std::unique_ptr<Runtime> runtime_;
  std::unique_ptr<journal::Journal> journal_;
  std::unique_ptr<release::Coordinator> coordinator_;
  std::unique_ptr<security::ReceiptSigner> receipts_;
  std::string receiptsNote_;
  std::unique_ptr<FilingService> filings_;
  std::unique_ptr<CaseViews> cases_;
  std::unique_ptr<AgencyApi> agencyApi_;
  std::unique_ptr<AdminApi> adminApi_;
  std::unique_ptr<release::AssessmentWorker> assessor_;
  std::unique_ptr<delivery::DeliveryWorker> delivery_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<RequestLimits> limits_;
  std::unique_ptr<ConnectionGate> gate_;
  std::atomic<bool> started_{false};
  std::string boundHost_;
  unsigned short boundPort_ = 0;
};

}  // namespace swhub::api
