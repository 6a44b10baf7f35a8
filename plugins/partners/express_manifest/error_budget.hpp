#pragma once
// Caps the errors a decoder lists (setting max_errors) and says how many more there were.

#include <algorithm>
#include <cstddef>
#include <deque>
#include <string>

#include "swhub/sdk/plugin.hpp"

namespace swhub::plugins::express_manifest {

class ErrorBudget {
 public:
  explicit ErrorBudget(std::size_t maxErrors) : max_(maxErrors) {}

  /// Queues the errors of one bad house found at `location`, as many as the budget still allows.
  void report(sdk::Errors errors, const std::string& location, std::deque<sdk::Decoded>& out) {
    std::size_t keep = listed_ < max_ ? std::min(errors.size(), max_ - listed_) : 0;
    if (keep < errors.size() && firstUnlisted_.empty()) firstUnlisted_ = location;
    unlisted_ += errors.size() - keep;
    listed_ += keep;
    if (keep == 0) return;
    errors.resize(keep);
    out.emplace_back(std::move(errors));
  }
  /// Queues "N more errors not listed" at `path` when errors were left out.
  void summarise(const std::string& path, std::deque<sdk::Decoded>& out) const {
    if (unlisted_ == 0) return;
    out.emplace_back(sdk::Errors{{path, std::to_string(unlisted_) + " more errors not listed (max_errors " +
                                            std::to_string(max_) + "), the first at " + firstUnlisted_}});
  }
  bool exhausted() const { return listed_ >= max_; }

 private:
  std::size_t max_;
  std::size_t listed_ = 0;
  std::size_t unlisted_ = 0;
  std::string firstUnlisted_;
};

}  // namespace swhub::plugins::express_manifest
