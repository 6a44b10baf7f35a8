// Validated document -> HubConfig: checks the schema cannot express (address and journal syntax,
// a credential shared by two identities), then resolves relative paths once, at start.
#include "config/config.hpp"
#include "config/accounts_config.hpp"

#include <filesystem>
#include <map>
#include <tuple>
#include <utility>

namespace swhub::config {

namespace fs = std::filesystem;

ConfigError::ConfigError(sdk::Errors errors)
    : std::runtime_error(sdk::formatErrors(errors)), errors_(std::move(errors)) {}

namespace {

constexpr std::string_view kSqlite = "sqlite:";

// HOST:PORT with a port in [0, 65535]; the host may be a bracketed IPv6 address.
bool isHostPort(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  const std::string port = text.substr(colon + 1);
  if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
  return std::stoi(port) <= 65535;
}

std::string checkListen(const std::string& listen) {
  return isHostPort(listen) ? "" : "expected HOST:PORT, got '" + listen + "'";
}

std::string checkJournal(const std::string& journal) {
  if (journal.starts_with(kSqlite)) {
    return journal.size() > kSqlite.size() ? "" : "expected a file path after 'sqlite:'";
  }
  if (journal.starts_with("postgresql://") || journal.starts_with("postgres://")) return "";
  return "unsupported journal '" + journal + "'; expected sqlite:PATH or postgresql://...";
}

std::string resolvePath(const std::string& path, const fs::path& base) {
  const fs::path p(path);
  return (p.is_absolute() ? p : base / p).lexically_normal().string();
}

// A relative SQLite file is made absolute against `base`; other URLs are left alone.
std::string resolveJournal(const std::string& journal, const fs::path& base) {
  if (!journal.starts_with(kSqlite)) return journal;
  const std::string file = journal.substr(kSqlite.size());
  if (file == ":memory:" || file.starts_with("file:")) return journal;
  return std::string(kSqlite) + resolvePath(file, base);
}

std::string text(const sdk::Value& parent, std::string_view key, std::string fallback = {}) {
  const sdk::Value* v = parent.find(key);
  return v != nullptr && v->isScalar() ? v->asString() : fallback;
}

std::int64_t integer(const sdk::Value& parent, std::string_view key, std::int64_t fallback) {
  const sdk::Value* v = parent.find(key);
  return v != nullptr && v->type() == sdk::ValueType::Int ? v->asInt() : fallback;
}

void checkHub(const sdk::Value& hub, sdk::Errors& errors) {
  if (const sdk::Value* listen = hub.find("listen"); listen != nullptr && listen->isScalar()) {
    if (auto message = checkListen(listen->asString()); !message.empty()) {
      errors.push_back({"hub.listen", message});
    }
  }
  if (const sdk::Value* journal = hub.find("journal"); journal != nullptr && journal->isScalar()) {
    if (auto message = checkJournal(journal->asString()); !message.empty()) {
      errors.push_back({"hub.journal", message});
    }
  }
  const sdk::Value* tls = hub.find("tls");
  if (tls != nullptr && tls->isMap()) {
    const sdk::Value* require = tls->find("require_client_cert");
    if (require != nullptr && require->type() == sdk::ValueType::Bool && require->asBool() &&
        tls->find("ca") == nullptr) {
      errors.push_back({"hub.tls.require_client_cert",
                        "client certificates cannot be checked without hub.tls.ca"});
    }
    if (tls->find("crl") != nullptr && tls->find("ca") == nullptr) {
      errors.push_back({"hub.tls.crl", "a revocation list is checked against client certificates: needs hub.tls.ca"});
    }
  }
}

// Files the hub reads at start must be there when the file is checked, not only when it serves.
void checkFilesExist(const HubConfig& config, sdk::Errors& errors) {
  auto check = [&](const std::string& path, const std::string& where) {
    std::error_code error;
    if (!path.empty() && !fs::is_regular_file(path, error)) errors.push_back({where, "file not found: " + path});
  };
  check(config.tls.crl, "hub.tls.crl");
  check(config.receipts.key, "hub.receipts.key");
  check(config.receipts.cert, "hub.receipts.cert");
}

// A token or certificate names exactly one caller: one shared by two identities would let one
// act as the other.
void checkCredentialsUnique(const sdk::Value& document, sdk::Errors& errors) {
  static const std::map<std::string, std::string, std::less<>> kNouns = {
      {"partners", "partner"}, {"agencies", "agency"}, {"admins", "admin"}};
  std::map<std::string, std::string> tokenOwner, certificateOwner;  // -> "partner 'x'"
  for (const auto& [section, identities] : document.entries()) {
    const auto noun = kNouns.find(section);
    if (noun == kNouns.end()) continue;
    for (const auto& [id, identity] : identities.entries()) {
      const sdk::Value* credentials = identity.find("credentials");
      if (credentials == nullptr) continue;
      const std::string owner = noun->second + " '" + id + "'";
      const std::string base = section + "." + id + ".credentials";
      for (auto [key, owners, what] : {std::tuple{"tokens", &tokenOwner, "token"},
                                       std::tuple{"certificates", &certificateOwner, "certificate"}}) {
        const sdk::Value* list = credentials->find(key);
        if (list == nullptr) continue;
        for (std::size_t i = 0; i < list->items().size(); ++i) {
          const sdk::Value& item = list->items()[i];
          if (!item.isScalar() || item.asString().empty()) continue;
          auto [it, inserted] = owners->emplace(item.asString(), owner);
          if (!inserted && it->second != owner) {
            errors.push_back({base + "." + key + "[" + std::to_string(i) + "]",
                              std::string(what) + " already used by " + it->second});
          }
        }
      }
    }
  }
}

Credentials readCredentials(const sdk::Value* value) {
  Credentials out;
  if (value == nullptr) return out;
  if (const sdk::Value* tokens = value->find("tokens")) {
    for (const auto& t : tokens->items()) out.tokens.push_back(t.asString());
  }
  if (const sdk::Value* certificates = value->find("certificates")) {
    for (const auto& c : certificates->items()) out.certificates.push_back(c.asString());
  }
  return out;
}

sdk::Value settingsOf(const sdk::Value& entry) {
  const sdk::Value* settings = entry.find("settings");
  return settings != nullptr ? *settings : sdk::Value();
}

std::optional<PushConfig> pushOf(const sdk::Value& entry) {
  const sdk::Value* push = entry.find("push");
  if (push == nullptr || !push->isMap()) return std::nullopt;
  const sdk::Value* adapter = push->find("adapter");
  return PushConfig{adapter != nullptr ? adapter->asString() : "", settingsOf(*push),
                    static_cast<int>(integer(*push, "batch_max", 1))};
}


void readHub(const sdk::Value& hub, const fs::path& base, HubConfig& config) {
  config.listen = text(hub, "listen", config.listen);
  config.journal = resolveJournal(text(hub, "journal", config.journal), base);
  config.journal_wal_limit_bytes = integer(hub, "journal_wal_limit_mb", config.journal_wal_limit_bytes >> 20) << 20;
  if (hub.find("plugin_dir") != nullptr) config.plugin_dir = resolvePath(text(hub, "plugin_dir"), base);
  config.max_body_bytes = integer(hub, "max_body_bytes", config.max_body_bytes);
  config.threads = static_cast<int>(integer(hub, "threads", config.threads));
  config.max_queued = static_cast<int>(integer(hub, "max_queued", config.max_queued));
  if (const sdk::Value* http = hub.find("http")) {
    HttpLimits& l = config.http;
    l.header_timeout_ms = integer(*http, "header_timeout_ms", l.header_timeout_ms);
    l.body_timeout_ms = integer(*http, "body_timeout_ms", l.body_timeout_ms);
    l.keep_alive_timeout_ms = integer(*http, "keep_alive_timeout_ms", l.keep_alive_timeout_ms);
    l.max_pending_per_address = static_cast<int>(integer(*http, "max_pending_per_address", l.max_pending_per_address));
    l.max_requests_per_identity =
        static_cast<int>(integer(*http, "max_requests_per_identity", l.max_requests_per_identity));
    l.max_filings = static_cast<int>(integer(*http, "max_filings", l.max_filings));
    l.max_filing_bytes = integer(*http, "max_filing_bytes", l.max_filing_bytes);
  }
  if (const sdk::Value* delivery = hub.find("delivery")) {
    config.retry_base_ms = integer(*delivery, "retry_base_ms", config.retry_base_ms);
    config.retry_cap_ms = integer(*delivery, "retry_cap_ms", config.retry_cap_ms);
    config.max_attempts = static_cast<int>(integer(*delivery, "max_attempts", config.max_attempts));
    config.delivery_threads = static_cast<int>(integer(*delivery, "threads", config.delivery_threads));
  }
  if (const sdk::Value* assessment = hub.find("assessment")) {
    config.assessment_max_attempts =
        static_cast<int>(integer(*assessment, "max_attempts", config.assessment_max_attempts));
    config.assessment_retry_base_ms = integer(*assessment, "retry_base_ms", config.assessment_retry_base_ms);
    config.assessment_retry_cap_ms = integer(*assessment, "retry_cap_ms", config.assessment_retry_cap_ms);
  }
  if (const sdk::Value* returns = hub.find("returns"); returns != nullptr && returns->isMap()) {
    config.returns_window_days = static_cast<int>(integer(*returns, "window_days", config.returns_window_days));
    if (const sdk::Value* types = returns->find("proof_document_types"); types != nullptr && types->isList()) {
      config.returns_proof_types.clear();
      for (const auto& t : types->items()) config.returns_proof_types.push_back(t.asString());
    }
  }
  if (const sdk::Value* documents = hub.find("documents"); documents != nullptr && documents->isMap()) {
    config.documents_max_bytes = integer(*documents, "max_bytes", config.documents_max_bytes);
    if (const sdk::Value* types = documents->find("media_types"); types != nullptr && types->isList()) {
      config.documents_media_types.clear();
      for (const auto& t : types->items()) config.documents_media_types.push_back(t.asString());
    }
  }
  if (const sdk::Value* tls = hub.find("tls"); tls != nullptr && tls->isMap()) {
    config.tls.enabled = true;
    config.tls.cert = resolvePath(text(*tls, "cert"), base);
    config.tls.key = resolvePath(text(*tls, "key"), base);
    if (tls->find("ca") != nullptr) config.tls.ca = resolvePath(text(*tls, "ca"), base);
    const sdk::Value* require = tls->find("require_client_cert");
    config.tls.require_client_cert = require != nullptr && require->asBool();
    if (tls->find("crl") != nullptr) config.tls.crl = resolvePath(text(*tls, "crl"), base);
  }
  if (const sdk::Value* receipts = hub.find("receipts"); receipts != nullptr && receipts->isMap()) {
    config.receipts.key = resolvePath(text(*receipts, "key"), base);
    config.receipts.cert = resolvePath(text(*receipts, "cert"), base);
  }
}

const std::vector<sdk::Value::Entry>& entriesOf(const sdk::Value& document, std::string_view key) {
  static const std::vector<sdk::Value::Entry> kNone;
  const sdk::Value* v = document.find(key);
  return v != nullptr ? v->entries() : kNone;
}

}  // namespace

HubConfig buildConfig(const sdk::Value& document, const std::string& source) {
  sdk::Errors errors = hubSchema().validate(document, "", {{"plugin", kBuiltInPlugins}});
  if (const sdk::Value* hub = document.find("hub"); hub != nullptr && hub->isMap()) {
    checkHub(*hub, errors);
  }
  checkCredentialsUnique(document, errors);
  checkAccounts(document, errors);
  if (!errors.empty()) throw ConfigError(std::move(errors));

  HubConfig config;
  const fs::path absolute = source.empty() ? fs::path() : fs::absolute(source).lexically_normal();
  config.source = absolute.string();
  const fs::path base = source.empty() ? fs::current_path() : absolute.parent_path();
  config.base_dir = base.string();
  config.raw = document;

  if (const sdk::Value* hub = document.find("hub")) readHub(*hub, base, config);
  for (const auto& [name, entry] : entriesOf(document, "plugins")) {
    PluginEntry plugin{name, text(entry, "library"), ""};
    plugin.isolation = text(entry, "isolation", "in-process");
    plugin.call_timeout_ms = static_cast<int>(integer(entry, "call_timeout_ms", plugin.call_timeout_ms));
    plugin.processes = static_cast<int>(integer(entry, "processes", plugin.processes));
    plugin.max_rss_mb = static_cast<int>(integer(entry, "max_rss_mb", plugin.max_rss_mb));
    plugin.call_threads = static_cast<int>(integer(entry, "call_threads", plugin.call_threads));
    // A bare file name is looked up in plugin_dir by the loader; a path is relative to here.
    if (plugin.library.find('/') != std::string::npos) plugin.path = resolvePath(plugin.library, base);
    config.plugins.push_back(std::move(plugin));
  }
  for (const auto& [id, entry] : entriesOf(document, "partners")) {
    config.partners.push_back(PartnerConfig{id, text(entry, "kind"), text(entry, "plugin"),
                                            settingsOf(entry),
                                            readCredentials(entry.find("credentials")),
                                            integer(entry, "max_body_bytes", 0), pushOf(entry), {}, {}});
    config.partners.back().accept_valid = text(entry, "on_error", "reject-all") == "accept-valid";
  }
  readAccounts(document, config);
  for (const auto& [id, entry] : entriesOf(document, "agencies")) {
    config.agencies.push_back(AgencyConfig{id, text(entry, "name", id), text(entry, "plugin"),
                                           settingsOf(entry),
                                           readCredentials(entry.find("credentials")), pushOf(entry), std::nullopt});
    if (const sdk::Value* licences = entry.find("licences")) {
      config.agencies.back().licences = readLicenceRules(*licences, "agencies." + id + ".licences", base.string(), errors);
    }
  }
  for (const auto& [id, entry] : entriesOf(document, "admins")) {
    config.admins.push_back(AdminConfig{id, readCredentials(entry.find("credentials"))});
  }
  if (const sdk::Value* routes = document.find("routes")) config.routes = *routes;
  if (const sdk::Value* hub = document.find("hub"); hub != nullptr && hub->find("public_estimate") != nullptr) {
    config.public_estimate = readPublicEstimate(*hub->find("public_estimate"), base.string(), errors);
  }
  checkFilesExist(config, errors);
  if (!errors.empty()) throw ConfigError(std::move(errors));
  return config;
}

HubConfig loadConfig(const std::string& path) { return buildConfig(parseYamlFile(path), path); }

void applyOverrides(HubConfig& config, const std::string& listen, const std::string& journal) {
  sdk::Errors errors;
  if (!listen.empty()) {
    if (auto message = checkListen(listen); !message.empty()) errors.push_back({"--listen", message});
  }
  if (!journal.empty()) {
    if (auto message = checkJournal(journal); !message.empty()) {
      errors.push_back({"--journal", message});
    }
  }
  if (!errors.empty()) throw ConfigError(std::move(errors));
  if (!listen.empty()) config.listen = listen;
  // A path typed on the command line means what the shell around it means: the working folder.
  if (!journal.empty()) config.journal = resolveJournal(journal, fs::current_path());
}

}  // namespace swhub::config
