#pragma once
// An instant written as tests write it ("2026-11-28T10:00:00Z"); a test that writes a time that
// is not RFC 3339 UTC fails at once instead of comparing with the epoch.

#include <stdexcept>
#include <string>
#include <string_view>

#include "common/instant.hpp"

namespace swhub::testing {

inline common::Instant at(std::string_view text) {
  if (auto instant = common::parseInstant(text)) return *instant;
  throw std::invalid_argument("not an RFC 3339 UTC time: '" + std::string(text) + "'");
}

}  // namespace swhub::testing
