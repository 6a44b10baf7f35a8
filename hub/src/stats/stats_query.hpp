#pragma once
// A statistics request answered from the journal's rollups: a handful of indexed reads whatever
// the number of cases (README "Statistics").

#include <functional>
#include <string>

#include "journal/journal.hpp"
#include "model/json_writer.hpp"
#include "stats/stats_window.hpp"

namespace swhub::stats {

// The Stats JSON object of `scope` ("" = the hub, agencyScope(id) = one agency) over `window`;
// `head` writes members before it (the admin's journal counts). cases_by_state for "" only.
std::string statsJson(journal::Journal& journal, const std::string& scope, const StatsWindow& window,
                      const std::function<void(model::ObjectWriter&)>& head = {});

}  // namespace swhub::stats
