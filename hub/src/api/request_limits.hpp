#pragma once
// What one caller, and all filings together, may hold at once. A request beyond a bound is
// answered at once (429 for one caller's excess, 503 for the hub's), never queued without end.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "config/config.hpp"

namespace swhub::api {

class RequestLimits {
 public:
  // Held while a request is in progress; the destructor gives the place back.
  class Slot {
   public:
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot();

   private:
    friend class RequestLimits;
    Slot(RequestLimits& limits, std::string identity, std::int64_t bytes)
        : limits_(limits), identity_(std::move(identity)), bytes_(bytes) {}
    RequestLimits& limits_;
    std::string identity_;  // empty: a filing's place
    std::int64_t bytes_;
  };

  explicit RequestLimits(const config::HttpLimits& limits) : limits_(limits) {}

  // A place for one more request of `identity`; nullptr past max_requests_per_identity.
  std::unique_ptr<Slot> enterIdentity(const std::string& identity);
  // A place for one more filing of `bytes` declared body bytes; nullptr past max_filings or
  // max_filing_bytes. A filing larger than max_filing_bytes alone is let in when none is in
  // progress, so that the bound never refuses a filing for good.
  std::unique_ptr<Slot> admitFiling(std::int64_t bytes);

  // For /metrics: filings in progress and their declared bytes.
  std::pair<int, std::int64_t> filingsInProgress();

 private:
  void release(const Slot& slot);

  const config::HttpLimits limits_;
  std::mutex mutex_;
  std::map<std::string, int> perIdentity_;
  int filings_ = 0;
  std::int64_t filingBytes_ = 0;
};

}  // namespace swhub::api
