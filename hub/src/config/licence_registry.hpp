#pragma once
// An agency's licence requirements and the registry file that seeds its licences (README
// "Licences"): agencies.<id>.licences in hub.yaml. The file is YAML (a `licences:` list) or CSV (a
// header line `id,type,holder,valid_from,valid_to,quantity`), chosen by its extension; it is read
// and checked with the rest of the configuration, so `swhub check-config` reports its errors too.

#include <string>
#include <vector>

#include "swhub/sdk/model.hpp"
#include "swhub/sdk/schema.hpp"
#include "swhub/sdk/status.hpp"
#include "swhub/sdk/value.hpp"

namespace swhub::config {

struct LicenceEntry {
  std::string id;
  std::string type;
  std::string holder;
  std::string valid_from;  // YYYY-MM-DD
  std::string valid_to;    // YYYY-MM-DD, inclusive
  sdk::Decimal quantity;
};

struct LicenceRequirementConfig {
  std::string name;
  std::vector<std::string> hs_prefixes;
  std::vector<std::string> document_types;
};

struct LicenceRules {
  std::string registry;  // absolute; "" = none (licences come through the admin API only)
  std::vector<LicenceRequirementConfig> require;
  std::vector<LicenceEntry> entries;  // read from `registry`
};

// The schema of agencies.<id>.licences.
sdk::Schema licencesSchema();

// Builds the rules from a validated `licences` node at `path`, reading the registry file
// (relative to `base`). Every error goes into `errors` with its path (the file's errors name the
// file and line).
LicenceRules readLicenceRules(const sdk::Value& node, const std::string& path, const std::string& base,
                              sdk::Errors& errors);

// Reads one registry file; errors name `where` (the config path), the file and the line or entry.
std::vector<LicenceEntry> readLicenceRegistry(const std::string& file, const std::string& where, sdk::Errors& errors);

}  // namespace swhub::config
