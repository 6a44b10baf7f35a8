// The `swhub` command: serve, check-config, plugins (see README.md, "CLI").
#include <algorithm>
#include <thread>
#include <charconv>
#include <csignal>
#include <pthread.h>
#include <sysexits.h>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <Poco/Net/SSLManager.h>

#include "api/admin_api.hpp"
#include "app/hub.hpp"
#include "builtin/canonical_partner.hpp"
#include "config/config.hpp"
#include "journal/audit_verify.hpp"
#include "study/simulate.hpp"
#include "accounts/statement_command.hpp"
#include "journal/journal.hpp"
#include "journal/pg_migrate.hpp"
#include "plugin/plugin_host.hpp"
#include "plugin/registry.hpp"
#include "security/signature_check.hpp"
#include "swhub/sdk/version.hpp"

namespace {

using swhub::config::ConfigError;
using swhub::plugin::PluginError;


// One command's usage line and what it does, for `swhub COMMAND --help`.
struct CommandHelp {
  const char* command;
  const char* usage;
  const char* summary;
  bool hidden = false;  // started by the hub itself: not in the main usage, but it has its --help
};

constexpr CommandHelp kCommands[] = {
    {"serve", "swhub serve --config FILE [--listen HOST:PORT] [--journal URL]",
     "Runs the hub: loads the plugins the config names, opens the journal and serves HTTP(S) until\n"
     "SIGINT or SIGTERM; SIGHUP reloads the routes from FILE (as POST /v1/admin/reload). Exits with status 75 when a PostgreSQL journal's connection breaks, for the service manager to start it again. --listen and --journal override the file (tests, scratch journals)."},
    {"check-config", "swhub check-config FILE [--describe]",
     "Validates the config and every plugin's settings; prints every error with its dotted path\n"
     "and exits 1. --describe prints every key of hub.yaml and what it means."},
    {"plugins", "swhub plugins --config FILE",
     "Loads the libraries the config names and lists each with its kind, version, ABI and path."},
    {"trace", "swhub trace CASE_ID --config FILE [--journal URL]",
     "Prints a case's full trace (events, messages, outbox) as JSON, beside a running hub."},
    {"replay", "swhub replay DEAD_LETTER_ID|--all --config FILE [--journal URL]",
     "Puts a dead letter (or all of them) back in the outbox for delivery, beside a running hub."},
    {"audit", "swhub audit verify --config FILE [--journal URL]",
     "Walks the journal's hash chain and its signed checkpoints (read-only, beside a running hub).\n"
     "Exit 0: \"audit: N entries, M checkpoints, chain intact\"; exit 1 names the first bad entry."},
    {"simulate",
     "swhub simulate --config FILE --thresholds ALT.yaml --from DATE --to DATE [--format json|csv] [--journal URL]",
     "Threshold impact study: replays the cases filed in [--from, --to) (YYYY-MM-DD, UTC) through the\n"
     "customs agency under ALT.yaml's revenue settings and prints, beside what was recorded, revenue\n"
     "by tax, dutiable cases and items, cases per release category and the cost of collection\n"
     "(README \"Threshold impact study\"). Read-only, beside a running hub."},
    {"statement",
     "swhub statement --config FILE --account ID --period YYYY-MM [--format json|csv] [--reconcile] [--journal URL]",
     "An account's periodic statement: every item released under the account model in the month (in\n"
     "hub.accounts.time_zone), its duty and tax lines, adjustments, totals and the payment due date.\n"
     "A month that has ended is issued the first time it is asked for and never changes; the current\n"
     "one is a draft. --reconcile checks the issued statement against the journal instead (read-only;\n"
     "exit 1 on any difference). README \"Account statements\"."},
    {"migrate", "swhub migrate --journal postgresql://... --from sqlite:PATH",
     "Copies an SQLite journal (messages, cases, events, outbox, licences, statements, the audit\n"
     "chain) into an empty PostgreSQL journal in one transaction, then checks each table's row count\n"
     "and SHA-256 digest on both sides: exit 0 and one line per table when all match; exit 1, and\n"
     "nothing written, when any differs. Stop the hub that serves the SQLite journal first."},
    {"version", "swhub version", "Prints the hub's version, SDK ABI and toolchain."},
    {"plugin-host", "swhub plugin-host --fd N",
     "Started by the hub, not by hand: the child process of a plugin under `isolation: process`. It\n"
     "reads the hub's hello on file descriptor N (the plugin, its library and instance settings),\n"
     "loads the library with the hub's own checks and answers the hub's calls on N until the hub\n"
     "says bye or goes away (README \"Plugin faults\").",
     true},
};

std::string usage() {
  std::string out = "usage:\n";
  for (const auto& c : kCommands) {
    if (!c.hidden) out += std::string("  ") + c.usage + "\n";
  }
  return out + "  swhub COMMAND --help\n";
}

const CommandHelp* helpFor(const std::string& command) {
  for (const auto& c : kCommands) {
    if (command == c.command) return &c;
  }
  return nullptr;
}

struct Args {
  std::string command;
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;
  std::vector<std::string> flags;
};

// "--name value" options and "--flag" flags; anything else is positional.
Args parseArgs(int argc, char** argv, const std::vector<std::string>& valued) {
  Args args;
  if (argc > 1) args.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) == 0) {
      std::string name = a.substr(2);
      if (auto eq = name.find('='); eq != std::string::npos) {
        args.options[name.substr(0, eq)] = name.substr(eq + 1);
      } else if (std::find(valued.begin(), valued.end(), name) != valued.end()) {
        if (i + 1 >= argc) throw std::invalid_argument("option --" + name + " needs a value");
        args.options[name] = argv[++i];
      } else {
        args.flags.push_back(name);
      }
    } else {
      args.positional.push_back(a);
    }
  }
  return args;
}

