#include "devtools.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace swhub::testing {
namespace {

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string stringify(const Poco::JSON::Object::Ptr& object) {
  std::ostringstream out;
  object->stringify(out);
  return out.str();
}

}  // namespace

std::string jsString(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

Chromium::Chromium(const std::string& binary) {
  const std::string log = profile_.file("chromium.log");
  const std::string profile = profile_.file("profile");
  std::filesystem::create_directories(profile);
  std::vector<std::string> args = {binary,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-quic",
                                   "--no-first-run",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--user-data-dir=" + profile,
                                   "--remote-debugging-port=0",
                                   "about:blank"};
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    ::setpgid(0, 0);                    // a group of its own: killed whole, renderers and all
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // and with the test, should the test die first
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  ::setpgid(pid_, pid_);
  // Chromium writes the port it got, then the browser's path, once it listens.
  const std::string portFile = profile + "/DevToolsActivePort";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string text = readAll(portFile);
    if (text.find('\n') != std::string::npos) {
      port_ = std::stoi(text.substr(0, text.find('\n')));
      if (port_ > 0) return;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("chromium ended before it listened: " + output());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("chromium wrote no DevToolsActivePort within 60 s: " + output());
}

Chromium::~Chromium() {
  if (pid_ > 0) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
}

std::string Chromium::output() const { return readAll(profile_.file("chromium.log")); }

DevToolsPage::DevToolsPage(int port) {
  // The page Chromium opened (about:blank): its WebSocket path from /json/list.
  Poco::Net::HTTPClientSession list("127.0.0.1", static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/json/list", Poco::Net::HTTPMessage::HTTP_1_1);
  list.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(list.receiveResponse(response), body);
  const auto targets = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Array::Ptr>();
  std::string path;
  for (std::size_t i = 0; i < targets->size() && path.empty(); ++i) {
    const auto target = targets->getObject(static_cast<unsigned>(i));
    if (target->optValue<std::string>("type", "") != "page") continue;
    const std::string url = target->getValue<std::string>("webSocketDebuggerUrl");
    path = url.substr(url.find('/', std::string("ws://").size()));
  }
  if (path.empty()) throw std::runtime_error("chromium has no page target: " + body);
  session_ = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", static_cast<Poco::UInt16>(port));
  Poco::Net::HTTPRequest upgrade(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
  Poco::Net::HTTPResponse upgraded;
  socket_ = std::make_unique<Poco::Net::WebSocket>(*session_, upgrade, upgraded);
  socket_->setReceiveTimeout(Poco::Timespan(30, 0));
  socket_->setMaxPayloadSize(64 << 20);
  call("Runtime.enable");
  call("Log.enable");
  call("Network.enable");
  call("Page.enable");
}

Poco::JSON::Object::Ptr DevToolsPage::receive() {
  Poco::Buffer<char> buffer(0);
  int flags = 0;
  std::string message;
  do {
    buffer.resize(0);
    const int n = socket_->receiveFrame(buffer, flags);
    if (n <= 0 && (flags & Poco::Net::WebSocket::FRAME_OP_BITMASK) == Poco::Net::WebSocket::FRAME_OP_CLOSE) {
      throw std::runtime_error("the DevTools connection closed");
    }
    message.append(buffer.begin(), buffer.size());
  } while ((flags & Poco::Net::WebSocket::FRAME_FLAG_FIN) == 0);
  return Poco::JSON::Parser().parse(message).extract<Poco::JSON::Object::Ptr>();
}

void DevToolsPage::record(const Poco::JSON::Object::Ptr& event) {
  const std::string method = event->optValue<std::string>("method", "");
  const auto params = event->getObject("params");
  if (!params) return;
  if (method == "Runtime.consoleAPICalled") {
    const std::string type = params->optValue<std::string>("type", "");
    if (type == "error" || type == "assert") errors_.push_back("console." + type + ": " + stringify(params));
  } else if (method == "Runtime.exceptionThrown") {
    errors_.push_back("exception: " + stringify(params));
  } else if (method == "Log.entryAdded") {
    const auto entry = params->getObject("entry");
    if (entry && entry->optValue<std::string>("level", "") == "error") errors_.push_back("log error: " + stringify(entry));
  } else if (method == "Network.requestWillBeSent") {
    const auto request = params->getObject("request");
    if (request) urls_.push_back(request->optValue<std::string>("url", ""));
  }
}

Poco::JSON::Object::Ptr DevToolsPage::call(const std::string& method, const Poco::JSON::Object::Ptr& params) {
  const int id = nextId_++;
  Poco::JSON::Object command;
  command.set("id", id);
  command.set("method", method);
  command.set("params", params ? params : Poco::JSON::Object::Ptr(new Poco::JSON::Object));
  std::ostringstream text;
  command.stringify(text);
  const std::string frame = text.str();
  socket_->sendFrame(frame.data(), static_cast<int>(frame.size()), Poco::Net::WebSocket::FRAME_TEXT);
  for (;;) {
    const auto message = receive();
    if (!message->has("id")) {
      record(message);
      continue;
    }
    if (message->getValue<int>("id") != id) continue;
    if (message->has("error")) throw std::runtime_error(method + ": " + stringify(message->getObject("error")));
    auto result = message->getObject("result");
    return result ? result : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  }
}

Poco::Dynamic::Var DevToolsPage::evaluate(const std::string& expression) {
  Poco::JSON::Object::Ptr params(new Poco::JSON::Object);
  params->set("expression", expression);
  params->set("returnByValue", true);
  params->set("awaitPromise", true);
  const auto result = call("Runtime.evaluate", params);
  if (result->has("exceptionDetails")) {
    throw std::runtime_error("the page threw on `" + expression + "`: " + stringify(result->getObject("exceptionDetails")));
  }
  const auto value = result->getObject("result");
  return value && value->has("value") ? value->get("value") : Poco::Dynamic::Var();
}

bool DevToolsPage::waitFor(const std::string& expression, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    const auto value = evaluate("!!(" + expression + ")");
    if (!value.isEmpty() && value.convert<bool>()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void DevToolsPage::navigate(const std::string& url) {
  Poco::JSON::Object::Ptr params(new Poco::JSON::Object);
  params->set("url", url);
  call("Page.navigate", params);
  if (!waitFor("document.readyState === 'complete' && location.href.startsWith(" + jsString(url) + ")")) {
    throw std::runtime_error("the page did not load " + url);
  }
}

void DevToolsPage::type(const std::string& selector, const std::string& text) {
  evaluate("document.querySelector(" + jsString(selector) + ").focus()");
  Poco::JSON::Object::Ptr params(new Poco::JSON::Object);
  params->set("text", text);
  call("Input.insertText", params);
}

}  // namespace swhub::testing
