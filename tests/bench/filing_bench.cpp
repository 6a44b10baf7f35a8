// filing_bench: durable filings per second through a real `swhub serve`, next to what a bare
// POCO HTTPServer answers on the same machine with the same load (see README.md).
//
//   filing_bench [--connections C] [--seconds D] [--quick]
//   filing_bench --wrk [--threads T] [--connections C] [--seconds D] [--rounds R]   (filing_wrk.cpp)
//   filing_bench --serve-bare
//   filing_bench --nodes [--connections C] [--seconds D] [--quick]
//     filings/s of one node on SQLite, then of 1, 2 and 3 nodes on one PostgreSQL journal (a
//     throwaway cluster, tests/support/pg_cluster.hpp), the connections spread over the nodes
//
// Exit 0 when both phases ran and at least one filing was acknowledged with 202; timing is
// printed, never asserted.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <mutex>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "filing_wrk.hpp"
#include "hub_process.hpp"
#include "pg_cluster.hpp"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

struct Options {
  int connections = 32;
  int seconds = 10;
  bool wrk = false;
  bool serveBare = false;
  bool nodes = false;
  swhub::bench::WrkOptions wrkOptions;
};

Options parseOptions(int argc, char** argv) {
  Options o;
  auto positive = [](const std::string& name, const char* text, int limit) {
    const int v = std::atoi(text);
    if (v < 1 || v > limit) throw std::invalid_argument(name + " must be 1.." + std::to_string(limit));
    return v;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quick") {
      o.connections = 8;
      o.seconds = 2;
      o.wrkOptions = {1, 8, 1, 1};
    } else if (a == "--wrk") {
      o.wrk = true;
    } else if (a == "--serve-bare") {
      o.serveBare = true;
    } else if (a == "--nodes") {
      o.nodes = true;
    } else if (a == "--connections" && i + 1 < argc) {
      o.connections = o.wrkOptions.connections = positive(a, argv[++i], 1024);
    } else if (a == "--seconds" && i + 1 < argc) {
      o.seconds = o.wrkOptions.seconds = positive(a, argv[++i], 3600);
    } else if (a == "--threads" && i + 1 < argc) {
      o.wrkOptions.threads = positive(a, argv[++i], 64);
    } else if (a == "--rounds" && i + 1 < argc) {
      o.wrkOptions.rounds = positive(a, argv[++i], 100);
    } else {
      throw std::invalid_argument(
          "usage: filing_bench [--connections C] [--seconds D] [--quick]\n"
          "       filing_bench --wrk [--threads T] [--connections C] [--seconds D] [--rounds R] [--quick]\n"
          "       filing_bench --serve-bare\n"
          "       filing_bench --nodes [--connections C] [--seconds D] [--quick]");
    }
  }
  return o;
}

std::string machineLine() {
  std::string model = "unknown CPU";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  }
  utsname u{};
  ::uname(&u);
  // The load average says whether something else was running on a shared machine.
  std::string load;
  std::ifstream loadavg("/proc/loadavg");
  std::getline(loadavg, load);
  return "machine: nproc " + std::to_string(::sysconf(_SC_NPROCESSORS_ONLN)) + ", " + model + ", " + u.sysname +
         " " + u.release + " " + u.machine + "\nload average before the run: " + load;
}

