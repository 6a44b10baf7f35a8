#pragma once
// Puts the agencies' licence settings to work at start: the requirements for the coordinator,
// and the registry files seeded into the journal (a licence the journal has already is kept as
// it is: the admin API may have changed it since).

#include <memory>

#include "config/config.hpp"
#include "journal/journal.hpp"
#include "release/licence_control.hpp"

namespace swhub::app {

// Null when no agency requires licences. Throws journal::JournalError when seeding cannot write.
std::shared_ptr<const release::LicenceControl> setUpLicences(const config::HubConfig& config, journal::Journal& journal);

}  // namespace swhub::app
