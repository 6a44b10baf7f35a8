#include "journal/sqlite_stats.hpp"

#include "common/instant.hpp"

namespace swhub::journal::sqlite {

void writeStatDeltas(Db& db, const std::vector<StatDelta>& deltas) {
  if (deltas.empty()) return;
  for (const auto& d : mergeStatDeltas(deltas)) {
    if (d.value == 0) continue;
    auto stmt = db.prepare(
        "INSERT INTO stat_rollups (scope, hour, family, key1, key2, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
        " ON CONFLICT (scope, hour, family, key1, key2) DO UPDATE SET value = value + excluded.value");
    stmt->bind(1, d.scope).bind(2, d.hour).bind(3, d.family).bind(4, d.key1).bind(5, d.key2).bind(6, d.value).step();
  }
}

std::vector<StatDelta> statSums(Db& db, const std::string& scope, std::int64_t from_hour, std::int64_t to_hour) {
  auto stmt = db.prepare(
      "SELECT family, key1, key2, sum(value) FROM stat_rollups WHERE scope = ?1 AND hour >= ?2 AND hour < ?3"
      " GROUP BY family, key1, key2");
  stmt->bind(1, scope).bind(2, from_hour).bind(3, to_hour);
  std::vector<StatDelta> out;
  while (stmt->step()) out.push_back({0, scope, stmt->text(0), stmt->text(1), stmt->text(2), stmt->integer(3)});
  return out;
}

bool statsFilled(Db& db) {
  auto stmt = db.prepare("SELECT count(*) FROM stat_fill");
  return stmt->step() && stmt->integer(0) > 0;
}

bool markStatsFilled(Db& db, const std::string& at) {
  auto stmt = db.prepare("INSERT INTO stat_fill (id, filled_at) VALUES (1, ?1) ON CONFLICT (id) DO NOTHING");
  stmt->bind(1, at).step();
  return db.changes() == 1;
}

void addOutboxStats(Db& db, std::int64_t seq, bool dead, Instant now, std::vector<StatDelta>& out) {
  auto stmt = db.prepare("SELECT recipient, channel, created_at FROM outbox WHERE seq = ?1");
  stmt->bind(1, seq);
  if (!stmt->step()) return;
  const bool agency = stmt->text(1) != toString(Channel::Notification);
  const Instant created = common::parseInstant(stmt->text(2)).value_or(now);
  addDeliveryStats(out, dead, agency, stmt->text(0), created, now);
}

}  // namespace swhub::journal::sqlite
