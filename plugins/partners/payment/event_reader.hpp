#pragma once
// A payment provider's event (JSON, already authenticated) -> sdk::HubEvent, every error as a JSON
// pointer.

#include <string>
#include <string_view>

#include "swhub/sdk/model.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::plugins::payment {

/// Longest transaction id accepted: the hub keeps every one durably to refuse a second event.
inline constexpr std::size_t kMaxTransactionIdLength = 128;

/// Parses and checks one event: {"type","transaction_id","amount","currency","case_id"?,
/// "reference"?,"paid_at"}.
sdk::Result<sdk::HubEvent> readEvent(const std::string& body);

/// Appends `s` as a JSON string literal.
void appendJsonString(std::string& out, std::string_view s);

}  // namespace swhub::plugins::payment
