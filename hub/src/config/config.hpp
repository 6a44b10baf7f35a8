#pragma once
// The hub's configuration: YAML (yaml-cpp) -> sdk::Value -> validated against hubSchema() ->
// an immutable HubConfig. Every error of the file comes out at once, with its dotted path.

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <set>
#include <string>
#include <vector>

#include "config/licence_registry.hpp"
#include "config/public_estimate_config.hpp"
#include "swhub/sdk/schema.hpp"
#include "swhub/sdk/status.hpp"
#include "swhub/sdk/value.hpp"

namespace swhub::config {

// Thrown by the control plane (loading the file, validating it): carries every error found.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(sdk::Errors errors);
  const sdk::Errors& errors() const { return errors_; }

 private:
  sdk::Errors errors_;
};

struct TlsConfig {
  bool enabled = false;
  std::string cert;   // PEM, absolute after load
  std::string key;
  std::string ca;     // client CA bundle; "" = no client certificates
  bool require_client_cert = false;
  std::string crl;    // revocation lists of the client CAs, PEM, absolute; "" = none checked
};

// The key that signs receipts and its certificate (PEM, absolute after load). Both empty: a key
// made at the first start beside the journal (security::ReceiptSigner::loadOrMake).
struct ReceiptsConfig {
  std::string key;
  std::string cert;
};

// Plugins built into the hub (builtin/): partners and agencies may name them without an entry
// under `plugins`.
inline const std::set<std::string> kBuiltInPlugins = {"canonical"};

struct PluginEntry {
  std::string name;     // the map key: the name the library must register
  std::string library;  // as written ("swhub_canonical.so" or a path)
  std::string path;     // resolved absolute path
  // Where the plugin's code runs: "in-process" (the default: loaded into the hub) or "process"
  // (a supervised child process of its own, restarted after a crash; README "Plugin faults").
  std::string isolation = "in-process";
  // The longest one call into the plugin may take (a decoder's next(), an encode, an assessment,
  // a delivery); beyond it the call is a recorded failure (README "Plugin faults").
  int call_timeout_ms = 10000;
  // isolation: process only: how many child processes serve calls at once (per instance).
  int processes = 2;
  // isolation: process only: a child whose resident memory exceeds this after a call is replaced
  // (recycled); its address space is capped at 4 x this + 1 GiB (RLIMIT_AS) as a backstop.
  int max_rss_mb = 512;
  // isolation: in-process only: the plugin instance's own call threads (its bulkhead); a call that
  // never returns keeps one, and when all are kept the plugin's calls fail at once (busy).
  int call_threads = 4;
};

struct Credentials {
  std::vector<std::string> tokens;        // bearer tokens
  std::vector<std::string> certificates;  // client certificate subject CNs
};

// A push endpoint: an adapter plugin and its settings (e.g. http_webhook with a url).
struct PushConfig {
  std::string adapter;  // a key of plugins (an adapter plugin)
  sdk::Value settings;
  int batch_max = 1;     // notifications encoded into one delivery at most (partners)
};

struct PartnerConfig {
  std::string id;
  std::string kind;     // postal | express | marketplace | broker | payment | other
  std::string plugin;   // a key of plugins
  sdk::Value settings;  // validated by the plugin's schema
  Credentials credentials;
  std::int64_t max_body_bytes = 0;  // 0 = hub default
  std::optional<PushConfig> push;   // notifications pushed; absent = pull only
  bool accept_valid = false;        // on_error: accept-valid (file the valid filings of a message)
  std::string account;              // its duty account id; "" = none (README "Account statements")
};

struct AgencyConfig {
  std::string id;
  std::string name;
  std::string plugin;   // "" = external system (pull/push)
  sdk::Value settings;
  Credentials credentials;
  std::optional<PushConfig> push;  // tasks pushed to the external system; absent = pull only
  std::optional<LicenceRules> licences;  // items that need a licence of its registry (README "Licences and certificates")
};

struct AdminConfig {
  std::string id;
  Credentials credentials;
};

