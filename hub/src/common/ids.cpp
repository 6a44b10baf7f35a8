#include "common/ids.hpp"
#include "common/instant.hpp"
#include "common/sha256.hpp"

#include <openssl/rand.h>
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <ctime>
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
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];  // room for any int fields: no truncation whatever the year
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms % 1000));
  return text;
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
