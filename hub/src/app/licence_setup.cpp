#include "app/licence_setup.hpp"

namespace swhub::app {

std::shared_ptr<const release::LicenceControl> setUpLicences(const config::HubConfig& config, journal::Journal& journal) {
  std::map<std::string, std::vector<release::LicenceRequirement>> byAgency;
  for (const auto& agency : config.agencies) {
    if (!agency.licences) continue;
    auto& requirements = byAgency[agency.id];
    for (const auto& r : agency.licences->require) requirements.push_back({r.name, r.hs_prefixes, r.document_types});
    std::vector<journal::Licence> seed;
    for (const auto& e : agency.licences->entries) {
      seed.push_back({agency.id, e.id, e.type, e.holder, e.valid_from, e.valid_to, e.quantity.units(), e.quantity.units(), ""});
    }
    if (!seed.empty()) journal.seedLicences(seed);
  }
  if (byAgency.empty()) return nullptr;
  return std::make_shared<const release::LicenceControl>(std::move(byAgency));
}

}  // namespace swhub::app
