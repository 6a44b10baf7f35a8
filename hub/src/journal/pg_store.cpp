#include "journal/pg_store.hpp"

#include <algorithm>
#include <stdexcept>
#include <unordered_set>

#include "common/actor.hpp"
#include "common/ids.hpp"
#include "journal/group_committer.hpp"
#include "journal/pg_stats.hpp"

namespace swhub::journal::pg {
namespace {

CommitResult refused(CommitResult::Status status, std::string error) {
  CommitResult result;
  result.status = status;
  result.error = std::move(error);
  return result;
}

MessageRecord readMessage(const Result& r, int row) {
  MessageRecord m = readMessageSummary(r, row);
  m.body = r.bytes(row, 8);
  m.response = r.bytes(row, 9);
  return m;
}

CaseEvent readEvent(const Result& r, int row) {
  CaseEvent e;
  e.seq = r.integer(row, 0);
  e.case_id = r.text(row, 1);
  e.at = instantText(r.text(row, 2));
  e.actor = sqlite::storedActor(r.text(row, 3));
  e.kind = r.text(row, 4);
  e.from_state = stateText(r.text(row, 5));
  e.to_state = stateText(r.text(row, 6));
  e.detail_json = r.text(row, 7);
  e.message_id = r.text(row, 8);
  return e;
}

// The body and response of a message, from message_chunks when it was written in pieces.
constexpr const char* kMessageColumns =
    "id, partner, content_type, idempotency_key, digest, received_at, status, http_status,"
    " CASE WHEN EXISTS (SELECT 1 FROM message_parts p WHERE p.message_id = m.id AND p.part = 'body')"
    "  THEN (SELECT coalesce(string_agg(c.bytes, ''::bytea ORDER BY c.off), ''::bytea) FROM message_chunks c"
    "        WHERE c.message_id = m.id AND c.part = 'body') ELSE body END,"
    " CASE WHEN EXISTS (SELECT 1 FROM message_parts p WHERE p.message_id = m.id AND p.part = 'response')"
    "  THEN (SELECT coalesce(string_agg(c.bytes, ''::bytea ORDER BY c.off), ''::bytea) FROM message_chunks c"
    "        WHERE c.message_id = m.id AND c.part = 'response') ELSE response END";

void insertMessage(Conn& db, ChainHead& head, const MessageRecord& m) {
  const std::int64_t position = head.seq + 1;
  const MessageEntry entry = sqlite::messageEntry(m);
  std::string hash = sqlite::messageEntryHash(head.hash, position, entry);
  db.exec(
      "INSERT INTO messages (id, partner, content_type, idempotency_key, digest, received_at, body, status, response,"
      " http_status, audit_seq, audit_hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)",
      Params().text(m.id).text(m.partner).text(m.content_type).text(m.idempotency_key).text(m.digest)
          .text(entry.received_at).bytes(m.body).text(entry.status).bytes(m.response).integer(m.http_status)
          .integer(position).text(hash));
  head.seq = position;
  head.hash = std::move(hash);
}

Query caseInsert(const CaseRecord& c) {
  return Query{
      "INSERT INTO cases (id, partner, reference, filing, state, version, consignment_json, message_id, created_at,"
      " updated_at, status_json, seller_id, buyer_id) VALUES ($1,$2,$3,$4,$5,$6,$7::text,$8,$9,$10,$11,"
      " $7::text::jsonb #>> '{parties,seller,id}', $7::text::jsonb #>> '{parties,buyer,id}')",
      Params().text(c.id).text(c.partner).text(c.reference).text(c.filing).text(toString(c.state)).integer(c.version)
          .text(c.consignment_json).text(c.message_id).text(common::toString(c.created_at))
          .text(common::toString(c.updated_at)).text(c.status_json.empty() ? std::string("{}") : c.status_json)};
}

bool updateCase(Conn& db, const CaseUpdate& u) {
  auto r = db.exec(
      "UPDATE cases SET version = $1::int + 1,"
      " state = CASE WHEN $2 = '' THEN state ELSE $2 END,"
      " filing = CASE WHEN $3 = '' THEN filing ELSE $3 END,"
      " consignment_json = CASE WHEN $4::text = '' THEN consignment_json ELSE $4::text END,"
      " seller_id = CASE WHEN $4::text = '' THEN seller_id ELSE $4::text::jsonb #>> '{parties,seller,id}' END,"
      " buyer_id = CASE WHEN $4::text = '' THEN buyer_id ELSE $4::text::jsonb #>> '{parties,buyer,id}' END,"
      " updated_at = CASE WHEN $5 = '' THEN updated_at ELSE $5 END,"
      " status_json = CASE WHEN $7 = '' THEN status_json ELSE $7 END"
      " WHERE id = $6 AND version = $1::int",
      Params().integer(u.expected_version).text(u.state ? toString(*u.state) : std::string_view()).text(u.filing)
          .text(u.consignment_json).text(optionalText(u.updated_at)).text(u.id).text(u.status_json));
  return r.affected() == 1;
}

Query outboxInsert(const OutboxItem& o) {
  return Query{
      "INSERT INTO outbox (id, channel, recipient, case_id, content_type, body, attempts, state, next_attempt_at,"
      " last_error, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
      Params().text(o.id).text(toString(o.channel)).text(o.recipient).text(o.case_id).text(o.content_type).bytes(o.body)
          .integer(o.attempts).text(toString(o.state)).text(optionalText(o.next_attempt_at)).text(o.last_error)
          .text(common::toString(o.created_at))};
}

Query headSave(const ChainHead& head) {
  return Query{"UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", Params().integer(head.seq).text(head.hash)};
}

}  // namespace

MessageRecord readMessageSummary(const Result& r, int row, int first) {
  MessageRecord m;
  m.id = r.text(row, first);
  m.partner = r.text(row, first + 1);
  m.content_type = r.text(row, first + 2);
  m.idempotency_key = r.text(row, first + 3);
  m.digest = r.text(row, first + 4);
  m.received_at = instantText(r.text(row, first + 5));
  m.status = enumText(kMessageStatusNames, r.text(row, first + 6), "message status");
  m.http_status = static_cast<int>(r.integer(row, first + 7));
  return m;
}

MessageEntry readMessageEntry(const Result& r, int row, int first) {
  return {r.text(row, first),     r.text(row, first + 1), r.text(row, first + 2), r.text(row, first + 3),
          r.text(row, first + 4), r.text(row, first + 5), r.text(row, first + 6), r.integer(row, first + 7)};
}

CaseRecord readCase(const Result& r, int row) {
  CaseRecord c;
  c.id = r.text(row, 0);
  c.partner = r.text(row, 1);
  c.reference = r.text(row, 2);
  c.filing = r.text(row, 3);
  c.state = enumText(common::kCaseStateNames, r.text(row, 4), "case state");
  c.version = static_cast<int>(r.integer(row, 5));
  c.consignment_json = r.text(row, 6);
  c.message_id = r.text(row, 7);
  c.created_at = instantText(r.text(row, 8));
  c.updated_at = instantText(r.text(row, 9));
  c.status_json = r.text(row, 10);
  return c;
}

OutboxItem readOutbox(const Result& r, int row) {
  OutboxItem o;
  o.seq = r.integer(row, 0);
  o.id = r.text(row, 1);
  o.channel = enumText(kChannelNames, r.text(row, 2), "outbox channel");
  o.recipient = r.text(row, 3);
  o.case_id = r.text(row, 4);
  o.content_type = r.text(row, 5);
  o.body = r.bytes(row, 6);
  o.attempts = static_cast<int>(r.integer(row, 7));
  o.state = enumText(kOutboxStateNames, r.text(row, 8), "outbox state");
  if (!r.text(row, 9).empty()) o.next_attempt_at = instantText(r.text(row, 9));
  o.last_error = r.text(row, 10);
  o.created_at = instantText(r.text(row, 11));
  o.batch = r.text(row, 12);
  return o;
}

std::vector<OutboxItem> readOutboxRows(const Result& r) {
  std::vector<OutboxItem> items;
  items.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) items.push_back(readOutbox(r, i));
  return items;
}

