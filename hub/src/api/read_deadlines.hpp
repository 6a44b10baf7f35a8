#pragma once
// Total deadlines on reads that a worker thread blocks in (a TLS request's head, any request's
// body). A socket's receive timeout bounds one read, not a trickle of one byte a second; a
// deadline here bounds the whole: when it passes, the gate's thread shuts the socket's read side
// and the blocked read returns at once.

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>

namespace swhub::api {

using GateClock = std::chrono::steady_clock;

class ReadDeadlines;

// One connection's watch, owned by the worker serving it.
class ReadWatch {
 public:
  ReadWatch(ReadDeadlines& registry, int fd) : registry_(registry), fd_(fd) {}
  ~ReadWatch();
  ReadWatch(const ReadWatch&) = delete;
  ReadWatch& operator=(const ReadWatch&) = delete;

  // The head must arrive by `at` (else the connection is shut both ways and closed).
  void head(GateClock::time_point at);
  // The body must arrive by `at` (else the read side is shut: the request is answered 408).
  void body(GateClock::time_point at);
  void clear();
  // The last deadline armed passed and cut the read.
  bool fired() const { return fired_.load(); }

  // The watch of the request this thread serves (set by the connection while it serves it).
  static ReadWatch*& current();

 private:
  friend class ReadDeadlines;
  ReadDeadlines& registry_;
  const int fd_;
  GateClock::time_point at_{};  // guarded by the registry's mutex
  int how_ = 0;
  std::atomic<bool> fired_{false};
};

class ReadDeadlines {
 public:
  void arm(ReadWatch& watch, GateClock::time_point at, int how);
  void disarm(ReadWatch& watch);
  // Cuts every read past its deadline (`all`: every armed read, at stop).
  void expire(GateClock::time_point now, bool all = false);

 private:
  std::mutex mutex_;
  std::set<ReadWatch*> armed_;
};

}  // namespace swhub::api
