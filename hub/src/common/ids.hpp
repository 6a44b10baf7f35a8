#pragma once
// Identifiers, digests and times. Ids are ULIDs (48-bit milliseconds + 80 random bits, Crockford
// base32) behind a prefix: sortable by time and unique across hub nodes without coordination.

#include <chrono>
#include <string>

namespace swhub::common {

std::string newId(const std::string& prefix);  // "C-01JDX3...", 2 + 26 characters
std::string nowRfc3339();                      // "2026-11-28T07:39:24.123Z"
// RFC 3339 UTC with milliseconds: the text form of every journal timestamp (sorts as text).
std::string rfc3339(std::chrono::system_clock::time_point at);
std::string sha256Hex(const std::string& bytes);  // 64 lowercase hex digits

}  // namespace swhub::common
