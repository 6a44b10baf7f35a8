#include "api/read_deadlines.hpp"

#include <sys/socket.h>

namespace swhub::api {

ReadWatch::~ReadWatch() { clear(); }

void ReadWatch::head(GateClock::time_point at) { registry_.arm(*this, at, SHUT_RDWR); }
void ReadWatch::body(GateClock::time_point at) { registry_.arm(*this, at, SHUT_RD); }
void ReadWatch::clear() { registry_.disarm(*this); }

ReadWatch*& ReadWatch::current() {
  thread_local ReadWatch* watch = nullptr;
  return watch;
}

void ReadDeadlines::arm(ReadWatch& watch, GateClock::time_point at, int how) {
  std::lock_guard lock(mutex_);
  watch.at_ = at;
  watch.how_ = how;
  watch.fired_ = false;
  armed_.insert(&watch);
}

void ReadDeadlines::disarm(ReadWatch& watch) {
  std::lock_guard lock(mutex_);
  armed_.erase(&watch);
}

void ReadDeadlines::expire(GateClock::time_point now, bool all) {
  std::lock_guard lock(mutex_);
  for (auto it = armed_.begin(); it != armed_.end();) {
    ReadWatch* watch = *it;
    if (!all && watch->at_ > now) {
      ++it;
      continue;
    }
    // Under the mutex: the worker cannot disarm and close the socket (reusing its fd) meanwhile.
    watch->fired_ = true;
    ::shutdown(watch->fd_, all ? SHUT_RDWR : watch->how_);
    it = armed_.erase(it);
  }
}

}  // namespace swhub::api