ChainHead lockChainHead(Conn& db) {
  auto r = db.exec("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE");
  ChainHead head;
  if (r.rows() == 1) {
    head.seq = r.integer(0, 0);
    head.hash = r.text(0, 1);
  }
  return head;
}

void saveChainHead(Conn& db, const ChainHead& head) {
  const Query q = headSave(head);
  db.exec(q.sql, q.params);
}

std::vector<std::int64_t> nextEventSeqs(Conn& db, std::size_t count) {
  std::vector<std::int64_t> seqs;
  if (count == 0) return seqs;
  auto r = db.exec("SELECT nextval('case_events_seq_seq') FROM generate_series(1, $1)",
                   Params().integer(static_cast<std::int64_t>(count)));
  for (int i = 0; i < r.rows(); ++i) seqs.push_back(r.integer(i, 0));
  std::sort(seqs.begin(), seqs.end());
  return seqs;
}

Query eventInsert(ChainHead& head, std::int64_t seq, EventEntry stored) {
  stored.seq = seq;
  if (stored.detail_json.empty()) stored.detail_json = "{}";
  const std::int64_t position = head.seq + 1;
  std::string hash = sqlite::eventEntryHash(head.hash, position, stored);
  Query q{
      "INSERT INTO case_events (seq, case_id, at, actor, kind, from_state, to_state, detail_json, message_id,"
      " audit_seq, audit_hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)",
      Params().integer(seq).text(stored.case_id).text(stored.at).text(stored.actor).text(stored.kind)
          .text(stored.from_state).text(stored.to_state).text(stored.detail_json).text(stored.message_id)
          .integer(position).text(hash)};
  head.seq = position;
  head.hash = std::move(hash);
  return q;
}

