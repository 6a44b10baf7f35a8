#include "journal/audit_checkpoint.hpp"

#include <exception>

#include "journal/audit_chain.hpp"

namespace swhub::journal::sqlite {

std::string checkpointText(std::int64_t seq, const std::string& head_hash, const std::string& at) {
  return "swhub audit checkpoint\nseq: " + std::to_string(seq) + "\nhead: " + head_hash + "\nat: " + at + "\n";
}

bool maybeCheckpoint(Db& db, const CheckpointPolicy& policy, bool force, const std::string& now_text,
                     std::chrono::steady_clock::time_point& last) {
  if (!policy.sign) return false;
  const auto now = std::chrono::steady_clock::now();
  std::int64_t last_seq = 0;
  {
    auto stmt = db.prepare("SELECT coalesce(max(seq), 0) FROM audit_checkpoints");
    if (stmt->step()) last_seq = stmt->integer(0);
  }
  const ChainHead head = loadChainHead(db);
  if (head.seq <= last_seq) return false;
  const bool due = force || head.seq - last_seq >= policy.every_entries || now - last >= policy.every;
  if (!due) return false;
  std::string signature;
  try {
    signature = policy.sign(checkpointText(head.seq, head.hash, now_text));
  } catch (const std::exception&) {
    return false;  // no checkpoint this time; the filing itself must not fail for it
  }
  db.prepare("INSERT INTO audit_checkpoints (seq, head_hash, at, signature) VALUES (?, ?, ?, ?)")
      ->bind(1, head.seq)
      .bind(2, head.hash)
      .bind(3, now_text)
      .bind(4, signature)
      .step();
  last = now;
  return true;
}

}  // namespace swhub::journal::sqlite
