#include "journal/audit_verify.hpp"

#include <filesystem>
#include <limits>
#include <system_error>
#include <vector>

#include "common/ids.hpp"
#include "journal/audit_chain.hpp"
#include "journal/audit_checkpoint.hpp"
#include "journal/group_committer.hpp"
#include "journal/sqlite_store.hpp"

namespace swhub::journal::sqlite {
namespace {

constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::max();

struct Checkpoint {
  std::int64_t seq = 0;
  std::string head_hash;
  std::string at;
  std::string signature;
};

std::vector<Checkpoint> readCheckpoints(Db& db) {
  auto stmt = db.prepare("SELECT seq, head_hash, at, signature FROM audit_checkpoints ORDER BY seq");
  std::vector<Checkpoint> checkpoints;
  while (stmt->step()) checkpoints.push_back({stmt->integer(0), stmt->text(1), stmt->text(2), stmt->text(3)});
  return checkpoints;
}

// Which entry holds chain position `position`, for telling a reordered entry from a deleted one.
std::string entryAt(Db& db, std::int64_t position) {
  {
    auto stmt = db.prepare("SELECT id FROM messages WHERE audit_seq = ?");
    stmt->bind(1, position);
    if (stmt->step()) return "messages id " + stmt->text(0);
  }
  auto stmt = db.prepare("SELECT seq FROM case_events WHERE audit_seq = ?");
  stmt->bind(1, position);
  if (stmt->step()) return "case_events seq " + std::to_string(stmt->integer(0));
  return {};
}

AuditVerdict broken(std::int64_t entries, std::size_t checkpoints, std::string problem) {
  AuditVerdict verdict;
  verdict.entries = entries;
  verdict.checkpoints = static_cast<std::int64_t>(checkpoints);
  verdict.problem = std::move(problem);
  return verdict;
}

AuditVerdict walk(Db& db, const CheckpointCheck& check) {
  const std::vector<Checkpoint> checkpoints = readCheckpoints(db);
  const ChainHead recorded = loadChainHead(db);
  // Messages in chain order (index messages_audit), case events in seq order: each stream is in
  // chain order when nothing was touched, and the walk takes the lower position of the two.
  auto messages = db.prepare(
      // Columns 2-9: the summary (sqlite::kMessageSummaryColumns), read by readMessageEntry(row, 2).
      "SELECT coalesce(audit_seq, 0), coalesce(audit_hash, ''), id, partner, content_type, idempotency_key, digest,"
      " received_at, status, http_status,"
      " coalesce((SELECT bytes FROM message_blobs b WHERE b.message_id = m.id AND b.part = 'body'), body)"
      " FROM messages m WHERE status <> 'staging' ORDER BY audit_seq");
  auto events = db.prepare(
      "SELECT coalesce(audit_seq, 0), coalesce(audit_hash, ''), seq, case_id, at, actor, kind, from_state, to_state,"
      " detail_json, message_id FROM case_events ORDER BY seq");
  bool message_row = messages->step();
  bool event_row = events->step();
  std::string prev = kAuditGenesis;
  std::int64_t expected = 1;
  std::size_t next_checkpoint = 0;
  while (message_row || event_row) {
    const std::int64_t message_position = message_row ? messages->integer(0) : kNone;
    const std::int64_t event_position = event_row ? events->integer(0) : kNone;
    const bool is_message = message_row && message_position <= event_position;
    Stmt& row = is_message ? *messages : *events;
    const std::int64_t position = is_message ? message_position : event_position;
    const std::string name = is_message ? "messages id " + row.text(2) : "case_events seq " + std::to_string(row.integer(2));
    const std::int64_t checked = expected - 1;
    if (position == 0) return broken(checked, checkpoints.size(), name + ": not in the chain (inserted?)");
    if (position < expected) {
      return broken(checked, checkpoints.size(),
                    name + ": chain position " + std::to_string(position) + " again, after position " +
                        std::to_string(checked) + " (inserted?)");
    }
    if (position > expected) {
      const std::string holder = entryAt(db, expected);
      if (!holder.empty()) {
        return broken(checked, checkpoints.size(),
                      name + ": out of order: chain position " + std::to_string(position) + " comes before position " +
                          std::to_string(expected) + " (" + holder + ") (reordered?)");
      }
      return broken(checked, checkpoints.size(),
                    name + ": gap: chain position " + std::to_string(expected) + " is missing before it (deleted?)");
    }
    std::string hash;
    if (is_message) {
      const MessageEntry m = sqlite::readMessageEntry(row, 2);
      hash = messageEntryHash(prev, position, m);
      if (hash == row.text(1) && m.digest.rfind("sha256:", 0) == 0 &&
          m.digest.compare(7, std::string::npos, common::sha256Hex(row.text(10))) != 0) {
        return broken(checked, checkpoints.size(), name + ": body does not match its digest (edited?)");
      }
    } else {
      const EventEntry e{row.integer(2), row.text(3), row.text(4), row.text(5), row.text(6),
                         row.text(7),    row.text(8), row.text(9), row.text(10)};
      hash = eventEntryHash(prev, position, e);
    }
    if (hash != row.text(1)) {
      return broken(checked, checkpoints.size(), name + ": hash does not match its content (edited?)");
    }
    for (; next_checkpoint < checkpoints.size() && checkpoints[next_checkpoint].seq <= position; ++next_checkpoint) {
      const Checkpoint& c = checkpoints[next_checkpoint];
      const std::string where = "checkpoint at chain position " + std::to_string(c.seq);
      if (c.head_hash != hash) {
        return broken(position, checkpoints.size(), where + ": head hash does not match the chain (rewritten?)");
      }
      if (!check(checkpointText(c.seq, c.head_hash, c.at), c.signature)) {
        return broken(position, checkpoints.size(), where + ": signature does not verify with the receipt certificate");
      }
    }
    prev = std::move(hash);
    ++expected;
    if (is_message) {
      message_row = messages->step();
    } else {
      event_row = events->step();
    }
  }
  const std::int64_t last = expected - 1;
  if (next_checkpoint < checkpoints.size()) {
    return broken(last, checkpoints.size(),
                  "checkpoint at chain position " + std::to_string(checkpoints.back().seq) +
                      ": the chain ends at position " + std::to_string(last) + " (truncated?)");
  }
  if (recorded.seq != last || recorded.hash != prev) {
    return broken(last, checkpoints.size(),
                  "the chain ends at position " + std::to_string(last) + " but its recorded head is position " +
                      std::to_string(recorded.seq) + (recorded.seq == last ? " with another hash (rewritten?)" : " (truncated?)"));
  }
  AuditVerdict verdict;
  verdict.intact = true;
  verdict.entries = last;
  verdict.checkpoints = static_cast<std::int64_t>(checkpoints.size());
  return verdict;
}

}  // namespace

AuditVerdict verifyAuditChain(Db& db, const CheckpointCheck& check) {
  // One snapshot: a hub committing beside us changes nothing we read.
  db.exec("BEGIN");
  try {
    AuditVerdict verdict = walk(db, check);
    db.exec("COMMIT");
    return verdict;
  } catch (...) {
    sqlite3_exec(db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

AuditVerdict verifyAuditJournal(const std::string& url, const CheckpointCheck& check) {
  if (url.rfind("sqlite:", 0) != 0) throw JournalError("audit verify reads SQLite journals (sqlite:PATH), not '" + url + "'");
  std::string path = url.substr(7);
  if (path.rfind("//", 0) == 0) path.erase(0, 2);
  std::string vfs;
  if (const auto query = path.find("?vfs="); query != std::string::npos) {
    vfs = path.substr(query + 5);
    path.erase(query);
  }
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) throw JournalError("no journal at " + path);
  try {
    Db db(path, vfs);
    sqlite3_busy_timeout(db.handle(), 5000);
    db.exec("PRAGMA query_only=ON");
    std::int64_t version = 0;
    {
      auto stmt = db.prepare("SELECT max(version) FROM schema_version");
      if (stmt->step()) version = stmt->integer(0);
    }
    if (version < 4) {
      throw JournalError("sqlite:" + path + " is at schema " + std::to_string(version) +
                         ", before the audit chain (schema 4): start this hub on it once to chain what it holds");
    }
    return verifyAuditChain(db, check);
  } catch (const StoreFailure& e) {
    throw JournalError("cannot read journal sqlite:" + path + ": " + e.what());
  } catch (const BatchRejected& e) {
    throw JournalError("cannot read journal sqlite:" + path + ": " + e.what());
  }
}

}  // namespace swhub::journal::sqlite
