#pragma once
// The journal's hash chain (issue 10, item 2): every message and every case event extends one
// chain, inside the transaction that writes it. Entry n's hash is
//   SHA-256( field(prev) field(n) field(kind) field(id) field(content_1) ... field(content_k) )
// where field(x) is the netstring "<decimal byte length>:<bytes>," and prev is the hash of entry
// n-1 (64 '0's for entry 1), all hashes lowercase hex. kind and content, in this order:
//   "message":    id = messages.id; partner, content_type, idempotency_key, digest, received_at,
//                 status, http_status (decimal)
//   "case_event": id = case_events.seq (decimal); case_id, at, actor, kind, from_state, to_state,
//                 detail_json, message_id
// A message is chained when it is final (at once, or when a staged one is finished); its body is
// covered by its digest (sha256:HEX of the body), which `swhub audit verify` checks too.
// The position (audit_seq) and hash (audit_hash) are columns of each row; audit_head holds the
// last position and hash; audit_checkpoints holds signed heads (audit_checkpoint.hpp).

#include <cstdint>
#include <string>
#include <string_view>

#include "journal/journal.hpp"
#include "journal/sqlite_db.hpp"

namespace swhub::journal::sqlite {

inline constexpr const char* kAuditKindMessage = "message";
inline constexpr const char* kAuditKindEvent = "case_event";
// The hash before the first entry.
inline const std::string kAuditGenesis(64, '0');

struct ChainHead {
  std::int64_t seq = 0;            // position of the last entry; 0 = empty chain
  std::string hash = kAuditGenesis;
};

// The chained columns of a row as the journal stores them (text): an entry's hash covers exactly
// the stored bytes, so `swhub audit verify` checks a row without interpreting it.
struct MessageEntry {
  std::string id, partner, content_type, idempotency_key, digest, received_at, status;
  std::int64_t http_status = 0;
};
struct EventEntry {
  std::int64_t seq = 0;
  std::string case_id, at, actor, kind, from_state, to_state, detail_json, message_id;
};
// The same columns borrowed (from an entry, or from a row until its statement steps again).
struct EventFields {
  std::int64_t seq = 0;
  std::string_view case_id, at, actor, kind, from_state, to_state, detail_json, message_id;
};
EventFields fieldsOf(const EventEntry& e);
// The actor an event's `actor` column names; throws StoreFailure naming the text when it names none
// (a journal edited by hand), as every other typed column does.
Actor storedActor(const std::string& text);
// The columns a record is stored as.
MessageEntry messageEntry(const MessageRecord& m);
EventEntry eventEntry(const CaseEvent& e);

std::string messageEntryHash(const std::string& prev, std::int64_t position, const MessageEntry& m);
std::string eventEntryHash(const std::string& prev, std::int64_t position, const EventEntry& e);
std::string eventFieldsHash(std::string_view prev, std::int64_t position, const EventFields& e);

// The head the last committed (or savepoint-released) write left; the writer's transaction.
ChainHead loadChainHead(Db& db);
void saveChainHead(Db& db, const ChainHead& head);

// Chains the final message row `m` (already written) as the next entry.
void chainMessage(Db& db, ChainHead& head, const MessageEntry& m);
// The same for a message as stored (a staged message when it is finished).
void chainStoredMessage(Db& db, ChainHead& head, const std::string& id);
// Chains, in seq order, every unchained case event with seq > after_seq (rows a statement like
// INSERT ... SELECT wrote in one go).
void chainEventsAfter(Db& db, ChainHead& head, std::int64_t after_seq);
// Chains every row written before the chain existed (the schema-4 migration): messages in the
// order they were written, then case events in seq order.
void chainExisting(Db& db);

}  // namespace swhub::journal::sqlite