// hub.http: what one slow or greedy client may hold (see README, "Slow clients and overload").
struct HttpLimits {
  std::int64_t header_timeout_ms = 10000;      // a request's head must arrive whole within this
  std::int64_t body_timeout_ms = 60000;        // its body within this after the head
  std::int64_t keep_alive_timeout_ms = 30000;  // an idle kept-alive connection is closed after this
  int max_pending_per_address = 128;           // connections of one address without a whole head yet
  int max_requests_per_identity = 32;          // requests of one caller in progress at once (429 above)
  int max_filings = 64;                        // filings being received or filed at once (503 above)
  std::int64_t max_filing_bytes = 256LL << 20;  // their declared body bytes together (503 above)
};

// hub.accounts: the periods and payment terms of account statements (README "Account statements").
struct AccountsConfig {
  std::string time_zone = "UTC";  // an IANA name or UTC: whose calendar months the periods are
  int payment_due_days = 15;      // a statement is due this many days after its period's last day
};

struct HubConfig {
  std::string source;     // the file it was read from, absolute
  std::string base_dir;   // its folder: relative paths in the file are relative to it
  std::string listen = "127.0.0.1:8080";
  std::string journal = "sqlite:var/swhub-journal.db";  // as written; sqlite paths made absolute
  std::int64_t journal_wal_limit_bytes = 64LL << 20;  // hub.journal_wal_limit_mb: the SQLite WAL's bound
  std::string plugin_dir;  // absolute; "" = beside the swhub binary (<exe dir>/plugins)
  std::int64_t max_body_bytes = 1048576;
  int threads = 64;                  // HTTP worker threads (POCO serves one connection per thread)
  int max_queued = 256;              // requests with a whole head waiting for a thread before 503
  HttpLimits http;
  TlsConfig tls;
  ReceiptsConfig receipts;
  std::int64_t retry_base_ms = 500;    // push delivery backoff
  std::int64_t retry_cap_ms = 60000;
  int max_attempts = 30;               // then dead-lettered (about 25 minutes of retries)
  int delivery_threads = 8;            // deliveries to different recipients at once
  // hub.assessment: an in-process agency plugin that fails is retried with backoff (base doubled
  // per attempt, up to the cap), then the case is held for that agency with the reason.
  int assessment_max_attempts = 5;
  std::int64_t assessment_retry_base_ms = 1000;
  std::int64_t assessment_retry_cap_ms = 60000;
  AccountsConfig accounts;
  // hub.returns (README "Returns and refunds"): the window after release, the proof-of-export types.
  int returns_window_days = 30;
  std::vector<std::string> returns_proof_types{"export-proof"};
  // hub.documents (README "Supporting documents"): the largest document, the media types accepted.
  std::int64_t documents_max_bytes = 10LL << 20;
  std::vector<std::string> documents_media_types{"application/pdf", "image/png",  "image/jpeg", "application/xml",
                                                 "text/xml",        "application/json", "text/plain"};
  // hub.public_estimate (README "Public estimate"): GET /v1/public/estimate, off by default.
  PublicEstimateConfig public_estimate;
  std::vector<PluginEntry> plugins;  // in file order
  std::vector<PartnerConfig> partners;
  std::vector<AgencyConfig> agencies;
  std::vector<AdminConfig> admins;
  sdk::Value routes;                 // compiled by the router (issue 3)
  sdk::Value raw;                    // the whole document
};

// The schema of hub.yaml (every key described; `swhub check-config --describe` prints it).
const sdk::Schema& hubSchema();

// Reads YAML into a Value tree with line/column (a syntax error becomes a ConfigError naming
// the file, line and column).
sdk::Value parseYamlFile(const std::string& path);
sdk::Value parseYamlString(const std::string& text, const std::string& name = "<string>");

// Validates against hubSchema() (unknown keys, types, ranges, required keys, references) and
// builds the HubConfig. Plugin settings are checked later, by the loader, against each plugin's
// own schema. Throws ConfigError with every error.
HubConfig loadConfig(const std::string& path);
HubConfig buildConfig(const sdk::Value& document, const std::string& source);

// Applies `serve --listen` / `--journal` overrides (empty = keep).
void applyOverrides(HubConfig& config, const std::string& listen, const std::string& journal);

}  // namespace swhub::config