CommitResult referencesTaken(std::vector<std::string> references) {
  CommitResult result;
  result.status = CommitResult::Status::ReferenceTaken;
  for (const auto& reference : references) result.error += (result.error.empty() ? "" : ", ") + ("'" + reference + "'");
  result.error = "reference(s) already filed: " + result.error;
  result.taken_references = std::move(references);
  return result;
}

CommitResult applyBatch(Conn& db, const WriteBatch& batch, bool write_stats) {
  const bool chained = batch.message || !batch.events.empty();
  // The head's lock first, before any other row of the batch: writers that extend the chain or
  // add outbox items (whose seqs must follow commit order) take turns on it, across nodes.
  ChainHead head = chained || !batch.outbox.empty() ? lockChainHead(db) : ChainHead{};
  if (batch.message) {
    const MessageRecord& m = *batch.message;
    // Writers take turns on the chain's head, so this look sees every committed key; the unique
    // index (messages_idempotency) would refuse a second one all the same.
    if (!m.idempotency_key.empty()) {
      if (auto existing = messageByKey(db, m.partner, m.idempotency_key)) {
        if (existing->digest == m.digest) {
          CommitResult result;
          result.status = CommitResult::Status::Duplicate;
          result.existing = std::move(existing);
          return result;
        }
        return refused(CommitResult::Status::Conflict,
                       "idempotency key '" + m.idempotency_key + "' of partner '" + m.partner +
                           "' was already used for another body (" + existing->digest + ")");
      }
    }
    insertMessage(db, head, m);
  }
  std::vector<Query> writes;
  if (!batch.new_cases.empty()) {
    // One look for every reference of the batch (a manifest has thousands).
    std::string list = "{";
    for (const auto& c : batch.new_cases) {
      if (list.size() > 1) list += ',';
      list += '"';
      for (char ch : c.reference) {
        if (ch == '"' || ch == '\\') list += '\\';
        list += ch;
      }
      list += '"';
    }
    list += '}';
    auto r = db.exec("SELECT partner || chr(31) || reference FROM cases WHERE duplicate_of = '' AND reference = ANY ($1::text[])",
                     Params().text(list));
    std::unordered_set<std::string> held;
    for (int i = 0; i < r.rows(); ++i) held.insert(r.text(i, 0));
    std::vector<std::string> taken;
    for (const auto& c : batch.new_cases) {
      // Taken before, or by an earlier case of this batch.
      const std::string key = c.partner + '\x1f' + c.reference;
      if (!held.insert(key).second) {
        taken.push_back(c.reference);
      } else {
        writes.push_back(caseInsert(c));
      }
    }
    if (!taken.empty()) return referencesTaken(std::move(taken));
    db.pipeline(writes);
    writes.clear();
  }
  for (const auto& u : batch.case_updates) {
    if (!updateCase(db, u)) {
      auto stored = caseById(db, u.id);
      return refused(CommitResult::Status::Stale,
                     stored ? "case '" + u.id + "' is at version " + std::to_string(stored->version) + ", not " +
                                  std::to_string(u.expected_version)
                            : "case '" + u.id + "' does not exist");
    }
  }
  if (!batch.licence_changes.empty()) {
    if (auto short_of = applyLicenceChanges(db, batch.licence_changes, common::nowRfc3339())) {
      return refused(CommitResult::Status::Stale, *short_of);
    }
  }
  // A racing message linked the same case or month since this one was checked: stale, so that the
  // filer is told to send it again (and is then refused with the reason).
  if (auto conflict = insertDeclarationLinks(db, batch.declaration_links)) {
    return refused(CommitResult::Status::Stale, *conflict);
  }
  if (auto held = insertDocuments(db, batch.documents)) return refused(CommitResult::Status::Duplicate, *held);
  // Events, outbox items and the head: sent at once (pipeline mode), one round trip.
  const auto seqs = nextEventSeqs(db, batch.events.size());
  for (std::size_t i = 0; i < batch.events.size(); ++i) {
    writes.push_back(eventInsert(head, seqs[i], sqlite::eventEntry(batch.events[i])));
  }
  for (const auto& o : batch.outbox) writes.push_back(outboxInsert(o));
  for (const auto& c : batch.completions) {
    writes.push_back(outboxCompletion(c.seq, c.owner, c.state, c.next_attempt_at, c.last_error, ""));
  }
  if (write_stats) {
    for (auto& q : statDeltaWrites(batch.stats)) writes.push_back(std::move(q));
  }
  if (chained) writes.push_back(headSave(head));
  db.pipeline(writes);
  return {};
}

