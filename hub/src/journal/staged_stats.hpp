#pragma once
// The rollups of staged rows, held until the staged message becomes visible (finishStaged writes
// them with it) or is dropped. A crash loses them together with the staged rows they count.

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "journal/stat_rollups.hpp"

namespace swhub::journal {

class StagedStats {
 public:
  void add(const std::string& message_id, std::vector<StatDelta> deltas) {
    if (deltas.empty()) return;
    std::lock_guard lock(mutex_);
    auto& held = byMessage_[message_id];
    held.insert(held.end(), deltas.begin(), deltas.end());
    held = mergeStatDeltas(held);
  }
  std::vector<StatDelta> take(const std::string& message_id) {
    std::lock_guard lock(mutex_);
    auto it = byMessage_.find(message_id);
    if (it == byMessage_.end()) return {};
    auto out = std::move(it->second);
    byMessage_.erase(it);
    return out;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::vector<StatDelta>> byMessage_;
};

}  // namespace swhub::journal
