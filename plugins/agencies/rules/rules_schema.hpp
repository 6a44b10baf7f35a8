#pragma once
// The schema of a `rules` agency's settings (README.md describes every key).

#include "swhub/sdk/schema.hpp"

namespace swhub::plugins::rules {

sdk::Schema settingsSchema();

}  // namespace swhub::plugins::rules
