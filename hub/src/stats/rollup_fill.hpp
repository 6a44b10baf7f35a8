#pragma once
// Fills the statistics rollups of a journal written before it kept them (or before the hub that
// wrote it did), once: every case's events go through the same planner as a live batch's
// (rollup_plan.hpp), and the current dead letters count in the hour they were created (when each
// died is not recorded). Delivery latencies of deliveries before the rollups are not known.

#include <cstdint>

#include "journal/journal.hpp"

namespace swhub::stats {

// Counts what the journal holds and writes it with the mark "filled" in one transaction. Returns
// how many cases it counted; -1 when the rollups were filled already (nothing done).
std::int64_t fillRollups(journal::Journal& journal);

}  // namespace swhub::stats
