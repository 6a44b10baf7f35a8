#pragma once
// The HTTP front's door. One thread accepts connections and waits, off the worker threads, until
// each has sent a whole request head (it peeks at the socket, so the bytes stay for the parser),
// then hands it to a worker (POCO's dispatcher and thread pool). A worker serves one request and
// gives a kept-alive connection back to the gate (after waiting kLingerMs for a next head that
// comes whole, when nobody waits for a worker). So a client that trickles its head, or keeps idle
// connections open, holds no worker: it holds a file descriptor until its deadline.
//
// Bounds, each answered rather than hung or dropped silently:
// - a head must arrive whole within header_timeout_ms: else 408 problem and closed;
// - one source address may have max_pending_per_address connections waiting here: one more is
//   answered 503 with Retry-After and closed;
// - at most max_queued requests wait for a worker: one more is answered 503 with Retry-After;
// - a head larger than kMaxHeadBytes is answered 431.
// With TLS the gate cannot read the head (it is encrypted): a TLS connection is handed over once
// its first bytes arrive and the worker reads handshake and head under the same total deadline
// (ReadDeadlines); it counts against its address until its head is read.

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerDispatcher.h>
#include <Poco/ThreadPool.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "api/read_deadlines.hpp"
#include "config/config.hpp"

namespace swhub::api {

inline constexpr std::size_t kMaxHeadBytes = 16384;

// How long a worker that served a request on a plain kept-alive connection waits for the next
// whole head before it gives the connection back to the gate, when no connection waits for a
// worker. A client that sends request after request (a partner's batch, a benchmark) is served
// by the same worker without the gate's round trip (two thread hand-offs and six system calls
// a request); an idle or trickling client is the gate's again within this.
inline constexpr int kLingerMs = 2;

struct GateOptions {
  config::HttpLimits limits;
  int maxQueued = 256;
  bool tls = false;
};

class ConnectionGate {
 public:
  ConnectionGate(Poco::Net::ServerSocket socket, GateOptions options, Poco::ThreadPool& pool,
                 Poco::Net::HTTPServerParams::Ptr params, Poco::Net::HTTPRequestHandlerFactory::Ptr handlers);
  ~ConnectionGate();
  ConnectionGate(const ConnectionGate&) = delete;
  ConnectionGate& operator=(const ConnectionGate&) = delete;

  void start();
  // Stops accepting, closes the waiting connections, cuts the reads of the served ones; workers
  // finish their request and exit (join the pool after this).
  void stop();

  // From a worker: a kept-alive connection waits here for its next request.
  void readmit(const Poco::Net::StreamSocket& socket);
  // From a worker that served a request on a plain connection: whether the connection's next head
  // arrived whole within kLingerMs (then the worker serves it), not waited for when connections
  // wait for a worker.
  bool nextHeadWithinLinger(int fd) const;
  // From a worker: a TLS connection's head was read (or it ended): its address has one less waiting.
  void releaseAddress(const std::string& address);

  ReadDeadlines& deadlines() { return deadlines_; }

  // For /metrics.
  struct Counts {
    std::int64_t waiting = 0;  // connections waiting here for a whole head
    std::int64_t queued = 0;   // requests waiting for a worker
    std::int64_t headTimeouts = 0, refusedAddress = 0, refusedQueue = 0;
  };
  Counts counts() const;
  const GateOptions& options() const { return options_; }

 private:
  struct Pending {
    Poco::Net::StreamSocket socket;
    std::string address;
    GateClock::time_point deadline;
    bool idle = false;     // kept alive, no byte of its next request yet
    bool partial = false;  // part of a head came
  };

  void run();
  void acceptAll();
  void admit(const Poco::Net::StreamSocket& socket, bool idle);
  void examine(int fd);
  void dispatch(int fd);
  void close(int fd, int status);  // status 0: close without an answer
  void expire(GateClock::time_point now);

  Poco::Net::ServerSocket listen_;
  const GateOptions options_;
  Poco::Net::TCPServerDispatcher* dispatcher_ = nullptr;  // ref-counted by POCO
  ReadDeadlines deadlines_;
  int epoll_ = -1;
  int wake_ = -1;  // eventfd: readmitted connections, stop
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> stopped_{false};
  std::atomic<std::int64_t> waiting_{0}, headTimeouts_{0}, refusedAddress_{0}, refusedQueue_{0};

  std::unordered_map<int, Pending> pending_;  // the gate thread's alone
  std::mutex mutex_;                          // guards readmitted_ and perAddress_
  std::vector<Poco::Net::StreamSocket> readmitted_;
  std::map<std::string, int> perAddress_;
};

}  // namespace swhub::api
