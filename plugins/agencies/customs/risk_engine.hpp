#pragma once
// The risk engine of the customs agency: the weighted profiles, trusted traders and random
// selection of README.md "Risk management" applied to one case, giving a score, the reasons
// behind it (confidential: for agencies and admins) and the level the thresholds map it to.

#include <string>
#include <vector>

#include "money.hpp"
#include "revenue_settings.hpp"
#include "risk_settings.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::plugins::customs {

enum class RiskLevel { Clear, Inspect, Hold, DoNotLoad };

struct RiskOutcome {
  int score = 0;  // never below 0
  std::vector<sdk::RiskReason> reasons;
  RiskLevel level = RiskLevel::Clear;
};

// Reason codes of the engine's own reasons (a profile's carry its reason_code).
inline constexpr const char* kTrustedCode = "RISK-TRUSTED";
inline constexpr const char* kRandomCode = "RISK-RANDOM";
inline constexpr const char* kNotAssessedCode = "RISK-NOT-ASSESSED";

class RiskEngine {
 public:
  explicit RiskEngine(RiskSettings settings) : settings_(std::move(settings)) {}

  // Pure and thread-safe. `revenue` gives the jurisdiction's currency and exchange rates (value
  // norms), `day` the date whose rates apply.
  RiskOutcome assess(const sdk::AssessmentRequest& request, const Settings& revenue, Date day) const;

  const RiskSettings& settings() const { return settings_; }

 private:
  const RiskSettings settings_;
};

}  // namespace swhub::plugins::customs