std::optional<MessageRecord> messageByKey(Conn& db, const std::string& partner, const std::string& key) {
  if (key.empty()) return std::nullopt;
  auto r = db.exec(std::string("SELECT ") + kMessageColumns +
                       " FROM messages m WHERE partner = $1 AND idempotency_key = $2 AND idempotency_key <> ''",
                   Params().text(partner).text(key));
  if (r.rows() == 0) return std::nullopt;
  return readMessage(r, 0);
}

std::optional<MessageRecord> messageById(Conn& db, const std::string& id) {
  auto r = db.exec(std::string("SELECT ") + kMessageColumns + " FROM messages m WHERE id = $1 AND status <> 'staging'",
                   Params().text(id));
  if (r.rows() == 0) return std::nullopt;
  return readMessage(r, 0);
}

std::optional<MessageRecord> messageSummaryByKey(Conn& db, const std::string& partner, const std::string& key) {
  if (key.empty()) return std::nullopt;
  auto r = db.exec(std::string("SELECT ") + kMessageSummaryColumns +
                       " FROM messages WHERE partner = $1 AND idempotency_key = $2 AND idempotency_key <> ''",
                   Params().text(partner).text(key));
  if (r.rows() == 0) return std::nullopt;
  return readMessageSummary(r, 0);
}

