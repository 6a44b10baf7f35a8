#pragma once
// Runs the in-process agency plugins: claims "assess" items from the outbox (written in the same
// commit as the case), calls the agency's plugin on the case, and records its decisions through
// the coordinator, as an external system would through the API. A crash in between loses nothing:
// the item stays claimable until its decisions are recorded.

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "journal/journal.hpp"
#include "release/coordinator.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::release {

// An in-process agency and what its library can be asked.
struct AgencyHandle {
  const sdk::AgencyPlugin* plugin = nullptr;  // outlives the worker
  bool findings = false;  // built for ABI 3.2 or newer: assessCase() exists in its vtable
};

class AssessmentWorker {
 public:
  // `agencies`: agency id -> its plugin instance. `threads` assess at once: each assessment
  // commits its decisions (an fsync), so one thread would assess about as many cases a second as
  // the disk syncs; several share each group commit and keep up with the filings.
  AssessmentWorker(journal::Journal& journal, const Coordinator& coordinator,
                   std::map<std::string, AgencyHandle> agencies, std::string owner, int threads = 8);
  ~AssessmentWorker();

  void start();
  void stop();
  void wake();
  std::size_t runOnce();  // claims and assesses what is due; returns how many

 private:
  void assess(const journal::OutboxItem& item);
  void loop();

  journal::Journal& journal_;
  const Coordinator& coordinator_;
  std::map<std::string, AgencyHandle> agencies_;
  std::string owner_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::uint64_t wakes_ = 0;
  int threadCount_;
  std::vector<std::thread> threads_;
};

}  // namespace swhub::release
