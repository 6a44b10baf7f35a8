// pg_cluster start|stop DIR: the throwaway PostgreSQL cluster that ctest shares between the test
// programs of one run (the fixture tests pg_cluster_start and pg_cluster_stop). Without the
// PostgreSQL binaries `start` succeeds and says why there is no cluster: the tests then skip.

#include <cstdio>
#include <filesystem>
#include <string>

#include "pg_cluster.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: pg_cluster start|stop DIR\n");
    return 2;
  }
  const std::string command = argv[1];
  const std::filesystem::path dir = argv[2];
  if (command == "stop") {
    if (auto cluster = swhub::testing::PgCluster::attach(dir)) {
      std::error_code ignored;
      // attach() does not own it: stop it the way start's owner would.
      std::string bin = swhub::testing::PgCluster::binDir();
      const std::string stop = bin + "/pg_ctl -D '" + (dir / "data").string() + "' -m immediate -w stop";
      const std::string asUser = geteuid() == 0 ? "runuser -u postgres -- sh -c \"" + stop + "\"" : stop;
      std::system((asUser + " > /dev/null 2>&1").c_str());
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    std::printf("pg_cluster: stopped and removed %s\n", dir.c_str());
    return 0;
  }
  if (command != "start") return 2;
  std::error_code ignored;
  if (auto running = swhub::testing::PgCluster::attach(dir)) {
    std::printf("pg_cluster: already running on port %d\n", running->port());
    return 0;
  }
  std::filesystem::remove_all(dir, ignored);
  try {
    auto cluster = swhub::testing::PgCluster::start(dir);
    std::printf("pg_cluster: running on 127.0.0.1:%d in %s\n", cluster->port(), dir.c_str());
    cluster.release();  // left running for the run; pg_cluster_stop removes it
  } catch (const std::exception& e) {
    std::printf("pg_cluster: no cluster (%s): PostgreSQL tests will skip\n", e.what());
  }
  return 0;
}