std::optional<CaseRecord> caseById(Conn& db, const std::string& id) {
  auto r = db.exec(std::string("SELECT ") + kCaseColumns + " FROM cases WHERE id = $1", Params().text(id));
  if (r.rows() == 0) return std::nullopt;
  return readCase(r, 0);
}

std::vector<std::pair<std::int64_t, CaseRecord>> casesFiledPage(Conn& db, Instant from, Instant to,
                                                                std::int64_t after, std::size_t limit) {
  auto r = db.exec(std::string("SELECT ") + kCaseColumns +
                       ", written FROM cases WHERE written > $1 AND created_at >= $2 AND created_at < $3"
                       " AND duplicate_of = '' ORDER BY written LIMIT $4",
                   Params().integer(after).text(common::toString(from)).text(common::toString(to)).integer(
                       static_cast<std::int64_t>(limit)));
  std::vector<std::pair<std::int64_t, CaseRecord>> page;
  for (int i = 0; i < r.rows(); ++i) page.emplace_back(r.integer(i, 11), readCase(r, i));
  return page;
}

std::vector<CaseRecord> searchCases(Conn& db, const CaseQuery& asked) {
  CaseQuery query = asked;
  if (!query.agency.empty()) {
    auto share = db.exec(agencyShareSql("$1"), Params().text("agency:" + query.agency));
    query.agency_plan = agencyPlan(share.integer(0, 0), share.integer(0, 1));
  }
  const CaseQuerySql sql = caseQuerySql(query, [](std::size_t n) { return "$" + std::to_string(n); });
  Params params;
  for (const auto& value : sql.params) params.text(value);
  auto r = db.exec(std::string("SELECT ") + kCaseSummaryColumns + " FROM cases WHERE " + sql.where + kCaseSearchOrder +
                       " LIMIT " + std::to_string(query.limit),
                   params);
  std::vector<CaseRecord> cases;
  for (int i = 0; i < r.rows(); ++i) cases.push_back(readCase(r, i));
  return cases;
}

std::vector<CaseRecord> casesByReference(Conn& db, const std::string& partner, const std::string& reference) {
  auto r = db.exec(std::string("SELECT ") + kCaseColumns +
                       " FROM cases WHERE partner = $1 AND reference = $2 ORDER BY duplicate_of = '', created_at, id",
                   Params().text(partner).text(reference));
  std::vector<CaseRecord> cases;
  for (int i = 0; i < r.rows(); ++i) cases.push_back(readCase(r, i));
  return cases;
}

std::vector<CaseEvent> eventsOfCase(Conn& db, const std::string& case_id) {
  auto r = db.exec(
      "SELECT seq, case_id, at, actor, kind, from_state, to_state, detail_json, message_id FROM case_events"
      " WHERE case_id = $1 ORDER BY seq",
      Params().text(case_id));
  std::vector<CaseEvent> events;
  for (int i = 0; i < r.rows(); ++i) events.push_back(readEvent(r, i));
  return events;
}

PartyHistory partyHistory(Conn& db, const std::string& role, const std::string& id, const std::string& before_case) {
  if (role != "seller" && role != "buyer") throw std::invalid_argument("partyHistory: no index for role '" + role + "'");
  // As in SQLite (sqlite::partyHistorySql): from the case's ordinal with the party and its
  // totals, counting only the departures and the held cases that came after the case.
  auto r = db.exec("SELECT x.o - (t.joined - t.cases) + (SELECT count(*) FROM party_departures d WHERE d.role = '" +
                       role + "' AND d.id = $1 AND d.ord >= x.o), t.held - (SELECT count(*) FROM cases h WHERE h." + role +
                       "_id = $1 AND h." + role + "_ord >= x.o AND h.state IN ('held', 'rejected'))"
                       " FROM party_totals t, (SELECT CASE WHEN c." + role + "_id IS NOT DISTINCT FROM $1 THEN c." + role +
                       "_ord ELSE (SELECT joined FROM party_totals WHERE role = '" + role + "' AND id = $1) END AS o"
                       " FROM cases c WHERE c.id = $2) x WHERE t.role = '" + role + "' AND t.id = $1",
                   Params().text(id).text(before_case));
  PartyHistory history;
  if (r.rows() == 1) {
    history.cases = r.integer(0, 0);
    history.held = r.integer(0, 1);
  }
  return history;
}

