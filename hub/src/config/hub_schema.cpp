// The schema of hub.yaml. Every key is described: `swhub check-config --describe` prints this.
#include "config/config.hpp"

#include <string>
#include <vector>

#include "swhub/sdk/model.hpp"

namespace swhub::config {

namespace {

using sdk::Schema;

constexpr std::int64_t kMinBodyBytes = 1024;
constexpr std::int64_t kMaxBodyBytes = 1073741824;  // 1 GiB

Schema bodyLimit() {
  return Schema::integer("largest request body accepted, in bytes (413 above)", kMinBodyBytes,
                         kMaxBodyBytes);
}

Schema credentials(std::string description) {
  return Schema::object(std::move(description))
      .optional("tokens", Schema::list("bearer tokens that identify this caller",
                                       Schema::string("a bearer token").nonEmpty()))
      .optional("certificates",
                Schema::list("TLS client certificate subject common names that identify this caller",
                             Schema::string("a certificate subject CN").nonEmpty()));
}

// What one slow or greedy client may hold; every bound answers, none hangs or drops silently.
Schema httpLimits() {
  return Schema::object("bounds on slow clients and overload: a plain HTTP request's head is read off the "
                        "worker threads, so a client that trickles it holds no thread (with hub.tls a "
                        "worker reads it, under the same deadline)")
      .optional("header_timeout_ms",
                Schema::integer("a request's head (request line and headers) must arrive whole within this "
                                "many ms of the connection (or, on a kept-alive connection, of its first "
                                "byte), however steadily it trickles; else 408 and the connection is closed "
                                "(default 10000)",
                                100, 600000))
      .optional("body_timeout_ms",
                Schema::integer("a request's body must arrive whole within this many ms of its head; else "
                                "408, nothing is filed, and the connection is closed (default 60000)",
                                100, 3600000))
      .optional("keep_alive_timeout_ms",
                Schema::integer("an idle kept-alive connection is closed after this many ms (default 30000)",
                                100, 3600000))
      .optional("max_pending_per_address",
                Schema::integer("connections from one source address that have not yet sent a whole "
                                "request head (new or idle kept-alive); one more is answered 503 with "
                                "Retry-After and closed (default 128)",
                                1, 1000000))
      .optional("max_requests_per_identity",
                Schema::integer("requests of one caller (partner, agency, admin) in progress at once; one "
                                "more is answered 429 with Retry-After (default 32)",
                                1, 100000))
      .optional("max_filings",
                Schema::integer("filings (POST /v1/messages) being received or filed at once; one more is "
                                "answered 503 with Retry-After (default 64)",
                                1, 100000))
      .optional("max_filing_bytes",
                Schema::integer("declared body bytes of the filings in progress together (a chunked body "
                                "counts as the partner's max_body_bytes); a filing that would go beyond "
                                "is answered 503 with Retry-After (default 268435456)",
                                1024, 1099511627776LL));
}

Schema hubSection() {
  return Schema::object("the hub process: where it listens, where it journals, how it loads")
      .required("listen", Schema::string("HOST:PORT to serve HTTP(S) on (port 0 = any free port)")
                              .nonEmpty())
      .required("journal",
                Schema::string("journal URL: sqlite:PATH (relative to this file's folder) or "
                               "postgresql://...")
                    .nonEmpty())
      .optional("journal_wal_limit_mb",
                Schema::integer("SQLite journal: the write-ahead log is truncated once it reaches this "
                                "many MiB (default 64); commits pause while the checkpoint that truncates "
                                "it runs, so a small bound costs throughput",
                                1, 65536))
      .optional("plugin_dir", Schema::string("folder of plugin libraries named by bare file name, "
                                             "relative to this file's folder; default: the "
                                             "plugins folder beside the swhub binary")
                                  .nonEmpty())
      .optional("max_body_bytes", bodyLimit())
      .optional("threads", Schema::integer("HTTP worker threads (default 64); a request holds one from its "
                                           "whole head to its answer; an idle or trickling plain HTTP "
                                           "connection holds none",
                                           2, 4096))
      .optional("max_queued",
                Schema::integer("requests (their head read whole) waiting for a thread before the hub "
                                "answers 503 with Retry-After (default 256)",
                                1, 100000))
      .optional("http", httpLimits())
      .optional("tls",
                Schema::object("serve HTTPS instead of HTTP")
                    .required("cert", Schema::string("server certificate chain, PEM").nonEmpty())
                    .required("key", Schema::string("server private key, PEM").nonEmpty())
                    .optional("ca", Schema::string("CA bundle that signs client certificates, PEM")
                                        .nonEmpty())
                    .optional("require_client_cert",
                              Schema::boolean("refuse a connection without a valid client "
                                              "certificate (needs ca)"))
                    .optional("crl",
                              Schema::string("certificate revocation lists of the CAs that sign client "
                                             "certificates, PEM (one per CA, concatenated), relative to "
                                             "this file's folder; a revoked client certificate is refused "
                                             "at the handshake; read at start (restart after replacing it); "
                                             "needs ca")
                                  .nonEmpty()))
      .optional("receipts",
                Schema::object("the key that signs every receipt (202 of POST /v1/messages, the answer to "
                               "POST /v1/agency/decisions); absent: a P-256 key and a self-signed "
                               "certificate are made at the first start beside the SQLite journal "
                               "(receipts.key, receipts.crt)")
                    .required("key", Schema::string("Ed25519 or ECDSA P-256 private key, PEM, unencrypted, "
                                                    "relative to this file's folder")
                                         .nonEmpty())
                    .required("cert", Schema::string("its certificate, PEM, served at GET /v1/receipts/certificate "
                                                     "for partners to verify receipts with")
                                          .nonEmpty()))
      .optional("delivery",
                Schema::object("push delivery: retries with exponential backoff and jitter, then the "
                               "dead-letter queue")
                    .optional("retry_base_ms", Schema::integer("delay before the second attempt", 1, 3600000))
                    .optional("retry_cap_ms", Schema::integer("longest delay between attempts", 1, 86400000))
                    .optional("max_attempts",
                              Schema::integer("attempts before an item goes to the dead-letter queue", 1, 1000))
                    .optional("threads",
                              Schema::integer("deliveries to different recipients at once (default 8); one "
                                              "at a time per recipient, so a receiver that hangs holds one "
                                              "thread and delays nobody else",
                                              1, 256)))
      .optional("assessment",
                Schema::object("in-process agency plugins: a failed assessment (the plugin timed out, "
                               "was busy, crashed or answered an invalid decision) is retried with "
                               "backoff, then the case is held for that agency with the reason "
                               "(reason code PLUGIN-FAILED)")
                    .optional("max_attempts",
                              Schema::integer("attempts before the case is held (default 5)", 1, 1000))
                    .optional("retry_base_ms",
                              Schema::integer("delay before the second attempt, doubled for each next "
                                              "one (default 1000)",
                                              1, 3600000))
                    .optional("retry_cap_ms",
                              Schema::integer("longest delay between attempts (default 60000)", 1, 86400000)))
      .optional("accounts",
                Schema::object("account statements (GET /v1/accounts/{id}/statements/{YYYY-MM}, swhub "
                               "statement): the periods and the payment due date of every account")
                    .optional("time_zone",
                              Schema::string("the time zone whose calendar months are the statement periods: "
                                             "an item belongs to the month of its release instant there "
                                             "(an IANA name such as Europe/Lisbon, or UTC: the default)")
                                  .nonEmpty())
                    .optional("payment_due_days",
                              Schema::integer("days after a period's last day by which its statement is to be "
                                              "paid (default 15: the 15th of the next month)",
                                              0, 366)))
      .optional("returns",
                Schema::object("returns and refunds: a `return` filing names a released (or cleared) case and "
                               "the items going back; when they match the inbound items and are proven to "
                               "have left, the duties and taxes paid for them are refunded")
                    .optional("window_days",
                              Schema::integer("a return filed more than this many days after the case was "
                                              "released (a case cleared but not released: filed) is held "
                                              "with the reason, code RET-LATE (default 30)",
                                              1, 3650))
                    .optional("proof_document_types",
                              Schema::list("document types that prove the goods left (proof of export), on "
                                           "an item of the return (default [export-proof])",
                                           Schema::string("a document type as filed").nonEmpty())))
      .optional("documents",
                Schema::object("supporting documents of cases (POST /v1/cases/{case_id}/documents): what the "
                               "hub stores; an archive (zip, gzip, 7z, rar, tar, bzip2, xz) is always refused")
                    .optional("max_bytes",
                              Schema::integer("the largest document in bytes (default 10485760: 10 MiB); a larger "
                                              "one is refused with 413",
                                              1, 1LL << 30))
                    .optional("media_types",
                              Schema::list("the media types accepted (default application/pdf, image/png, "
                                           "image/jpeg, application/xml, text/xml, application/json, "
                                           "text/plain); another is refused with 415 naming these",
                                           Schema::string("a media type, lower case, without parameters "
                                                          "(application/pdf)")
                                               .nonEmpty())))
      .optional("public_estimate", publicEstimateSchema());
}

Schema plugins() {
  return Schema::map("plugin libraries to load; the key is the name the library must register",
                     Schema::object("one plugin library")
                         .required("library", Schema::string("a file name looked up in "
                                                             "hub.plugin_dir, or a path (with a "
                                                             "'/') relative to this file's folder")
                                                  .nonEmpty())
                         .optional("isolation",
                                   Schema::oneOf("where the plugin's code runs: in-process (default) "
                                                 "or process (a supervised child process: a crash "
                                                 "costs only its in-flight work)",
                                                 {"in-process", "process"}))
                         .optional("call_timeout_ms",
                                   Schema::integer("the longest one call into the plugin may take "
                                                   "(default 10000); beyond it the call fails and "
                                                   "is recorded",
                                                   10, 600000))
                         .optional("processes",
                                   Schema::integer("isolation: process only: child processes "
                                                   "serving calls at once, per instance (default 2)",
                                                   1, 64))
                         .optional("max_rss_mb",
                                   Schema::integer("isolation: process only: a child whose resident "
                                                   "memory exceeds this many MiB after a call is "
                                                   "replaced (default 512); its address space is "
                                                   "capped at 4 x this + 1 GiB",
                                                   16, 1048576))
                         .optional("call_threads",
                                   Schema::integer("isolation: in-process only: each instance's own "
                                                   "call threads (default 4); a call that never "
                                                   "returns keeps one, and when all are kept its "
                                                   "calls fail at once (busy)",
                                                   1, 64)))
      .defines("plugin");
}

Schema push(std::string description) {
  return Schema::object(std::move(description))
      .required("adapter", Schema::string("the adapter plugin that delivers (e.g. http_webhook)").refersTo("plugin"))
      .optional("settings", Schema::any("the adapter's settings, checked against the adapter's own schema"));
}

Schema partners() {
  return Schema::map("parties that file data and receive status, by partner id",
                     Schema::object("one partner")
                         .required("kind", Schema::oneOf("what the partner is",
                                                         {"postal", "express", "marketplace",
                                                          "broker", "payment", "other"}))
                         .required("plugin", Schema::string("the partner plugin that decodes its "
                                                            "format and encodes its notifications")
                                                 .refersTo("plugin"))
                         .optional("settings", Schema::any("the plugin's settings, checked "
                                                           "against the plugin's own schema"))
                         .optional("max_body_bytes", bodyLimit())
                         .optional("account",
                                   Schema::string("the partner's duty account (a deferment account): what it "
                                                  "files under the `account` collection model is charged to it "
                                                  "and consolidated in its periodic statement; 1-64 letters, "
                                                  "digits, '-', '_' or '.', one partner per account")
                                       .nonEmpty())
                         .optional("on_error",
                                   Schema::oneOf("what one bad filing does to a message of several: "
                                                 "reject-all (default: nothing is filed, every error "
                                                 "listed) or accept-valid (the valid filings are "
                                                 "filed, the bad ones listed under 'rejected' in the "
                                                 "receipt)",
                                                 {"reject-all", "accept-valid"}))
                         .required("credentials", credentials("how the partner is identified"))
                         .optional("push", push("push the partner's notifications through an adapter; "
                                                "absent: the partner pulls GET /v1/notifications")
                                               .optional("batch_max",
                                                         Schema::integer("notifications per delivery at "
                                                                         "most: the partner's plugin "
                                                                         "encodes up to this many due "
                                                                         "ones into one message "
                                                                         "(default 1: one each)",
                                                                         1, 10000))))
      .defines("partner");
}

Schema agencies() {
  return Schema::map("border agencies that decide on consignments, by agency id",
                     Schema::object("one agency")
                         .optional("name", Schema::string("display name; default: the id"))
                         .optional("plugin", Schema::string("the agency plugin that decides in "
                                                            "process; absent: an external system "
                                                            "that pulls tasks and posts decisions")
                                                 .refersTo("plugin"))
                         .optional("settings", Schema::any("the plugin's settings, checked "
                                                           "against the plugin's own schema"))
                         .optional("credentials",
                                   credentials("how the agency's external system is identified"))
                         .optional("push", push("push tasks to the agency's external system through an "
                                                "adapter; absent: it pulls GET /v1/agency/tasks"))
                         .optional("licences", licencesSchema()))
      .defines("agency");
}

Schema admins() {
  return Schema::map("administrators, by id",
                     Schema::object("one administrator")
                         .required("credentials", credentials("how the administrator is "
                                                              "identified")));
}

std::vector<std::string> filingKinds() {
  std::vector<std::string> names;
  for (int k = static_cast<int>(sdk::FilingKind::PreLoading);
       k <= static_cast<int>(sdk::FilingKind::FinalSupplementary); ++k) {
    names.emplace_back(sdk::toString(static_cast<sdk::FilingKind>(k)));
  }
  return names;
}

// Item values are Decimal (4 fraction digits in an int64): bounds stay well inside it.
constexpr double kMaxItemValue = 99999999999999;

// What the schema cannot say (HS prefix digits, country codes, min <= max, unique names) is
// checked by routing::RouteTable::compile, which the hub runs after this schema.
Schema routeMatch() {
  return Schema::object("which filings and items the route applies to; every condition set must "
                        "hold, a list holds when any of its values does; absent or {}: all")
      .optional("filings", Schema::list("filing kinds the route applies to; absent: any",
                                        Schema::oneOf("a filing kind", filingKinds())))
      .optional("partners", Schema::list("partners whose filings the route applies to; absent: any",
                                         Schema::string("a partner id").nonEmpty())
                                .refersTo("partner"))
      .optional("categories",
                Schema::list("immediate-release categories (1 documents, 2 low value not dutiable, "
                             "3 low value dutiable, 4 high value); a filing whose category is "
                             "not yet known matches none; absent: any",
                             Schema::integer("a category", 1, 4)))
      .optional("hs_prefix",
                Schema::list("an item matches when its HS code starts with one of these; 2 to 10 "
                             "digits, quoted (\"0201\") so that a leading zero is kept; absent: "
                             "any item",
                             Schema::string("an HS code prefix").nonEmpty()))
      .optional("origins", Schema::list("an item matches when it originates in one of these ISO "
                                        "3166-1 alpha-2 countries; absent: any item",
                                        Schema::string("a country code").nonEmpty()))
      .optional("value",
                Schema::object("an item matches when its value (as filed, in its currency) lies "
                               "in this range, bounds included; absent: any item")
                    .optional("min", Schema::number("lowest item value; absent: no lower bound", 0,
                                                    kMaxItemValue))
                    .optional("max", Schema::number("highest item value; absent: no upper bound", 0,
                                                    kMaxItemValue)));
}

Schema routes() {
  return Schema::list(
      "routing rules, in order: every route that matches adds its agencies and recipients",
      Schema::object("one route")
          .required("name", Schema::string("the route's name, unique, shown in traces").nonEmpty())
          .optional("match", routeMatch())
          .required("require", Schema::list("agencies that must decide",
                                            Schema::string("an agency id"), 1)
                                   .refersTo("agency"))
          .optional("notify", Schema::list("partners told of the case's progress besides the filer",
                                           Schema::string("a partner id").nonEmpty())
                                  .refersTo("partner")));
}

}  // namespace

const sdk::Schema& hubSchema() {
  static const Schema schema = Schema::object("swhub configuration")
                                   .required("hub", hubSection())
                                   .required("plugins", plugins())
                                   .required("partners", partners())
                                   .optional("agencies", agencies())
                                   .optional("admins", admins())
                                   .optional("routes", routes());
  return schema;
}

}  // namespace swhub::config
