#pragma once
// The `customs` agency: revenue (duties, taxes, collection model, release category) and risk on
// one case, turned into one decision on the whole case and the findings the hub records.

#include <memory>
#include <optional>
#include <string>

#include "revenue_engine.hpp"
#include "risk_engine.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::plugins::customs {

// Decision reason codes: what the filer reads. Risk criteria are confidential, so a risk outcome
// never names the profile behind it; the full reasons are in the findings.
inline constexpr const char* kClearCode = "CUS-CLEAR";
inline constexpr const char* kInspectCode = "CUS-RISK-INSPECT";
inline constexpr const char* kHoldCode = "CUS-RISK-HOLD";
inline constexpr const char* kDoNotLoadCode = "CUS-DNL";
inline constexpr const char* kUnassessableCode = "CUS-REV-UNASSESSABLE";
inline constexpr const char* kVendorRefusedCode = "CUS-VENDOR-REFUSED";
inline constexpr const char* kModelRefusedCode = "CUS-MODEL-REFUSED";

class CustomsAgency : public sdk::AgencyPlugin {
 public:
  CustomsAgency(std::string id, Settings revenue, std::optional<RiskSettings> risk);

  sdk::Result<sdk::Assessment> assess(const sdk::AssessmentRequest& request) const noexcept override;
  sdk::Result<sdk::CaseAssessment> assessCase(const sdk::AssessmentRequest& request) const noexcept override;

 private:
  sdk::CaseAssessment decide(const sdk::AssessmentRequest& request) const;

  const std::string id_;
  const RevenueEngine revenue_;
  const std::optional<RiskEngine> risk_;
};

// The date duties and taxes are assessed on: the day of `receivedAt` (RFC 3339 UTC), else today
// (UTC).
Date assessmentDate(const std::string& receivedAt);

}  // namespace swhub::plugins::customs
