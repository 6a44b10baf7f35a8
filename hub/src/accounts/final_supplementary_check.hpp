#pragma once
// The reconciliation of a period against its final supplementary declaration (README
// "Supplementary declarations"): every simplified declaration released under the account in the
// period must be completed by a supplementary declaration (type Y, or Z for an entry in the
// declarant's records), and the final supplementary (type Q) must report them: per type the number
// finalised (the declarations released in the period that a supplementary completes) and due
// (those and the simplified ones still waiting for theirs), and per tax the total of the
// supplementary declarations' lines.

#include <optional>
#include <string>
#include <vector>

#include "journal/journal.hpp"
#include "swhub/sdk/model.hpp"

namespace swhub::accounts {

struct Difference;

// A declaration of goods released under the account in the period.
struct PeriodRelease {
  std::string caseId;
  std::string reference;
  std::string releasedAt;
  std::string simplifiedType;  // a simplified declaration's additional type ("C", "F", "J", ...); "" otherwise
};

struct FinalSupplementaryCheck {
  std::string caseId;  // the final supplementary declaration; "" when none was filed
  struct Count {
    std::string type;  // "Y" | "Z"
    int reportedFinalised = 0, reportedDue = 0;
    int finalised = 0, due = 0;  // what the journal holds
  };
  std::vector<Count> counts;
  struct Total {
    std::string tax, currency;
    sdk::Decimal reported, accounted;
  };
  std::vector<Total> totals;
};

// Checks `released` against their completions and the period's final supplementary declaration;
// adds a Difference per finding. nullopt when the period has no simplified declaration, nothing a
// supplementary completes and no final supplementary declaration: nothing to report.
std::optional<FinalSupplementaryCheck> checkFinalSupplementary(journal::Journal& journal, const std::string& account,
                                                               const std::string& period,
                                                               const std::vector<PeriodRelease>& released,
                                                               std::vector<Difference>& differences);

}  // namespace swhub::accounts
