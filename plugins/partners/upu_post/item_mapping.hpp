#pragma once
// RawItem -> sdk::Consignment: the mapping of a postal item to the canonical consignment, the
// checks of this format (S10 check digit, totals, weights) and the hub's shared checks
// (sdk::validateConsignment), every error named by its path in the postal message.

#include "raw_item.hpp"
#include "settings.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::plugins::upu_post {

/// A filing located at the item's path, or every error of the item (those found while reading
/// first, then the mapping's, then the hub's), never both.
sdk::Decoded mapItem(RawItem item, sdk::FilingKind filing, const Settings& settings);

}  // namespace swhub::plugins::upu_post
