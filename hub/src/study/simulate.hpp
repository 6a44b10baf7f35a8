#pragma once
// `swhub simulate`: a threshold impact study (WCO guidelines: weigh a de minimis threshold's
// revenue against the cost of collecting it). It replays the journaled cases of a period through
// the customs agency plugin under an alternative revenue setting (other thresholds, charges,
// rates or collection model) and reports, beside what actually happened (the findings recorded on
// each case), revenue by tax, dutiable cases and items, cases per WCO release category, and the
// estimated cost of collecting at the border. It only reads the journal, in pages, so that a hub
// running on it is not disturbed.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "journal/journal.hpp"
#include "swhub/sdk/model.hpp"

namespace swhub::study {

// The alternative to study, from ALT.yaml (README "Threshold impact study"):
//   revenue: {jurisdiction_file: FILE}  optional: the customs agency's `revenue` settings to start
//                                       from (a relative path is relative to ALT.yaml; or the keys
//                                       inline); default: the agency's own, from the config
//   changes:                            optional: merged into those settings (maps key by key,
//     jurisdiction:                     anything else replaced), e.g. another de minimis:
//       duty_threshold: [{amount: "150", currency: EUR}]
//   collection_model: consumer          optional: every case as if filed under this model
//   cost: {per_case: "4.50"}            the border's cost of collecting from one case (consumer
//                                       model, something due), in the jurisdiction's currency
//   agency: customs                     optional: which agency's plugin and settings (default: the
//                                       one agency whose plugin is `customs`)
struct Alternative {
  std::optional<sdk::Value> revenue;
  std::optional<sdk::Value> changes;
  std::optional<sdk::CollectionModel> collectionModel;
  sdk::Decimal costPerCase;
  std::string agency;
};

// `base` with `changes` merged in: maps key by key (recursively), anything else replaced.
sdk::Value merged(const sdk::Value& base, const sdk::Value& changes);

// Reads and checks ALT.yaml; throws config::ConfigError with every error and its dotted path.
Alternative loadAlternative(const std::string& path);

// What one side of the study counted.
struct Totals {
  std::int64_t cases = 0;
  std::int64_t assessed = 0;  // cases with revenue findings (recorded, or from the replay)
  std::map<std::string, sdk::Decimal> revenueByTax;
  sdk::Decimal revenue;           // every line
  sdk::Decimal collectedAtSale;   // lines the vendor collected
  sdk::Decimal dueAtBorder;       // the rest
  std::int64_t casesDutiable = 0;  // something to pay, at sale or at the border
  std::int64_t itemsDutiable = 0;  // items with a line of their own above zero
  std::int64_t casesCollectedAtBorder = 0;  // something due at the border: an intervention
  std::map<std::string, std::int64_t> categories;  // "1".."4", "none"
  sdk::Decimal collectionCost;     // casesCollectedAtBorder x the cost per case
};

struct Report {
  std::string from, to;  // RFC 3339, from inclusive, to exclusive
  std::string agency;
  std::string currency;
  Totals actual;     // as recorded on the cases
  Totals simulated;  // under the alternative
  std::int64_t failed = 0;  // cases the plugin could not assess under the alternative
  std::string firstFailure;
};

// Runs the study over the cases filed in [from, to) (dates YYYY-MM-DD or RFC 3339 instants).
Report simulate(const config::HubConfig& config, journal::Journal& journal, const Alternative& alternative,
                const std::string& from, const std::string& to, unsigned threads);

std::string toJson(const Report& report);
std::string toCsv(const Report& report);

}  // namespace swhub::study
