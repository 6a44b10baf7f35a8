#include "journal/pg_stats.hpp"

#include "common/instant.hpp"

namespace swhub::journal::pg {

std::vector<Query> statDeltaWrites(const std::vector<StatDelta>& deltas) {
  std::vector<Query> out;
  if (deltas.empty()) return out;
  for (const auto& d : mergeStatDeltas(deltas)) {
    if (d.value == 0) continue;
    out.push_back({"INSERT INTO stat_rollups (scope, hour, family, key1, key2, value) VALUES ($1, $2, $3, $4, $5, $6)"
                   " ON CONFLICT (scope, hour, family, key1, key2) DO UPDATE SET value = stat_rollups.value + excluded.value",
                   Params().text(d.scope).integer(d.hour).text(d.family).text(d.key1).text(d.key2).integer(d.value)});
  }
  return out;
}

void writeStatDeltas(Conn& db, const std::vector<StatDelta>& deltas) {
  auto writes = statDeltaWrites(deltas);
  if (!writes.empty()) db.pipeline(writes);
}

std::vector<StatDelta> statSums(Conn& db, const std::string& scope, std::int64_t from_hour, std::int64_t to_hour) {
  auto r = db.exec(
      "SELECT family, key1, key2, sum(value) FROM stat_rollups WHERE scope = $1 AND hour >= $2 AND hour < $3"
      " GROUP BY family, key1, key2",
      Params().text(scope).integer(from_hour).integer(to_hour));
  std::vector<StatDelta> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({0, scope, r.text(i, 0), r.text(i, 1), r.text(i, 2), r.integer(i, 3)});
  return out;
}

bool statsFilled(Conn& db) { return db.exec("SELECT count(*) FROM stat_fill").integer(0, 0) > 0; }

bool markStatsFilled(Conn& db, const std::string& at) {
  return db.exec("INSERT INTO stat_fill (id, filled_at) VALUES (1, $1) ON CONFLICT (id) DO NOTHING", Params().text(at))
             .affected() == 1;
}

void addOutboxStats(Conn& db, std::int64_t seq, bool dead, Instant now, std::vector<StatDelta>& out) {
  auto r = db.exec("SELECT recipient, channel, created_at FROM outbox WHERE seq = $1", Params().integer(seq));
  if (r.rows() == 0) return;
  const bool agency = r.text(0, 1) != toString(Channel::Notification);
  const Instant created = common::parseInstant(r.text(0, 2)).value_or(now);
  addDeliveryStats(out, dead, agency, r.text(0, 0), created, now);
}

}  // namespace swhub::journal::pg
