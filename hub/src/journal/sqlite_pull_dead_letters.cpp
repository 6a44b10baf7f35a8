#include "journal/sqlite_pull_dead_letters.hpp"

#include <vector>

namespace swhub::journal::sqlite {

bool deadLetterPulled(Db& db, std::int64_t seq, const std::string& reason) {
  auto stmt = db.prepare("UPDATE outbox SET state = 'dead', last_error = ?2 WHERE seq = ?1 AND state = 'pull'");
  stmt->bind(1, seq).bind(2, reason).step();
  if (db.changes() != 1) return false;
  db.prepare("INSERT OR IGNORE INTO pull_dead_letters (seq) VALUES (?1)")->bind(1, seq).step();
  return true;
}

std::size_t replayPulledDead(Db& db, std::int64_t seq) {
  std::vector<std::int64_t> seqs;
  {
    auto dead = db.prepare(
        "SELECT d.seq FROM pull_dead_letters d JOIN outbox o ON o.seq = d.seq"
        " WHERE o.state = 'dead' AND (?1 < 0 OR d.seq = ?1) ORDER BY d.seq");
    dead->bind(1, seq);
    while (dead->step()) seqs.push_back(dead->integer(0));
  }
  for (std::int64_t old : seqs) {
    // A fresh seq above every one ever handed out (AUTOINCREMENT keeps counting from the larger
    // of sqlite_sequence and the largest seq in the table, so later inserts stay above it).
    auto move = db.prepare(
        "UPDATE outbox SET state = 'pull', attempts = 0, lease_owner = '', lease_until = 0,"
        " seq = 1 + max(coalesce((SELECT max(seq) FROM outbox), 0),"
        "               coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0))"
        " WHERE seq = ?1");
    move->bind(1, old).step();
    db.prepare("DELETE FROM pull_dead_letters WHERE seq = ?1")->bind(1, old).step();
  }
  return seqs.size();
}

}  // namespace swhub::journal::sqlite
