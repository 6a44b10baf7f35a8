#include "release/agency_call.hpp"

#include <algorithm>
#include <utility>

namespace swhub::release {

sdk::AssessmentRequest assessmentRequest(sdk::Consignment consignment, const std::string& agency,
                                         const std::vector<int>& agencyItems, std::string receivedAt) {
  sdk::AssessmentRequest request;
  request.agency = agency;
  request.received_at = std::move(receivedAt);
  request.consignment = std::move(consignment);
  // The agency sees the items routed to it.
  if (!agencyItems.empty()) {
    std::vector<sdk::Item> mine;
    for (const auto& it : request.consignment.items) {
      if (std::find(agencyItems.begin(), agencyItems.end(), it.sequence) != agencyItems.end()) mine.push_back(it);
    }
    request.consignment.items = std::move(mine);
  }
  return request;
}

sdk::Result<sdk::CaseAssessment> callAgency(const AgencyHandle& handle, const sdk::AssessmentRequest& request) {
  if (handle.findings) return handle.plugin->assessCase(request);
  auto plain = handle.plugin->assess(request);
  if (!plain.ok()) return plain.errors();
  return sdk::CaseAssessment{plain.take(), {}};
}

}  // namespace swhub::release
