// filing_bench --wrk: the bare POCO ceiling and swhub's durable filings/s under the same wrk
// load, median of R rounds, and the journal's bytes and rows per filing (README.md).
#include "filing_wrk.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <signal.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "hub_process.hpp"
#include "wrk_load.hpp"

namespace swhub::bench {
namespace {

using swhub::testing::HubProcess;
using swhub::testing::TempDir;

// The example config's HTTP front: threads 64, max_queued 256 (hub.cpp queues max_queued + threads).
constexpr int kThreads = 64;
constexpr int kMaxQueued = 256 + kThreads;

// A canonical consignment of three items, about 2 KB, the reference (and the Idempotency-Key)
// at @REF@: the DESIGN.md example with fuller descriptions and addresses, as marketplaces send.
const char* kBody = R"({ "reference": "@REF@", "filing": "pre-arrival",
  "parties": { "seller": {"name": "Shenzhen Gadget Export Trading Company Limited", "country": "CN", "id": "CN91440300MA5",
                          "address": "Building 7, Nanshan Science and Technology Park, Nanshan District, Shenzhen, Guangdong 518057"},
               "buyer":  {"name": "Ana Margarida Silva Pereira", "country": "PT",
                          "address": "Rua Augusta 10, 3.o andar esquerdo, 1100-053 Lisboa, Portugal"},
               "carrier": {"name": "Demo Post", "id": "PT-POST"} },
  "transport": { "mode": "air", "conveyance": "TP1234", "master_ref": "999-12345675",
                 "departure": "CN", "destination": "PT", "arrival": "2026-11-29T08:00:00Z" },
  "fiscal": { "model": "consumer", "collected_at_sale": false, "registration": null },
  "items": [
    { "description": "Bluetooth over-ear headphones with active noise cancelling, foldable, black, with hard carrying case, 3.5 mm audio cable and USB-C charging cable, 30 hours of battery",
      "hs": "851830", "quantity": 1, "unit": "pce", "net_kg": 0.25, "gross_kg": 0.4, "value": 45.00,
      "currency": "EUR", "origin": "CN", "nature": "sale", "documents": [] },
    { "description": "USB-C to USB-C charging cable, braided nylon, 2 m, 100 W power delivery, 480 Mbit/s data, reinforced connectors, pack of two, grey",
      "hs": "854442", "quantity": 2, "unit": "pce", "net_kg": 0.08, "gross_kg": 0.12, "value": 6.50,
      "currency": "EUR", "origin": "CN", "nature": "sale", "documents": [] },
    { "description": "Silicone protective phone case, transparent, shock-absorbing corners, raised camera lip, wireless charging compatible, for a 6.1 inch smartphone",
      "hs": "392690", "quantity": 1, "unit": "pce", "net_kg": 0.03, "gross_kg": 0.05, "value": 4.90,
      "currency": "EUR", "origin": "CN", "nature": "sale", "documents": [] }
  ] }
)";

// "W<round>-<wrk thread>-<9 digits>": every reference and Idempotency-Key has the same width.
constexpr std::size_t kReferenceWidth = 16;

std::string luaScript(const std::string& token) {
  const std::string body = kBody;
  const auto at = body.find("@REF@");
  std::ostringstream lua;
  lua << "-- written by filing_bench --wrk: each request a new consignment, its own reference and key\n"
      << "local head = [==[" << body.substr(0, at) << "]==]\n"
      << "local tail = [==[" << body.substr(at + 5) << "]==]\n"
      << "local threads = 0\n"
      << "function setup(thread) threads = threads + 1; thread:set(\"tid\", threads) end\n"
      << "local prefix = \"\"\nlocal counter = 0\n"
      << "function init(args) prefix = string.format(\"W%s-%d-\", args[1] or \"0\", tid) end\n"
      << "function request()\n"
      << "  counter = counter + 1\n"
      << "  local ref = prefix .. string.format(\"%0\" .. (" << kReferenceWidth
      << " - #prefix) .. \"d\", counter)\n"
      << "  return wrk.format(\"POST\", \"/v1/messages\", {[\"Authorization\"] = \"Bearer " << token << "\",\n"
      << "    [\"Content-Type\"] = \"application/vnd.swhub.consignment+json\", [\"Idempotency-Key\"] = ref},\n"
      << "    head .. ref .. tail)\n"
      << "end\n";
  return lua.str();
}

std::size_t bodyBytes() { return std::string(kBody).size() - 5 + kReferenceWidth; }

// --- the bare server ----------------------------------------------------------------------------

class AcceptedHandler : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    static const std::string kAnswer = R"({"message_id":"M-bare","cases":[]})";
    response.setStatus(Poco::Net::HTTPResponse::HTTP_ACCEPTED);
    response.setContentType("application/json");
    response.setContentLength(static_cast<std::streamsize>(kAnswer.size()));
    response.send() << kAnswer;
  }
};

class AcceptedFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new AcceptedHandler;
  }
};

// A bare POCO HTTPServer with swhub's thread settings: reads the body, answers a fixed 202.
class BareServer {
 public:
  BareServer()
      : pool_(2, kThreads, 60), socket_(Poco::Net::SocketAddress("127.0.0.1", 0), 256) {
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(kThreads);
    params->setMaxQueued(kMaxQueued);
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new AcceptedFactory, pool_, socket_, params);
    server_->start();
  }
  ~BareServer() {
    server_->stopAll(true);
    pool_.joinAll();
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(socket_.address().port()); }

 private:
  Poco::ThreadPool pool_;
  Poco::Net::ServerSocket socket_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

// --- the journal after a run --------------------------------------------------------------------

std::int64_t scalar(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  std::int64_t value = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
    value = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  return value;
}

// Bytes and rows per filing of the journal the hub left, and the biggest tables and indexes.
void reportJournal(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    std::cout << "  journal: cannot open " << path << "\n";
    sqlite3_close(db);
    return;
  }
  const std::int64_t messages = scalar(db, "SELECT count(*) FROM messages");
  const std::int64_t used = scalar(db, "SELECT (SELECT page_count FROM pragma_page_count) - "
                                       "(SELECT freelist_count FROM pragma_freelist_count)") *
                            scalar(db, "PRAGMA page_size");
  std::printf("  journal: %lld messages, %.1f MiB in use, %.0f bytes per filing; rows per filing:",
              static_cast<long long>(messages), static_cast<double>(used) / (1 << 20),
              messages > 0 ? static_cast<double>(used) / static_cast<double>(messages) : 0.0);
  for (const char* table : {"cases", "case_events", "outbox", "message_blobs"}) {
    const std::int64_t rows = scalar(db, std::string("SELECT count(*) FROM ") + table);
    std::printf(" %s %.2f", table, messages > 0 ? static_cast<double>(rows) / static_cast<double>(messages) : 0.0);
  }
  std::printf("\n");
  // How far the assessments (customs, in the background) had come when the load stopped.
  sqlite3_stmt* states = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT kind, count(*) FROM case_events GROUP BY kind ORDER BY 2 DESC", -1, &states, nullptr) ==
      SQLITE_OK) {
    std::printf("  case events by kind when the load stopped (customs' 'assessed' against the filings):");
    while (sqlite3_step(states) == SQLITE_ROW) {
      std::printf(" %s %lld", reinterpret_cast<const char*>(sqlite3_column_text(states, 0)),
                  static_cast<long long>(sqlite3_column_int64(states, 1)));
    }
    std::printf("\n");
  }
  sqlite3_finalize(states);
  // dbstat: bytes per table and index (Debian's SQLite has it).
  sqlite3_stmt* stmt = nullptr;
  if (messages > 0 && sqlite3_prepare_v2(db, "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 10",
                                         -1, &stmt, nullptr) == SQLITE_OK) {
    std::printf("  bytes per filing by table/index:");
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::printf(" %s %.0f", reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
                  static_cast<double>(sqlite3_column_int64(stmt, 1)) / static_cast<double>(messages));
    }
    std::printf("\n");
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}

// The example config with the per-caller and filing limits above the load's 64 connections: one
// partner's 64 connections are the load here, not the abuse those limits guard against.
std::string benchConfig() {
  std::string yaml = swhub::testing::exampleConfigText();
  const std::string anchor = "  max_queued: 256\n";
  const auto at = yaml.find(anchor);
  if (at == std::string::npos) throw std::runtime_error("config/hub.yaml: no 'max_queued: 256' line to anchor on");
  yaml.insert(at + anchor.size(), "  http: {max_requests_per_identity: 1024, max_filings: 1024}\n");
  return yaml;
}

struct Round {
  double rate = 0, p50 = 0, p99 = 0, max = 0;
};

// One field of /proc/<pid>/io (bytes and write calls the process asked of the kernel).
long long procIo(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/io");
  std::string name;
  long long value = 0;
  while (in >> name >> value) {
    if (name == field + ":") return value;
  }
  return -1;
}

// A sample's value in the hub's /metrics text ("name value" lines), -1 when absent.
double metricValue(const std::string& metrics, const std::string& name) {
  std::istringstream in(metrics);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  }
  return -1;
}

void printRun(const WrkRun& run, const char* unit) {
  std::printf("    %llu requests in %.2f s, %llu non-2xx, %llu socket errors: %.0f %s; latency p50 %.2f ms, p90 %.2f ms, "
              "p99 %.2f ms, max %.2f ms\n",
              static_cast<unsigned long long>(run.requests), run.seconds, static_cast<unsigned long long>(run.non2xx),
              static_cast<unsigned long long>(run.socketErrors), run.okPerSecond(), unit, run.p50Ms, run.p90Ms,
              run.p99Ms, run.maxMs);
}

