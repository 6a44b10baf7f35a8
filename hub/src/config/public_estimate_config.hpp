#pragma once
// hub.public_estimate (README "Public estimate"): whether the hub answers GET /v1/public/estimate,
// how often one source address may ask, for which destinations, and the nomenclature file that
// turns a search word into an HS code. The file is read and checked with the rest of the
// configuration, so `swhub check-config` names the line of a bad heading too.

#include <string>
#include <vector>

#include "swhub/sdk/schema.hpp"
#include "swhub/sdk/status.hpp"
#include "swhub/sdk/value.hpp"

namespace swhub::config {

// One subheading of the nomenclature: its code, a short description, the words it is searched by.
struct Heading {
  std::string hs;
  std::string description;
  std::vector<std::string> keywords;
};

struct PublicEstimateConfig {
  bool enabled = false;
  int per_minute = 30;      // tokens added per minute to each source address's bucket
  int burst = 10;           // the bucket's size: requests one address may make at once
  int max_in_progress = 2;  // estimates computed at once (the border's assessments keep the plugins' threads)
  std::vector<std::string> destinations;  // ISO 3166-1 alpha-2 the border serves; empty: any
  std::string nomenclature;               // absolute; "" = none (items give their HS code)
  std::vector<Heading> headings;          // read from `nomenclature`
};

// The schema of hub.public_estimate.
sdk::Schema publicEstimateSchema();

// Reads a validated hub.public_estimate node (paths relative to `base`); the nomenclature file's
// errors go into `errors`, named `hub.public_estimate.nomenclature(<as written>).headings[3].hs`.
PublicEstimateConfig readPublicEstimate(const sdk::Value& node, const std::string& base, sdk::Errors& errors);

// The headings of one nomenclature document; errors under `where`.
std::vector<Heading> readHeadings(const sdk::Value& document, const std::string& where, sdk::Errors& errors);

}  // namespace swhub::config
