#include "journal/sqlite_staging.hpp"

#include <algorithm>
#include <memory>
#include <vector>

#include "common/instant.hpp"
#include "journal/audit_chain.hpp"
#include "journal/group_committer.hpp"
#include "journal/sqlite_schema.hpp"
#include "journal/sqlite_store.hpp"

namespace swhub::journal::sqlite {
namespace {

constexpr std::size_t kBlobChunk = 65536;

// A message row's rowid; nullopt when it does not exist or is (not) staging.
std::optional<std::int64_t> messageRowid(Db& db, const std::string& id, bool staging) {
  auto stmt = db.prepare("SELECT rowid, status FROM messages WHERE id = ?");
  stmt->bind(1, id);
  if (!stmt->step()) return std::nullopt;
  if ((stmt->text(1) == toString(MessageStatus::Staging)) != staging) return std::nullopt;
  return stmt->integer(0);
}

// The rowid of a message part kept in message_blobs (blob handles address rows by rowid).
std::optional<std::int64_t> blobRowid(Db& db, const std::string& id, const char* part) {
  auto stmt = db.prepare("SELECT rowid FROM message_blobs WHERE message_id = ? AND part = ?");
  stmt->bind(1, id).bind(2, part);
  if (!stmt->step()) return std::nullopt;
  return stmt->integer(0);
}

void insertBlob(Db& db, const std::string& id, const char* part, std::int64_t size) {
  db.prepare("INSERT INTO message_blobs (message_id, part, bytes) VALUES (?, ?, zeroblob(?))")
      ->bind(1, id)
      .bind(2, part)
      .bind(3, size)
      .step();
}

// An open incremental-I/O handle on one blob, closed on scope exit.
class BlobHandle {
 public:
  BlobHandle(Db& db, const char* table, const char* column, std::int64_t rowid, bool write) : db_(db) {
    const int rc = sqlite3_blob_open(db.handle(), "main", table, column, rowid, write ? 1 : 0, &blob_);
    if (rc != SQLITE_OK) {
      sqlite3_blob_close(blob_);
      blob_ = nullptr;
      Db::raise(db.handle(), sqlite3_extended_errcode(db.handle()), std::string("open blob ") + table + "." + column);
    }
  }
  ~BlobHandle() { sqlite3_blob_close(blob_); }
  BlobHandle(const BlobHandle&) = delete;
  BlobHandle& operator=(const BlobHandle&) = delete;

  std::int64_t size() const { return sqlite3_blob_bytes(blob_); }
  void write(const char* data, std::size_t size, std::int64_t offset) {
    const int rc = sqlite3_blob_write(blob_, data, static_cast<int>(size), static_cast<int>(offset));
    if (rc != SQLITE_OK) Db::raise(db_.handle(), rc, "blob write");
  }
  void read(char* data, std::size_t size, std::int64_t offset) {
    const int rc = sqlite3_blob_read(blob_, data, static_cast<int>(size), static_cast<int>(offset));
    if (rc != SQLITE_OK) Db::raise(db_.handle(), rc, "blob read");
  }

