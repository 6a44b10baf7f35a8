#pragma once
// Identifiers, digests and times. Ids are ULIDs (48-bit milliseconds + 80 random bits, Crockford
// base32) behind a prefix: sortable by time and unique across hub nodes without coordination.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace swhub::common {

std::string newId(const std::string& prefix);  // "C-01JDX3...", 2 + 26 characters
std::string nowRfc3339();                      // "2026-11-28T07:39:24.123Z"
// RFC 3339 UTC with milliseconds: the text form of every journal timestamp (sorts as text).
std::string rfc3339(std::chrono::system_clock::time_point at);
// The instant an RFC 3339 UTC time names ("YYYY-MM-DDTHH:MM:SS[.fraction]Z", any number of
// fraction digits, kept to the microsecond, years 1678 to 2261: the clock's range); nullopt when
// it is not one. Times are compared as
// instants, never as text: "10:00:00Z" is before "10:00:00.500Z" although it sorts after it.
std::optional<std::chrono::system_clock::time_point> parseRfc3339Utc(std::string_view text);
// The journal's one text form (milliseconds, rfc3339) of an RFC 3339 UTC time; nullopt when the
// text is not one.
std::optional<std::string> canonicalRfc3339(std::string_view text);
std::string sha256Hex(const std::string& bytes);  // 64 lowercase hex digits

}  // namespace swhub::common