// The canonical consignment of DESIGN.md, padded to six items (about 2 KB). The reference has a
// fixed width so that every request carries the same number of bytes.
const std::string& bodyTemplate() {
  static const std::string kBody = [] {
    auto item = [](const char* description, const char* hs, int quantity, double value) {
      std::ostringstream s;
      s << R"({ "description": ")" << description << R"(", "hs": ")" << hs << R"(", "quantity": )" << quantity
        << R"(, "unit": "pce", "net_kg": 0.25, "gross_kg": 0.4, "value": )" << std::fixed << std::setprecision(2)
        << value << R"(, "currency": "EUR", "origin": "CN", "nature": "sale", "documents": [] })";
      return s.str();
    };
    std::string items = item("Bluetooth headphones", "851830", 1, 45.00) + ",\n    " +
                        item("USB-C charging cable, braided, 2 m", "854442", 2, 6.50) + ",\n    " +
                        item("Silicone phone case, transparent", "392690", 1, 4.90) + ",\n    " +
                        item("Wireless charging pad 15 W", "850440", 1, 18.00) + ",\n    " +
                        item("Screen protector, tempered glass, pack of 3", "700719", 1, 7.20) + ",\n    " +
                        item("Portable power bank 10000 mAh", "850760", 1, 21.90);
    return std::string(R"({ "reference": "@REF@", "filing": "pre-arrival",
  "parties": { "seller": {"name": "Gadget Export Ltd", "country": "CN", "id": "CN91440300MA5"},
               "buyer":  {"name": "Ana Silva", "country": "PT", "address": "Rua Augusta 10, Lisboa"},
               "carrier": {"name": "Demo Post", "id": "PT-POST"} },
  "transport": { "mode": "air", "conveyance": "TP1234", "master_ref": "999-12345675",
                 "departure": "CN", "destination": "PT", "arrival": "2026-11-29T08:00:00Z" },
  "fiscal": { "model": "consumer", "collected_at_sale": false, "registration": null },
  "items": [
    )") + items + "\n  ] }\n";
  }();
  return kBody;
}

std::string bodyWithReference(const std::string& reference) {
  std::string body = bodyTemplate();
  body.replace(body.find("@REF@"), 5, reference);
  return body;
}

// "BENCH-<pid>-<connection>-<sequence>", fixed width.
std::string uniqueReference(int connection, std::uint64_t sequence) {
  char text[64];
  std::snprintf(text, sizeof text, "BENCH-%06d-%04d-%010llu", static_cast<int>(::getpid()), connection,
                static_cast<unsigned long long>(sequence));
  return text;
}

// --- load driver -------------------------------------------------------------------------------

struct Request {
  std::string method, path, contentType, authorization, body;
};

struct LoadResult {
  std::vector<std::uint32_t> latencyUs;  // one per completed request
  std::map<std::string, std::uint64_t> outcomes;  // "202", "400", "error: ..." -> count
  double elapsedSeconds = 0;
};

// C threads, each on one keep-alive connection, send requests back to back until D seconds have
// passed. A connection that fails is reopened; a thread gives up after kMaxErrors failures.
// Connection c goes to addresses[c % addresses.size()] (several hub nodes behind no balancer).
LoadResult drive(const std::vector<Poco::Net::SocketAddress>& addresses, int connections, int seconds,
                 const std::function<Request(int connection, std::uint64_t sequence)>& makeRequest) {
  constexpr int kMaxErrors = 100;
  std::vector<LoadResult> perThread(static_cast<std::size_t>(connections));
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::seconds(seconds);
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      LoadResult& mine = perThread[static_cast<std::size_t>(c)];
      mine.latencyUs.reserve(1 << 16);
      Poco::Net::HTTPClientSession session(addresses[static_cast<std::size_t>(c) % addresses.size()]);
      session.setKeepAlive(true);
      session.setTimeout(Poco::Timespan(30, 0));
      int errors = 0;
      std::string responseBody;
      for (std::uint64_t seq = 0; Clock::now() < deadline && errors < kMaxErrors; ++seq) {
        const Request r = makeRequest(c, seq);
        const auto sent = Clock::now();
        try {
          Poco::Net::HTTPRequest request(r.method, r.path, Poco::Net::HTTPMessage::HTTP_1_1);
          request.setKeepAlive(true);
          if (!r.authorization.empty()) request.set("Authorization", r.authorization);
          if (!r.body.empty() || r.method == "POST") {
            request.setContentType(r.contentType);
            request.setContentLength(static_cast<std::streamsize>(r.body.size()));
          }
          session.sendRequest(request) << r.body;
          Poco::Net::HTTPResponse response;
          std::istream& in = session.receiveResponse(response);
          responseBody.clear();
          Poco::StreamCopier::copyToString(in, responseBody);  // drain: the connection is reused
          const auto took = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - sent).count();
          mine.latencyUs.push_back(static_cast<std::uint32_t>(took));
          ++mine.outcomes[std::to_string(static_cast<int>(response.getStatus()))];
        } catch (const std::exception& e) {
          ++errors;
          ++mine.outcomes[std::string("error: ") + e.what()];
          session.reset();
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  LoadResult all;
  all.elapsedSeconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (auto& r : perThread) {
    all.latencyUs.insert(all.latencyUs.end(), r.latencyUs.begin(), r.latencyUs.end());
    for (const auto& [k, n] : r.outcomes) all.outcomes[k] += n;
  }
  std::sort(all.latencyUs.begin(), all.latencyUs.end());
  return all;
}

std::uint32_t percentile(const std::vector<std::uint32_t>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(rank, sorted.size() - 1)];
}

