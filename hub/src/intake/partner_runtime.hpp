#pragma once
// A partner as the message path needs it: resolved once at start.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "plugin/registry.hpp"

namespace swhub::intake {

struct PartnerRuntime {
  config::PartnerConfig config;
  std::unique_ptr<plugin::Instance<sdk::PartnerPlugin>> instance;
  std::vector<std::string> contentTypes;  // what its own plugin reads
  sdk::Availability availability;         // what of it is switched off (answered 503), and why
  std::int64_t maxBodyBytes = 0;
};

}  // namespace swhub::intake
