#pragma once
// The statistics rollups' running totals as Prometheus series for GET /metrics (README "/metrics"
// row): release, arrival-to-release, decision and delivery time histograms, cases per state,
// decisions by outcome and reason code, revenue assessed and collected, dead letters. Read from
// the journal, so every node of a PostgreSQL journal shows the same totals and a restart resets
// nothing.

#include <string>
#include <vector>

#include "journal/journal.hpp"

namespace swhub::stats {

// Every series name this renders (the Grafana dashboard's test checks its expressions against it).
const std::vector<std::string>& statsSeriesNames();

// The exposition text of the series, from the journal's running totals (scope "").
std::string renderStatsSeries(journal::Journal& journal);
std::string renderStatsSeries(const std::vector<journal::StatDelta>& totals);

}  // namespace swhub::stats
