#pragma once
// What a journal batch adds to the statistics rollups (journal/stat_rollups.hpp; README
// "Statistics"): derived from the case events the batch writes, each counted in the hour of its
// event. The journal calls it on every batch it commits (JournalOptions::plan_stats); the fill of
// a journal from before the rollups (rollup_fill.hpp) replays each case's events through it too,
// so that both count alike.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "journal/journal.hpp"

namespace swhub::stats {

// What the planner may read of a case the batch does not create: the stored case and its events.
struct CaseSource {
  std::function<std::optional<journal::CaseRecord>(const std::string& case_id)> caseOf;
  std::function<std::vector<journal::CaseEvent>(const std::string& case_id)> eventsOf;
};

// Appends to batch.stats the rollups of batch.events.
void planRollups(journal::WriteBatch& batch, const CaseSource& source);

// The source that reads `journal` (what a live hub plans with).
CaseSource journalSource(journal::Journal& journal);

// The scope of one agency's view.
inline std::string agencyScope(const std::string& agency) { return "agency:" + agency; }

}  // namespace swhub::stats
