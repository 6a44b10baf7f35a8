#pragma once
// The SQL of the statistics rollups in the SQLite journal (stat_rollups.hpp).

#include <cstdint>
#include <string>
#include <vector>

#include "journal/journal.hpp"
#include "journal/sqlite_db.hpp"

namespace swhub::journal::sqlite {

// Adds each delta to its counter (merged first: one upsert per key).
void writeStatDeltas(Db& db, const std::vector<StatDelta>& deltas);
std::vector<StatDelta> statSums(Db& db, const std::string& scope, std::int64_t from_hour, std::int64_t to_hour);
bool statsFilled(Db& db);
// Marks the rollups filled; false when they were already.
bool markStatsFilled(Db& db, const std::string& at);
// The deltas of outbox item `seq` ending `dead` or delivered at `now` (none when no such item).
void addOutboxStats(Db& db, std::int64_t seq, bool dead, Instant now, std::vector<StatDelta>& out);

}  // namespace swhub::journal::sqlite
