#pragma once
// Headless Chromium for end-to-end tests, driven over the DevTools protocol with POCO's WebSocket
// client (no npm). Chromium runs with a fresh profile in a process group of its own, and is
// killed (SIGKILL, the whole group) when the object goes, also when a test fails or throws; it
// dies with the test process too (PR_SET_PDEATHSIG).

#include <sys/types.h>

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/WebSocket.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace swhub::testing {

inline constexpr const char* kChromium = "/usr/bin/chromium";

class Chromium {
 public:
  // Starts `binary` headless on a free DevTools port (read from <profile>/DevToolsActivePort);
  // throws std::runtime_error, with what Chromium printed, when it does not come up.
  explicit Chromium(const std::string& binary = kChromium);
  ~Chromium();
  Chromium(const Chromium&) = delete;
  Chromium& operator=(const Chromium&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string output() const;  // what Chromium printed (stdout and stderr)

 private:
  TempDir profile_{"swhub-chromium"};
  pid_t pid_ = -1;
  int port_ = 0;
};

// One page of the browser, over its DevTools WebSocket. Records, from the moment it connects,
// every console message and exception of the page, every log entry, and every URL requested.
class DevToolsPage {
 public:
  explicit DevToolsPage(int port);

  // A DevTools command; throws std::runtime_error with the protocol's error.
  Poco::JSON::Object::Ptr call(const std::string& method, const Poco::JSON::Object::Ptr& params = nullptr);
  // The value of a JavaScript expression in the page (promises awaited); throws on an exception.
  Poco::Dynamic::Var evaluate(const std::string& expression);
  // Polls `expression` until it is true, for at most `limit`; false when it never was.
  bool waitFor(const std::string& expression, std::chrono::milliseconds limit = std::chrono::seconds(15));
  // Navigates and waits for the page's load.
  void navigate(const std::string& url);
  // Types `text` into the element of `selector` as a user does (focus, then the text inserted).
  void type(const std::string& selector, const std::string& text);

  // "console.error: ...", "exception: ...", "log error: ..." of the page, in order.
  const std::vector<std::string>& errors() const { return errors_; }
  const std::vector<std::string>& requestedUrls() const { return urls_; }

 private:
  Poco::JSON::Object::Ptr receive();
  void record(const Poco::JSON::Object::Ptr& event);

  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
  std::unique_ptr<Poco::Net::WebSocket> socket_;
  int nextId_ = 1;
  std::vector<std::string> errors_;
  std::vector<std::string> urls_;
};

// A JavaScript string literal of `text` (JSON-escaped), to put a value into an expression.
std::string jsString(const std::string& text);

}  // namespace swhub::testing
