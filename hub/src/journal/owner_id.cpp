// newOwnerId: the lease owner of one process start.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include "journal/journal.hpp"

namespace swhub::journal {

std::string newOwnerId() {
  // The node part names the machine so that a multi-node backend can tell whose leases are whose;
  // pid, start time and a random part make it unique per process start (pids are reused).
  char host[256] = {};
  std::string node = gethostname(host, sizeof host - 1) == 0 && host[0] != '\0' ? host : "node";
  for (char& c : node) {
    if (c == '/') c = '_';
  }
  const auto started = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  std::random_device random;
  const unsigned salt = random();
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", salt);
  return node + "/" + std::to_string(::getpid()) + "-" + std::to_string(started) + "-" + hex;
}

}  // namespace swhub::journal