std::string ms(std::uint32_t us) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(2) << us / 1000.0 << " ms";
  return s.str();
}

std::uint64_t countOf(const LoadResult& r, const std::string& outcome) {
  auto it = r.outcomes.find(outcome);
  return it == r.outcomes.end() ? 0 : it->second;
}

// Prints the rate of `okStatus` answers and the latency of every completed request.
double report(const std::string& label, const std::string& unit, const LoadResult& r, const std::string& okStatus) {
  const double rate = static_cast<double>(countOf(r, okStatus)) / r.elapsedSeconds;
  const auto& l = r.latencyUs;
  std::cout << "  " << label << ": " << countOf(r, okStatus) << " x " << okStatus << " in " << std::fixed
            << std::setprecision(2) << r.elapsedSeconds << " s = " << std::setprecision(0) << rate << " " << unit
            << "\n  latency (" << l.size() << " requests): p50 " << ms(percentile(l, 0.50)) << ", p90 "
            << ms(percentile(l, 0.90)) << ", p99 " << ms(percentile(l, 0.99)) << ", max "
            << ms(l.empty() ? 0 : l.back()) << "\n";
  for (const auto& [outcome, n] : r.outcomes) {
    if (outcome != okStatus) std::cout << "  other: " << outcome << " x " << n << "\n";
  }
  return rate;
}

// --- phase 1: bare POCO -----------------------------------------------------------------------

class OkHandler : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    std::string body;
    Poco::StreamCopier::copyToString(request.stream(), body);
    response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType("text/plain");
    response.setContentLength(2);
    response.send() << "ok";
  }
};

class OkFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new OkHandler;
  }
};

double runBaseline(const Options& o) {
  // POCO serves a keep-alive connection on one pool thread: room for every connection, and more.
  const int threads = o.connections + 4;
  Poco::ThreadPool pool(2, threads, 60);
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 256);
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(threads);
  params->setMaxQueued(256);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(0);
  Poco::Net::HTTPServer server(new OkFactory, pool, socket, params);
  server.start();
  const Poco::Net::SocketAddress address("127.0.0.1", socket.address().port());
  std::cout << "\n[1] bare POCO HTTPServer on " << address.toString() << ", pool " << threads << " threads, "
            << o.connections << " keep-alive connections, " << o.seconds << " s, "
            << bodyWithReference(uniqueReference(0, 0)).size() << "-byte POST answered 200 \"ok\"\n";
  const std::string body = bodyWithReference(uniqueReference(0, 0));
  const LoadResult r = drive({address}, o.connections, o.seconds, [&](int, std::uint64_t) {
    return Request{"POST", "/bench", "application/vnd.swhub.consignment+json", "", body};
  });
  server.stopAll(true);
  pool.joinAll();
  return report("answered", "requests/s", r, "200");
}

// --- phase 2: swhub ----------------------------------------------------------------------------

std::atomic<pid_t> gChild{-1};

// Ctrl-C or a kill of the bench still stops the hub it started.
extern "C" void stopChildAndExit(int signal) {
  const pid_t child = gChild.load();
  if (child > 0) ::kill(child, SIGKILL);
  ::_exit(128 + signal);
}

