#include "hub_process.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <utility>

extern char** environ;

namespace swhub::testing {

long procStatusKb(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(field.size()));
  }
  return -1;
}

std::string swhubBinary() { return std::string(SWHUB_BINARY_ROOT) + "/bin/swhub"; }
std::string exampleConfig() { return std::string(SWHUB_SOURCE_ROOT) + "/config/hub.yaml"; }

std::string withExternalCustoms(std::string yaml) {
  const std::string from = "    plugin: customs\n";
  const std::string to = "    credentials:\n      tokens: [demo-customs-token]";
  const auto start = yaml.find(from);
  const auto end = start == std::string::npos ? start : yaml.find(to, start);
  if (start == std::string::npos || end == std::string::npos) {
    throw std::runtime_error("the example config has no in-process customs agency to make external");
  }
  yaml.erase(start, end - start);
  return yaml;
}

std::string exampleConfigText() {
  std::string yaml = readFile(exampleConfig());
  // The files it names beside it (customs' jurisdiction, the estimate's nomenclature) stay where they are.
  for (const auto& [key, folder] : {std::pair{"jurisdiction_file: ", "jurisdictions/"}, std::pair{"nomenclature: ", "tariff/"}}) {
    const std::string relative = std::string(key) + folder;
    for (auto at = yaml.find(relative); at != std::string::npos; at = yaml.find(relative, at + 1)) {
      yaml.replace(at, relative.size(), std::string(key) + SWHUB_SOURCE_ROOT + "/config/" + folder);
    }
  }
  return yaml;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void writeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

namespace {

pid_t spawn(const std::vector<std::string>& args, int& readFd, const std::string& binary) {
  int pipeFds[2];
  if (::pipe2(pipeFds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipeFds[1], 2);
  std::vector<std::string> argv{binary};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargs;
  for (auto& a : argv) cargs.push_back(a.data());
  cargs.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, cargs[0], &actions, nullptr, cargs.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipeFds[1]);
  if (rc != 0) {
    ::close(pipeFds[0]);
    throw std::runtime_error("cannot start " + argv[0]);
  }
  readFd = pipeFds[0];
  return pid;
}

// Reads what is available within `timeoutMs`; false at end of file.
bool readSome(int fd, std::string& into, int timeoutMs) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, timeoutMs) <= 0) return true;
  char buffer[4096];
  const ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n <= 0) return false;
  into.append(buffer, static_cast<std::size_t>(n));
  return true;
}

int waitFor(pid_t pid, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid, &status, WNOHANG) == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    ::usleep(10000);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return -1;
}

}  // namespace

HubProcess::HubProcess(std::vector<std::string> args, const std::string& binary) {
  pid_ = spawn(args, stdoutFd_, binary);
  static const std::regex kListening(R"(listening on (https?)://(\S+))");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::smatch match;
  while (std::chrono::steady_clock::now() < deadline) {
    if (std::regex_search(output_, match, kListening)) {
      scheme_ = match[1];
      address_ = match[2];
      return;
    }
    if (!readSome(stdoutFd_, output_, 100)) break;
  }
  ::kill(pid_, SIGKILL);
  waitFor(pid_, std::chrono::seconds(5));
  pid_ = -1;
  throw std::runtime_error("swhub did not start; it printed:\n" + output_);
}

HubProcess::~HubProcess() {
  if (pid_ > 0) kill();
  if (stdoutFd_ >= 0) ::close(stdoutFd_);
}

bool HubProcess::waitForOutput(const std::string& text, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (output_.find(text) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    if (!readSome(stdoutFd_, output_, 50)) break;
  }
  return output_.find(text) != std::string::npos;
}

int HubProcess::terminate() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  const int status = waitFor(pid_, std::chrono::seconds(30));
  while (readSome(stdoutFd_, output_, 0)) {
  }
  pid_ = -1;
  return status;
}

int HubProcess::waitForExit(std::chrono::seconds limit) {
  if (pid_ <= 0) return -1;
  const int status = waitFor(pid_, limit);
  while (readSome(stdoutFd_, output_, 0)) {
  }
  pid_ = -1;
  return status;
}

void HubProcess::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  waitFor(pid_, std::chrono::seconds(10));
  pid_ = -1;
}

HttpResponse requestAs(const std::string& address, const std::string& token, const std::string& method,
                       const std::string& path, const std::string& body) {
  std::map<std::string, std::string> headers{{"Authorization", "Bearer " + token}};
  if (!body.empty()) {
    headers["Content-Type"] = path == "/v1/messages" ? "application/vnd.swhub.consignment+json" : "application/json";
  }
  return request(address, method, path, body, headers);
}

std::pair<int, std::string> runSwhub(const std::vector<std::string>& args, std::chrono::seconds limit,
                                     const std::string& binary) {
  int fd = -1;
  const pid_t pid = spawn(args, fd, binary);
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::string out;
  while (std::chrono::steady_clock::now() < deadline && readSome(fd, out, 100)) {
  }
  ::close(fd);
  // Its output ended (it exits now) or the time is up (it is killed: -1).
  const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - std::chrono::steady_clock::now());
  return {waitFor(pid, std::max(left, std::chrono::seconds(1))), out};
}

HttpResponse request(const std::string& address, const std::string& method, const std::string& path,
                     const std::string& body, const std::map<std::string, std::string>& headers) {
  const auto colon = address.rfind(':');
  std::string host = address.substr(0, colon);
  if (!host.empty() && host.front() == '[') host = host.substr(1, host.size() - 2);
  Poco::Net::HTTPClientSession session(host, static_cast<Poco::UInt16>(std::stoi(address.substr(colon + 1))));
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!body.empty() || method == "POST") req.setContentLength64(static_cast<Poco::Int64>(body.size()));
  session.sendRequest(req) << body;
  Poco::Net::HTTPResponse res;
  std::istream& in = session.receiveResponse(res);
  HttpResponse out;
  out.status = res.getStatus();
  out.reason = res.getReason();
  Poco::StreamCopier::copyToString(in, out.body);
  for (const auto& [name, value] : res) out.headers[name] = value;
  return out;
}

std::string exampleFiling(const std::string& reference) {
  return R"({ "reference": ")" + reference + R"(", "filing": "pre-arrival",
  "parties": { "seller": {"name": "Gadget Export Ltd", "country": "CN", "id": "CN91440300MA5"},
               "buyer":  {"name": "Ana Silva", "country": "PT", "address": "Rua Augusta 10, Lisboa"},
               "carrier": {"name": "Demo Post", "id": "PT-POST"} },
  "transport": { "mode": "air", "conveyance": "TP1234", "master_ref": "999-12345675",
                 "departure": "CN", "destination": "PT", "arrival": "2026-11-29T08:00:00Z" },
  "fiscal": { "model": "consumer", "collected_at_sale": false, "registration": null },
  "items": [ { "description": "Bluetooth headphones", "hs": "851830", "quantity": 1,
               "unit": "pce", "net_kg": 0.25, "gross_kg": 0.4, "value": 45.00,
               "currency": "EUR", "origin": "CN", "nature": "sale", "documents": [] } ] })";
}

}  // namespace swhub::testing
