#pragma once
// The provider's signature on a payment event: header `x-swhub-signature: t=<unix seconds>,
// v1=<hex HMAC-SHA256>`, the MAC taken over "<t>." followed by the raw body.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace swhub::plugins::payment {

inline constexpr std::string_view kSignatureHeader = "x-swhub-signature";

struct SignatureHeader {
  std::int64_t timestamp = 0;              ///< t: unix seconds
  std::vector<std::string> macs;           ///< every v1: 32 raw bytes each (several while a secret rotates)
};

/// Parses "t=1764316800,v1=5257a8...": nullopt unless exactly one t of digits and at least one v1
/// of 64 hex digits; other schemes (v0=...) are ignored. Spaces around the parts are allowed.
std::optional<SignatureHeader> parseSignatureHeader(std::string_view text);

/// HMAC-SHA256(secret, "<timestamp>." + body), 32 raw bytes.
std::string computeMac(std::string_view secret, std::int64_t timestamp, std::string_view body);

/// True when one of `header.macs` equals the MAC of `body`, compared in constant time.
bool macMatches(const SignatureHeader& header, std::string_view secret, std::string_view body);

/// Unix seconds of an RFC 3339 timestamp ("2026-11-28T08:00:00.000Z", "...+01:00"); the fraction
/// is dropped. nullopt when not RFC 3339 or not a real calendar date and time.
std::optional<std::int64_t> unixSeconds(std::string_view rfc3339);

}  // namespace swhub::plugins::payment
