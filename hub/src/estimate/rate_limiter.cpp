#include "estimate/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace swhub::estimate {

RateLimiter::RateLimiter(int perMinute, int burst, Clock clock)
    : perSecond_(std::max(1, perMinute) / 60.0), burst_(std::max(1, burst)), clock_(std::move(clock)) {}

void RateLimiter::refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const {
  const double seconds = std::chrono::duration<double>(now - bucket.at).count();
  if (seconds > 0) bucket.tokens = std::min(burst_, bucket.tokens + seconds * perSecond_);
  bucket.at = std::max(bucket.at, now);
}

void RateLimiter::forgetFull(std::chrono::steady_clock::time_point now) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    refill(it->second, now);
    it = it->second.tokens >= burst_ ? buckets_.erase(it) : std::next(it);
  }
}

RateLimiter::Verdict RateLimiter::take(const std::string& address) {
  const auto now = clock_();
  std::lock_guard lock(mutex_);
  auto found = buckets_.find(address);
  if (found == buckets_.end()) {
    if (buckets_.size() >= kMaxAddresses) forgetFull(now);
    // Still full of busy addresses: one more shares nothing with them, and is let in with a
    // bucket of its own only when there is room (a flood of addresses cannot grow the map).
    if (buckets_.size() >= kMaxAddresses) return {false, std::chrono::seconds(1)};
    found = buckets_.emplace(address, Bucket{burst_, now}).first;
  }
  Bucket& bucket = found->second;
  refill(bucket, now);
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return {};
  }
  const double wait = (1.0 - bucket.tokens) / perSecond_;
  return {false, std::chrono::seconds(std::max<long long>(1, static_cast<long long>(std::ceil(wait))))};
}

}  // namespace swhub::estimate
