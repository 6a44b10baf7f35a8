#pragma once
// One call into an in-process agency plugin, built and made the one way: the assessment worker
// makes it for a case, and the public estimate (estimate/) makes the very same call on goods that
// are no case, so that an estimate and an assessment cannot differ by the path they took.

#include <string>
#include <vector>

#include "swhub/sdk/plugin.hpp"

namespace swhub::release {

// An in-process agency and what its library can be asked.
struct AgencyHandle {
  const sdk::AgencyPlugin* plugin = nullptr;  // outlives its callers
  bool findings = false;  // built for ABI 3.2 or newer: assessCase() exists in its vtable
  std::string name;       // the library's registered name, named in its failures ("" = the agency id)
};

// The request the agency is asked: `consignment` with only the items routed to it (`agencyItems`;
// empty: every item), the instant the hub received the filing (RFC 3339 UTC with milliseconds).
// The parties' profiles are the caller's to add.
sdk::AssessmentRequest assessmentRequest(sdk::Consignment consignment, const std::string& agency,
                                         const std::vector<int>& agencyItems, std::string receivedAt);

// assessCase() on a library that has it, else assess() with no findings.
sdk::Result<sdk::CaseAssessment> callAgency(const AgencyHandle& handle, const sdk::AssessmentRequest& request);

}  // namespace swhub::release
