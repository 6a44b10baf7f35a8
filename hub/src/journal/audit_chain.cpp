#include "journal/audit_chain.hpp"

#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "journal/group_committer.hpp"
#include "common/instant.hpp"
#include "common/sha256.hpp"
#include "journal/sqlite_store.hpp"

namespace swhub::journal::sqlite {
namespace {

void storeEventHash(Db& db, std::int64_t seq, std::int64_t position, const std::string& hash) {
  db.prepare("UPDATE case_events SET audit_seq = ?, audit_hash = ? WHERE seq = ?")
      ->bind(1, position)
      .bind(2, hash)
      .bind(3, seq)
      .step();
}

}  // namespace

Actor storedActor(const std::string& text) {
  if (auto actor = common::parseActor(text)) return *actor;
  throw StoreFailure("journal: actor '" + text + "' is not one this hub knows");
}

MessageEntry messageEntry(const MessageRecord& m) {
  return {m.id,     m.partner, m.content_type, m.idempotency_key, m.digest, common::toString(m.received_at),
          std::string(toString(m.status)), m.http_status};
}

EventEntry eventEntry(const CaseEvent& e) {
  return {e.seq,
          e.case_id,
          common::toString(e.at),
          common::toString(e.actor),
          e.kind,
          e.from_state ? std::string(toString(*e.from_state)) : std::string(),
          e.to_state ? std::string(toString(*e.to_state)) : std::string(),
          e.detail_json,
          e.message_id};
}

std::string messageEntryHash(const std::string& prev, std::int64_t position, const MessageEntry& m) {
  common::Sha256 h;
  h.field(prev).field(position).field(kAuditKindMessage).field(m.id);
  h.field(m.partner).field(m.content_type).field(m.idempotency_key).field(m.digest).field(m.received_at);
  h.field(m.status).field(m.http_status);
  return h.hex();
}

EventFields fieldsOf(const EventEntry& e) {
  return {e.seq, e.case_id, e.at, e.actor, e.kind, e.from_state, e.to_state, e.detail_json, e.message_id};
}

std::string eventEntryHash(const std::string& prev, std::int64_t position, const EventEntry& e) {
  return eventFieldsHash(prev, position, fieldsOf(e));
}

std::string eventFieldsHash(std::string_view prev, std::int64_t position, const EventFields& e) {
  common::Sha256 h;
  h.field(prev).field(position).field(kAuditKindEvent).field(e.seq);
  h.field(e.case_id).field(e.at).field(e.actor).field(e.kind).field(e.from_state).field(e.to_state);
  h.field(e.detail_json).field(e.message_id);
  return h.hex();
}

ChainHead loadChainHead(Db& db) {
  auto stmt = db.prepare("SELECT seq, hash FROM audit_head WHERE id = 1");
  ChainHead head;
  if (stmt->step()) {
    head.seq = stmt->integer(0);
    head.hash = stmt->text(1);
  }
  return head;
}

void saveChainHead(Db& db, const ChainHead& head) {
  db.prepare(
        "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?1, ?2)"
        " ON CONFLICT (id) DO UPDATE SET seq = ?1, hash = ?2")
      ->bind(1, head.seq)
      .bind(2, head.hash)
      .step();
}

void chainMessage(Db& db, ChainHead& head, const MessageEntry& m) {
  const std::int64_t position = head.seq + 1;
  std::string hash = messageEntryHash(head.hash, position, m);
  db.prepare("UPDATE messages SET audit_seq = ?, audit_hash = ? WHERE id = ?")
      ->bind(1, position)
      .bind(2, hash)
      .bind(3, m.id)
      .step();
  head.seq = position;
  head.hash = std::move(hash);
}

void chainStoredMessage(Db& db, ChainHead& head, const std::string& id) {
  static const std::string kSql = std::string("SELECT ") + sqlite::kMessageSummaryColumns + " FROM messages WHERE id = ?";
  MessageEntry m;
  {
    auto stmt = db.prepare(kSql.c_str());
    stmt->bind(1, id);
    if (!stmt->step()) throw BatchRejected("journal: no message '" + id + "' to chain");
    m = sqlite::readMessageEntry(*stmt);
  }
  chainMessage(db, head, m);
}

void chainEventsAfter(Db& db, ChainHead& head, std::int64_t after_seq) {
  // Hashes are collected first: the rows are updated after the read statement is done with them.
  std::vector<std::pair<std::int64_t, std::string>> hashes;
  {
    auto stmt = db.prepare(
        "SELECT seq, case_id, at, actor, kind, from_state, to_state, detail_json, message_id FROM case_events"
        " WHERE seq > ? AND audit_seq IS NULL ORDER BY seq");
    stmt->bind(1, after_seq);
    while (stmt->step()) {
      const EventEntry e{stmt->integer(0), stmt->text(1), stmt->text(2), stmt->text(3), stmt->text(4),
                         stmt->text(5),    stmt->text(6), stmt->text(7), stmt->text(8)};
      head.hash = eventEntryHash(head.hash, ++head.seq, e);
      hashes.emplace_back(e.seq, head.hash);
    }
  }
  std::int64_t position = head.seq - static_cast<std::int64_t>(hashes.size());
  for (const auto& [seq, hash] : hashes) storeEventHash(db, seq, ++position, hash);
}

void chainExisting(Db& db) {
  ChainHead head = loadChainHead(db);
  std::vector<MessageEntry> messages;
  {
    static const std::string kSql = std::string("SELECT ") + sqlite::kMessageSummaryColumns +
                                    " FROM messages WHERE audit_seq IS NULL AND status <> 'staging' ORDER BY rowid";
    auto stmt = db.prepare(kSql.c_str());
    while (stmt->step()) messages.push_back(sqlite::readMessageEntry(*stmt));
  }
  for (const auto& m : messages) chainMessage(db, head, m);
  chainEventsAfter(db, head, 0);
  saveChainHead(db, head);
}

}  // namespace swhub::journal::sqlite
