#include "common/ids.hpp"
#include "common/instant.hpp"
#include "common/sha256.hpp"

#include <openssl/rand.h>
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace swhub::common {

namespace {

// Bumped in a child process after fork(): a thread's bytes drawn before it are not used again.
std::atomic<unsigned> forkGeneration{0};

// OpenSSL's random bytes drawn 4 KiB at a time per thread: RAND_bytes takes a lock and checks
// the process id on every call, which was an eighth of planning a manifest's cases (each takes
// four or more ids). The bytes are the same CSPRNG's, each used once (ids are not secrets).
class RandomBytes {
 public:
  void take(unsigned char* out, std::size_t n) {
    const unsigned generation = forkGeneration.load(std::memory_order_relaxed);
    if (used_ + n > sizeof bytes_ || generation != generation_) {
      if (RAND_bytes(bytes_, sizeof bytes_) != 1) throw std::runtime_error("RAND_bytes failed");
      used_ = 0;
      generation_ = generation;
    }
    std::memcpy(out, bytes_ + used_, n);
    used_ += n;
  }

 private:
  unsigned char bytes_[4096];
  std::size_t used_ = sizeof bytes_;
  unsigned generation_ = 0;
};

[[maybe_unused]] const int atForkRegistered =
    pthread_atfork(nullptr, nullptr, [] { forkGeneration.fetch_add(1, std::memory_order_relaxed); });

}  // namespace

std::string newId(const std::string& prefix) {
  static const char* kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count());
  thread_local RandomBytes pool;
  unsigned char random[10];
  pool.take(random, sizeof random);
  // 128 bits: 48 of time, 80 of randomness, written 5 bits at a time (26 characters).
  unsigned char bytes[16];
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  for (int i = 0; i < 10; ++i) bytes[6 + i] = random[i];
  std::string out = prefix;
  out.reserve(prefix.size() + 26);
  // The first character carries the 2 high bits (128 = 26*5 - 2).
  int bitPos = -2;
  for (int c = 0; c < 26; ++c, bitPos += 5) {
    int value = 0;
    for (int b = 0; b < 5; ++b) {
      const int bit = bitPos + b;
      value <<= 1;
      if (bit >= 0) value |= (bytes[bit / 8] >> (7 - bit % 8)) & 1;
    }
    out += kCrockford[value];
  }
  return out;
}

std::string rfc3339(std::chrono::system_clock::time_point at) {
  // The calendar by arithmetic (C++20 chrono) and the digits by hand: gmtime_r takes glibc's
  // time zone lock and snprintf parses its format, for every timestamp the hub writes (a
  // twentieth of the journal writer's time staging a manifest). system_clock's range (years 1678
  // to 2261) always has four-digit years.
  using namespace std::chrono;
  const auto ms = floor<milliseconds>(at);
  const auto day = floor<days>(ms);
  const year_month_day date{day};
  auto inDay = (ms - day).count();  // 0 .. 86,399,999
  char text[] = "0000-00-00T00:00:00.000Z";
  const auto put = [&text](std::size_t at, std::size_t width, long long value) {
    for (std::size_t i = at + width; i-- > at; value /= 10) text[i] = static_cast<char>('0' + value % 10);
  };
  put(0, 4, static_cast<int>(date.year()));
  put(5, 2, static_cast<unsigned>(date.month()));
  put(8, 2, static_cast<unsigned>(date.day()));
  put(20, 3, inDay % 1000);
  inDay /= 1000;
  put(17, 2, inDay % 60);
  put(14, 2, inDay / 60 % 60);
  put(11, 2, inDay / 3600);
  return std::string(text, sizeof text - 1);
}

std::optional<std::chrono::system_clock::time_point> parseRfc3339Utc(std::string_view t) {
  auto digits = [&](std::size_t at, std::size_t count) -> int {
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
      if (i >= t.size() || t[i] < '0' || t[i] > '9') return -1;
      value = value * 10 + (t[i] - '0');
    }
    return value;
  };
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' || t.back() != 'Z') {
    return std::nullopt;
  }
  const int year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  const int hour = digits(11, 2), minute = digits(14, 2), second = digits(17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 60) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  // The clock's range (nanoseconds in 64 bits): years 1678 to 2261. Beyond it the arithmetic
  // would wrap around and a far-future time would compare as a past one.
  if (!date.ok() || year < 1678 || year > 2261) return std::nullopt;
  std::chrono::microseconds fraction{0};
  if (t.size() > 20) {
    if (t[19] != '.' || t.size() == 21) return std::nullopt;
    std::int64_t micros = 0;
    int scale = 0;
    for (std::size_t i = 20; i + 1 < t.size(); ++i) {
      if (t[i] < '0' || t[i] > '9') return std::nullopt;
      if (scale < 6) {
        micros = micros * 10 + (t[i] - '0');
        ++scale;
      }
    }
    for (; scale < 6; ++scale) micros *= 10;
    fraction = std::chrono::microseconds(micros);
  }
  // A leap second (:60) is the first instant of the next minute.
  return std::chrono::sys_days(date) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
         std::chrono::seconds(second) + fraction;
}

std::optional<std::string> canonicalRfc3339(std::string_view text) {
  auto at = parseRfc3339Utc(text);
  if (!at) return std::nullopt;
  return rfc3339(*at);
}

std::string nowRfc3339() { return rfc3339(std::chrono::system_clock::now()); }

std::string toString(Instant at) { return rfc3339(at); }

std::optional<Instant> parseInstant(std::string_view text) {
  const auto at = parseRfc3339Utc(text);
  if (!at) return std::nullopt;
  return toInstant(*at);
}

std::string sha256Hex(const std::string& bytes) { return Sha256().update(bytes).hex(); }

}  // namespace swhub::common
