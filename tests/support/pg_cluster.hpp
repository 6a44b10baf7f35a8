#pragma once
// A throwaway PostgreSQL cluster for tests: initdb into a folder of its own, a free port, the
// socket in that folder, listening on 127.0.0.1 only; stopped and removed at the end. It never
// touches a system cluster.
//
// ctest starts one cluster for the whole run (the pg_cluster_start / pg_cluster_stop fixture
// tests, tests/CMakeLists.txt) and each test makes a database of its own in it. A test program
// run by hand, without that cluster, starts a private one for its own process.
//
// As root (CI's .ci/run, a fresh Debian machine) initdb and postgres refuse to run: they run as
// the unprivileged `postgres` user of Debian's postgresql package instead (runuser), and the
// folder is handed to that user.
//
// No PostgreSQL binaries (no initdb): skipReason() says so, and the PostgreSQL half of a suite is
// skipped with GTEST_SKIP naming why (deploy/install-deps.sh installs them, so CI runs it).

#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace swhub::testing {

class PgCluster {
 public:
  // The bin folder of the newest Debian PostgreSQL (/usr/lib/postgresql/N/bin), "" when none.
  static std::string binDir() {
    namespace fs = std::filesystem;
    std::error_code error;
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", error)) {
      if (fs::exists(entry.path() / "bin" / "initdb") && fs::exists(entry.path() / "bin" / "pg_ctl")) {
        found.push_back(entry.path() / "bin");
      }
    }
    if (found.empty()) return "";
    std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
      return std::stoi(a.parent_path().filename().string()) < std::stoi(b.parent_path().filename().string());
    });
    return found.back().string();
  }

  // Makes and starts a cluster in `dir` (created; must not hold one yet). Throws with the reason.
  static std::unique_ptr<PgCluster> start(const std::filesystem::path& dir) {
    auto cluster = std::unique_ptr<PgCluster>(new PgCluster(dir));
    cluster->init();
    return cluster;
  }

  // A running cluster started by another process (its folder holds `port`); nullptr when none.
  static std::unique_ptr<PgCluster> attach(const std::filesystem::path& dir) {
    std::ifstream in(dir / "port");
    int port = 0;
    if (!(in >> port) || port <= 0) return nullptr;
    auto cluster = std::unique_ptr<PgCluster>(new PgCluster(dir));
    cluster->port_ = port;
    cluster->owned_ = false;
    if (!cluster->reachable()) return nullptr;
    return cluster;
  }

  ~PgCluster() {
    if (owned_) stop();
  }

  void stop() {
    if (!owned_) return;
    owned_ = false;
    run(bin_ + "/pg_ctl -D " + quoted((dir_ / "data").string()) + " -m immediate -w stop > /dev/null 2>&1");
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  int port() const { return port_; }
  std::string url(const std::string& database) const {
    return "postgresql://swhub@127.0.0.1:" + std::to_string(port_) + "/" + database;
  }

  // A new empty database, unique in this cluster.
  std::string createDatabase() {
    static std::atomic<int> counter{0};
    const std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
                             std::to_string(std::rand() % 100000);
    admin("CREATE DATABASE " + name + " TEMPLATE template0");
    return name;
  }
  void dropDatabase(const std::string& name) { admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); }

  // Runs one statement on the `postgres` database; throws with the server's message.
  void admin(const std::string& sql) const {
    PGconn* conn = PQconnectdb((url("postgres") + "?connect_timeout=10").c_str());
    std::string error;
    if (PQstatus(conn) != CONNECTION_OK) {
      error = PQerrorMessage(conn);
    } else {
      PGresult* result = PQexec(conn, sql.c_str());
      if (PQresultStatus(result) != PGRES_COMMAND_OK && PQresultStatus(result) != PGRES_TUPLES_OK) {
        error = PQresultErrorMessage(result);
      }
      PQclear(result);
    }
    PQfinish(conn);
    if (!error.empty()) throw std::runtime_error("test cluster: " + sql + ": " + error);
  }

 private:
  explicit PgCluster(std::filesystem::path dir) : dir_(std::move(dir)), bin_(binDir()) {}

  static std::string quoted(const std::string& text) { return "'" + text + "'"; }
  static int run(const std::string& command) { return std::system(command.c_str()); }

  // As root, the command runs as the postgres user.
  std::string asServerUser(const std::string& command) const {
    if (::geteuid() != 0) return command;
    return "runuser -u postgres -- sh -c " + quoted(command);
  }

  static int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t size = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
      if (fd >= 0) ::close(fd);
      throw std::runtime_error("test cluster: no free port on 127.0.0.1");
    }
    ::close(fd);
    return ntohs(address.sin_port);
  }

  bool reachable() const {
    PGconn* conn = PQconnectdb((url("postgres") + "?connect_timeout=5").c_str());
    const bool ok = PQstatus(conn) == CONNECTION_OK;
    PQfinish(conn);
    return ok;
  }

  void init() {
    namespace fs = std::filesystem;
    if (bin_.empty()) throw std::runtime_error("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb)");
    fs::create_directories(dir_);
    if (::geteuid() == 0) {
      const passwd* user = ::getpwnam("postgres");
      if (!user) throw std::runtime_error("running as root and there is no 'postgres' user to run the test cluster as");
      std::error_code ignored;
      fs::permissions(dir_, fs::perms::owner_all, ignored);
      if (::chown(dir_.c_str(), user->pw_uid, user->pw_gid) != 0) {
        throw std::runtime_error("cannot hand " + dir_.string() + " to the postgres user");
      }
    }
    const std::string data = (dir_ / "data").string();
    const std::string log = (dir_ / "log").string();
    if (run(asServerUser(bin_ + "/initdb -D " + data + " -U swhub --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync") +
            " > " + log + ".initdb 2>&1") != 0) {
      throw std::runtime_error("initdb failed: see " + log + ".initdb");
    }
    // A port taken between our look and the server's bind: try another.
    for (int attempt = 0; attempt < 5; ++attempt) {
      port_ = freePort();
      const std::string options = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) +
                                  " -c unix_socket_directories=" + dir_.string() +
                                  " -c max_connections=200 -c shared_buffers=32MB";
      if (run(asServerUser(bin_ + "/pg_ctl -D " + data + " -l " + log + " -w -t 60 -o \"" + options + "\" start") +
              " > /dev/null 2>&1") == 0) {
        owned_ = true;
        std::ofstream(dir_ / "port") << port_ << "\n";
        return;
      }
    }
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    throw std::runtime_error("the test cluster did not start: " + text.str());
  }

  std::filesystem::path dir_;
  std::string bin_;
  int port_ = 0;
  bool owned_ = false;
};

