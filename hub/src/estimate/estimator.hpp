#pragma once
// The public landed-cost estimate (README "Public estimate"): goods described by a buyer become a
// consignment that is no case, routed by the hub's route table in force, and assessed by the same
// in-process agency plugins through the same call the assessment worker makes
// (release/agency_call.hpp): whatever the plugins' isolation, bounds and timeouts, and the same
// second round when the category an agency derived adds agencies. Nothing is journaled.
//
// What it shows: the category, the revenue lines and what is due (the case view's own line
// form), and per item the agencies whose rules apply with the licences and certificates they
// require and what their rules would decide on the goods without documents. Never shown: the
// decisions, reasons and findings of an agency that scores risk (its risk criteria are
// confidential, and a decision would let anyone probe them).

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/instant.hpp"
#include "estimate/estimate_query.hpp"
#include "estimate/heading_search.hpp"
#include "plugin/plugin_failure.hpp"
#include "release/agency_call.hpp"
#include "release/licence_control.hpp"
#include "routing/route_table.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::estimate {

// What the estimator reads of the running hub; all of it outlives the estimator.
struct EstimateSources {
  std::map<std::string, release::AgencyHandle> plugins;  // in-process agencies: id -> its (bounded) plugin
  std::map<std::string, std::string> agencyNames;        // every agency: id -> its name
  std::function<std::shared_ptr<const routing::RouteTable>()> routes;  // the table in force
  std::shared_ptr<const release::LicenceControl> licences;             // may be null
  std::vector<std::string> destinations;                               // empty: any
  // Told of each failed plugin call (timed out, busy, crashed, garbage), as the assessment worker
  // tells swhub_plugin_failures_total; may be empty.
  std::function<void(const plugin::Failure&)> countFailure;
};

struct EstimateOutcome {
  enum class Kind { Estimated, Invalid, NotAssessable, Unavailable };
  Kind kind = Kind::Estimated;
  std::string body;        // Estimated: the answer's JSON
  sdk::Errors errors;      // Invalid, NotAssessable, Unavailable
  bool ambiguous = false;  // Invalid: only search words that fit several subheadings
  std::string candidates;  // Invalid: JSON array of {path, search, headings: [{hs, description}]}, "" = none
};

class Estimator {
 public:
  Estimator(EstimateSources sources, HeadingSearch headings);

  // Resolves search words, then assesses; `now` is the instant the goods are assessed at.
  EstimateOutcome estimate(EstimateQuery query, common::Instant now) const;

 private:
  EstimateOutcome resolve(EstimateQuery& query) const;

  EstimateSources sources_;
  HeadingSearch headings_;
};

}  // namespace swhub::estimate
