// The schema of hub.yaml. Every key is described: `swhub check-config --describe` prints this.
#include "config/config.hpp"

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

Schema hubSection() {
  return Schema::object("the hub process: where it listens, where it journals, how it loads")
      .required("listen", Schema::string("HOST:PORT to serve HTTP(S) on (port 0 = any free port)")
                              .nonEmpty())
      .required("journal",
                Schema::string("journal URL: sqlite:PATH (relative to this file's folder) or "
                               "postgresql://...")
                    .nonEmpty())
      .optional("plugin_dir", Schema::string("folder of plugin libraries named by bare file name, "
                                             "relative to this file's folder; default: the "
                                             "plugins folder beside the swhub binary")
                                  .nonEmpty())
      .optional("max_body_bytes", bodyLimit())
      .optional("threads", Schema::integer("HTTP worker threads; each keep-alive connection holds "
                                           "one while it is served",
                                           2, 4096))
      .optional("max_queued",
                Schema::integer("connections waiting for a thread before the hub answers 503", 1,
                                100000))
      .optional("tls",
                Schema::object("serve HTTPS instead of HTTP")
                    .required("cert", Schema::string("server certificate chain, PEM").nonEmpty())
                    .required("key", Schema::string("server private key, PEM").nonEmpty())
                    .optional("ca", Schema::string("CA bundle that signs client certificates, PEM")
                                        .nonEmpty())
                    .optional("require_client_cert",
                              Schema::boolean("refuse a connection without a valid client "
                                              "certificate (needs ca)")));
}

Schema plugins() {
  return Schema::map("plugin libraries to load; the key is the name the library must register",
                     Schema::object("one plugin library")
                         .required("library", Schema::string("a file name looked up in "
                                                             "hub.plugin_dir, or a path (with a "
                                                             "'/') relative to this file's folder")
                                                  .nonEmpty()))
      .defines("plugin");
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
                         .required("credentials", credentials("how the partner is identified")))
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
                                   credentials("how the agency's external system is identified")))
      .defines("agency");
}

Schema admins() {
  return Schema::map("administrators, by id",
                     Schema::object("one administrator")
                         .required("credentials", credentials("how the administrator is "
                                                              "identified")));
}

Schema routes() {
  return Schema::list(
      "routing rules, compiled by the release coordinator",
      Schema::object("one route")
          .required("name", Schema::string("the route's name, shown in traces").nonEmpty())
          .optional("match", Schema::any("which filings the route applies to; absent: all"))
          .required("require", Schema::list("agencies that must decide", Schema::string("an agency id"),
                                            1)
                                   .refersTo("agency"))
          .optional("notify", Schema::list("who is told of the case's progress",
                                           Schema::string("a recipient").nonEmpty())));
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
