#pragma once
// A push receiver that hangs: it accepts each connection, reads what arrives and never answers
// (a partner's server stuck behind a load balancer). Loopback only. Its connections close when
// it goes, so that the hub's delivery in flight ends then rather than at its timeout.

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace swhub::testing {

class HangingReceiver {
 public:
  HangingReceiver() {
    socket_.bind(Poco::Net::SocketAddress("127.0.0.1", 0), true);
    socket_.listen(16);
    thread_ = std::thread([this] { run(); });
  }
  ~HangingReceiver() {
    stop_ = true;
    thread_.join();
    for (auto& connection : connections_) connection.close();
    socket_.close();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + "/hook"; }

  // Waits until a request (some bytes of it) has arrived on an accepted connection.
  bool waitForRequest(std::chrono::seconds timeout = std::chrono::seconds(30)) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [this] { return requests_ > 0; });
  }

 private:
  void run() {
    const Poco::Timespan tick(0, 20000);  // 20 ms: how soon it notices stop_
    while (!stop_) {
      try {
        if (socket_.poll(tick, Poco::Net::Socket::SELECT_READ)) {
          connections_.push_back(socket_.acceptConnection());
        }
        for (auto& connection : connections_) {
          if (!connection.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ)) continue;
          char buffer[4096];
          if (connection.receiveBytes(buffer, sizeof buffer) > 0) {
            std::lock_guard lock(mutex_);
            ++requests_;
            cv_.notify_all();
          }
        }
      } catch (const Poco::Exception&) {
        // A client that gave up (reset): nothing to answer anyway.
      }
    }
  }

  Poco::Net::ServerSocket socket_;
  std::vector<Poco::Net::StreamSocket> connections_;  // held open, never answered
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
  int requests_ = 0;
  std::thread thread_;
};

}  // namespace swhub::testing
