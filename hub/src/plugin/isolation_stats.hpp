#pragma once
// What the supervision of one plugin's child processes counts (isolation: process), shared by every
// instance of that plugin and shown on /metrics (README "Plugin faults").

#include <atomic>
#include <cstdint>

namespace swhub::plugin {

struct IsolationStats {
  std::atomic<std::uint64_t> crashes{0};   // children that died during a call (signal or exit)
  std::atomic<std::uint64_t> restarts{0};  // children started in place of one that crashed or was killed
  std::atomic<std::uint64_t> timeouts{0};  // calls not answered within call_timeout_ms (child killed)
  std::atomic<std::uint64_t> recycled{0};  // children replaced after a call for using more than max_rss_mb
  std::atomic<std::int64_t> children{0};   // children alive and ready now
};

}  // namespace swhub::plugin
