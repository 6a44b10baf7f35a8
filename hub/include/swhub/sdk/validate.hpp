#pragma once
/// @file validate.hpp
/// Checks shared by every partner plugin, so that a consignment is judged the same whatever the
/// format it came in: code lists (ISO 3166-1, ISO 4217, HS), timestamps, and the rules of
/// DESIGN.md "Canonical consignment". Pure functions without state: safe from any thread.

#include <cstddef>
#include <string_view>

#include "swhub/sdk/model.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::sdk {

/// Items per consignment unless a plugin's settings say otherwise.
inline constexpr std::size_t kMaxItemsPerConsignment = 999;
/// Longest partner reference accepted.
inline constexpr std::size_t kMaxReferenceLength = 64;

/// True for an officially assigned ISO 3166-1 alpha-2 code ("PT"); user-assigned codes such as
/// "XK" or "ZZ" and exceptional reservations ("UK", "EU") are refused.
bool isCountryCode(std::string_view code);

/// True for an active ISO 4217 alphabetic code ("EUR"); "XTS" (testing) and "XXX" (no currency)
/// are refused.
bool isCurrencyCode(std::string_view code);

/// True for 6 to 10 digits whose first two name an HS chapter (01 to 97; 77 is reserved).
bool isHsCode(std::string_view code);

/// True for an RFC 3339 timestamp in UTC: "2026-11-29T08:00:00Z", optional fraction of a second,
/// a real calendar date and time ("Z" only: no offset, no lower case).
bool isRfc3339Utc(std::string_view text);

/// How validateConsignment() names the place of an error.
enum class PathStyle {
  JsonPointer,  ///< "/items/0/hs" (RFC 6901, 0-based), for JSON forms
  XPath,        ///< "/consignment/items/item[1]/hs" (1-based), for the canonical XML form
};

/// Checks the rules every consignment meets, whatever its format, and returns every error in
/// field order (empty: valid). Messages name the bad value:
///   /items/0/hs: '8518' is not an HS code: 6 to 10 digits expected
/// `maxItems` bounds the items of one consignment (a plugin setting may lower or raise it).
Errors validateConsignment(const Consignment& consignment, PathStyle style,
                           std::size_t maxItems = kMaxItemsPerConsignment);

}  // namespace swhub::sdk
