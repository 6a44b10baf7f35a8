#pragma once
// Hub notifications -> one DMS response message (WCO_RES_2_DMS.xsd): md:MetaData with one
// Response per notification, in order. See README.md "Responses" for the function codes.

#include <string>
#include <vector>

#include "swhub/sdk/model.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::plugins::wco_dec {

/// The DMS function code for a notification ("01", "03", "05", "06", "09", "10"), or "" when the
/// event and state have none.
std::string functionCodeOf(const sdk::Notification& notification);

/// "2026-11-29T08:00:00.123Z" -> "20261129080000Z" (formatCode 304), "" when not RFC 3339 UTC.
std::string dmsDateTime(const std::string& rfc3339);

/// The RES document, or errors whose paths name the notification ("/notifications[2]/reference").
/// A notification with revenue details (json/revenue.hpp) is followed by a tax calculation
/// response (FunctionCode 13, tax_response.hpp), except after a rejection (03) or a cancellation (10).
sdk::Result<std::string> encodeResponses(const std::vector<sdk::Notification>& batch);

}  // namespace swhub::plugins::wco_dec