// `swhub serve` as a child: started in the constructor (throws unless it prints its address),
// always stopped by the destructor. Its stdout and stderr are drained by a thread, so a chatty
// hub never blocks on a full pipe.
class HubChild {
 public:
  explicit HubChild(const fs::path& journalDir)
      : HubChild(std::string(SWHUB_SOURCE_ROOT) + "/config/hub.yaml", "sqlite:" + (journalDir / "journal.db").string()) {}
  HubChild(const std::string& config, const std::string& journal) {
    const std::vector<std::string> args{std::string(SWHUB_BINARY_ROOT) + "/bin/swhub", "serve", "--config", config,
                                        "--listen", "127.0.0.1:0", "--journal", journal};
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    if (rc != 0) {
      ::close(fds[0]);
      throw std::runtime_error("cannot start " + args[0] + ": " + std::strerror(rc));
    }
    pid_ = pid;
    gChild = pid;
    readFd_ = fds[0];
    drain_ = std::thread([this] { drainOutput(); });

    static const std::regex kListening(R"(listening on http://(\S+))");
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (Clock::now() < deadline) {
      {
        std::lock_guard lock(mutex_);
        std::smatch m;
        if (std::regex_search(output_, m, kListening)) {
          address_ = m[1];
          return;
        }
        if (ended_) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const std::string printed = output();
    stop(SIGKILL);
    throw std::runtime_error("swhub did not print its address; it printed:\n" + printed);
  }

  HubChild(const HubChild&) = delete;
  HubChild& operator=(const HubChild&) = delete;
  ~HubChild() { stop(SIGKILL); }

  const std::string& address() const { return address_; }

  std::string output() const {
    std::lock_guard lock(mutex_);
    return output_;
  }

  // Sends `signal`, waits up to 30 s (then SIGKILL); returns the exit code, 128+N for a signal.
  int stop(int signal) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    int status = 0;
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    pid_t done = 0;
    while ((done = ::waitpid(pid_, &status, WNOHANG)) == 0 && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (done == 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
    pid_ = -1;
    gChild = -1;
    if (drain_.joinable()) drain_.join();  // the pipe reaches end of file once the child is gone
    ::close(readFd_);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  void drainOutput() {
    char buffer[4096];
    for (;;) {
      const ssize_t n = ::read(readFd_, buffer, sizeof buffer);
      if (n <= 0) break;
      std::lock_guard lock(mutex_);
      output_.append(buffer, static_cast<std::size_t>(n));
      if (output_.size() > (1u << 20)) output_.erase(0, output_.size() - (1u << 19));  // keep the tail
    }
    std::lock_guard lock(mutex_);
    ended_ = true;
  }

  pid_t pid_ = -1;
  int readFd_ = -1;
  std::thread drain_;
  mutable std::mutex mutex_;
  std::string output_;
  bool ended_ = false;
  std::string address_;
};

// The value of an unlabelled sample line "name value" in Prometheus text; -1 when absent.
double metric(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(name + " ", 0) == 0) return std::atof(line.c_str() + name.size() + 1);
  }
  return -1;
}

std::string get(const Poco::Net::SocketAddress& address, const std::string& path) {
  Poco::Net::HTTPClientSession session(address);
  session.setTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  return body;
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "swhub-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

double runHub(const Options& o) {
  TempDir dir;
  HubChild hub(dir.path);
  const Poco::Net::SocketAddress address(hub.address());
  std::cout << "\n[2] swhub serve on " << address.toString() << " (config/hub.yaml, journal sqlite:"
            << (dir.path / "journal.db").string() << "), " << o.connections << " keep-alive connections, "
            << o.seconds << " s, POST /v1/messages, " << bodyWithReference(uniqueReference(0, 0)).size()
            << "-byte canonical consignment, unique reference each\n";
  const LoadResult r = drive({address}, o.connections, o.seconds, [](int c, std::uint64_t seq) {
    return Request{"POST", "/v1/messages", "application/vnd.swhub.consignment+json", "Bearer demo-post-token",
                   bodyWithReference(uniqueReference(c, seq))};
  });
  const double rate = report("filed", "filings/s", r, "202");

  const std::string metrics = get(address, "/metrics");
  const double commits = metric(metrics, "swhub_journal_commit_seconds_count");
  const double commitSeconds = metric(metrics, "swhub_journal_commit_seconds_sum");
  const double batches = metric(metrics, "swhub_journal_commit_batches_sum");
  const double batchCommits = metric(metrics, "swhub_journal_commit_batches_count");
  std::cout << std::fixed << std::setprecision(0) << "  journal: " << commits << " commits";
  if (batchCommits > 0) {
    std::cout << ", " << std::setprecision(1) << batches / batchCommits << " WriteBatches per commit on average";
  }
  if (commits > 0 && commitSeconds >= 0) {
    std::cout << ", " << std::setprecision(2) << commitSeconds / commits * 1000 << " ms per commit on average";
  }
  std::cout << "\n";

  const int exit = hub.stop(SIGTERM);
  std::cout << "  swhub stopped with SIGTERM, exit code " << exit << "\n";
  if (countOf(r, "202") == 0) {
    std::cout << "  swhub printed:\n" << hub.output();
    return 0;
  }
  return rate;
}

// --- --nodes: SQLite beside 1, 2, 3 nodes on PostgreSQL ----------------------------------------

// Filings/s of `nodes` hubs on `journal`, the connections spread over them.
double runNodes(const Options& o, const std::string& config, const std::string& journal, int nodes,
                const std::string& label) {
  std::vector<std::unique_ptr<HubChild>> hubs;
  std::vector<Poco::Net::SocketAddress> addresses;
  for (int i = 0; i < nodes; ++i) {  // one after the other: the first makes the receipt key
    hubs.push_back(std::make_unique<HubChild>(config, journal));
    addresses.emplace_back(hubs.back()->address());
  }
  std::cout << "\n" << label << ": " << nodes << " node(s), " << o.connections << " connections spread over them, "
            << o.seconds << " s\n";
  const LoadResult r = drive(addresses, o.connections, o.seconds, [](int c, std::uint64_t seq) {
    return Request{"POST", "/v1/messages", "application/vnd.swhub.consignment+json", "Bearer demo-post-token",
                   bodyWithReference(uniqueReference(c, seq))};
  });
  const double rate = report("filed", "filings/s", r, "202");
  if (countOf(r, "202") == 0 && !hubs.empty()) std::cout << "  swhub printed:\n" << hubs.front()->output();
  return rate;
}

int runNodesMode(const Options& o) {
  std::cout << "filing_bench --nodes: " << o.connections << " connections, " << o.seconds << " s per run\n"
            << machineLine() << "\n";
  TempDir dir;
  // The example config copied here: a PostgreSQL journal's receipt key goes in the config's var/.
  const std::string config = (dir.path / "hub.yaml").string();
  swhub::testing::writeFile(config, swhub::testing::exampleConfigText());
  std::vector<std::pair<std::string, double>> rates;
  rates.emplace_back("sqlite, 1 node", runNodes(o, config, "sqlite:" + (dir.path / "journal.db").string(), 1,
                                               "[sqlite]"));
  std::string why;
  swhub::testing::PgCluster* cluster = swhub::testing::testCluster(why);
  if (!cluster) {
    std::cout << "\npostgresql: skipped (" << why << ")\n";
  } else {
    for (int nodes = 1; nodes <= 3; ++nodes) {
      const std::string database = cluster->createDatabase();
      rates.emplace_back("postgresql, " + std::to_string(nodes) + " node" + (nodes > 1 ? "s" : ""),
                         runNodes(o, config, cluster->url(database), nodes, "[postgresql]"));
    }
  }
  std::cout << "\nfilings/s:";
  for (const auto& [label, rate] : rates) std::cout << "  " << label << " " << std::fixed << std::setprecision(0) << rate << ";";
  std::cout << "\n";
  for (const auto& [label, rate] : rates) {
    if (rate <= 0) {
      std::cerr << "filing_bench: FAILED (" << label << ": no filing acknowledged)\n";
      return 1;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parseOptions(argc, argv);
    struct sigaction action{};
    action.sa_handler = stopChildAndExit;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    ::signal(SIGPIPE, SIG_IGN);
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress shows when the output goes to a file
    std::cout.setf(std::ios::unitbuf);
    if (o.serveBare) return swhub::bench::serveBare();
    if (o.wrk) return swhub::bench::runWrkMode(o.wrkOptions);
    if (o.nodes) return runNodesMode(o);

    std::cout << "filing_bench: " << o.connections << " connections, " << o.seconds << " s per phase\n"
              << machineLine() << "\n";
    const double baseline = runBaseline(o);
    const double filings = runHub(o);
    std::cout << "\n[3] swhub filings/s / bare POCO requests/s = " << std::fixed << std::setprecision(0) << filings << " / "
              << baseline << " = " << std::setprecision(3) << (baseline > 0 ? filings / baseline : 0.0) << "\n";
    if (baseline <= 0 || filings <= 0) {
      std::cerr << "filing_bench: FAILED (" << (baseline <= 0 ? "no baseline answer" : "no filing acknowledged")
                << ")\n";
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "filing_bench: " << e.what() << "\n";
    return 1;
  }
}
