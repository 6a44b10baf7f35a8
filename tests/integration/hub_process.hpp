#pragma once
// A real `swhub serve` process for integration tests: started on a free loopback port (the hub
// binds port 0 and prints the address it got), stopped with SIGTERM or killed with SIGKILL.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace swhub::testing {

std::string swhubBinary();

class HubProcess {
 public:
  // `args` follow "swhub"; e.g. {"serve", "--config", FILE, "--listen", "127.0.0.1:0", ...}.
  // `binary`: the build's swhub unless another is named (an installed one).
  explicit HubProcess(std::vector<std::string> args, const std::string& binary = swhubBinary());
  ~HubProcess();

  // The "HOST:PORT" the hub printed; throws when it did not start within the timeout.
  const std::string& address() const { return address_; }
  std::string baseUrl() const { return scheme_ + "://" + address_; }
  const std::string& output() const { return output_; }
  pid_t pid() const { return pid_; }  // the swhub process itself (spawned directly)

  // Reads what the hub prints until `text` is in output() (true) or `limit` passes (false).
  bool waitForOutput(const std::string& text, std::chrono::milliseconds limit = std::chrono::seconds(10));
  int terminate();  // SIGTERM, wait; returns the exit status
  // Waits for the hub to end by itself; its exit status, or -1 (then killed) after `limit`.
  int waitForExit(std::chrono::seconds limit);
  void kill();      // SIGKILL: a crash, nothing flushed by the hub itself

 private:
  pid_t pid_ = -1;
  int stdoutFd_ = -1;
  std::string address_;
  std::string scheme_ = "http";
  std::string output_;
};

// Runs `swhub ARGS` to its end; returns {exit code, stdout + stderr}. A process still running
// after `limit` (a hub that started when it should not have) is killed: exit code -1.
std::pair<int, std::string> runSwhub(const std::vector<std::string>& args,
                                     std::chrono::seconds limit = std::chrono::seconds(60),
                                     const std::string& binary = swhubBinary());

// A "Vm...:" field of /proc/PID/status in kB (e.g. "VmHWM:", the peak resident set); -1 if absent.
long procStatusKb(pid_t pid, const std::string& field);

std::string swhubBinary();
std::string exampleConfig();
// The example config's text, to be written into another folder: the files it names beside itself
// (config/jurisdictions/) by their absolute paths.
std::string exampleConfigText();
// `yaml` (the example config) with customs as an external system (it pulls its tasks and posts its
// decisions) instead of the in-process customs plugin: for tests of the other paths of a decision.
std::string withExternalCustoms(std::string yaml);
std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& text);

struct HttpResponse {
  int status = 0;
  std::string reason;  // the status line's reason phrase ("Forbidden")
  std::string body;
  std::map<std::string, std::string> headers;
};

// A plain HTTP/1.1 request on loopback (keep-alive session per call).
HttpResponse request(const std::string& address, const std::string& method, const std::string& path,
                     const std::string& body = "", const std::map<std::string, std::string>& headers = {});

// `request` as the holder of `token`: a body posted to /v1/messages goes as canonical JSON, any
// other body as JSON.
HttpResponse requestAs(const std::string& address, const std::string& token, const std::string& method,
                       const std::string& path, const std::string& body = "");

// The DESIGN.md example filing with `reference` swapped in.
std::string exampleFiling(const std::string& reference);

}  // namespace swhub::testing
