#include "api/request_limits.hpp"

namespace swhub::api {

RequestLimits::Slot::~Slot() { limits_.release(*this); }

std::unique_ptr<RequestLimits::Slot> RequestLimits::enterIdentity(const std::string& identity) {
  std::lock_guard lock(mutex_);
  int& held = perIdentity_[identity];
  if (held >= limits_.max_requests_per_identity) {
    if (held == 0) perIdentity_.erase(identity);
    return nullptr;
  }
  ++held;
  return std::unique_ptr<Slot>(new Slot(*this, identity, 0));
}

std::unique_ptr<RequestLimits::Slot> RequestLimits::admitFiling(std::int64_t bytes) {
  std::lock_guard lock(mutex_);
  if (filings_ >= limits_.max_filings) return nullptr;
  if (filings_ > 0 && filingBytes_ + bytes > limits_.max_filing_bytes) return nullptr;
  ++filings_;
  filingBytes_ += bytes;
  return std::unique_ptr<Slot>(new Slot(*this, "", bytes));
}

std::pair<int, std::int64_t> RequestLimits::filingsInProgress() {
  std::lock_guard lock(mutex_);
  return {filings_, filingBytes_};
}

void RequestLimits::release(const Slot& slot) {
  std::lock_guard lock(mutex_);
  if (slot.identity_.empty()) {
    --filings_;
    filingBytes_ -= slot.bytes_;
    return;
  }
  auto it = perIdentity_.find(slot.identity_);
  if (it != perIdentity_.end() && --it->second <= 0) perIdentity_.erase(it);
}

}  // namespace swhub::api
