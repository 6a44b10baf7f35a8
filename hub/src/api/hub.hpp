#pragma once
// The running hub: configuration, plugin instances, journal, metrics and the HTTP front,
// assembled in that order and torn down in reverse.

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "api/case_views.hpp"
#include "api/filing_service.hpp"
#include "api/identity.hpp"
#include "config/config.hpp"
#include "journal/journal.hpp"
#include "metrics/metrics.hpp"
#include "plugin/registry.hpp"

namespace Poco {
class ThreadPool;
namespace Net {
class HTTPServer;
}
}  // namespace Poco

namespace swhub::api {

// The loaded plugins and the partner/agency instances built from the config. Throws
// plugin::PluginError with every error (load, settings, factory) found.
struct Runtime {
  plugin::PluginRegistry registry;
  std::map<std::string, std::unique_ptr<PartnerRuntime>> partners;
  std::map<std::string, std::unique_ptr<plugin::Instance<sdk::AgencyPlugin>>> agencies;
  std::unique_ptr<plugin::Instance<sdk::PartnerPlugin>> canonical;  // the canonical format, for every partner

  // Destroy instances before the registry releases the libraries.
  ~Runtime();
};

std::unique_ptr<Runtime> buildRuntime(const config::HubConfig& config);

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
  bool ready() const;

 private:
  config::HubConfig config_;
  metrics::HubMetrics metrics_;
  IdentityMap identities_;
  std::unique_ptr<Runtime> runtime_;
  std::unique_ptr<journal::Journal> journal_;
  std::unique_ptr<FilingService> filings_;
  std::unique_ptr<CaseViews> cases_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  std::atomic<bool> started_{false};
  std::string boundHost_;
  unsigned short boundPort_ = 0;
};

}  // namespace swhub::api
