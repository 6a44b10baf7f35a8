#pragma once
// A token bucket per source address (hub.public_estimate.per_minute and burst): an address may
// ask `burst` times at once, then once every 60/per_minute seconds. The clock is injected, so
// that tests step time instead of sleeping. Bounded: beyond kMaxAddresses buckets, the ones that
// have filled up again (they remember nothing a new bucket would not) are forgotten first.

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace swhub::estimate {

class RateLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  static constexpr std::size_t kMaxAddresses = 100000;

  struct Verdict {
    bool allowed = true;
    std::chrono::seconds retryAfter{0};  // when refused: whole seconds until one more is allowed (at least 1)
  };

  RateLimiter(int perMinute, int burst, Clock clock = [] { return std::chrono::steady_clock::now(); });

  // Takes one token of `address`'s bucket, or says when there will be one.
  Verdict take(const std::string& address);

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  void refill(Bucket& bucket, std::chrono::steady_clock::time_point now) const;
  void forgetFull(std::chrono::steady_clock::time_point now);

  double perSecond_;
  double burst_;
  Clock clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace swhub::estimate
