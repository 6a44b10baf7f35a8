#include "app/hub.hpp"

#include <filesystem>
#include <iostream>
#include <set>

#include "api/http_server.hpp"
#include "app/licence_setup.hpp"
#include "config/config_diff.hpp"
#include "estimate/estimator.hpp"
#include "plugin/isolation_metrics.hpp"
#include "release/notification_format.hpp"
#include "stats/prometheus_series.hpp"
#include "stats/rollup_fill.hpp"
#include "stats/rollup_plan.hpp"

namespace swhub::app {
namespace {

// Where a key made at the first start lives: beside an SQLite journal file, else var/ in the
// config's folder.
std::filesystem::path receiptsFolder(const config::HubConfig& config) {
  const std::string& journal = config.journal;
  if (journal.rfind("sqlite:", 0) == 0) {
    const std::string file = journal.substr(7);
    if (file != ":memory:" && file.rfind("file:", 0) != 0 && std::filesystem::path(file).has_parent_path()) {
      return std::filesystem::path(file).parent_path();
    }
  }
  return std::filesystem::path(config.base_dir) / "var";
}

std::unique_ptr<security::ReceiptSigner> makeReceiptSigner(const config::HubConfig& config, std::string& note) {
  if (!config.receipts.key.empty()) {
    auto signer = security::ReceiptSigner::load(config.receipts.key, config.receipts.cert);
    note = signer->algorithm() + " key " + signer->keyPath() + " (hub.receipts)";
    return signer;
  }
  bool made = false;
  auto signer = security::ReceiptSigner::loadOrMake(receiptsFolder(config), made);
  note = signer->algorithm() + " key " + signer->keyPath() + ", certificate " + signer->certPath() +
         (made ? " (made now, at the first start: set hub.receipts to use your own)"
               : " (made at the first start: set hub.receipts to use your own)");
  return signer;
}

}  // namespace

std::string receiptCertificatePath(const config::HubConfig& config) {
  if (!config.receipts.cert.empty()) return config.receipts.cert;
  return (receiptsFolder(config) / security::ReceiptSigner::kCertFile).string();
}

Hub::Hub(config::HubConfig config) : config_(std::move(config)), identities_(config_) {
  runtime_ = buildRuntime(config_);
  journal::JournalOptions options;
  options.on_commit = [this](std::chrono::duration<double> seconds, std::size_t batches) {
    metrics_.commitSeconds.observe(seconds.count());
    metrics_.commitBatch.observe(static_cast<double>(batches));
  };
  options.wal_limit_bytes = config_.journal_wal_limit_bytes;
  options.exclusive = true;  // one serving hub per journal; the CLI reads beside it
  // The receipt key also signs the audit chain's checkpoints: it lives as long as the journal.
  receipts_ = makeReceiptSigner(config_, receiptsNote_);
  options.audit_sign = [signer = receipts_.get()](std::string_view bytes) { return signer->sign(bytes); };
  // Every batch carries the statistics rollups of what it changes (stats/rollup_plan.hpp), planned
  // with reads of this journal: set once it is open (no batch is committed before).
  options.plan_stats = [this](journal::WriteBatch& batch) { stats::planRollups(batch, stats::journalSource(*journal_)); };
  journal_ = journal::openJournal(config_.journal, options);
  // A journal written before it kept rollups gets them once, before anything new is counted.
  stats::fillRollups(*journal_);
  // Leases carry this process start's owner id: what a crashed predecessor had claimed is handed
  // back now rather than when its lease runs out.
  const std::string owner = journal::newOwnerId();
  journal_->releaseDeadClaims(owner + "/");

  release::Directory directory;
  directory.returns = {config_.returns_window_days, config_.returns_proof_types};
  for (const auto& [id, partner] : runtime_->partners) {
    directory.partners[id] = {partner->instance->plugin.get(), runtime_->push.count(id) > 0, partner->config.plugin};
  }
  std::map<std::string, release::AgencyHandle> agencyPlugins;
  std::map<std::string, delivery::Endpoint> endpoints;
  for (const auto& agency : config_.agencies) {
    directory.agencies[agency.id] = {runtime_->agencies.count(agency.id) > 0, runtime_->push.count(agency.id) > 0};
  }
  for (const auto& [id, instance] : runtime_->agencies) {
    agencyPlugins[id] = {instance->plugin.get(), instance->source->descriptor->abi_minor >= plugin::kFindingsAbiMinor,
                         instance->source->name};
  }
  for (const auto& [id, instance] : runtime_->push) {
    endpoints[id].adapter = instance->plugin.get();
    endpoints[id].adapter_name = instance->source->name;
  }
  for (const auto& partner : config_.partners) {
    auto endpoint = endpoints.find(partner.id);
    auto plugin = runtime_->partners.find(partner.id);
    if (endpoint == endpoints.end() || plugin == runtime_->partners.end()) continue;
    // Notifications leave in the partner's format, up to batch_max in one delivery.
    endpoint->second.batch_max = static_cast<std::size_t>(partner.push->batch_max);
    release::NotificationEncoder encoder{plugin->second->instance->plugin.get(), partner.id, partner.plugin};
    endpoint->second.format = [this, encoder](const std::vector<journal::OutboxItem>& items) {
      auto formatted = release::formatNotifications(encoder, items);
      // The worker dead-letters the refused ones; counted and logged here, where the partner is known.
      for (const auto& refused : formatted.refused) {
        metrics_.notificationsUnencodable.increment(encoder.partner);
        release::logUnencodable(refused.reason);
      }
      delivery::Formatted out;
      out.message = std::move(formatted.message);
      out.everything = formatted.carried.size() == items.size();
      out.carried = std::move(formatted.carried);
      for (auto& refused : formatted.refused) out.refused.emplace_back(refused.index, std::move(refused.reason));
      out.deferred = std::move(formatted.deferred);
      // The plugin failed on them: retried by the worker; counted here, once per encode that failed.
      if (!formatted.failed.empty()) {
        const auto& failure = formatted.failed.front().failure;
        metrics_.pluginFailures.increment(failure.plugin, std::string(plugin::toString(failure.kind)));
      }
      for (auto& failed : formatted.failed) out.failed.emplace_back(failed.index, std::move(failed.reason));
      return out;
    };
  }
  coordinator_ = std::make_unique<release::Coordinator>(*journal_, std::move(directory), runtime_->routes);
  auto licences = setUpLicences(config_, *journal_);
  coordinator_->setLicences(licences);
  std::set<std::string> agencyIds;
  for (const auto& agency : config_.agencies) agencyIds.insert(agency.id);
  licenceApi_ = std::make_unique<api::LicenceApi>(*journal_, std::move(agencyIds));
  filings_ = std::make_unique<api::FilingService>(*journal_, metrics_, runtime_->partners,
                                             runtime_->canonical ? runtime_->canonical->plugin.get() : nullptr,
                                             *coordinator_, *receipts_);
  cases_ = std::make_unique<api::CaseViews>(*journal_);
  agencyApi_ = std::make_unique<api::AgencyApi>(*journal_, *coordinator_, metrics_, *receipts_);
  statements_ = std::make_unique<accounts::StatementBook>(config_);
  accountApi_ = std::make_unique<api::AccountApi>(*journal_, *statements_);
  documentApi_ = std::make_unique<api::DocumentApi>(
      *journal_, *coordinator_, documents::DocumentRules{config_.documents_max_bytes, config_.documents_media_types});
  routeDryRun_ = std::make_unique<api::RouteDryRun>(
      *journal_, [this] { return coordinator_->routes(); }, config_.raw, config_.source);
  adminApi_ = std::make_unique<api::AdminApi>(
      *journal_, *coordinator_,
      [this] { return reload(); },
      [this] { wakeWorkers(); });
  journal_->onReload([this] {
    const api::ReloadOutcome outcome = reloadRoutes();
    if (!outcome.invalid.empty() || !outcome.needsRestart.empty()) {
      std::cerr << "swhub: a reload announced by another node was refused here: "
                << sdk::formatErrors(outcome.invalid.empty() ? outcome.needsRestart : outcome.invalid) << "\n";
    }
  });
  // The public estimate calls the same (bounded or isolated) agency plugins as the worker below,
  // routes on the coordinator's table in force, and lists the same licence requirements.
  {
    estimate::EstimateSources sources;
    sources.plugins = agencyPlugins;
    for (const auto& agency : config_.agencies) sources.agencyNames[agency.id] = agency.name;
    sources.routes = [this] { return coordinator_->routes(); };
    sources.licences = licences;
    sources.destinations = config_.public_estimate.destinations;
    sources.countFailure = [this](const plugin::Failure& failure) {
      metrics_.pluginFailures.increment(failure.plugin, std::string(plugin::toString(failure.kind)));
    };
    estimates_ = std::make_unique<api::EstimateApi>(
        config_.public_estimate,
        std::make_unique<estimate::Estimator>(std::move(sources), estimate::HeadingSearch(config_.public_estimate.headings)));
  }
  assessor_ = std::make_unique<release::AssessmentWorker>(*journal_, *coordinator_, std::move(agencyPlugins), owner + "/assess");
  assessor_->setRetry({config_.assessment_max_attempts, std::chrono::milliseconds(config_.assessment_retry_base_ms),
                       std::chrono::milliseconds(config_.assessment_retry_cap_ms)});
  auto countFailure = [this](const plugin::Failure& failure) {
    metrics_.pluginFailures.increment(failure.plugin, std::string(plugin::toString(failure.kind)));
  };
  assessor_->onPluginFailure(countFailure);
  delivery::RetryPolicy retry;
  retry.base = std::chrono::milliseconds(config_.retry_base_ms);
  retry.cap = std::chrono::milliseconds(config_.retry_cap_ms);
  retry.maxAttempts = config_.max_attempts;
  delivery_ = std::make_unique<delivery::DeliveryWorker>(*journal_, std::move(endpoints), retry, owner + "/push",
                                                        static_cast<std::size_t>(config_.delivery_threads));
  delivery_->onPluginFailure(countFailure);

  server_ = std::make_unique<api::HttpServer>(config_, *this);
}

Hub::~Hub() {
  // No reload from another node may reach a hub that is going.
  if (journal_) journal_->onReload({});
  // The front ends first: its workers give kept-alive connections back to the gate.
  server_.reset();
  if (delivery_) delivery_->stop();
  if (assessor_) assessor_->stop();
  delivery_.reset();
  assessor_.reset();
  documentApi_.reset();
  routeDryRun_.reset();
  estimates_.reset();
  accountApi_.reset();
  statements_.reset();
  adminApi_.reset();
  licenceApi_.reset();
  agencyApi_.reset();
  cases_.reset();
  filings_.reset();
  coordinator_.reset();
  journal_.reset();  // drains queued commits and signs the last checkpoint
  receipts_.reset();
  runtime_.reset();
}

api::ReloadOutcome Hub::reload() {
  api::ReloadOutcome outcome = reloadRoutes();
  // Every other node on this journal reloads its own file too (PostgreSQL: NOTIFY).
  if (outcome.invalid.empty() && outcome.needsRestart.empty()) journal_->announceReload();
  return outcome;
}

api::ReloadOutcome Hub::reloadRoutes() {
  // Reload validates the whole file again and swaps the route table atomically; a file that
  // changes anything else is refused whole, naming each change. One reload at a time: the admin
  // endpoint and SIGHUP may race.
  std::lock_guard lock(reloadMutex_);
  api::ReloadOutcome outcome;
  try {
    auto fresh = config::loadConfig(config_.source);
    outcome.needsRestart = config::needsRestart(config_.raw, fresh.raw);
    if (!outcome.needsRestart.empty()) return outcome;
    auto routes = routing::RouteTable::compile(fresh.routes.isNull() ? sdk::Value::list() : fresh.routes, "routes");
    if (!routes.ok()) {
      outcome.invalid = routes.errors();
      return outcome;
    }
    coordinator_->setRoutes(routes.take());
  } catch (const config::ConfigError& e) {
    outcome.invalid = e.errors();
  }
  return outcome;
}

void Hub::start() {
  assessor_->start();
  delivery_->start();
  server_->start();
  started_ = true;
}

void Hub::stop() {
  if (started_.exchange(false)) server_->stop();
}

std::string Hub::boundAddress() const { return server_->boundAddress(); }

api::RequestLimits& Hub::limits() { return server_->limits(); }

void Hub::wakeWorkers() {
  if (assessor_) assessor_->wake();
  if (delivery_) delivery_->wake();
}

std::string Hub::renderMetrics() {
  const auto& d = delivery_->stats();
  const auto gate = server_->gateCounts();
  const auto [filings, filingBytes] = server_->limits().filingsInProgress();
  std::vector<std::pair<std::string, double>> gauges{
      {"swhub_journal_writable", journal_->writable() ? 1 : 0},
      {"swhub_http_waiting_connections", static_cast<double>(gate.waiting)},
      {"swhub_http_queued_requests", static_cast<double>(gate.queued)},
      {"swhub_http_filings_in_progress", static_cast<double>(filings)},
      {"swhub_http_filing_bytes_in_progress", static_cast<double>(filingBytes)}};
  // Calls into in-process plugins whose callers gave up and that have not returned (yet).
  for (const auto& [name, stuck] : runtime_->bulkheads.stuckByPlugin()) {
    gauges.emplace_back("swhub_plugin_stuck_calls{plugin=\"" + name + "\"}", static_cast<double>(stuck));
  }
  std::vector<std::pair<std::string, double>> counters{
      {"swhub_http_refused_total{reason=\"head-timeout\"}", static_cast<double>(gate.headTimeouts)},
      {"swhub_http_refused_total{reason=\"address\"}", static_cast<double>(gate.refusedAddress)},
      {"swhub_http_refused_total{reason=\"queue\"}", static_cast<double>(gate.refusedQueue)},
      {"swhub_delivery_items_total{outcome=\"delivered\"}", static_cast<double>(d.delivered.load())},
      {"swhub_delivery_items_total{outcome=\"retried\"}", static_cast<double>(d.retried.load())},
      {"swhub_delivery_items_total{outcome=\"dead\"}", static_cast<double>(d.deadLettered.load())},
      {"swhub_deliveries_total", static_cast<double>(d.deliveries.load())}};
  // Plugins under isolation: process: their children's crashes, restarts, timeouts and recycling.
  auto isolated = plugin::isolationMetrics(runtime_->registry);
  gauges.insert(gauges.end(), isolated.gauges.begin(), isolated.gauges.end());
  counters.insert(counters.end(), isolated.counters.begin(), isolated.counters.end());
  return metrics_.render(gauges, counters) + stats::renderStatsSeries(*journal_);
}

bool Hub::ready() const { return journal_ && journal_->writable(); }

}  // namespace swhub::app