void printErrors(const swhub::sdk::Errors& errors, const std::string& source) {
  std::cerr << source << ": " << errors.size() << " error(s)\n";
  for (const auto& e : errors) std::cerr << "  " << swhub::sdk::formatError(e) << "\n";
}

// What works only in part ("DMS filings are off: ..."): the hub runs, but the operator must know.
void printNotices(const swhub::sdk::Errors& notices, std::ostream& out) {
  for (const auto& n : notices) out << "  notice: " << swhub::sdk::formatError(n) << "\n";
}

std::string configPath(const Args& args) {
  auto it = args.options.find("config");
  if (it != args.options.end()) return it->second;
  if (!args.positional.empty()) return args.positional.front();
  throw std::invalid_argument("missing --config FILE");
}

int checkConfig(const Args& args) {
  const std::string path = args.positional.empty() ? configPath(args) : args.positional.front();
  if (std::find(args.flags.begin(), args.flags.end(), "describe") != args.flags.end()) {
    std::cout << swhub::config::hubSchema().describe();
    return 0;
  }
  try {
    auto config = swhub::config::loadConfig(path);
    auto runtime = swhub::app::buildRuntime(config);
    std::cout << path << ": OK (" << config.plugins.size() << " plugin(s), " << config.partners.size()
              << " partner(s), " << config.agencies.size() << " agency(ies), " << config.admins.size()
              << " admin(s))\n";
    printNotices(runtime->notices, std::cout);
    return 0;
  } catch (const ConfigError& e) {
    printErrors(e.errors(), path);
  } catch (const PluginError& e) {
    printErrors(e.errors(), path);
  }
  return 1;
}

int listPlugins(const Args& args) {
  const std::string path = configPath(args);
  auto config = swhub::config::loadConfig(path);
  swhub::plugin::PluginRegistry registry;
  swhub::sdk::Errors errors;
  std::cout << "plugin folder: " << (config.plugin_dir.empty() ? swhub::plugin::defaultPluginDir() : config.plugin_dir)
            << "\nhub SDK ABI " << swhub::sdk::kAbiMajor << "." << swhub::sdk::kAbiMinor << "\n";
  auto show = [](const swhub::plugin::LoadedPlugin& loaded) {
    const auto& d = *loaded.descriptor;
    std::cout << "  " << loaded.name << "  " << swhub::sdk::toString(d.kind) << "  " << d.version << "  ABI "
              << d.abi_major << "." << d.abi_minor << "  " << loaded.path << "\n    " << d.description << "\n";
  };
  // The built-in plugins first: always there, whatever the config lists.
  registry.addBuiltIn(swhub::builtin::canonicalDescriptor());
  for (const auto& loaded : registry.all()) show(*loaded);
  swhub::sdk::Errors notices;
  for (const auto& entry : config.plugins) {
    if (registry.isBuiltIn(entry.name)) {
      swhub::plugin::builtInEntry(entry, notices, errors);
      continue;
    }
    if (!registry.load(entry, config.plugin_dir, errors)) continue;
    show(*registry.find(entry.name));
    if (entry.isolation == "process") {
      std::cout << "    isolation: process (" << entry.processes << " child process(es) per instance, call_timeout_ms "
                << entry.call_timeout_ms << ", max_rss_mb " << entry.max_rss_mb << ")\n";
    }
  }
  printNotices(notices, std::cout);
  // The partners' instances, for what each can serve now (a format switched off, and why).
  registry.setConfigDir(config.base_dir);
  std::cout << "partners:\n";
  for (const auto& partner : config.partners) {
    if (registry.find(partner.plugin) == nullptr) continue;  // its load error is already listed
    auto instance = registry.makePartner(partner.plugin, partner.id, "partners." + partner.id, partner.settings, errors);
    if (!instance) continue;
    const auto availability = swhub::plugin::availabilityOf(*instance);
    std::cout << "  " << partner.id << " (" << partner.plugin << "): "
              << (availability.reason.empty() ? "available" : availability.reason) << "\n";
  }
  if (!errors.empty()) {
    printErrors(errors, path);
    return 1;
  }
  return 0;
}

