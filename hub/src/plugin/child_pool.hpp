#pragma once
// The supervised children of one isolated plugin instance (isolation: process): `processes`
// children, each serving one call at a time. A call leases an idle child (a decoder keeps its lease
// for its life); none idle within call_timeout_ms is FailureKind::Busy. A call not answered in time
// gets its child SIGKILLed (TimedOut); a child that dies during a call (EOF on its channel) is
// reaped and the call is Crashed with the signal or exit code. Dead children are started again by
// the pool's supervisor thread after a backoff (100 ms doubling up to 30 s over consecutive
// failures, reset by a call answered well); a child whose resident memory exceeds max_rss_mb after
// a call is replaced gracefully (recycled). Children are per instance, since each is built from
// its own settings.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "plugin/child_process.hpp"
#include "plugin/isolation_protocol.hpp"
#include "plugin/isolation_stats.hpp"
#include "plugin/plugin_failure.hpp"

namespace swhub::plugin::isolation {

struct PoolSettings {
  Hello hello;  // what every child is told first: plugin, library, kind, InstanceContext
  int processes = 2;
  std::chrono::milliseconds callTimeout{10000};
  long maxRssKb = 512 * 1024;  // 0: never recycled
  std::shared_ptr<IsolationStats> stats;
};

// The first backoff after a failure, doubled per consecutive failure up to the cap.
inline constexpr std::chrono::milliseconds kFirstBackoff{100};
inline constexpr std::chrono::milliseconds kBackoffCap{30000};
std::chrono::milliseconds backoffAfter(int consecutiveFailures);

class ChildPool {
 public:
  // A child taken for one call or a decoder's life; given back when destroyed.
  class Lease {
   public:
    ~Lease();
    ChildProcess& child() { return *child_; }

   private:
    friend class ChildPool;
    Lease(ChildPool& pool, std::size_t slot, ChildProcess* child) : pool_(pool), slot_(slot), child_(child) {}
    ChildPool& pool_;
    std::size_t slot_;
    ChildProcess* child_;
    bool lost_ = false;  // the child failed and is gone: nothing to give back
  };

  // Starts the supervisor and waits for the first child's hello. On failure (the library cannot be
  // loaded in the child, the factory refused its settings, the child did not start) returns null
  // with the errors appended, exactly as the factory would have reported them in process.
  static std::shared_ptr<ChildPool> start(PoolSettings settings, HelloOk& hello, sdk::Errors& errors);
  ~ChildPool();  // orderly stop of every child (Bye, then SIGKILL after a grace), all reaped

  // An idle child within call_timeout_ms; else `failure` is set (Busy).
  std::unique_ptr<Lease> acquire(const std::string& call, std::optional<Failure>& failure);

  // Sends one request on a leased child and waits for its answer of type `expected`, serving the
  // child's Read requests from `input` meanwhile (call_timeout_ms is counted from the hub's last
  // frame, so the hub's own reading does not count against the plugin). On failure the child is
  // gone (killed or found dead, reaped) and the failure is returned.
  std::optional<Failure> exchange(Lease& lease, const std::string& call, FrameType request, std::string_view payload,
                                  FrameType expected, Frame& answer, sdk::ByteSource* input = nullptr,
                                  std::uint64_t* bytesRead = nullptr);

  const std::string& plugin() const { return settings_.hello.plugin; }
  std::chrono::milliseconds callTimeout() const { return settings_.callTimeout; }
  // Pids of the children alive now (for tests and `swhub plugins`).
  std::vector<pid_t> pids() const;

 private:
  enum class State { Empty, Starting, Idle, Leased, Retiring };
  struct Slot {
    State state = State::Empty;
    std::unique_ptr<ChildProcess> child;
    Clock::time_point notBefore{};
    bool replacing = false;  // the slot's last child died or was killed: its next start is a restart
  };

  explicit ChildPool(PoolSettings settings);
  void supervise();
  // Spawns a child and says hello; the child on success, else null with the reason in `why`.
  std::unique_ptr<ChildProcess> startChild(HelloOk& hello, std::string& why);
  void giveBack(Lease& lease);
  Failure lose(Lease& lease, const std::string& call, Io io);

  PoolSettings settings_;
  mutable std::mutex mutex_;
  std::condition_variable idle_;        // a child became idle
  std::condition_variable supervisor_;  // a slot needs the supervisor
  std::vector<Slot> slots_;
  int consecutiveFailures_ = 0;
  bool stopping_ = false;
  bool firstDone_ = false;  // the first start's outcome is known
  HelloOk firstHello_;
  std::string firstError_;
  std::thread thread_;
};

}  // namespace swhub::plugin::isolation