std::vector<OutboxItem> outboxAfter(Conn& db, const std::string& recipient, Channel channel,
                                    std::int64_t after_seq, std::size_t limit) {
  return readOutboxRows(db.exec(std::string("SELECT ") + kOutboxColumns +
                                    " FROM outbox WHERE recipient = $1 AND channel = $2 AND seq > $3 ORDER BY seq LIMIT $4",
                                Params().text(recipient).text(toString(channel)).integer(after_seq).integer(
                                    static_cast<std::int64_t>(limit))));
}

std::vector<OutboxItem> claimOutbox(Conn& db, Channel channel, const std::string& owner,
                                    std::size_t limit, const std::string& now_text, std::int64_t now_ms,
                                    std::int64_t lease_until_ms, const std::vector<std::string>& skip) {
  std::string list = "{";
  for (const auto& recipient : skip) {
    if (list.size() > 1) list += ',';
    list += '"';
    for (char ch : recipient) {
      if (ch == '"' || ch == '\\') list += '\\';
      list += ch;
    }
    list += '"';
  }
  list += '}';
  // The order rule of SQLite's claim (Journal::claimOutbox); the rows are locked as they are
  // picked, and a row another node is claiming right now is passed over (SKIP LOCKED) rather
  // than waited for: it is that node's.
  auto r = db.exec(
      std::string("UPDATE outbox SET lease_owner = $1, lease_until = $2 WHERE seq IN ("
                  " SELECT o.seq FROM outbox o"
                  " WHERE o.channel = $3 AND o.state = 'pending' AND o.next_attempt_at <= $4"
                  " AND o.lease_until <= $5 AND NOT (o.recipient = ANY ($7::text[]))"
                  " AND NOT EXISTS ("
                  "  SELECT 1 FROM outbox p WHERE p.state = 'pending' AND p.recipient = o.recipient"
                  "  AND p.case_id = o.case_id AND p.seq < o.seq"
                  "  AND NOT (p.channel = $3 AND p.next_attempt_at <= $4 AND p.lease_until <= $5))"
                  " ORDER BY o.seq LIMIT $6 FOR UPDATE SKIP LOCKED)"
                  " RETURNING ") + kOutboxColumns,
      Params().text(owner).integer(lease_until_ms).text(toString(channel)).text(now_text).integer(now_ms).integer(
          static_cast<std::int64_t>(limit)).text(list));
  auto items = readOutboxRows(r);
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
  return items;
}

Query outboxCompletion(std::int64_t seq, const std::string& owner, OutboxState state,
                       std::optional<Instant> next_attempt_at, const std::string& last_error, const std::string& batch) {
  return {"UPDATE outbox SET state = $1, attempts = attempts + 1,"
          " next_attempt_at = CASE WHEN $2 = '' THEN next_attempt_at ELSE $2 END,"
          " last_error = $3, lease_owner = '', lease_until = 0, batch = $6"
          " WHERE seq = $4 AND lease_owner = $5 AND $5 <> '' AND state = 'pending'",
          Params().text(toString(state)).text(optionalText(next_attempt_at)).text(last_error).integer(seq).text(owner)
              .text(batch)};
}

bool completeOutbox(Conn& db, std::int64_t seq, const std::string& owner, OutboxState state,
                    std::optional<Instant> next_attempt_at, const std::string& last_error, const std::string& batch) {
  const Query q = outboxCompletion(seq, owner, state, next_attempt_at, last_error, batch);
  return db.exec(q.sql, q.params).affected() == 1;
}

