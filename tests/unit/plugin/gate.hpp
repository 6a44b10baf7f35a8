#pragma once
// What the bounded-call tests share: a gate that plugin calls wait at until the test opens it,
// and a wait for a condition (10 s at most, checked every 5 ms).
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace swhub::plugin::testing {

// Closed: every call waits until it opens.
class Gate {
 public:
  void wait() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    cv_.wait(lock, [&] { return open_; });
    --waiting_;
  }
  int waiting() {
    std::lock_guard lock(mutex_);
    return waiting_;
  }
  void open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool open_ = false;
  int waiting_ = 0;
};

inline bool eventually(const std::function<bool()>& condition) {
  using namespace std::chrono_literals;
  for (auto until = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < until;) {
    if (condition()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return condition();
}

}  // namespace swhub::plugin::testing
