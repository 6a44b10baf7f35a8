#pragma once
// The running hub: configuration, plugin instances, journal, the release coordinator and its
// workers, the services and the HTTP front, assembled in that order and torn down in reverse.

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "api/hub_services.hpp"
#include "app/runtime.hpp"
#include "delivery/delivery_worker.hpp"
#include "journal/journal.hpp"
#include "release/assessment_worker.hpp"
#include "release/coordinator.hpp"

namespace swhub::api {
class HttpServer;
}  // namespace swhub::api

namespace swhub::app {

// The certificate that verifies receipts and audit checkpoints: hub.receipts.cert, else the one
// made at the first start beside the journal (`swhub audit verify` reads it).
std::string receiptCertificatePath(const config::HubConfig& config);

class Hub : public api::HubServices {
 public:
  // Loads plugins, opens the journal, binds the listening socket. Throws on any error.
  explicit Hub(config::HubConfig config);
  ~Hub() override;

  void start();
  void stop();
  // Re-reads the config file and swaps the route table in whole, or says why not (the file is
  // invalid, or changes more than routes). POST /v1/admin/reload and SIGHUP both come here
  // (reload): once applied, every other node on the journal is told to reload its own file too.
  api::ReloadOutcome reload();
  // The same, on this node only: what a reload announced by another node runs.
  api::ReloadOutcome reloadRoutes();
  // "127.0.0.1:PORT" as bound (the real port when the config said 0).
  std::string boundAddress() const;
  std::string scheme() const { return config_.tls.enabled ? "https" : "http"; }

  const config::HubConfig& config() const override { return config_; }
  journal::Journal& journal() { return *journal_; }
  metrics::HubMetrics& metrics() override { return metrics_; }
  const api::IdentityMap& identities() const override { return identities_; }
  const api::FilingService& filings() const override { return *filings_; }
  const api::CaseViews& cases() const override { return *cases_; }
  const api::AgencyApi& agencyApi() const override { return *agencyApi_; }
  const api::AdminApi& adminApi() const override { return *adminApi_; }
  const api::LicenceApi& licenceApi() const override { return *licenceApi_; }
  const api::AccountApi& accountApi() const override { return *accountApi_; }
  const api::DocumentApi& documentApi() const override { return *documentApi_; }
  const api::RouteDryRun& routeDryRun() const override { return *routeDryRun_; }
  api::RequestLimits& limits() override;
  api::EstimateApi& estimates() override { return *estimates_; }
  release::Coordinator& coordinator() { return *coordinator_; }
  bool hasReceipts() const override { return receipts_ != nullptr; }
  const security::ReceiptSigner& receipts() const override { return *receipts_; }
  // Where the receipt key is, for the start-up log ("made now at the first start: ...").
  const std::string& receiptsNote() const { return receiptsNote_; }
  // Why the journal cannot write again until the hub restarts ("" while it can): Journal::lost().
  std::string journalLost() const { return journal_ ? journal_->lost() : ""; }
  const sdk::Errors& notices() const { return runtime_->notices; }
  bool ready() const override;
  // The /metrics exposition: the hub's metrics with the journal's and the delivery worker's.
  std::string renderMetrics() override;
  void wakeWorkers() override;

 private:
  config::HubConfig config_;
  metrics::HubMetrics metrics_;
  api::IdentityMap identities_;
  std::unique_ptr<Runtime> runtime_;
  std::unique_ptr<journal::Journal> journal_;
  std::unique_ptr<release::Coordinator> coordinator_;
  std::unique_ptr<security::ReceiptSigner> receipts_;
  std::string receiptsNote_;
  std::unique_ptr<api::FilingService> filings_;
  std::unique_ptr<api::CaseViews> cases_;
  std::unique_ptr<api::AgencyApi> agencyApi_;
  std::unique_ptr<api::AdminApi> adminApi_;
  std::unique_ptr<api::LicenceApi> licenceApi_;
  std::unique_ptr<accounts::StatementBook> statements_;
  std::unique_ptr<api::AccountApi> accountApi_;
  std::unique_ptr<api::DocumentApi> documentApi_;
  std::unique_ptr<api::RouteDryRun> routeDryRun_;
  std::unique_ptr<api::EstimateApi> estimates_;
  std::unique_ptr<release::AssessmentWorker> assessor_;
  std::unique_ptr<delivery::DeliveryWorker> delivery_;
  std::unique_ptr<api::HttpServer> server_;
  std::atomic<bool> started_{false};
  std::mutex reloadMutex_;
};

}  // namespace swhub::app
