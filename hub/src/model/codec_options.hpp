#pragma once
// Bounds and options shared by the canonical JSON and XML codecs.

#include <cstddef>
#include <string_view>

#include "swhub/sdk/validate.hpp"

namespace swhub::model {

inline constexpr std::string_view kConsignmentJsonType = "application/vnd.swhub.consignment+json";
inline constexpr std::string_view kConsignmentXmlType = "application/vnd.swhub.consignment+xml";
inline constexpr std::string_view kConsignmentXmlNamespace = "urn:swhub:canonical:consignment:1";
inline constexpr std::string_view kNotificationJsonType = "application/vnd.swhub.notification+json";

struct DecodeOptions {
  /// Deepest nesting of objects/arrays (JSON) or elements (XML) accepted.
  std::size_t max_depth = 32;
  /// Items per consignment (validateConsignment's bound).
  std::size_t max_items = sdk::kMaxItemsPerConsignment;
  /// Consignments in one JSON batch (a top-level array).
  std::size_t max_batch = 1000;
  /// Bodies larger than this are refused before any parsing.
  std::size_t max_bytes = 4 * 1024 * 1024;
  /// `partner` and `derived` are set by the hub: a partner's filing may not carry them. The hub
  /// sets this when it reads back a case it stored itself.
  bool allow_hub_fields = false;
  /// Run sdk::validateConsignment after decoding. Off when the hub reads back a case it stored:
  /// that consignment was validated by the plugin that filed it, under the rules of its day (a
  /// simplified declaration may lawfully lack a commodity code).
  bool validate = true;
};

}  // namespace swhub::model
