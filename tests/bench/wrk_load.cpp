#include "wrk_load.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <stdexcept>

namespace swhub::bench {
namespace {

// "1.23ms", "845.00us", "1.02s", "2.00m" -> milliseconds.
double toMs(const std::string& number, const std::string& unit) {
  const double v = std::atof(number.c_str());
  if (unit == "us") return v / 1000.0;
  if (unit == "ms") return v;
  if (unit == "s") return v * 1000.0;
  if (unit == "m") return v * 60000.0;
  return v;
}

std::string shellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string wrkCommand(const WrkLoad& load) {
  std::string command = "wrk -t" + std::to_string(load.threads) + " -c" + std::to_string(load.connections) + " -d" +
                        std::to_string(load.seconds) + "s --latency -s " + shellQuote(load.script) + " " +
                        shellQuote(load.url);
  if (!load.scriptArgs.empty()) {
    command += " --";
    for (const auto& a : load.scriptArgs) command += " " + shellQuote(a);
  }
  return command;
}

WrkRun runWrk(const WrkLoad& load) {
  const std::string command = wrkCommand(load) + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("cannot run wrk (install the Debian package wrk)");
  WrkRun run;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) run.output.append(buffer, n);
  const int status = ::pclose(pipe);
  static const std::regex kTotal(R"((\d+) requests in ([0-9.]+)(us|ms|s|m),)");
  static const std::regex kNon2xx(R"(Non-2xx or 3xx responses: (\d+))");
  static const std::regex kSocket(R"(Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+))");
  static const std::regex kPercentile(R"(\n\s+(50|75|90|99)%\s+([0-9.]+)(us|ms|s|m))");
  static const std::regex kLatency(R"(\n\s+Latency\s+[0-9.]+\w+\s+[0-9.]+\w+\s+([0-9.]+)(us|ms|s|m))");
  std::smatch m;
  if (status != 0 || !std::regex_search(run.output, m, kTotal)) {
    throw std::runtime_error("wrk failed (" + command + "):\n" + run.output);
  }
  run.requests = std::stoull(m[1]);
  run.seconds = toMs(m[2], m[3]) / 1000.0;
  if (std::regex_search(run.output, m, kNon2xx)) run.non2xx = std::stoull(m[1]);
  if (std::regex_search(run.output, m, kSocket)) {
    run.socketErrors = std::stoull(m[1]) + std::stoull(m[2]) + std::stoull(m[3]) + std::stoull(m[4]);
  }
  if (std::regex_search(run.output, m, kLatency)) run.maxMs = toMs(m[1], m[2]);
  for (auto it = std::sregex_iterator(run.output.begin(), run.output.end(), kPercentile); it != std::sregex_iterator();
       ++it) {
    const double v = toMs((*it)[2], (*it)[3]);
    const std::string q = (*it)[1];
    (q == "50" ? run.p50Ms : q == "75" ? run.p75Ms : q == "90" ? run.p90Ms : run.p99Ms) = v;
  }
  return run;
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace swhub::bench