bool releaseOutbox(Conn& db, std::int64_t seq, const std::string& owner, std::optional<Instant> next_attempt_at) {
  auto r = db.exec(
      "UPDATE outbox SET next_attempt_at = CASE WHEN $1 = '' THEN next_attempt_at ELSE $1 END,"
      " lease_owner = '', lease_until = 0 WHERE seq = $2 AND lease_owner = $3 AND $3 <> '' AND state = 'pending'",
      Params().text(optionalText(next_attempt_at)).integer(seq).text(owner));
  return r.affected() == 1;
}

std::optional<OutboxItem> outboxItem(Conn& db, std::int64_t seq) {
  auto r = db.exec(std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE seq = $1", Params().integer(seq));
  if (r.rows() == 0) return std::nullopt;
  return readOutbox(r, 0);
}

std::vector<OutboxItem> deadLetters(Conn& db, std::int64_t after_seq, std::size_t limit) {
  return readOutboxRows(db.exec(std::string("SELECT ") + kOutboxColumns +
                                    " FROM outbox WHERE state = 'dead' AND seq > $1 ORDER BY seq LIMIT $2",
                                Params().integer(after_seq).integer(static_cast<std::int64_t>(limit))));
}

std::vector<OutboxItem> outboxForCase(Conn& db, const std::string& case_id) {
  return readOutboxRows(db.exec(std::string("SELECT ") + kOutboxColumns + " FROM outbox WHERE case_id = $1 ORDER BY seq",
                                Params().text(case_id)));
}

std::size_t replayDead(Conn& db, std::int64_t seq, const std::string& now_text) {
  auto r = db.exec(
      "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $1, lease_owner = '', lease_until = 0"
      " WHERE state = 'dead' AND ($2::bigint < 0 OR seq = $2::bigint)",
      Params().text(now_text).integer(seq));
  return static_cast<std::size_t>(r.affected());
}

bool deadLetterPulled(Conn& db, std::int64_t seq, const std::string& reason) {
  auto r = db.exec("UPDATE outbox SET state = 'dead', last_error = $2 WHERE seq = $1 AND state = 'pull'",
                   Params().integer(seq).text(reason));
  if (r.affected() != 1) return false;
  db.exec("INSERT INTO pull_dead_letters (seq) VALUES ($1) ON CONFLICT DO NOTHING", Params().integer(seq));
  return true;
}

std::size_t replayPulledDead(Conn& db, std::int64_t seq) {
  lockChainHead(db);  // fresh seqs: in commit order, as for new outbox items
  auto dead = db.exec(
      "SELECT d.seq FROM pull_dead_letters d JOIN outbox o ON o.seq = d.seq"
      " WHERE o.state = 'dead' AND ($1::bigint < 0 OR d.seq = $1::bigint) ORDER BY d.seq",
      Params().integer(seq));
  for (int i = 0; i < dead.rows(); ++i) {
    const std::int64_t old = dead.integer(i, 0);
    // A fresh seq past every one handed out: the partner, whose cursor is past the old one, reads it again.
    db.exec("UPDATE outbox SET state = 'pull', attempts = 0, lease_owner = '', lease_until = 0,"
            " seq = nextval('outbox_seq_seq') WHERE seq = $1",
            Params().integer(old));
    db.exec("DELETE FROM pull_dead_letters WHERE seq = $1", Params().integer(old));
  }
  return static_cast<std::size_t>(dead.rows());
}

JournalStats countRows(Conn& db) {
  auto r = db.exec(
      "SELECT (SELECT value FROM journal_totals WHERE name = 'messages'),"
      " (SELECT value FROM journal_totals WHERE name = 'cases'),"
      " (SELECT count(*) FROM outbox WHERE state = 'pending')");
  JournalStats stats;
  stats.messages = r.integer(0, 0);
  stats.cases = r.integer(0, 1);
  stats.outbox_pending = r.integer(0, 2);
  return stats;
}

}  // namespace swhub::journal::pg
