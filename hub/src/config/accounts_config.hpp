#pragma once
// hub.accounts and partners.<id>.account (README "Account statements"): checked with the rest of
// the file, and read into HubConfig.

#include "config/config.hpp"

namespace swhub::config {

// Account ids (their form, one partner each) and the time zone (a zoneinfo the hub can read).
void checkAccounts(const sdk::Value& document, sdk::Errors& errors);
void readAccounts(const sdk::Value& document, HubConfig& config);

}  // namespace swhub::config
