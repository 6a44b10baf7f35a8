#pragma once
// The SQL of the statistics rollups in the PostgreSQL journal (stat_rollups.hpp; migration 3).

#include <cstdint>
#include <string>
#include <vector>

#include "journal/journal.hpp"
#include "journal/pg_conn.hpp"

namespace swhub::journal::pg {

// The upserts of `deltas` (merged: one per key, in key order so that nodes lock rows alike).
std::vector<Query> statDeltaWrites(const std::vector<StatDelta>& deltas);
void writeStatDeltas(Conn& db, const std::vector<StatDelta>& deltas);
std::vector<StatDelta> statSums(Conn& db, const std::string& scope, std::int64_t from_hour, std::int64_t to_hour);
bool statsFilled(Conn& db);
bool markStatsFilled(Conn& db, const std::string& at);
void addOutboxStats(Conn& db, std::int64_t seq, bool dead, Instant now, std::vector<StatDelta>& out);

}  // namespace swhub::journal::pg
