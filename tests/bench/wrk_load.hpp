#pragma once
// wrk as the load generator of the benchmarks (README.md "filing_bench --wrk", "lookup_bench"):
// runs `wrk --latency` with a Lua script against a loopback URL and reads its summary.

#include <cstdint>
#include <string>
#include <vector>

namespace swhub::bench {

struct WrkRun {
  std::uint64_t requests = 0;     // completed, whatever their status
  std::uint64_t non2xx = 0;       // "Non-2xx or 3xx responses"
  std::uint64_t socketErrors = 0; // connect + read + write + timeout
  double seconds = 0;
  double p50Ms = 0, p75Ms = 0, p90Ms = 0, p99Ms = 0, maxMs = 0;
  std::string output;  // what wrk printed

  double okPerSecond() const { return seconds > 0 ? static_cast<double>(requests - non2xx) / seconds : 0; }
};

struct WrkLoad {
  int threads = 2;
  int connections = 64;
  int seconds = 10;
  std::string script;  // path of the Lua script
  std::string url;     // http://127.0.0.1:PORT/
  std::vector<std::string> scriptArgs;  // after "--": the script's init(args)
};

// Runs wrk to its end; throws when wrk cannot be run or printed no summary.
WrkRun runWrk(const WrkLoad& load);

// "wrk -t2 -c64 -d10s --latency -s SCRIPT URL": the command, for the report.
std::string wrkCommand(const WrkLoad& load);

double median(std::vector<double> values);

}  // namespace swhub::bench
