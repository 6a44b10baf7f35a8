// hubSchema() and buildConfig(): exact error texts, path resolution, credentials, overrides.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/config.hpp"
#include "minimal_config.hpp"

namespace swhub::config {
namespace {

namespace fs = std::filesystem;
using sdk::Errors;

using test::kMinimal;

HubConfig build(const std::string& yaml, const std::string& source = "/etc/swhub/hub.yaml") {
  return buildConfig(parseYamlString(yaml), source);
}

Errors errorsOf(const std::string& yaml) {
  try {
    build(yaml);
  } catch (const ConfigError& e) {
    return e.errors();
  }
  return {};
}

// kMinimal with one line replaced, so that each test shows only what it breaks.
std::string minimalWith(const std::string& from, const std::string& to) {
  std::string yaml = kMinimal;
  const auto at = yaml.find(from);
  if (at == std::string::npos) throw std::logic_error("not in kMinimal: " + from);
  return yaml.replace(at, from.size(), to);
}

TEST(config_hub, BuildsAMinimalConfig) {
  const HubConfig c = build(kMinimal);
  EXPECT_EQ(c.source, "/etc/swhub/hub.yaml");
  EXPECT_EQ(c.base_dir, "/etc/swhub");
  EXPECT_EQ(c.listen, "127.0.0.1:8080");
  ASSERT_EQ(c.partners.size(), 1u);
  EXPECT_EQ(c.partners[0].id, "p1");
  EXPECT_EQ(c.partners[0].kind, "postal");
  EXPECT_EQ(c.partners[0].plugin, "canonical");
  EXPECT_EQ(c.partners[0].credentials.tokens, std::vector<std::string>{"t1"});
  ASSERT_EQ(c.agencies.size(), 1u);
  EXPECT_EQ(c.agencies[0].name, "customs");  // defaults to the id
  EXPECT_EQ(c.agencies[0].plugin, "");       // external system
  EXPECT_EQ(c.routes.items().size(), 1u);
  EXPECT_EQ(c.threads, 64);
}

TEST(config_hub, RelativeSqliteJournalIsResolvedAgainstTheConfigFolder) {
  EXPECT_EQ(build(kMinimal).journal, "sqlite:/etc/swhub/var/j.db");
}

TEST(config_hub, OtherJournalsAreKeptAsWritten) {
  EXPECT_EQ(build(minimalWith("sqlite:var/j.db", "sqlite:/data/j.db")).journal, "sqlite:/data/j.db");
  EXPECT_EQ(build(minimalWith("sqlite:var/j.db", "postgresql://db/swhub")).journal,
            "postgresql://db/swhub");
}

TEST(config_hub, TlsAndPluginDirAreResolvedAgainstTheConfigFolder) {
  const HubConfig c = build(minimalWith("  journal: sqlite:var/j.db\n",
                                        "  journal: sqlite:var/j.db\n  plugin_dir: ../lib\n"
                                        "  tls: {cert: tls/a.crt, key: /k/a.key}\n"));
  EXPECT_EQ(c.plugin_dir, "/etc/lib");
  EXPECT_TRUE(c.tls.enabled);
  EXPECT_EQ(c.tls.cert, "/etc/swhub/tls/a.crt");
  EXPECT_EQ(c.tls.key, "/k/a.key");
  EXPECT_EQ(c.tls.ca, "");
  EXPECT_FALSE(c.tls.require_client_cert);
}

TEST(config_hub, BareLibraryNameIsLeftToThePluginDir) {
  const HubConfig c = build(kMinimal);
  ASSERT_EQ(c.plugins.size(), 1u);
  EXPECT_EQ(c.plugins[0].name, "canonical");
  EXPECT_EQ(c.plugins[0].library, "swhub_canonical.so");
  EXPECT_EQ(c.plugins[0].path, "");
}

TEST(config_hub, LibraryPathIsResolvedAgainstTheConfigFolder) {
  const HubConfig c = build(minimalWith("swhub_canonical.so", "plugins/libx.so"));
  EXPECT_EQ(c.plugins[0].path, "/etc/swhub/plugins/libx.so");
}

TEST(config_hub, JournalWalLimitIsInMibWithADefaultOf64) {
  EXPECT_EQ(build(kMinimal).journal_wal_limit_bytes, 64LL << 20);
  EXPECT_EQ(build(minimalWith("  journal: sqlite:var/j.db\n", "  journal: sqlite:var/j.db\n  journal_wal_limit_mb: 8\n"))
                .journal_wal_limit_bytes,
            8LL << 20);
  EXPECT_EQ(errorsOf(minimalWith("  journal: sqlite:var/j.db\n", "  journal: sqlite:var/j.db\n  journal_wal_limit_mb: 0\n")),
            (Errors{{"hub.journal_wal_limit_mb", "0 is out of range [1, 65536]"}}));
}

TEST(config_hub, APluginRunsInProcessWithATenSecondCallTimeoutUnlessConfigured) {
  const auto defaults = build(kMinimal).plugins.at(0);
  EXPECT_EQ(defaults.isolation, "in-process");
  EXPECT_EQ(defaults.call_timeout_ms, 10000);
  EXPECT_EQ(defaults.processes, 2);
  const auto isolated = build(minimalWith("{library: swhub_canonical.so}",
                                          "{library: swhub_canonical.so, isolation: process, "
                                          "call_timeout_ms: 500, processes: 3}"))
                            .plugins.at(0);
  EXPECT_EQ(isolated.isolation, "process");
  EXPECT_EQ(isolated.call_timeout_ms, 500);
  EXPECT_EQ(isolated.processes, 3);
  EXPECT_EQ(defaults.call_threads, 4);
  EXPECT_EQ(build(minimalWith("{library: swhub_canonical.so}", "{library: swhub_canonical.so, call_threads: 1}"))
                .plugins.at(0)
                .call_threads,
            1);
  EXPECT_EQ(errorsOf(minimalWith("{library: swhub_canonical.so}",
                                 "{library: swhub_canonical.so, isolation: proces, call_timeout_ms: 1}")),
            (Errors{{"plugins.canonical.isolation", "'proces' is not one of: in-process, process; did you mean 'process'?"},
                    {"plugins.canonical.call_timeout_ms", "1 is out of range [10, 600000]"}}));
}

TEST(config_hub, AnIsolatedPluginsChildrenAreRecycledAbove512MibUnlessConfigured) {
  EXPECT_EQ(build(kMinimal).plugins.at(0).max_rss_mb, 512);
  EXPECT_EQ(build(minimalWith("{library: swhub_canonical.so}",
                              "{library: swhub_canonical.so, isolation: process, max_rss_mb: 64}"))
                .plugins.at(0)
                .max_rss_mb,
            64);
  EXPECT_EQ(errorsOf(minimalWith("{library: swhub_canonical.so}", "{library: swhub_canonical.so, max_rss_mb: 8}")),
            (Errors{{"plugins.canonical.max_rss_mb", "8 is out of range [16, 1048576]"}}));
}

TEST(config_hub, AFailingAgencyPluginIsTriedFiveTimesASecondApartDoublingUnlessConfigured) {
  const auto defaults = build(kMinimal);
  EXPECT_EQ(defaults.assessment_max_attempts, 5);
  EXPECT_EQ(defaults.assessment_retry_base_ms, 1000);
  EXPECT_EQ(defaults.assessment_retry_cap_ms, 60000);
  const auto quick = build(minimalWith("  journal: sqlite:var/j.db\n",
                                       "  journal: sqlite:var/j.db\n"
                                       "  assessment: {max_attempts: 2, retry_base_ms: 20, retry_cap_ms: 100}\n"));
  EXPECT_EQ(quick.assessment_max_attempts, 2);
  EXPECT_EQ(quick.assessment_retry_base_ms, 20);
  EXPECT_EQ(quick.assessment_retry_cap_ms, 100);
  EXPECT_EQ(errorsOf(minimalWith("  journal: sqlite:var/j.db\n",
                                 "  journal: sqlite:var/j.db\n  assessment: {max_attempts: 0}\n")),
            (Errors{{"hub.assessment.max_attempts", "0 is out of range [1, 1000]"}}));
}

TEST(config_hub, ReturnsHaveAThirtyDayWindowAndExportProofUnlessConfigured) {
  const auto defaults = build(kMinimal);
  EXPECT_EQ(defaults.returns_window_days, 30);
  EXPECT_EQ(defaults.returns_proof_types, (std::vector<std::string>{"export-proof"}));
  const auto set = build(minimalWith("  journal: sqlite:var/j.db\n",
                                     "  journal: sqlite:var/j.db\n"
                                     "  returns: {window_days: 14, proof_document_types: [N830, export-proof]}\n"));
  EXPECT_EQ(set.returns_window_days, 14);
  EXPECT_EQ(set.returns_proof_types, (std::vector<std::string>{"N830", "export-proof"}));
  EXPECT_EQ(errorsOf(minimalWith("  journal: sqlite:var/j.db\n",
                                 "  journal: sqlite:var/j.db\n  returns: {window_days: 0, proof_document_types: [\"\"]}\n")),
            (Errors{{"hub.returns.window_days", "0 is out of range [1, 3650]"},
                    {"hub.returns.proof_document_types[0]", "must not be empty"}}));
}

TEST(config_hub, DocumentsAreAtMostTenMibOfTheDefaultTypesUnlessConfigured) {
  const auto defaults = build(kMinimal);
  EXPECT_EQ(defaults.documents_max_bytes, 10485760);
  EXPECT_EQ(defaults.documents_media_types,
            (std::vector<std::string>{"application/pdf", "image/png", "image/jpeg", "application/xml", "text/xml",
                                      "application/json", "text/plain"}));
  const auto set = build(minimalWith("  journal: sqlite:var/j.db\n",
                                     "  journal: sqlite:var/j.db\n"
                                     "  documents: {max_bytes: 2048, media_types: [application/pdf]}\n"));
  EXPECT_EQ(set.documents_max_bytes, 2048);
  EXPECT_EQ(set.documents_media_types, (std::vector<std::string>{"application/pdf"}));
  EXPECT_EQ(errorsOf(minimalWith("  journal: sqlite:var/j.db\n",
                                 "  journal: sqlite:var/j.db\n  documents: {max_bytes: 0, media_types: [\"\"], size: 1}\n")),
            (Errors{{"hub.documents.max_bytes", "0 is out of range [1, 1073741824]"},
                    {"hub.documents.media_types[0]", "must not be empty"},
                    {"hub.documents.size", "unknown key 'size'; allowed keys: max_bytes, media_types"}}));
}

TEST(config_hub, UnknownHubKeySuggestsTheNearest) {
  EXPECT_EQ(errorsOf(minimalWith("listen:", "lisen:")),
            (Errors{{"hub.lisen",
                     "unknown key 'lisen'; allowed keys: accounts, assessment, delivery, documents, http, journal, journal_wal_limit_mb, listen, max_body_bytes, "
                     "max_queued, plugin_dir, public_estimate, receipts, returns, threads, tls; did you mean 'listen'?"},
                    {"hub.listen", "required key missing: HOST:PORT to serve HTTP(S) on (port 0 = "
                                   "any free port)"}}));
}

TEST(config_hub, PartnerKindIsAClosedSet) {
  EXPECT_EQ(errorsOf(minimalWith("kind: postal", "kind: postl")),
            (Errors{{"partners.p1.kind", "'postl' is not one of: postal, express, marketplace, "
                                         "broker, payment, other; did you mean 'postal'?"}}));
}

TEST(config_hub, PartnerPluginMustBeDefined) {
  EXPECT_EQ(errorsOf(minimalWith("plugin: canonical", "plugin: canonica")),
            (Errors{{"partners.p1.plugin",
                     "unknown plugin 'canonica'; defined: canonical; did you mean 'canonical'?"}}));
}

TEST(config_hub, RouteMustRequireADefinedAgency) {
  EXPECT_EQ(errorsOf(minimalWith("require: [customs]", "require: [customs, custom]")),
            (Errors{{"routes[0].require[1]",
                     "unknown agency 'custom'; defined: customs; did you mean 'customs'?"}}));
}

TEST(config_hub, RouteMustRequireAtLeastOneAgency) {
  EXPECT_EQ(errorsOf(minimalWith("require: [customs]", "require: []")),
            (Errors{{"routes[0].require", "expected at least 1 item(s), got 0"}}));
}

TEST(config_hub, ThreadsOutOfRange) {
  EXPECT_EQ(errorsOf(minimalWith("  journal: sqlite:var/j.db\n",
                                 "  journal: sqlite:var/j.db\n  threads: 1\n")),
            (Errors{{"hub.threads", "1 is out of range [2, 4096]"}}));
}

TEST(config_hub, DeliveryThreadsAreReadWithADefaultAndBounded) {
  EXPECT_EQ(build(kMinimal).delivery_threads, 8);
  const std::string with = "  journal: sqlite:var/j.db\n  delivery: {threads: 3}\n";
  EXPECT_EQ(build(minimalWith("  journal: sqlite:var/j.db\n", with)).delivery_threads, 3);
  EXPECT_EQ(errorsOf(minimalWith("  journal: sqlite:var/j.db\n", "  journal: sqlite:var/j.db\n  delivery: {threads: 0}\n")),
            (Errors{{"hub.delivery.threads", "0 is out of range [1, 256]"}}));
}

TEST(config_hub, HttpLimitsAreReadWithDefaultsAndBounded) {
  const HubConfig plain = build(kMinimal);
  EXPECT_EQ(plain.http.header_timeout_ms, 10000);
  EXPECT_EQ(plain.http.body_timeout_ms, 60000);
  EXPECT_EQ(plain.http.keep_alive_timeout_ms, 30000);
  EXPECT_EQ(plain.http.max_pending_per_address, 128);
  EXPECT_EQ(plain.http.max_requests_per_identity, 32);
  EXPECT_EQ(plain.http.max_filings, 64);
  EXPECT_EQ(plain.http.max_filing_bytes, 256LL << 20);
  const std::string with =
      "  journal: sqlite:var/j.db\n  http: {header_timeout_ms: 1500, body_timeout_ms: 2500, keep_alive_timeout_ms: 900,"
      " max_pending_per_address: 7, max_requests_per_identity: 3, max_filings: 4, max_filing_bytes: 4096}\n";
  const HubConfig c = build(minimalWith("  journal: sqlite:var/j.db\n", with));
  EXPECT_EQ(c.http.header_timeout_ms, 1500);
  EXPECT_EQ(c.http.body_timeout_ms, 2500);
  EXPECT_EQ(c.http.keep_alive_timeout_ms, 900);
  EXPECT_EQ(c.http.max_pending_per_address, 7);
  EXPECT_EQ(c.http.max_requests_per_identity, 3);
  EXPECT_EQ(c.http.max_filings, 4);
  EXPECT_EQ(c.http.max_filing_bytes, 4096);
  EXPECT_EQ(errorsOf(minimalWith("  journal: sqlite:var/j.db\n",
                                 "  journal: sqlite:var/j.db\n  http: {header_timeout_ms: 10, max_filings: 0, slow: 1}\n")),
            (Errors{{"hub.http.header_timeout_ms", "10 is out of range [100, 600000]"},
                    {"hub.http.max_filings", "0 is out of range [1, 100000]"},
                    {"hub.http.slow",
                     "unknown key 'slow'; allowed keys: body_timeout_ms, header_timeout_ms, keep_alive_timeout_ms, "
                     "max_filing_bytes, max_filings, max_pending_per_address, max_requests_per_identity"}}));
}

TEST(config_hub, PushBatchMaxIsReadAndBounded) {
  const std::string pushed = "credentials: {tokens: [t1]}, push: {adapter: canonical, batch_max: 500}}";
  const HubConfig c = build(minimalWith("credentials: {tokens: [t1]}}", pushed));
  ASSERT_TRUE(c.partners[0].push);
  EXPECT_EQ(c.partners[0].push->batch_max, 500);
  const HubConfig one = build(minimalWith("credentials: {tokens: [t1]}}", "credentials: {tokens: [t1]}, push: {adapter: canonical}}"));
  EXPECT_EQ(one.partners[0].push->batch_max, 1);  // one notification per delivery unless asked
  EXPECT_EQ(errorsOf(minimalWith("credentials: {tokens: [t1]}}",
                                 "credentials: {tokens: [t1]}, push: {adapter: canonical, batch_max: 0}}")),
            (Errors{{"partners.p1.push.batch_max", "0 is out of range [1, 10000]"}}));
}

TEST(config_hub, ListenMustBeHostAndPort) {
  EXPECT_EQ(errorsOf(minimalWith("127.0.0.1:8080", "localhost")),
            (Errors{{"hub.listen", "expected HOST:PORT, got 'localhost'"}}));
}

TEST(config_hub, JournalMustBeSqliteOrPostgresql) {
  EXPECT_EQ(errorsOf(minimalWith("sqlite:var/j.db", "mysql://db")),
            (Errors{{"hub.journal",
                     "unsupported journal 'mysql://db'; expected sqlite:PATH or postgresql://..."}}));
}

TEST(config_hub, ClientCertificatesNeedACa) {
  EXPECT_EQ(errorsOf(minimalWith("  journal: sqlite:var/j.db\n",
                                 "  journal: sqlite:var/j.db\n"
                                 "  tls: {cert: a, key: b, require_client_cert: true}\n")),
            (Errors{{"hub.tls.require_client_cert",
                     "client certificates cannot be checked without hub.tls.ca"}}));
}

TEST(config_hub, ARevocationListNeedsACa) {
  EXPECT_EQ(errorsOf(minimalWith("  journal: sqlite:var/j.db\n",
                                 "  journal: sqlite:var/j.db\n"
                                 "  tls: {cert: a, key: b, crl: /etc/hostname}\n")),
            (Errors{{"hub.tls.crl", "a revocation list is checked against client certificates: needs hub.tls.ca"}}));
}

TEST(config_hub, AMissingRevocationListIsAnErrorWithItsResolvedPath) {
  EXPECT_EQ(errorsOf(minimalWith("  journal: sqlite:var/j.db\n",
                                 "  journal: sqlite:var/j.db\n"
                                 "  tls: {cert: a, key: b, ca: c, crl: tls/clients.crl}\n")),
            (Errors{{"hub.tls.crl", "file not found: /etc/swhub/tls/clients.crl"}}));
}

TEST(config_hub, ARevocationListIsResolvedAgainstTheConfigFolder) {
  const fs::path folder = fs::temp_directory_path() / "swhub-config-crl-test";
  fs::create_directories(folder / "tls");
  { std::ofstream(folder / "tls" / "clients.crl") << "-----BEGIN X509 CRL-----\n"; }
  const HubConfig c = buildConfig(parseYamlString(minimalWith("  journal: sqlite:var/j.db\n",
                                                              "  journal: sqlite:var/j.db\n"
                                                              "  tls: {cert: a, key: b, ca: c, crl: tls/clients.crl}\n")),
                                  (folder / "hub.yaml").string());
  EXPECT_EQ(c.tls.crl, (folder / "tls" / "clients.crl").string());
  fs::remove_all(folder);
}

TEST(config_hub, ReceiptKeyFilesMustBeThere) {
  EXPECT_EQ(errorsOf(minimalWith("  journal: sqlite:var/j.db\n",
                                 "  journal: sqlite:var/j.db\n"
                                 "  receipts: {key: tls/receipts.key, cert: /nowhere/receipts.crt}\n")),
            (Errors{{"hub.receipts.key", "file not found: /etc/swhub/tls/receipts.key"},
                    {"hub.receipts.cert", "file not found: /nowhere/receipts.crt"}}));
}

TEST(config_hub, ReceiptsNeedAKeyAndACertificate) {
  EXPECT_EQ(errorsOf(minimalWith("  journal: sqlite:var/j.db\n",
                                 "  journal: sqlite:var/j.db\n"
                                 "  receipts: {key: tls/receipts.key}\n")),
            (Errors{{"hub.receipts.cert", "required key missing: its certificate, PEM, served at GET "
                                          "/v1/receipts/certificate for partners to verify receipts with"}}));
}

TEST(config_hub, TokenUsedByTwoIdentitiesIsAnError) {
  EXPECT_EQ(errorsOf(minimalWith("tokens: [t2]", "tokens: [t2, t1]")),
            (Errors{{"agencies.customs.credentials.tokens[1]", "token already used by partner 'p1'"}}));
}

TEST(config_hub, CertificateUsedByTwoIdentitiesIsAnError) {
  EXPECT_EQ(errorsOf(minimalWith("tokens: [t2]", "certificates: [cn1]") + "admins:\n"
                     "  root: {credentials: {certificates: [cn1]}}\n"),
            (Errors{{"admins.root.credentials.certificates[0]",
                     "certificate already used by agency 'customs'"}}));
}

TEST(config_hub, EmptyTokenIsAnError) {
  EXPECT_EQ(errorsOf(minimalWith("tokens: [t1]", "tokens: ['']")),
            (Errors{{"partners.p1.credentials.tokens[0]", "must not be empty"}}));
}

TEST(config_hub, EmptyDocumentListsTheRequiredSections) {
  EXPECT_EQ(errorsOf(""),
            (Errors{{"hub", "required key missing: the hub process: where it listens, where it "
                            "journals, how it loads"},
                    {"plugins", "required key missing: plugin libraries to load; the key is the "
                                "name the library must register"},
                    {"partners", "required key missing: parties that file data and receive "
                                 "status, by partner id"}}));
}

TEST(config_hub, ConfigErrorWhatListsEveryError) {
  const ConfigError e({{"a", "one"}, {"", "two"}});
  EXPECT_STREQ(e.what(), "a: one\ntwo\n");
}

TEST(config_hub, DescribeGivesEveryKeyADescription) {
  const std::string outline = hubSchema().describe();
  EXPECT_NE(outline.find("hub (map, required): the hub process"), std::string::npos);
  EXPECT_NE(outline.find("  listen (string, required): HOST:PORT"), std::string::npos);
  EXPECT_NE(outline.find("    require (list of string, required): agencies that must decide; each refers to: agency; at least 1 item(s)\n"),
            std::string::npos);
  EXPECT_EQ(outline.find("): \n"), std::string::npos) << outline;
}

TEST(config_overrides, ReplacesListen) {
  HubConfig c = build(kMinimal);
  applyOverrides(c, "127.0.0.1:0", "");
  EXPECT_EQ(c.listen, "127.0.0.1:0");
  EXPECT_EQ(c.journal, "sqlite:/etc/swhub/var/j.db");
}

TEST(config_overrides, RelativeJournalIsRelativeToTheWorkingFolder) {
  HubConfig c = build(kMinimal);
  applyOverrides(c, "", "sqlite:scratch/j.db");
  EXPECT_EQ(c.journal, "sqlite:" + (fs::current_path() / "scratch/j.db").string());
  EXPECT_EQ(c.listen, "127.0.0.1:8080");
}

TEST(config_overrides, RefusesAMalformedOverride) {
  HubConfig c = build(kMinimal);
  try {
    applyOverrides(c, "8080", "");
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.errors(), (Errors{{"--listen", "expected HOST:PORT, got '8080'"}}));
  }
  EXPECT_EQ(c.listen, "127.0.0.1:8080");
}

}  // namespace
}  // namespace swhub::config