// Opens the journal the config (or --journal) names, for the commands that read or repair it
// beside a running hub (SQLite WAL lets both work at once).
std::unique_ptr<swhub::journal::Journal> openConfiguredJournal(const Args& args) {
  auto path = args.options.find("config");
  if (path == args.options.end()) throw std::invalid_argument("missing --config FILE (the hub's config names its journal)");
  auto config = swhub::config::loadConfig(path->second);
  auto journal = args.options.find("journal");
  swhub::config::applyOverrides(config, "", journal == args.options.end() ? "" : journal->second);
  return swhub::journal::openJournal(config.journal);
}

int trace(const Args& args) {
  if (args.positional.empty()) throw std::invalid_argument("missing CASE_ID");
  const std::string caseId = args.positional.front();
  auto journal = openConfiguredJournal(args);
  const std::string trace = swhub::api::caseTraceJson(*journal, caseId);
  if (trace.empty()) {
    std::cerr << "swhub: no case '" << caseId << "'\n";
    return 1;
  }
  std::cout << trace << "\n";
  return 0;
}

int replay(const Args& args) {
  auto journal = openConfiguredJournal(args);
  if (std::find(args.flags.begin(), args.flags.end(), "all") != args.flags.end()) {
    std::cout << "replayed " << journal->replayAllDeadLetters() << " dead letter(s)\n";
    return 0;
  }
  if (args.positional.empty()) throw std::invalid_argument("missing DEAD_LETTER_ID or --all");
  const std::string& id = args.positional.front();
  long long seq = 0;
  const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), seq);
  if (ec != std::errc() || end != id.data() + id.size() || seq < 1) {
    throw std::invalid_argument("'" + id + "' is not a dead-letter id (a seq from GET /v1/admin/dead-letters)");
  }
  if (!journal->replayDeadLetter(seq)) {
    std::cerr << "swhub: no dead letter " << id << "\n";
    return 1;
  }
  std::cout << "replayed dead letter " << id << "\n";
  return 0;
}

int audit(const Args& args) {
  if (args.positional.empty() || args.positional.front() != "verify") {
    throw std::invalid_argument("usage: swhub audit verify --config FILE [--journal URL]");
  }
  auto path = args.options.find("config");
  if (path == args.options.end()) throw std::invalid_argument("missing --config FILE (the hub's config names its journal)");
  auto config = swhub::config::loadConfig(path->second);
  auto journal = args.options.find("journal");
  swhub::config::applyOverrides(config, "", journal == args.options.end() ? "" : journal->second);
  const std::string certificate = swhub::app::receiptCertificatePath(config);
  std::unique_ptr<swhub::security::SignatureCheck> signatures;
  try {
    signatures = swhub::security::SignatureCheck::fromCertificateFile(certificate);
  } catch (const std::exception& e) {
    std::cerr << "audit: " << e.what() << " (checkpoints are verified with the receipt certificate)\n";
    return 1;
  }
  const auto verdict = swhub::journal::sqlite::verifyAuditJournal(
      config.journal, [&](const std::string& text, const std::string& signature) { return signatures->verify(text, signature); });
  if (!verdict.intact) {
    std::cerr << "audit: " << verdict.problem << "\n";
    return 1;
  }
  std::cout << "audit: " << verdict.entries << " entries, " << verdict.checkpoints << " checkpoints, chain intact\n";
  return 0;
}

