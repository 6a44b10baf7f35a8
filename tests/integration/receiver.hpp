#pragma once
// A real HTTP receiver on loopback for push deliveries: records what arrives (delivery id, kind,
// body) and answers with a status the test sets. Starts on a given port (0 = any), can be
// stopped and started again on the same port (a receiver that is down for a while).

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace swhub::testing {

struct Received {
  std::string id;
  std::string kind;
  std::string attempt;
  std::string body;
};

class Receiver {
 public:
  explicit Receiver(unsigned short port = 0) { start(port); }
  ~Receiver() { stop(); }

  void start(unsigned short port) {
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress("127.0.0.1", port), true);
    socket.listen(64);
    port_ = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(8);
    params->setKeepAlive(false);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
    server_->start();
  }

  void stop() {
    if (server_) {
      server_->stopAll(true);
      server_.reset();
    }
  }

  unsigned short port() const { return port_; }
  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  void answer(int status) { status_ = status; }

  std::vector<Received> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }

  // Waits until `done(received)` holds or the timeout passes; returns whether it held.
  bool waitFor(const std::function<bool(const std::vector<Received>&)>& done,
               std::chrono::seconds timeout = std::chrono::seconds(30)) const {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return done(received_); });
  }

 private:
  class Handler : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(Receiver& r) : r_(r) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
      Received item{request.get("X-Swhub-Delivery-Id", ""), request.get("X-Swhub-Kind", ""),
                    request.get("X-Swhub-Attempt", ""), ""};
      Poco::StreamCopier::copyToString(request.stream(), item.body);
      const int status = r_.status_;
      if (status >= 200 && status < 300) {
        std::lock_guard lock(r_.mutex_);
        r_.received_.push_back(std::move(item));
      }
      r_.cv_.notify_all();
      response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
      response.setContentLength(2);
      response.send() << "ok";
    }

   private:
    Receiver& r_;
  };
  class Factory : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(Receiver& r) : r_(r) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(r_);
    }

   private:
    Receiver& r_;
  };

  std::unique_ptr<Poco::Net::HTTPServer> server_;
  unsigned short port_ = 0;
  std::atomic<int> status_{200};
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  std::vector<Received> received_;
};

// Polls `probe` every 20 ms until it returns true or the timeout passes.
inline bool eventually(const std::function<bool()>& probe, std::chrono::seconds timeout = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (probe()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return probe();
}

}  // namespace swhub::testing
