#pragma once
// What differs between two config documents, by dotted path. A reload swaps the route table
// only: every other difference (a partner, an agency, a credential, a plugin, the listener)
// needs a restart, and the reload names each one rather than half-apply the file.

#include <string>

#include "swhub/sdk/status.hpp"
#include "swhub/sdk/value.hpp"

namespace swhub::config {

// Every place where `after` differs from `before`, each as {dotted path, "added" | "removed" |
// "changed ..."}; maps are compared by key (order and source positions do not count), lists by
// position. Empty when they are the same.
sdk::Errors differences(const sdk::Value& before, const sdk::Value& after, const std::string& path = "");

// The differences of two whole documents outside `routes`: what a reload cannot apply.
sdk::Errors needsRestart(const sdk::Value& running, const sdk::Value& fresh);

}  // namespace swhub::config