int migrate(const Args& args) {
  auto option = [&](const char* name) {
    auto it = args.options.find(name);
    if (it == args.options.end() || it->second.empty()) {
      throw std::invalid_argument(std::string("missing --") + name + " (swhub migrate --help)");
    }
    return it->second;
  };
  const std::string target = option("journal");
  const std::string from = option("from");
  if (target.rfind("postgresql://", 0) != 0 && target.rfind("postgres://", 0) != 0) {
    throw std::invalid_argument("--journal names the PostgreSQL journal to copy into (postgresql://...)");
  }
  const auto report = swhub::journal::pg::migrateFromSqlite(from, target);
  for (const auto& t : report.tables) {
    std::cout << "migrate: " << t.table << ": " << t.rows << " rows, " << t.digest;
    if (!t.matches()) std::cout << " but PostgreSQL holds " << t.copied_rows << " rows, " << t.copied_digest;
    std::cout << "\n";
  }
  if (!report.verified()) {
    std::cerr << "migrate: the copy does not match the SQLite journal: nothing was written\n";
    return 1;
  }
  std::cout << "migrate: copied and verified\n";
  return 0;
}

int simulate(const Args& args) {
  auto option = [&](const char* name) {
    auto it = args.options.find(name);
    if (it == args.options.end() || it->second.empty()) {
      throw std::invalid_argument(std::string("missing --") + name + " (swhub simulate --help)");
    }
    return it->second;
  };
  auto config = swhub::config::loadConfig(option("config"));
  auto journalUrl = args.options.find("journal");
  swhub::config::applyOverrides(config, "", journalUrl == args.options.end() ? "" : journalUrl->second);
  const std::string thresholds = option("thresholds");
  swhub::study::Alternative alternative;
  try {
    alternative = swhub::study::loadAlternative(thresholds);
  } catch (const ConfigError& e) {
    printErrors(e.errors(), thresholds);
    return 1;
  }
  const auto format = args.options.count("format") ? args.options.at("format") : std::string("json");
  if (format != "json" && format != "csv") throw std::invalid_argument("--format '" + format + "': json or csv");
  auto journal = swhub::journal::openJournal(config.journal);
  swhub::study::Report report;
  try {
    report = swhub::study::simulate(config, *journal, alternative, option("from"), option("to"),
                                    std::max(1u, std::thread::hardware_concurrency()));
  } catch (const ConfigError& e) {
    printErrors(e.errors(), thresholds + " applied to the agency's settings");
    return 1;
  }
  std::cout << (format == "csv" ? swhub::study::toCsv(report) : swhub::study::toJson(report) + "\n");
  if (report.failed > 0) {
    std::cerr << "simulate: " << report.failed << " case(s) could not be assessed under the alternative; first: "
              << report.firstFailure << "\n";
  }
  return 0;
}

int statement(const Args& args) {
  auto config = swhub::config::loadConfig(configPath(args));
  auto journalUrl = args.options.find("journal");
  swhub::config::applyOverrides(config, "", journalUrl == args.options.end() ? "" : journalUrl->second);
  auto option = [&](const char* name, const char* fallback) {
    auto it = args.options.find(name);
    return it == args.options.end() ? std::string(fallback) : it->second;
  };
  swhub::accounts::StatementRequest request{option("account", ""), option("period", ""), option("format", "json"),
                                            std::find(args.flags.begin(), args.flags.end(), "reconcile") != args.flags.end()};
  return swhub::accounts::runStatementCommand(config, request, std::cout, std::cerr);
}

int pluginHost(const Args& args) {
  auto fd = args.options.find("fd");
  if (fd == args.options.end()) throw std::invalid_argument("missing --fd N (swhub plugin-host is started by the hub)");
  int n = -1;
  const auto [end, ec] = std::from_chars(fd->second.data(), fd->second.data() + fd->second.size(), n);
  if (ec != std::errc() || end != fd->second.data() + fd->second.size() || n < 0) {
    throw std::invalid_argument("--fd wants a file descriptor number, not '" + fd->second + "'");
  }
  return swhub::plugin::isolation::runPluginHost(n);
}

