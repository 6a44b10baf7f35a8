#pragma once
// Notifications per house waybill, a batch in one document: CSV (RFC 4180, CRLF) or JSON.

#include <vector>

#include "settings.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::plugins::express_manifest {

inline constexpr const char* kCsvType = "text/csv";
inline constexpr const char* kJsonType = "application/json";

// Errors ("/N/details/D") only when a notification's revenue details cannot be read.
sdk::Result<sdk::EncodedMessage> encodeNotifications(const std::vector<sdk::Notification>& batch,
                                                     const Settings& settings);

}  // namespace swhub::plugins::express_manifest