// The cluster of this test run: ctest's shared one (SWHUB_PG_TEST_DIR, started by the
// pg_cluster_start fixture), else one started for this process and stopped at its exit.
// nullptr with `why` set when there is none to be had.
inline PgCluster* testCluster(std::string& why) {
  static std::mutex mutex;
  static std::unique_ptr<PgCluster> cluster;
  static std::string failure;
  std::lock_guard lock(mutex);
  if (!cluster && failure.empty()) {
#ifdef SWHUB_PG_TEST_DIR
    cluster = PgCluster::attach(SWHUB_PG_TEST_DIR);
#endif
    if (!cluster) {
      try {
        std::string pattern = (std::filesystem::temp_directory_path() / "swhub-pg-XXXXXX").string();
        if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
        cluster = PgCluster::start(pattern);
      } catch (const std::exception& e) {
        failure = e.what();
      }
    }
  }
  why = failure;
  return cluster.get();
}

// One database of the test cluster for one test, dropped at its end.
class PgDatabase {
 public:
  PgDatabase() {
    cluster_ = testCluster(why_);
    if (cluster_) {
      name_ = cluster_->createDatabase();
      url_ = cluster_->url(name_);
    }
  }
  ~PgDatabase() {
    if (cluster_ && !name_.empty()) {
      try {
        cluster_->dropDatabase(name_);
      } catch (const std::exception&) {
        // Left for the cluster's removal at the end of the run.
      }
    }
  }
  PgDatabase(const PgDatabase&) = delete;
  PgDatabase& operator=(const PgDatabase&) = delete;

  bool available() const { return cluster_ != nullptr; }
  const std::string& skipReason() const { return why_; }
  const std::string& url() const { return url_; }
  PgCluster* cluster() const { return cluster_; }

 private:
  PgCluster* cluster_ = nullptr;
  std::string why_;
  std::string name_;
  std::string url_;
};

}  // namespace swhub::testing