// What a reload on SIGHUP did, on the log: the same words as the admin endpoint's answer.
void reportReload(const swhub::api::ReloadOutcome& outcome) {
  if (!outcome.invalid.empty()) {
    printErrors(outcome.invalid, "SIGHUP: the new configuration was refused; the old one keeps running");
  } else if (!outcome.needsRestart.empty()) {
    printErrors(outcome.needsRestart,
                "SIGHUP: the new configuration changes more than the routes; nothing was applied: restart the hub to "
                "apply it");
  } else {
    std::cout << "swhub: SIGHUP: routes reloaded from the config file" << std::endl;
  }
}

int serve(const Args& args) {
  const std::string path = configPath(args);
  auto config = swhub::config::loadConfig(path);
  auto option = [&](const char* name) {
    auto it = args.options.find(name);
    return it == args.options.end() ? std::string() : it->second;
  };
  swhub::config::applyOverrides(config, option("listen"), option("journal"));

  // Signals are taken by sigwait below, in this thread only.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  swhub::app::Hub hub(std::move(config));
  hub.start();
  std::cout << "swhub " << SWHUB_VERSION << " listening on " << hub.scheme() << "://" << hub.boundAddress()
            << "\n  config:  " << hub.config().source << "\n  journal: " << hub.journal().describe()
            << "\n  receipts: signed with the " << hub.receiptsNote() << "\n";
  printNotices(hub.notices(), std::cout);
  std::cout << std::flush;
  // SIGHUP reloads the routes as POST /v1/admin/reload does (systemctl reload); the others stop.
  // Once a second, without a signal: a journal lost for good (Journal::lost: a PostgreSQL
  // connection that broke) ends the process with EX_TEMPFAIL, for the service manager to start it
  // again (systemd Restart=on-failure, compose restart: unless-stopped); it connects at start.
  const timespec second{1, 0};
  for (;;) {
    const int received = sigtimedwait(&signals, nullptr, &second);
    if (received == SIGHUP) {
      reportReload(hub.reload());
      continue;
    }
    if (received > 0) {
      std::cout << "swhub: signal " << received << ", stopping" << std::endl;
      hub.stop();
      return 0;
    }
    if (const std::string lost = hub.journalLost(); !lost.empty()) {
      std::cout << "swhub: the journal stopped writing (" << lost << "); exiting with status 75 so that the "
                << "service manager starts the hub again, which connects to the journal afresh" << std::endl;
      hub.stop();
      return EX_TEMPFAIL;  // 75
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  Poco::Net::initializeSSL();
  struct SslCleanup {
    ~SslCleanup() { Poco::Net::uninitializeSSL(); }
  } sslCleanup;
  try {
    const Args args = parseArgs(argc, argv, {"config", "listen", "journal", "fd", "thresholds", "from", "to", "format", "account", "period"});
    // `swhub COMMAND --help` (or -h) prints that command's usage, whatever else is on the line.
    const bool wantsHelp = std::find(args.flags.begin(), args.flags.end(), "help") != args.flags.end() ||
                           std::find(args.positional.begin(), args.positional.end(), "-h") != args.positional.end();
    if (wantsHelp) {
      if (const CommandHelp* help = helpFor(args.command)) {
        std::cout << "usage: " << help->usage << "\n\n" << help->summary << "\n";
        return 0;
      }
    }
    if (args.command == "plugin-host") return pluginHost(args);
    if (args.command == "serve") return serve(args);
    if (args.command == "check-config") return checkConfig(args);
    if (args.command == "plugins") return listPlugins(args);
    if (args.command == "trace") return trace(args);
    if (args.command == "replay") return replay(args);
    if (args.command == "audit") return audit(args);
    if (args.command == "simulate") return simulate(args);
    if (args.command == "migrate") return migrate(args);
    if (args.command == "statement") return statement(args);
    if (args.command == "version" || args.command == "--version") {
      std::cout << "swhub " << SWHUB_VERSION << " (SDK ABI " << swhub::sdk::kAbiMajor << "." << swhub::sdk::kAbiMinor
                << ", " << swhub::sdk::kToolchain << ")\n";
      return 0;
    }
    if (args.command.empty() || args.command == "help" || args.command == "--help" || args.command == "-h") {
      std::cout << usage();
      return 0;
    }
    std::cerr << "swhub: unknown command '" << args.command << "'\n" << usage();
    return 2;
  } catch (const ConfigError& e) {
    printErrors(e.errors(), "configuration");
  } catch (const PluginError& e) {
    printErrors(e.errors(), "plugins");
  } catch (const swhub::journal::JournalError& e) {
    std::cerr << "journal: " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "swhub: " << e.what() << "\n";
  }
  return 1;
}
