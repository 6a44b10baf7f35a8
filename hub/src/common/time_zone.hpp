#pragma once
// A time zone from the system's zoneinfo files (TZif, RFC 8536), e.g. for the periods of account
// statements: a month in the jurisdiction's own time. The C++20 time zone database is not in
// GCC 12's library, so the transitions are read here; they are enough for the instants the hub
// deals in (Debian's "fat" files list every transition up to 2037; after the last one its offset
// stays).

#include <cstdint>
#include <string>
#include <vector>

namespace swhub::common {

class TimeZone {
 public:
  static TimeZone utc();
  // "UTC", or an IANA name ("Europe/Lisbon") read from `zoneinfoDir` (default: $TZDIR, else
  // /usr/share/zoneinfo). Throws std::invalid_argument naming what is wrong.
  static TimeZone load(const std::string& name, const std::string& zoneinfoDir = "");

  const std::string& name() const { return name_; }
  // Seconds east of UTC in force at a UTC instant (seconds since the Unix epoch).
  std::int64_t offsetAt(std::int64_t utcSeconds) const;
  // The UTC instant of a local wall time (seconds since the epoch as if local were UTC). A wall
  // time that a change skips or repeats maps to the instant after the change, resp. the first one.
  std::int64_t toUtc(std::int64_t localSeconds) const;

 private:
  std::string name_ = "UTC";
  std::vector<std::int64_t> transitions_;  // UTC seconds, increasing
  std::vector<std::int32_t> offsets_;      // in force from transitions_[i]
  std::int32_t initial_ = 0;               // before the first transition
};

}  // namespace swhub::common
