#pragma once
// The window of a statistics request (README "Statistics"): ?from=RFC3339&to=RFC3339, rounded
// out to whole UTC hours (from down, to up), default the 24 hours before now.

#include <cstdint>
#include <optional>
#include <string>

#include "common/instant.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::stats {

struct StatsWindow {
  std::int64_t from_hour = 0;  // first hour counted (hours since the epoch)
  std::int64_t to_hour = 0;    // first hour not counted
};

// The window of the query parameters ("" = not given) at `now`; errors name each bad parameter.
std::optional<StatsWindow> parseWindow(const std::string& from, const std::string& to, common::Instant now,
                                       sdk::Errors& errors);

// The instant an hour starts at.
common::Instant hourStart(std::int64_t hour);

}  // namespace swhub::stats
