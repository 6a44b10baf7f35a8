// LD_PRELOAD shim for tests that need a hub living at another time (statements across a month
// boundary): the wall clock (CLOCK_REALTIME, gettimeofday, time) is moved by SWHUB_CLOCK_OFFSET_MS
// milliseconds, read once; monotonic clocks are left alone. Loaded only into a hub a test starts.
#include <dlfcn.h>
#include <sys/time.h>
#include <time.h>

#include <cstdint>
#include <cstdlib>

namespace {

std::int64_t offsetMs() {
  static const std::int64_t offset = [] {
    const char* text = std::getenv("SWHUB_CLOCK_OFFSET_MS");
    return text != nullptr ? std::strtoll(text, nullptr, 10) : 0LL;
  }();
  return offset;
}

void shift(struct timespec* ts) {
  std::int64_t ns = static_cast<std::int64_t>(ts->tv_sec) * 1000000000LL + ts->tv_nsec + offsetMs() * 1000000LL;
  ts->tv_sec = static_cast<time_t>(ns / 1000000000LL);
  ts->tv_nsec = static_cast<long>(ns % 1000000000LL);
  if (ts->tv_nsec < 0) {
    ts->tv_nsec += 1000000000L;
    --ts->tv_sec;
  }
}

using ClockGettime = int (*)(clockid_t, struct timespec*);

ClockGettime realClockGettime() {
  static const auto real = reinterpret_cast<ClockGettime>(dlsym(RTLD_NEXT, "clock_gettime"));
  return real;
}

}  // namespace

extern "C" int clock_gettime(clockid_t clock, struct timespec* ts) {
  const int rc = realClockGettime()(clock, ts);
  // `ts` may be null for a caller that breaks the contract: glibc declares it nonnull, so the
  // check goes through a volatile copy that the compiler cannot assume.
  struct timespec* volatile out = ts;
  if (rc == 0 && out != nullptr && (clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE)) shift(out);
  return rc;
}

extern "C" int gettimeofday(struct timeval* tv, void* tz) {
  struct timespec ts;
  const int rc = clock_gettime(CLOCK_REALTIME, &ts);
  struct timeval* volatile out = tv;
  if (rc == 0 && out != nullptr) {
    tv = out;
    tv->tv_sec = ts.tv_sec;
    tv->tv_usec = static_cast<suseconds_t>(ts.tv_nsec / 1000);
  }
  (void)tz;
  return rc;
}

extern "C" time_t time(time_t* out) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  if (out != nullptr) *out = ts.tv_sec;
  return ts.tv_sec;
}
