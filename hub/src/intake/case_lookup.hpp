#pragma once
// The existing cases a message's filings and events concern, looked up while it is decoded.

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "intake/partner_runtime.hpp"
#include "journal/journal.hpp"

namespace swhub::intake {

// The case an amendment, cancellation, arrival or return of `partnerId` names (by case id or by
// its reference); nullopt with `error` set. Never another partner's case.
std::optional<journal::CaseRecord> followUpTarget(journal::Journal& journal, const std::string& partnerId,
                                                  const sdk::Consignment& filing, std::string& error);

// The case a payment or refund names: by case id, or by a reference that names exactly one case
// among all partners (a payment provider pays for other partners' cases); nullopt with `errors`.
std::optional<journal::CaseRecord> caseForEvent(journal::Journal& journal,
                                                const std::map<std::string, std::unique_ptr<PartnerRuntime>>& partners,
                                                const sdk::HubEvent& event, sdk::Errors& errors);

}  // namespace swhub::intake
