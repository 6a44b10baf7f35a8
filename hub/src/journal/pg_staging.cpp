// Staged messages on PostgreSQL (Journal::beginStaged and after): as sqlite_staging.cpp, with a
// large body or response written as chunks at their offsets (message_chunks) rather than into
// one blob by incremental I/O, which bytea does not have.

#include <algorithm>
#include <cstring>

#include "journal/group_committer.hpp"
#include "journal/pg_schema.hpp"
#include "journal/pg_store.hpp"

namespace swhub::journal::pg {
namespace {

constexpr std::size_t kChunk = 1 << 20;
constexpr std::size_t kEventsPerPipeline = 1000;

const char* partName(MessagePart part) { return part == MessagePart::Body ? "body" : "response"; }

// "staging" / "final" / "" (no such message).
std::string messageStatus(Conn& db, const std::string& id) {
  auto r = db.exec("SELECT status FROM messages WHERE id = $1", Params().text(id));
  if (r.rows() == 0) return "";
  return r.text(0, 0) == "staging" ? "staging" : "final";
}

void deleteStagedRows(Conn& db, const std::string& id) {
  db.pipeline({Query{"DELETE FROM staged_cases WHERE staging_id = $1", Params().text(id)},
               Query{"DELETE FROM staged_events WHERE staging_id = $1", Params().text(id)},
               Query{"DELETE FROM staged_outbox WHERE staging_id = $1", Params().text(id)}});
}

}  // namespace

void insertStagingMessage(Conn& db, const MessageRecord& m, std::int64_t body_size, std::int64_t node) {
  db.pipeline({Query{"INSERT INTO messages (id, partner, content_type, idempotency_key, digest, received_at, body, status,"
                     " response, http_status) VALUES ($1,$2,$3,'',$4,$5,''::bytea,'staging',''::bytea,0)",
                     Params().text(m.id).text(m.partner).text(m.content_type).text(m.digest)
                         .text(common::toString(m.received_at))},
               Query{"INSERT INTO message_parts (message_id, part, size) VALUES ($1, 'body', $2)",
                     Params().text(m.id).integer(body_size)},
               Query{"INSERT INTO staging_nodes (message_id, node) VALUES ($1, $2)",
                     Params().text(m.id).integer(node)}});
}

void writeStagingBody(Conn& db, const std::string& message_id, std::int64_t offset, const std::string& bytes) {
  auto r = db.exec(
      "SELECT p.size FROM message_parts p JOIN messages m ON m.id = p.message_id"
      " WHERE p.message_id = $1 AND p.part = 'body' AND m.status = 'staging'",
      Params().text(message_id));
  if (r.rows() == 0) throw BatchRejected("journal: no staging message '" + message_id + "'");
  const std::int64_t size = r.integer(0, 0);
  if (offset < 0 || offset + static_cast<std::int64_t>(bytes.size()) > size) {
    throw BatchRejected("journal: body bytes " + std::to_string(offset) + "+" + std::to_string(bytes.size()) +
                        " past the staged body of " + std::to_string(size) + " bytes");
  }
  if (bytes.empty()) return;
  db.exec("INSERT INTO message_chunks (message_id, part, off, bytes) VALUES ($1, 'body', $2, $3)"
          " ON CONFLICT (message_id, part, off) DO UPDATE SET bytes = excluded.bytes",
          Params().text(message_id).integer(offset).bytes(bytes));
}

void stageBatch(Conn& db, const std::string& message_id, const WriteBatch& batch) {
  // Declaration links go with the message's last batch (finishStaged): never staged.
  if (batch.message || !batch.case_updates.empty() || !batch.declaration_links.empty()) {
    throw BatchRejected("journal: a staged batch holds new cases, events and outbox items only");
  }
  if (messageStatus(db, message_id) != "staging") throw BatchRejected("journal: no staging message '" + message_id + "'");
  std::vector<Query> writes;
  for (const auto& c : batch.new_cases) {
    writes.push_back(Query{
        "INSERT INTO staged_cases (staging_id, id, partner, reference, filing, state, version, consignment_json,"
        " message_id, created_at, updated_at, status_json) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
        Params().text(message_id).text(c.id).text(c.partner).text(c.reference).text(c.filing).text(toString(c.state))
            .integer(c.version).text(c.consignment_json).text(c.message_id).text(common::toString(c.created_at))
            .text(common::toString(c.updated_at)).text(c.status_json.empty() ? std::string("{}") : c.status_json)});
  }
  for (const auto& event : batch.events) {
    const EventEntry e = sqlite::eventEntry(event);
    writes.push_back(Query{
        "INSERT INTO staged_events (staging_id, case_id, at, actor, kind, from_state, to_state, detail_json,"
        " message_id) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)",
        Params().text(message_id).text(e.case_id).text(e.at).text(e.actor).text(e.kind).text(e.from_state)
            .text(e.to_state).text(e.detail_json.empty() ? std::string("{}") : e.detail_json).text(e.message_id)});
  }
  for (const auto& o : batch.outbox) {
    writes.push_back(Query{
        "INSERT INTO staged_outbox (staging_id, id, channel, recipient, case_id, content_type, body, attempts,"
        " state, next_attempt_at, last_error, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
        Params().text(message_id).text(o.id).text(toString(o.channel)).text(o.recipient).text(o.case_id)
            .text(o.content_type).bytes(o.body).integer(o.attempts).text(toString(o.state))
            .text(optionalText(o.next_attempt_at)).text(o.last_error).text(common::toString(o.created_at))});
  }
  db.pipeline(writes);
}

CommitResult finishStaging(Conn& db, const MessageRecord& m, BlobSource& response, const WriteBatch& batch) {
  if (batch.message) throw BatchRejected("journal: finishStaged takes the message apart from the batch");
  ChainHead head = lockChainHead(db);
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
  if (m.status == MessageStatus::Accepted) {
    auto r = db.exec(
        "SELECT s.reference FROM staged_cases s WHERE s.staging_id = $1 AND EXISTS (SELECT 1 FROM cases c"
        " WHERE c.partner = s.partner AND c.reference = s.reference AND c.duplicate_of = '') ORDER BY s.seq",
        Params().text(m.id));
    std::vector<std::string> taken;
    for (int i = 0; i < r.rows(); ++i) taken.push_back(r.text(i, 0));
    if (!taken.empty()) return referencesTaken(std::move(taken));
  }
  const bool streamed = response.size > 0;
  {
    auto r = db.exec(
        "UPDATE messages SET idempotency_key = $1, status = $2, response = CASE WHEN $3::bigint > 0 THEN ''::bytea ELSE $4 END,"
        " http_status = $5 WHERE id = $6 AND status = 'staging' RETURNING " + std::string(kMessageSummaryColumns),
        Params().text(m.idempotency_key).text(toString(m.status)).integer(response.size).bytes(m.response).integer(m.http_status)
            .text(m.id));
    if (r.rows() != 1) throw BatchRejected("journal: no staging message '" + m.id + "'");
    // The message is final now: the chain's next entry.
    const MessageEntry stored = readMessageEntry(r, 0);
    const std::int64_t position = head.seq + 1;
    std::string hash = sqlite::messageEntryHash(head.hash, position, stored);
    db.exec("UPDATE messages SET audit_seq = $1, audit_hash = $2 WHERE id = $3",
            Params().integer(position).text(hash).text(m.id));
    head.seq = position;
    head.hash = std::move(hash);
  }
  db.exec("DELETE FROM staging_nodes WHERE message_id = $1", Params().text(m.id));
  if (streamed) {
    db.exec("INSERT INTO message_parts (message_id, part, size) VALUES ($1, 'response', $2)",
            Params().text(m.id).integer(response.size));
    std::string buffer(kChunk, '\0');
    std::int64_t offset = 0;
    while (offset < response.size) {
      const std::size_t want = static_cast<std::size_t>(std::min<std::int64_t>(kChunk, response.size - offset));
      const std::size_t got = response.read ? response.read(buffer.data(), want) : 0;
      if (got == 0) throw BatchRejected("journal: the response source ended at byte " + std::to_string(offset));
      db.exec("INSERT INTO message_chunks (message_id, part, off, bytes) VALUES ($1, 'response', $2, $3)",
              Params().text(m.id).integer(offset).bytes(std::string_view(buffer.data(), got)));
      offset += static_cast<std::int64_t>(got);
    }
  }
  if (m.status != MessageStatus::Accepted) {
    saveChainHead(db, head);
    deleteStagedRows(db, m.id);
    return {};
  }
  db.exec(
      "INSERT INTO cases (id, partner, reference, filing, state, version, consignment_json, message_id, created_at,"
      " updated_at, status_json, seller_id, buyer_id) SELECT id, partner, reference, filing, state, version,"
      " consignment_json, message_id, created_at, updated_at, status_json,"
      " consignment_json::jsonb #>> '{parties,seller,id}', consignment_json::jsonb #>> '{parties,buyer,id}'"
      " FROM staged_cases WHERE staging_id = $1 ORDER BY seq",
      Params().text(m.id));
  // Events in pages: each written once with its seq, chain position and hash.
  for (std::int64_t after = 0;;) {
    auto staged = db.exec(
        "SELECT seq, case_id, at, actor, kind, from_state, to_state, detail_json, message_id FROM staged_events"
        " WHERE staging_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
        Params().text(m.id).integer(after).integer(static_cast<std::int64_t>(kEventsPerPipeline)));
    if (staged.rows() == 0) break;
    const auto seqs = nextEventSeqs(db, static_cast<std::size_t>(staged.rows()));
    std::vector<Query> writes;
    for (int i = 0; i < staged.rows(); ++i) {
      const EventEntry e{0, staged.text(i, 1), staged.text(i, 2), staged.text(i, 3), staged.text(i, 4),
                         staged.text(i, 5), staged.text(i, 6), staged.text(i, 7), staged.text(i, 8)};
      writes.push_back(eventInsert(head, seqs[static_cast<std::size_t>(i)], e));
    }
    db.pipeline(writes);
    after = staged.integer(staged.rows() - 1, 0);
    if (staged.rows() < static_cast<int>(kEventsPerPipeline)) break;
  }
  saveChainHead(db, head);
  db.exec(
      "INSERT INTO outbox (id, channel, recipient, case_id, content_type, body, attempts, state, next_attempt_at,"
      " last_error, created_at) SELECT id, channel, recipient, case_id, content_type, body, attempts, state,"
      " next_attempt_at, last_error, created_at FROM staged_outbox WHERE staging_id = $1 ORDER BY seq",
      Params().text(m.id));
  deleteStagedRows(db, m.id);
  return applyBatch(db, batch);
}

void dropStaging(Conn& db, const std::string& message_id) {
  if (message_id.empty()) {
    // Staging messages of nodes that are not alive (their session lock is free), or of none.
    auto r = db.exec(
        "SELECT m.id FROM messages m LEFT JOIN staging_nodes s ON s.message_id = m.id WHERE m.status = 'staging'"
        " AND (s.node IS NULL OR s.node NOT IN (SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory'"
        " AND classid = " + std::to_string(kNodeLockClass) + " AND objsubid = 2 AND granted AND database ="
        " (SELECT oid FROM pg_database WHERE datname = current_database())))");
    for (int i = 0; i < r.rows(); ++i) dropStaging(db, r.text(i, 0));
    return;
  }
  deleteStagedRows(db, message_id);
  if (messageStatus(db, message_id) != "staging") return;
  db.pipeline({Query{"DELETE FROM message_chunks WHERE message_id = $1", Params().text(message_id)},
               Query{"DELETE FROM message_parts WHERE message_id = $1", Params().text(message_id)},
               Query{"DELETE FROM staging_nodes WHERE message_id = $1", Params().text(message_id)},
               Query{"DELETE FROM messages WHERE id = $1 AND status = 'staging'", Params().text(message_id)}});
}

bool referenceTaken(Conn& db, const std::string& partner, const std::string& reference, const std::string& staging_id) {
  auto r = db.exec(
      "SELECT EXISTS (SELECT 1 FROM cases WHERE partner = $1 AND reference = $2)"
      " OR EXISTS (SELECT 1 FROM staged_cases WHERE staging_id = $3 AND $3 <> '' AND reference = $2 AND partner = $1)",
      Params().text(partner).text(reference).text(staging_id));
  return r.text(0, 0) == "t";
}

std::int64_t messagePartSize(Conn& db, const std::string& message_id, MessagePart part) {
  auto r = db.exec(std::string("SELECT coalesce((SELECT size FROM message_parts p WHERE p.message_id = m.id AND p.part = $2),"
                               " octet_length(") + partName(part) + ")) FROM messages m WHERE id = $1 AND status <> 'staging'",
                   Params().text(message_id).text(partName(part)));
  return r.rows() == 0 ? -1 : r.integer(0, 0);
}

std::size_t readMessagePart(Conn& db, const std::string& message_id, MessagePart part, std::int64_t offset,
                            char* buffer, std::size_t capacity) {
  if (offset < 0 || capacity == 0) return 0;
  const std::int64_t size = messagePartSize(db, message_id, part);
  if (size < 0 || offset >= size) return 0;
  const std::size_t n = static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(capacity), size - offset));
  auto parts = db.exec("SELECT 1 FROM message_parts WHERE message_id = $1 AND part = $2",
                       Params().text(message_id).text(partName(part)));
  if (parts.rows() == 0) {
    auto r = db.exec(std::string("SELECT substring(") + partName(part) + " FROM $2::bigint + 1 FOR $3::bigint) FROM messages WHERE id = $1",
                     Params().text(message_id).integer(offset).integer(static_cast<std::int64_t>(n)));
    const std::string bytes = r.bytes(0, 0);
    std::memcpy(buffer, bytes.data(), std::min(n, bytes.size()));
    return n;
  }
  // Chunks overlapping [offset, offset + n); bytes never written are zeros.
  std::memset(buffer, 0, n);
  auto r = db.exec(
      "SELECT off, bytes FROM message_chunks WHERE message_id = $1 AND part = $2 AND off < $3::bigint + $4::bigint"
      " AND off + octet_length(bytes) > $3::bigint ORDER BY off",
      Params().text(message_id).text(partName(part)).integer(offset).integer(static_cast<std::int64_t>(n)));
  for (int i = 0; i < r.rows(); ++i) {
    const std::int64_t off = r.integer(i, 0);
    const std::string bytes = r.bytes(i, 1);
    const std::int64_t from = std::max(off, offset);
    const std::int64_t to = std::min(off + static_cast<std::int64_t>(bytes.size()), offset + static_cast<std::int64_t>(n));
    if (to > from) std::memcpy(buffer + (from - offset), bytes.data() + (from - off), static_cast<std::size_t>(to - from));
  }
  return n;
}

}  // namespace swhub::journal::pg