 private:
  Db& db_;
  sqlite3_blob* blob_ = nullptr;
};

const char* columnOf(MessagePart part) { return part == MessagePart::Body ? "body" : "response"; }

// A part in message_blobs (large messages) or in the messages row itself; the message exists.
BlobHandle openPart(Db& db, const std::string& id, MessagePart part) {
  if (auto rowid = blobRowid(db, id, columnOf(part))) return BlobHandle(db, "message_blobs", "bytes", *rowid, false);
  return BlobHandle(db, "messages", columnOf(part), *messageRowid(db, id, false), false);
}

void insertStagedCase(Db& db, const std::string& staging, const CaseRecord& c) {
  auto stmt = db.prepare(
      "INSERT INTO staged_cases (staging_id, id, partner, reference, filing, state, version, consignment_json,"
      " message_id, created_at, updated_at, status_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  stmt->bind(1, staging).bind(2, c.id).bind(3, c.partner).bind(4, c.reference).bind(5, c.filing).bind(6, toString(c.state));
  stmt->bind(7, c.version).bind(8, c.consignment_json).bind(9, c.message_id).bind(10, common::toString(c.created_at));
  stmt->bind(11, common::toString(c.updated_at)).bind(12, c.status_json.empty() ? std::string("{}") : c.status_json).step();
}

void insertStagedEvent(Db& db, const std::string& staging, const CaseEvent& event) {
  const EventEntry e = eventEntry(event);
  auto stmt = db.prepare(
      "INSERT INTO staged_events (staging_id, case_id, at, actor, kind, from_state, to_state, detail_json,"
      " message_id) VALUES (?,?,?,?,?,?,?,?,?)");
  stmt->bind(1, staging).bind(2, e.case_id).bind(3, e.at).bind(4, e.actor).bind(5, e.kind).bind(6, e.from_state);
  stmt->bind(7, e.to_state).bind(8, e.detail_json.empty() ? std::string("{}") : e.detail_json);
  stmt->bind(9, e.message_id).step();
}

void insertStagedOutbox(Db& db, const std::string& staging, const OutboxItem& o) {
  auto stmt = db.prepare(
      "INSERT INTO staged_outbox (staging_id, id, channel, recipient, case_id, content_type, body, attempts,"
      " state, next_attempt_at, last_error, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  stmt->bind(1, staging).bind(2, o.id).bind(3, toString(o.channel)).bind(4, o.recipient).bind(5, o.case_id);
  stmt->bind(6, o.content_type).bindBlob(7, o.body).bind(8, o.attempts);
  stmt->bind(9, toString(o.state)).bind(10, o.next_attempt_at ? common::toString(*o.next_attempt_at) : std::string());
  stmt->bind(11, o.last_error).bind(12, common::toString(o.created_at)).step();
}

}  // namespace

void insertStagingMessage(Db& db, const MessageRecord& m, std::int64_t body_size) {
  auto stmt = db.prepare(
      "INSERT INTO messages (id, partner, content_type, idempotency_key, digest, received_at, body,"
      " status, response, http_status) VALUES (?,?,?,'',?,?,X'','staging','',0)");
  stmt->bind(1, m.id).bind(2, m.partner).bind(3, m.content_type).bind(4, m.digest).bind(5, common::toString(m.received_at)).step();
  insertBlob(db, m.id, "body", body_size);
}

void writeStagingBody(Db& db, const std::string& message_id, std::int64_t offset, const std::string& bytes) {
  const auto rowid = messageRowid(db, message_id, true) ? blobRowid(db, message_id, "body") : std::nullopt;
  if (!rowid) throw BatchRejected("journal: no staging message '" + message_id + "'");
  BlobHandle blob(db, "message_blobs", "bytes", *rowid, true);
  if (offset < 0 || offset + static_cast<std::int64_t>(bytes.size()) > blob.size()) {
    throw BatchRejected("journal: body bytes " + std::to_string(offset) + "+" + std::to_string(bytes.size()) +
                        " past the staged body of " + std::to_string(blob.size()) + " bytes");
  }
  if (!bytes.empty()) blob.write(bytes.data(), bytes.size(), offset);
}

void stageBatch(Db& db, const std::string& message_id, const WriteBatch& batch) {
  // Declaration links go with the message's last batch (finishStaged): never staged.
  if (batch.message || !batch.case_updates.empty() || !batch.declaration_links.empty()) {
    throw BatchRejected("journal: a staged batch holds new cases, events and outbox items only");
  }
  if (!messageRowid(db, message_id, true)) throw BatchRejected("journal: no staging message '" + message_id + "'");
  for (const auto& c : batch.new_cases) insertStagedCase(db, message_id, c);
  for (const auto& e : batch.events) insertStagedEvent(db, message_id, e);
  for (const auto& o : batch.outbox) insertStagedOutbox(db, message_id, o);
}

CommitResult finishStaging(Db& db, const MessageRecord& m, BlobSource& response, const WriteBatch& batch) {
  if (batch.message) throw BatchRejected("journal: finishStaged takes the message apart from the batch");
  if (!m.idempotency_key.empty()) {
    if (auto existing = messageSummaryByKey(db, m.partner, m.idempotency_key)) {
      CommitResult result;
      if (existing->digest == m.digest) {
        result.status = CommitResult::Status::Duplicate;
        result.existing = std::move(existing);
      } else {
        result.status = CommitResult::Status::Conflict;
        result.error = "idempotency key '" + m.idempotency_key + "' of partner '" + m.partner +
                       "' was already used for another body (" + existing->digest + ")";
      }
      return result;
    }
  }
  // A reference that another message made a case of while this one was staged: refused whole,
  // as a sequential duplicate would have been. (The unique index would refuse it too, as Invalid.)
  if (m.status == MessageStatus::Accepted) {
    auto stmt = db.prepare(
        "SELECT s.reference FROM staged_cases s WHERE s.staging_id = ? AND EXISTS (SELECT 1 FROM cases c"
        " WHERE c.partner = s.partner AND c.reference = s.reference AND c.duplicate_of = '') ORDER BY s.seq");
    stmt->bind(1, m.id);
    std::vector<std::string> taken;
    while (stmt->step()) taken.push_back(stmt->text(0));
    if (!taken.empty()) return referencesTaken(std::move(taken));
  }
  const bool streamed = response.size > 0;
  {
    auto stmt = db.prepare(
        "UPDATE messages SET idempotency_key = ?1, status = ?2,"
        " response = CASE WHEN ?3 > 0 THEN '' ELSE ?4 END, http_status = ?5"
        " WHERE id = ?6 AND status = 'staging'");
    stmt->bind(1, m.idempotency_key).bind(2, toString(m.status)).bind(3, response.size).bind(4, m.response);
    stmt->bind(5, m.http_status).bind(6, m.id).step();
    if (db.changes() != 1) throw BatchRejected("journal: no staging message '" + m.id + "'");
  }
  if (streamed) {
    insertBlob(db, m.id, "response", response.size);
    const auto rowid = blobRowid(db, m.id, "response");
    if (!rowid) throw BatchRejected("journal: message '" + m.id + "' vanished");
    BlobHandle blob(db, "message_blobs", "bytes", *rowid, true);
    std::vector<char> buffer(kBlobChunk);
    std::int64_t offset = 0;
    while (offset < response.size) {
      const std::size_t want = static_cast<std::size_t>(std::min<std::int64_t>(kBlobChunk, response.size - offset));
      const std::size_t got = response.read ? response.read(buffer.data(), want) : 0;
      if (got == 0) throw BatchRejected("journal: the response source ended at byte " + std::to_string(offset));
      blob.write(buffer.data(), got, offset);
      offset += static_cast<std::int64_t>(got);
    }
  }
  // The message is final now: the chain's next entry.
  ChainHead head = loadChainHead(db);
  chainStoredMessage(db, head, m.id);
  if (m.status != MessageStatus::Accepted) {
    saveChainHead(db, head);
    // A rejected message keeps its body for the trace; what it staged goes (sweepStagedRows).
    return {};
  }
  // ORDER BY seq: rows get their final seqs in the order they were staged, after every row
  // committed so far. The cases are read by seq (the staging's seqs first, from its index): with
  // `staging_id = ?` SQLite read them by reference and sorted the whole rows, consignments and
  // all, in a temporary file (600 MB for 200,000 lines).
  // The cases of the message share their ordinal with each party (sqlite_schema.hpp).
  static const std::string copy =
      "INSERT INTO cases (id, partner, reference, filing, state, version, consignment_json, message_id,"
      " created_at, updated_at, status_json, seller_id, buyer_id, seller_ord, buyer_ord) SELECT s.id, s.partner,"
      " s.reference, s.filing, s.state, s.version, s.consignment_json, s.message_id, s.created_at, s.updated_at,"
      " s.status_json, json_extract(s.consignment_json, '$.parties.seller.id'),"
      " json_extract(s.consignment_json, '$.parties.buyer.id'), " +
      partyOrdinalSql("seller", "json_extract(s.consignment_json, '$.parties.seller.id')", "s.message_id") + ", " +
      partyOrdinalSql("buyer", "json_extract(s.consignment_json, '$.parties.buyer.id')", "s.message_id") +
      " FROM staged_cases s WHERE s.seq IN (SELECT seq FROM staged_cases WHERE staging_id = ?) ORDER BY s.seq";
  db.prepare(copy.c_str())->bind(1, m.id).step();
  // Each event is written once, with its chain position and hash (streamed: a manifest's events
  // are never all in memory; the read is of staged_events, the writes of case_events; the columns
  // go from the one row to the other without a copy).
  {
    std::int64_t last_seq = lastEventSeq(db);
    auto staged = db.prepare(
        "SELECT case_id, at, actor, kind, from_state, to_state, detail_json, message_id FROM staged_events"
        " WHERE staging_id = ? ORDER BY seq");
    staged->bind(1, m.id);
    while (staged->step()) {
      insertEvent(db, head, last_seq,
                  EventFields{0, staged->view(0), staged->view(1), staged->view(2), staged->view(3), staged->view(4),
                              staged->view(5), staged->view(6), staged->view(7)});
    }
  }
  saveChainHead(db, head);
  db.prepare(
        "INSERT INTO outbox (id, channel, recipient, case_id, content_type, body, attempts, state,"
        " next_attempt_at, last_error, created_at) SELECT id, channel, recipient, case_id, content_type, body,"
        " attempts, state, next_attempt_at, last_error, created_at FROM staged_outbox"
        " WHERE staging_id = ? ORDER BY seq")
      ->bind(1, m.id)
      .step();
  // The staged rows are left for sweepStagedRows, after the answer: deleting them here was a
  // sixth of a 200,000-line manifest's time to its 202 (tests/bench/README.md).
  return applyBatch(db, batch);
}

void dropStaging(Db& db, const std::string& message_id) {
  if (message_id.empty()) {
    db.exec(
        "DELETE FROM staged_cases; DELETE FROM staged_events; DELETE FROM staged_outbox;"
        " DELETE FROM message_blobs WHERE message_id IN (SELECT id FROM messages WHERE status = 'staging');"
        " DELETE FROM messages WHERE status = 'staging';");
    return;
  }
  sweepStagedRows(db, message_id, -1);
  if (!messageRowid(db, message_id, true)) return;
  db.prepare("DELETE FROM message_blobs WHERE message_id = ?")->bind(1, message_id).step();
  db.prepare("DELETE FROM messages WHERE id = ? AND status = 'staging'")->bind(1, message_id).step();
}

bool sweepStagedRows(Db& db, const std::string& message_id, std::int64_t limit) {
  bool left = false;
  for (const char* sql : {
           "DELETE FROM staged_cases WHERE seq IN (SELECT seq FROM staged_cases WHERE staging_id = ?1 LIMIT ?2)",
           "DELETE FROM staged_events WHERE seq IN (SELECT seq FROM staged_events WHERE staging_id = ?1 LIMIT ?2)",
           "DELETE FROM staged_outbox WHERE seq IN (SELECT seq FROM staged_outbox WHERE staging_id = ?1 LIMIT ?2)"}) {
    db.prepare(sql)->bind(1, message_id).bind(2, limit).step();
    left = left || (limit >= 0 && db.changes() >= limit);
  }
  return left;
}

bool referenceTaken(Db& db, const std::string& partner, const std::string& reference, const std::string& staging_id) {
  auto stmt = db.prepare(
      "SELECT EXISTS (SELECT 1 FROM cases WHERE partner = ?1 AND reference = ?2)"
      " OR EXISTS (SELECT 1 FROM staged_cases WHERE staging_id = ?3 AND ?3 <> '' AND reference = ?2"
      " AND partner = ?1 AND EXISTS (SELECT 1 FROM messages WHERE id = ?3 AND status = 'staging'))");
  stmt->bind(1, partner).bind(2, reference).bind(3, staging_id);
  return stmt->step() && stmt->integer(0) != 0;
}

std::optional<MessageRecord> messageSummaryByKey(Db& db, const std::string& partner, const std::string& key) {
  if (key.empty()) return std::nullopt;
  static const std::string kSql = std::string("SELECT ") + kMessageSummaryColumns +
                                  " FROM messages WHERE partner = ? AND idempotency_key = ? AND idempotency_key <> ''";
  auto stmt = db.prepare(kSql.c_str());
  stmt->bind(1, partner).bind(2, key);
  if (!stmt->step()) return std::nullopt;
  return readMessageSummary(*stmt);
}

std::size_t readMessagePart(Db& db, const std::string& message_id, MessagePart part, std::int64_t offset, char* buffer,
                            std::size_t capacity) {
  if (offset < 0 || !messageRowid(db, message_id, false)) return 0;
  BlobHandle blob = openPart(db, message_id, part);
  if (offset >= blob.size()) return 0;
  const std::size_t n = static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(capacity), blob.size() - offset));
  blob.read(buffer, n, offset);
  return n;
}

std::int64_t messagePartSize(Db& db, const std::string& message_id, MessagePart part) {
  if (!messageRowid(db, message_id, false)) return -1;
  BlobHandle blob = openPart(db, message_id, part);
  return blob.size();
}

}  // namespace swhub::journal::sqlite
