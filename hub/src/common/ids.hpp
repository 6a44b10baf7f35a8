#pragma once
// Identifiers, digests and times. Ids are ULIDs (48-bit milliseconds + 80 random bits, Crockford
// base32) behind a prefix: sortable by time and unique across hub nodes without coordination.

#include <string>

namespace swhub::common {

std::string newId(const std::string& prefix);  // "C-01JDX3...", 2 + 26 characters
std::string nowRfc3339();                      // "2026-11-28T07:39:24.123Z"
std::string sha256Hex(const std::string& bytes);  // 64 lowercase hex digits

}  // namespace swhub::common
