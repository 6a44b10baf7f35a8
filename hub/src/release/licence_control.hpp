#pragma once
// OGA licences and certificates (README "Licences and certificates"): an agency may require that
// the items in its licence scope (HS prefixes) carry a document of a configured type whose id is in the agency's
// registry (journal), valid on the day the case was filed, held by the importer, with quantity
// left. The hub checks it whenever the agency clears such an item (its plugin or its external
// system alike) and writes the quantity down in the same commit as the decision; an item that
// fails is held with the reason instead. A decision other than clear, an amendment that drops
// the document and a cancellation give the quantity back.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "journal/licences.hpp"
#include "release/case_status.hpp"
#include "swhub/sdk/model.hpp"

namespace swhub::release {

// One licence requirement of an agency: items whose HS code starts with one of the prefixes need
// a document of one of the types.
struct LicenceRequirement {
  std::string name;
  std::vector<std::string> hs_prefixes;
  std::vector<std::string> document_types;
};

// Why an item's licence does not do (codes as the case and the notifications carry them).
enum class LicenceVerdict { Ok, Missing, Unknown, NotYetValid, Expired, Foreign, Exhausted, NoQuantity };

inline constexpr const char* kLicenceMissing = "LICENCE-MISSING";
inline constexpr const char* kLicenceUnknown = "LICENCE-UNKNOWN";
inline constexpr const char* kLicenceNotYetValid = "LICENCE-NOT-YET-VALID";
inline constexpr const char* kLicenceExpired = "LICENCE-EXPIRED";
inline constexpr const char* kLicenceForeign = "LICENCE-FOREIGN";
inline constexpr const char* kLicenceExhausted = "LICENCE-EXHAUSTED";
inline constexpr const char* kLicenceNoQuantity = "LICENCE-NO-QUANTITY";

// The outcome for one item: Ok with the licence and the quantity it takes, or why not.
struct LicenceCheck {
  LicenceVerdict verdict = LicenceVerdict::Ok;
  std::string licence_id;
  std::int64_t quantity = 0;  // units of 1/10000
  std::string reason;         // for a refusal: "licence exhausted: ..."
  std::string code;           // for a refusal: LICENCE-...
};

// What a use of a licence by one item of one case would be after a decision.
struct LicenceWant {
  std::string licence_id;
  std::int64_t quantity = 0;
};

class LicenceControl {
 public:
  explicit LicenceControl(std::map<std::string, std::vector<LicenceRequirement>> byAgency)
      : byAgency_(std::move(byAgency)) {}

  bool governs(const std::string& agency) const { return byAgency_.count(agency) != 0; }
  // The requirement an item falls under for `agency`, or nullptr.
  const LicenceRequirement* scope(const std::string& agency, const sdk::Item& item) const;

  // Checks one item against its licence. `registered`: the registry's entry for the id filed (or
  // none); `filedOn`: the day the case was filed; `heldByCase`: what this case already holds of
  // that licence for this item (a decision again takes only the difference).
  static LicenceCheck check(const LicenceRequirement& requirement, const sdk::Item& item, const std::string& importer,
                            const std::string& agency, const std::optional<journal::Licence>& registered,
                            std::chrono::sys_days filedOn, std::int64_t heldByCase);

  // The decisions of `agency` on a case with each clear reviewed: items whose licence does not do
  // are split out into holds with the reason and code (same decided_at, so that a repeated
  // decision stays a duplicate). `wants` gets the licence and quantity of every item cleared in
  // scope. `lookup` reads the registry.
  std::vector<DecisionRecord> review(const std::string& agency, const std::vector<DecisionRecord>& decisions,
                                     const sdk::Consignment& consignment, const std::vector<int>& agencyItems,
                                     std::chrono::sys_days filedOn, const std::vector<journal::LicenceUse>& uses,
                                     const std::function<std::optional<journal::Licence>(const std::string&)>& lookup,
                                     std::map<int, LicenceWant>& wants) const;

 private:
  std::map<std::string, std::vector<LicenceRequirement>> byAgency_;
};

// The use changes that follow the agency's decisions on `items` (its status after them): a
// cleared item holds what `wants` says; an item decided otherwise gives its uses back.
std::vector<journal::LicenceChange> settleLicences(const std::string& agency, const std::string& caseId,
                                                   const AgencyStatus& status, const std::vector<int>& items,
                                                   const std::map<int, LicenceWant>& wants,
                                                   const std::vector<journal::LicenceUse>& uses);

// What a follow-up gives back: every use on a cancellation; on an amendment the uses whose item
// no longer carries that licence or is no longer routed to that agency (`routed`: agency -> its
// items after the amendment).
std::vector<journal::LicenceChange> givenBack(const std::string& caseId, const std::vector<journal::LicenceUse>& uses,
                                              const sdk::Consignment* amended,
                                              const std::map<std::string, std::vector<int>>& routed);

// The trace event's detail of one change ("written-down" / "given-back").
std::string licenceEventDetail(const journal::LicenceChange& change, std::int64_t before);

}  // namespace swhub::release