Round bareRound(const WrkOptions& o, const std::string& script, int round) {
  BareServer server;
  WrkLoad load{o.threads, o.connections, o.seconds, script, "http://" + server.address() + "/", {"b" + std::to_string(round)}};
  if (round == 1) std::printf("  bare: %s\n", wrkCommand(load).c_str());
  const WrkRun run = runWrk(load);
  std::printf("  [round %d] bare POCO (202)\n", round);
  printRun(run, "requests/s");
  return {run.okPerSecond(), run.p50Ms, run.p99Ms, run.maxMs};
}

Round hubRound(const WrkOptions& o, const std::string& script, int round, bool last) {
  TempDir dir("swhub-wrk-bench");
  const std::string config = dir.file("hub.yaml");
  swhub::testing::writeFile(config, benchConfig());
  const std::string journal = dir.file("journal.db");
  HubProcess hub({"serve", "--config", config, "--listen", "127.0.0.1:0", "--journal", "sqlite:" + journal});
  WrkLoad load{o.threads, o.connections, o.seconds, script, hub.baseUrl() + "/", {"h" + std::to_string(round)}};
  if (round == 1) std::printf("  swhub: %s (swhub serve, config/hub.yaml, fresh journal each round)\n", wrkCommand(load).c_str());
  const long long wcharBefore = procIo(hub.pid(), "wchar"), syscwBefore = procIo(hub.pid(), "syscw");
  const WrkRun run = runWrk(load);
  std::printf("  [round %d] swhub durable filings (202)\n", round);
  printRun(run, "filings/s");
  // What the journal's writer did for them: transactions (group commits) and the bytes and write
  // calls the whole process made (the WAL's frames and the checkpoints' copies, mostly).
  const std::string metrics = swhub::testing::request(hub.address(), "GET", "/metrics").body;
  const double commits = metricValue(metrics, "swhub_journal_commit_batches_count");
  const double batches = metricValue(metrics, "swhub_journal_commit_batches_sum");
  const double filed = static_cast<double>(run.requests - run.non2xx);
  if (commits > 0 && filed > 0) {
    std::printf("    journal: %.0f transactions, %.1f batches each; per filing: %.1f KiB written in %.0f write calls\n",
                commits, batches / commits,
                static_cast<double>(procIo(hub.pid(), "wchar") - wcharBefore) / filed / 1024.0,
                static_cast<double>(procIo(hub.pid(), "syscw") - syscwBefore) / filed);
  }
  if (run.non2xx > 0) std::printf("    (non-2xx answers are not filings: see the hub's output)\n");
  const int exit = hub.terminate();
  if (exit != 0) std::printf("    swhub exited %d:\n%s\n", exit, hub.output().c_str());
  if (last) reportJournal(journal);
  return {run.okPerSecond(), run.p50Ms, run.p99Ms, run.maxMs};
}

}  // namespace

int runWrkMode(const WrkOptions& o) {
  TempDir dir("swhub-wrk-script");
  const std::string script = dir.file("filing.lua");
  swhub::testing::writeFile(script, luaScript("demo-post-token"));
  std::printf("filing_bench --wrk: wrk -t%d -c%d, %d s a round, %d rounds (bare then swhub each round), "
              "%zu-byte canonical consignment of three items, new reference and Idempotency-Key each request\n",
              o.threads, o.connections, o.seconds, o.rounds, bodyBytes());
  std::vector<double> bare, bareP50, bareP99, hub, hubP50, hubP99;
  for (int r = 1; r <= o.rounds; ++r) {
    const Round b = bareRound(o, script, r);
    bare.push_back(b.rate);
    bareP50.push_back(b.p50);
    bareP99.push_back(b.p99);
    const Round h = hubRound(o, script, r, r == o.rounds);
    hub.push_back(h.rate);
    hubP50.push_back(h.p50);
    hubP99.push_back(h.p99);
  }
  const double ceiling = median(bare), filings = median(hub);
  std::printf("\nmedian of %d rounds: bare POCO %.0f requests/s (p50 %.2f ms, p99 %.2f ms); swhub %.0f durable "
              "filings/s (p50 %.2f ms, p99 %.2f ms); ratio %.3f\n",
              o.rounds, ceiling, median(bareP50), median(bareP99), filings, median(hubP50), median(hubP99),
              ceiling > 0 ? filings / ceiling : 0.0);
  return ceiling > 0 && filings > 0 ? 0 : 1;
}

int serveBare() {
  // Blocks SIGINT/SIGTERM in every thread (the server's too) and waits for one of them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  BareServer server;
  std::printf("bare POCO HTTPServer (%d threads, fixed 202) listening on http://%s\n", kThreads,
              server.address().c_str());
  std::fflush(stdout);
  int got = 0;
  sigwait(&signals, &got);
  return 0;
}

}  // namespace swhub::bench
