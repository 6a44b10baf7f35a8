#pragma once
// Runs the in-process agency plugins: claims "assess" items from the outbox (written in the same
// commit as the case), calls the agency's plugin on the case, and records its decisions through
// the coordinator, as an external system would through the API. A crash in between loses nothing:
// the item stays claimable until its decisions are recorded.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "journal/journal.hpp"
#include "plugin/plugin_failure.hpp"
#include "release/agency_call.hpp"
#include "release/coordinator.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::release {

// How often a failed assessment is tried, and how long apart: base * 2^(attempt-1), up to cap.
struct AssessmentRetry {
  int maxAttempts = 5;
  std::chrono::milliseconds base{1000};
  std::chrono::milliseconds cap{60000};
};

// The reason code of the hold the hub decides when an agency's plugin kept failing.
inline constexpr const char* kPluginFailedCode = "PLUGIN-FAILED";

class AssessmentWorker {
 public:
  // `agencies`: agency id -> its plugin instance. `threads` assess at once: each assessment
  // commits its decisions (an fsync), so one thread would assess about as many cases a second as
  // the disk syncs; several share each group commit and keep up with the filings.
  AssessmentWorker(journal::Journal& journal, const Coordinator& coordinator,
                   std::map<std::string, AgencyHandle> agencies, std::string owner, int threads = 8);
  ~AssessmentWorker();

  // Before start(): the retry policy, and who counts the plugin failures seen (metrics).
  void setRetry(AssessmentRetry retry) { retry_ = retry; }
  void onPluginFailure(std::function<void(const plugin::Failure&)> count) { countFailure_ = std::move(count); }

  void start();
  void stop();
  void wake();
  std::size_t runOnce();  // claims and assesses what is due; returns how many

 private:
  void assess(const journal::OutboxItem& item);
  // A failed attempt: a plugin-failed event on the case, then a retry with backoff, or after the
  // last attempt a hold for the agency decided by the hub with the reason (PLUGIN-FAILED).
  // `failure.kind` is named by `kind` ("timed-out", ...; "error" for errors the plugin returned).
  void failed(const journal::OutboxItem& item, const plugin::Failure& failure, std::string_view kind,
              const std::string& message);
  void loop();

  journal::Journal& journal_;
  const Coordinator& coordinator_;
  std::map<std::string, AgencyHandle> agencies_;
  std::string owner_;
  AssessmentRetry retry_;
  std::function<void(const plugin::Failure&)> countFailure_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point lastTrouble_{};  // the last journal trouble said (loop()); guarded by mutex_
  std::condition_variable cv_;
  bool stopping_ = false;
  std::uint64_t wakes_ = 0;
  int threadCount_;
  std::vector<std::thread> threads_;
};

}  // namespace swhub::release
