#pragma once
// The call threads of one in-process plugin instance (a bulkhead): every bounded call runs on one
// of them, and its caller waits at most the plugin's call_timeout_ms. A call that does not return
// in time leaves its caller with failureError(TimedOut) and keeps its thread ("stuck") until it
// returns, if ever; when every thread is stuck, calls fail at once with Busy. Nobody but the
// plugin's own callers ever waits for it, so a plugin that loops or sleeps stalls no other plugin.
//
// A stuck thread may run inside the plugin's code forever: it holds `keepAlive` (the instance and
// its library), so the code stays mapped, and it is detached rather than joined at teardown.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "plugin/plugin_failure.hpp"

namespace swhub::plugin {

class CallBulkhead {
 public:
  // `plugin`: the library's registered name (named in failures and metrics). `threads`: calls
  // running at once at most (at least 1). `keepAlive`: what the calls need alive (the instance).
  CallBulkhead(std::string plugin, std::chrono::milliseconds timeout, int threads, std::shared_ptr<const void> keepAlive);
  ~CallBulkhead();
  CallBulkhead(const CallBulkhead&) = delete;
  CallBulkhead& operator=(const CallBulkhead&) = delete;

  // Runs `work` on a call thread. nullopt when it ran to its end in time; else the failure:
  // TimedOut (no end within the timeout, measured from now: waiting for a thread counts), Busy
  // (every thread is stuck). `work` owns what it reads: after a timeout it may still run, and it
  // does not start at all when its caller gave up before a thread took it.
  std::optional<Failure> run(const char* call, std::function<void()> work);

  // Busy when every call thread's worth of calls is stuck (a new call would only wait): checked
  // by run(), and by a caller that runs plugin code on a thread of its own (bounded_decoder.hpp),
  // which reports that thread with addStuck(+1) while its reader gave up on it and -1 once back.
  std::optional<Failure> busy(const char* call) const;
  // The failure of a `call` its caller gave up on at the timeout.
  Failure timedOut(const char* call) const;
  void addStuck(int delta);

  const std::string& plugin() const { return plugin_; }
  std::chrono::milliseconds timeout() const;
  int stuck() const;    // calls still inside the plugin after their caller gave up
  int threads() const;  // call threads started so far

  struct Core;  // shared with the call threads (call_bulkhead.cpp)

 private:
  std::string plugin_;
  std::shared_ptr<Core> core_;
};

}  // namespace swhub::plugin
