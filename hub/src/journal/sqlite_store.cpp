#include "journal/sqlite_store.hpp"

#include <algorithm>

#include "common/ids.hpp"
#include "common/instant.hpp"
#include "journal/audit_chain.hpp"
#include "journal/sqlite_accounts.hpp"
#include "journal/sqlite_documents.hpp"
#include "journal/sqlite_licences.hpp"
#include "journal/sqlite_schema.hpp"
#include "journal/sqlite_stats.hpp"
#include "model/text_util.hpp"

namespace swhub::journal::sqlite {
namespace {

// ["a","b"]: strings for json_each(), each a JSON string literal (the codecs' escaping).
std::string jsonList(const std::vector<std::string>& values) {
  std::string out = "[";
  for (const auto& value : values) {
    if (out.size() > 1) out += ',';
    model::detail::appendJsonString(out, value);
  }
  return out + "]";
}

// The summary's columns (kMessageSummaryColumns), then the body and the response.
MessageRecord readMessage(const Stmt& row) {
  MessageRecord m = readMessageSummary(row);
  m.body = row.text(8);
  m.response = row.text(9);
  return m;
}

}  // namespace

MessageRecord readMessageSummary(const Stmt& row, int first) {
  MessageRecord m;
  m.id = row.text(first);
  m.partner = row.text(first + 1);
  m.content_type = row.text(first + 2);
  m.idempotency_key = row.text(first + 3);
  m.digest = row.text(first + 4);
  m.received_at = instantColumn(row, first + 5);
  m.status = enumColumn(kMessageStatusNames, row, first + 6, "message status");
  m.http_status = static_cast<int>(row.integer(first + 7));
  return m;
}

MessageEntry readMessageEntry(const Stmt& row, int first) {
  return {row.text(first),     row.text(first + 1), row.text(first + 2), row.text(first + 3),
          row.text(first + 4), row.text(first + 5), row.text(first + 6), row.integer(first + 7)};
}

Instant instantColumn(const Stmt& row, int column) {
  return common::parseInstant(row.text(column)).value_or(Instant{});
}

std::optional<CaseState> stateColumn(const Stmt& row, int column) {
  if (row.text(column).empty()) return std::nullopt;
  return enumColumn(common::kCaseStateNames, row, column, "case state");
}

namespace {

CaseRecord readCase(const Stmt& row) {
  CaseRecord c;
  c.id = row.text(0);
  c.partner = row.text(1);
  c.reference = row.text(2);
  c.filing = row.text(3);
  c.state = enumColumn(common::kCaseStateNames, row, 4, "case state");
  c.version = static_cast<int>(row.integer(5));
  c.consignment_json = row.text(6);
  c.message_id = row.text(7);
  c.created_at = instantColumn(row, 8);
  c.updated_at = instantColumn(row, 9);
  c.status_json = row.text(10);
  return c;
}

CaseEvent readEvent(const Stmt& row) {
  CaseEvent e;
  e.seq = row.integer(0);
  e.case_id = row.text(1);
  e.at = instantColumn(row, 2);
  e.actor = storedActor(row.text(3));
  e.kind = row.text(4);
  e.from_state = stateColumn(row, 5);
  e.to_state = stateColumn(row, 6);
  e.detail_json = row.text(7);
  e.message_id = row.text(8);
  return e;
}

// The columns readOutbox() reads, in its order.
#define OUTBOX_COLUMNS \
  "seq, id, channel, recipient, case_id, content_type, body, attempts, state, next_attempt_at, last_error," \
  " created_at, batch"

OutboxItem readOutbox(const Stmt& row) {
  OutboxItem o;
  o.seq = row.integer(0);
  o.id = row.text(1);
  o.channel = enumColumn(kChannelNames, row, 2, "outbox channel");
  o.recipient = row.text(3);
  o.case_id = row.text(4);
  o.content_type = row.text(5);
  o.body = row.text(6);
  o.attempts = static_cast<int>(row.integer(7));
  o.state = enumColumn(kOutboxStateNames, row, 8, "outbox state");
  if (!row.text(9).empty()) o.next_attempt_at = instantColumn(row, 9);
  o.last_error = row.text(10);
  o.created_at = instantColumn(row, 11);
  o.batch = row.text(12);
  return o;
}

// The message is the chain's next entry: its position and hash go in with the row.
void insertMessage(Db& db, ChainHead& head, const MessageRecord& m) {
  const std::int64_t position = head.seq + 1;
  const MessageEntry entry = messageEntry(m);
  std::string hash = messageEntryHash(head.hash, position, entry);
  auto stmt = db.prepare(
      "INSERT INTO messages (id, partner, content_type, idempotency_key, digest, received_at, body,"
      " status, response, http_status, audit_seq, audit_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
  stmt->bind(1, m.id).bind(2, m.partner).bind(3, m.content_type).bind(4, m.idempotency_key);
  stmt->bind(5, m.digest).bind(6, entry.received_at).bindBlob(7, m.body).bind(8, entry.status);
  stmt->bind(9, m.response).bind(10, m.http_status).bind(11, position).bind(12, hash).step();
  head.seq = position;
  head.hash = std::move(hash);
}

void insertCase(Db& db, const CaseRecord& c) {
  static const std::string sql =
      "INSERT INTO cases (id, partner, reference, filing, state, version, consignment_json, message_id,"
      " created_at, updated_at, status_json, seller_id, buyer_id, seller_ord, buyer_ord) VALUES (?1,?2,?3,?4,?5,?6,"
      "?7,?8,?9,?10,?11, json_extract(?7, '$.parties.seller.id'), json_extract(?7, '$.parties.buyer.id'), " +
      partyOrdinalSql("seller", "json_extract(?7, '$.parties.seller.id')", "?8") + ", " +
      partyOrdinalSql("buyer", "json_extract(?7, '$.parties.buyer.id')", "?8") + ")";
  auto stmt = db.prepare(sql.c_str());  // a static string: a stable cache key
  stmt->bind(1, c.id).bind(2, c.partner).bind(3, c.reference).bind(4, c.filing).bind(5, toString(c.state));
  stmt->bind(6, c.version).bind(7, c.consignment_json).bind(8, c.message_id).bind(9, common::toString(c.created_at));
  stmt->bind(10, common::toString(c.updated_at)).bind(11, c.status_json.empty() ? std::string("{}") : c.status_json).step();
}

// False when the stored version is not the expected one (or the case does not exist).
bool updateCase(Db& db, const CaseUpdate& u) {
  // An amendment that names another party joins it again: a new ordinal, the case id its token.
  auto ordinal = [](const std::string& role) {
    const std::string id = "json_extract(?4, '$.parties." + role + ".id')";
    return " " + role + "_ord = CASE WHEN ?4 = '' THEN " + role + "_ord WHEN " + id + " IS " + role + "_id THEN " +
           role + "_ord ELSE " + partyOrdinalSql(role, id, "?6") + " END,";
  };
  static const std::string sql =
      "UPDATE cases SET version = ?1 + 1,"
      " state = CASE WHEN ?2 = '' THEN state ELSE ?2 END,"
      " filing = CASE WHEN ?3 = '' THEN filing ELSE ?3 END,"
      " consignment_json = CASE WHEN ?4 = '' THEN consignment_json ELSE ?4 END,"
      " seller_id = CASE WHEN ?4 = '' THEN seller_id ELSE json_extract(?4, '$.parties.seller.id') END,"
      " buyer_id = CASE WHEN ?4 = '' THEN buyer_id ELSE json_extract(?4, '$.parties.buyer.id') END," +
      ordinal("seller") + ordinal("buyer") +
      " updated_at = CASE WHEN ?5 = '' THEN updated_at ELSE ?5 END,"
      " status_json = CASE WHEN ?7 = '' THEN status_json ELSE ?7 END"
      " WHERE id = ?6 AND version = ?1";
  auto stmt = db.prepare(sql.c_str());  // a static string: a stable cache key
  stmt->bind(1, u.expected_version).bind(2, u.state ? toString(*u.state) : std::string_view());
  stmt->bind(3, u.filing).bind(4, u.consignment_json);
  stmt->bind(5, u.updated_at ? common::toString(*u.updated_at) : std::string()).bind(6, u.id).bind(7, u.status_json).step();
  return db.changes() == 1;
}

void insertOutbox(Db& db, const OutboxItem& o) {
  auto stmt = db.prepare(
      "INSERT INTO outbox (id, channel, recipient, case_id, content_type, body, attempts, state,"
      " next_attempt_at, last_error, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  stmt->bind(1, o.id).bind(2, toString(o.channel)).bind(3, o.recipient).bind(4, o.case_id).bind(5, o.content_type);
  stmt->bindBlob(6, o.body).bind(7, o.attempts).bind(8, toString(o.state));
  // "" sorts before every time: due at once.
  stmt->bind(9, o.next_attempt_at ? common::toString(*o.next_attempt_at) : std::string());
  stmt->bind(10, o.last_error).bind(11, common::toString(o.created_at)).step();
}

// The case that holds `reference` for `partner` (the unique index's), or "".
std::string caseHoldingReference(Db& db, const std::string& partner, const std::string& reference) {
  auto stmt = db.prepare("SELECT id FROM cases WHERE partner = ? AND reference = ? AND duplicate_of = ''");
  stmt->bind(1, partner).bind(2, reference);
  return stmt->step() ? stmt->text(0) : std::string();
}

CommitResult refused(CommitResult::Status status, std::string error) {
  CommitResult result;
  result.status = status;
  result.error = std::move(error);
  return result;
}

}  // namespace

// The event goes in once, with its seq, chain position and hash (not inserted, then updated):
// the seq is the one AUTOINCREMENT would give (`last_seq`, the largest ever, plus one). The
// fields are bound without a copy: they outlive the insert.
void insertEvent(Db& db, ChainHead& head, std::int64_t& last_seq, EventFields stored) {
  stored.seq = last_seq + 1;
  if (stored.detail_json.empty()) stored.detail_json = "{}";
  const std::int64_t position = head.seq + 1;
  std::string hash = eventFieldsHash(head.hash, position, stored);
  auto stmt = db.prepare(
      "INSERT INTO case_events (seq, case_id, at, actor, kind, from_state, to_state, detail_json, message_id,"
      " audit_seq, audit_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
  stmt->bind(1, stored.seq).bindStatic(2, stored.case_id).bindStatic(3, stored.at).bindStatic(4, stored.actor);
  stmt->bindStatic(5, stored.kind).bindStatic(6, stored.from_state).bindStatic(7, stored.to_state);
  stmt->bindStatic(8, stored.detail_json).bindStatic(9, stored.message_id).bind(10, position).bindStatic(11, hash);
  stmt->step();
  last_seq = stored.seq;
  head.seq = position;
  head.hash = std::move(hash);
}

CommitResult referencesTaken(std::vector<std::string> references) {
  CommitResult result;
  result.status = CommitResult::Status::ReferenceTaken;
  for (const auto& reference : references) result.error += (result.error.empty() ? "" : ", ") + ("'" + reference + "'");
  result.error = "reference(s) already filed: " + result.error;
  result.taken_references = std::move(references);
  return result;
}

std::int64_t lastEventSeq(Db& db) {
  // sqlite_sequence holds the largest seq case_events ever had (AUTOINCREMENT never reuses one);
  // no row yet when no event was ever written.
  auto stmt = db.prepare(
      "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'case_events'), 0),"
      " coalesce((SELECT max(seq) FROM case_events), 0))");
  return stmt->step() ? stmt->integer(0) : 0;
}

CommitResult applyBatch(Db& db, const WriteBatch& batch, bool write_stats) {
  // The chain is extended in the caller's savepoint: a refused batch takes its entries back.
  const bool chained = batch.message || !batch.events.empty();
  ChainHead head = chained ? loadChainHead(db) : ChainHead{};
  if (batch.message) {
    const MessageRecord& m = *batch.message;
    // Inside the group's transaction this also sees batches committed earlier in the same group.
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
  // The writer is the only one writing, so this look is not racy here; the unique index
  // (cases_reference_unique) is what enforces it all the same, and would answer Invalid.
  std::vector<std::string> taken;
  for (const auto& c : batch.new_cases) {
    if (!caseHoldingReference(db, c.partner, c.reference).empty()) {
      taken.push_back(c.reference);
      continue;
    }
    insertCase(db, c);
  }
  if (!taken.empty()) return referencesTaken(std::move(taken));
  for (const auto& u : batch.case_updates) {
    if (!updateCase(db, u)) {
      auto stored = caseById(db, u.id);
      return refused(CommitResult::Status::Stale,
                     stored ? "case '" + u.id + "' is at version " + std::to_string(stored->version) +
                                  ", not " + std::to_string(u.expected_version)
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
  if (!batch.events.empty()) {
    std::int64_t last_seq = lastEventSeq(db);
    for (const auto& e : batch.events) {
      const EventEntry entry = eventEntry(e);
      insertEvent(db, head, last_seq, fieldsOf(entry));
    }
  }
  for (const auto& o : batch.outbox) insertOutbox(db, o);
  for (const auto& c : batch.completions) completeOutbox(db, c.seq, c.owner, c.state, c.next_attempt_at, c.last_error, "");
  if (chained) saveChainHead(db, head);
  if (write_stats) writeStatDeltas(db, batch.stats);
  return {};
}

std::optional<MessageRecord> messageByKey(Db& db, const std::string& partner, const std::string& key) {
  if (key.empty()) return std::nullopt;
  // "idempotency_key <> ''" lets SQLite use the partial unique index.
  auto stmt = db.prepare(
      "SELECT id, partner, content_type, idempotency_key, digest, received_at, status, http_status,"
      " coalesce((SELECT bytes FROM message_blobs b WHERE b.message_id = m.id AND b.part = 'body'), body),"
      " coalesce((SELECT bytes FROM message_blobs b WHERE b.message_id = m.id AND b.part = 'response'), response)"
      " FROM messages m WHERE partner = ? AND idempotency_key = ? AND idempotency_key <> ''");
  stmt->bind(1, partner).bind(2, key);
  if (!stmt->step()) return std::nullopt;
  return readMessage(*stmt);
}

std::optional<MessageRecord> messageById(Db& db, const std::string& id) {
  auto stmt = db.prepare(
      "SELECT id, partner, content_type, idempotency_key, digest, received_at, status, http_status,"
      " coalesce((SELECT bytes FROM message_blobs b WHERE b.message_id = m.id AND b.part = 'body'), body),"
      " coalesce((SELECT bytes FROM message_blobs b WHERE b.message_id = m.id AND b.part = 'response'), response)"
      " FROM messages m WHERE id = ? AND status <> 'staging'");
  stmt->bind(1, id);
  if (!stmt->step()) return std::nullopt;
  return readMessage(*stmt);
}

std::optional<CaseRecord> caseById(Db& db, const std::string& id) {
  auto stmt = db.prepare(
      "SELECT id, partner, reference, filing, state, version, consignment_json, message_id, created_at,"
      " updated_at, status_json FROM cases WHERE id = ?");
  stmt->bind(1, id);
  if (!stmt->step()) return std::nullopt;
  return readCase(*stmt);
}

std::vector<std::pair<std::int64_t, CaseRecord>> casesFiledPage(Db& db, Instant from, Instant to,
                                                                std::int64_t after, std::size_t limit) {
  auto stmt = db.prepare(
      "SELECT id, partner, reference, filing, state, version, consignment_json, message_id, created_at,"
      " updated_at, status_json, rowid FROM cases WHERE rowid > ? AND created_at >= ? AND created_at < ?"
      " AND duplicate_of = '' ORDER BY rowid LIMIT ?");
  stmt->bind(1, after).bind(2, common::toString(from)).bind(3, common::toString(to));
  stmt->bind(4, static_cast<std::int64_t>(limit));
  std::vector<std::pair<std::int64_t, CaseRecord>> page;
  while (stmt->step()) page.emplace_back(stmt->integer(11), readCase(*stmt));
  return page;
}

std::vector<CaseRecord> searchCases(Db& db, const CaseQuery& asked) {
  CaseQuery query = asked;
  if (!query.agency.empty()) {
    static const std::string kShareSql = agencyShareSql("?");  // one text: the statement cache keys by address
    auto share = db.prepare(kShareSql.c_str());
    share->bind(1, "agency:" + query.agency);
    if (share->step()) query.agency_plan = agencyPlan(share->integer(0), share->integer(1));
  }
  const CaseQuerySql sql = caseQuerySql(query, [](std::size_t) { return std::string("?"); });
  const std::string text = std::string("SELECT ") + kCaseSummaryColumns + " FROM cases WHERE " + sql.where +
                           kCaseSearchOrder + " LIMIT " + std::to_string(query.limit);
  // Built per query (its filters vary): prepared here, not in the statement cache.
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db.handle(), text.c_str(), -1, &raw, nullptr);
  if (rc != SQLITE_OK) Db::raise(db.handle(), rc, text);
  Stmt stmt(db.handle(), raw);
  for (std::size_t i = 0; i < sql.params.size(); ++i) stmt.bind(static_cast<int>(i + 1), sql.params[i]);
  std::vector<CaseRecord> cases;
  while (stmt.step()) cases.push_back(readCase(stmt));
  return cases;
}

std::vector<CaseRecord> casesByReference(Db& db, const std::string& partner, const std::string& reference) {
  auto stmt = db.prepare(
      "SELECT id, partner, reference, filing, state, version, consignment_json, message_id, created_at,"
      " updated_at, status_json FROM cases WHERE partner = ? AND reference = ?"
      " ORDER BY duplicate_of = '', created_at, id");
  stmt->bind(1, partner).bind(2, reference);
  std::vector<CaseRecord> cases;
  while (stmt->step()) cases.push_back(readCase(*stmt));
  return cases;
}

const std::string& partyHistorySql(const std::string& role) {
  // Read from the case's ordinal with the party (x.o: how many times a case had come to name it
  // before the case's message; every case when the case names another party now) and the party's
  // totals (party_totals, kept by triggers), counting only what came after the case: the cases
  // before it are x.o less those that left the party before it (all departures, joined - cases,
  // less the later ones), its held ones the party's held less the held ones from x.o on (the
  // partial index cases_<role>_held). Neither count walks the cases filed since (the assessment's
  // backlog). One statement: one snapshot. No row when the case or the party is unknown: nothing
  // is known before it.
  auto sql = [](const std::string& r) {
    return "SELECT x.o - (t.joined - t.cases) + (SELECT count(*) FROM party_departures d WHERE d.role = '" + r +
           "' AND d.id = ?1 AND d.ord >= x.o), t.held - (SELECT count(*) FROM cases h WHERE h." + r + "_id = ?1 AND h." +
           r + "_ord >= x.o AND h.state IN ('held', 'rejected'))"
           " FROM party_totals t, (SELECT CASE WHEN c." + r + "_id IS ?1 THEN c." + r + "_ord ELSE (SELECT joined FROM"
           " party_totals WHERE role = '" + r + "' AND id = ?1) END AS o FROM cases c WHERE c.id = ?2) x"
           " WHERE t.role = '" + r + "' AND t.id = ?1";
  };
  static const std::string kSeller = sql("seller"), kBuyer = sql("buyer");
  if (role != "seller" && role != "buyer") throw std::invalid_argument("partyHistory: no index for role '" + role + "'");
  return role == "seller" ? kSeller : kBuyer;
}

PartyHistory partyHistory(Db& db, const std::string& role, const std::string& id, const std::string& before_case) {
  auto stmt = db.prepare(partyHistorySql(role).c_str());  // a static string: a stable cache key
  stmt->bind(1, id).bind(2, before_case);
  PartyHistory history;
  if (stmt->step()) {
    history.cases = stmt->integer(0);
    history.held = stmt->integer(1);
  }
  return history;
}

std::vector<CaseEvent> eventsOfCase(Db& db, const std::string& case_id) {
  auto stmt = db.prepare(
      "SELECT seq, case_id, at, actor, kind, from_state, to_state, detail_json, message_id"
      " FROM case_events WHERE case_id = ? ORDER BY seq");
  stmt->bind(1, case_id);
  std::vector<CaseEvent> events;
  while (stmt->step()) events.push_back(readEvent(*stmt));
  return events;
}

std::vector<OutboxItem> outboxAfter(Db& db, const std::string& recipient, Channel channel,
                                    std::int64_t after_seq, std::size_t limit) {
  auto stmt = db.prepare(
      "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE recipient = ? AND channel = ? AND seq > ?"
      " ORDER BY seq LIMIT ?");
  stmt->bind(1, recipient).bind(2, toString(channel)).bind(3, after_seq).bind(4, static_cast<std::int64_t>(limit));
  std::vector<OutboxItem> items;
  while (stmt->step()) items.push_back(readOutbox(*stmt));
  return items;
}

std::vector<OutboxItem> claimOutbox(Db& db, Channel channel, const std::string& owner,
                                    std::size_t limit, const std::string& now_text, std::int64_t now_ms,
                                    std::int64_t lease_until_ms, const std::vector<std::string>& skip) {
  // Nothing due (e.g. every pending item waits for a receiver that is down): a look at the due
  // index answers that without walking the pending items.
  auto due = db.prepare(
      "SELECT EXISTS (SELECT 1 FROM outbox INDEXED BY outbox_due"
      " WHERE channel = ?1 AND state = 'pending' AND next_attempt_at <= ?2)");
  due->bind(1, toString(channel)).bind(2, now_text);
  if (!due->step() || due->integer(0) == 0) return {};
  // A candidate is due, free and of this channel. An item is claimed only when every older
  // pending item of its (recipient, case) is a candidate too: those come first in seq order, so
  // they are inside the LIMIT whenever it is. A blocked older item blocks all newer ones.
  // The walk goes in seq order over the pending items (outbox_claim) and stops at the LIMIT:
  // with 200,000 pending notifications, sorting every due one per claim cost seconds.
  // Skipped recipients (a worker still delivering to them) are passed over as a JSON list; order
  // is per (recipient, case), so their items block nothing of the others.
  auto stmt = db.prepare(
      "UPDATE outbox SET lease_owner = ?1, lease_until = ?2 WHERE seq IN ("
      " SELECT o.seq FROM outbox o INDEXED BY outbox_claim"
      " WHERE o.channel = ?3 AND o.state = 'pending' AND o.next_attempt_at <= ?4"
      " AND o.lease_until <= ?5 AND o.recipient NOT IN (SELECT value FROM json_each(?7))"
      " AND NOT EXISTS ("
      "  SELECT 1 FROM outbox p WHERE p.state = 'pending' AND p.recipient = o.recipient"
      "  AND p.case_id = o.case_id AND p.seq < o.seq"
      "  AND NOT (p.channel = ?3 AND p.next_attempt_at <= ?4 AND p.lease_until <= ?5))"
      " ORDER BY o.seq LIMIT ?6)"
      " RETURNING " OUTBOX_COLUMNS);
  stmt->bind(1, owner).bind(2, lease_until_ms).bind(3, toString(channel)).bind(4, now_text).bind(5, now_ms);
  stmt->bind(6, static_cast<std::int64_t>(limit));
  stmt->bind(7, jsonList(skip));
  std::vector<OutboxItem> items;
  while (stmt->step()) items.push_back(readOutbox(*stmt));
  // RETURNING gives no order guarantee.
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
  return items;
}

bool completeOutbox(Db& db, std::int64_t seq, const std::string& owner, OutboxState state,
                    std::optional<Instant> next_attempt_at, const std::string& last_error, const std::string& batch) {
  // The lease stays with its owner until someone else claims the item, so a late "delivered"
  // from a slow worker still lands (sparing a redelivery) unless another worker took over.
  auto stmt = db.prepare(
      "UPDATE outbox SET state = ?1, attempts = attempts + 1,"
      " next_attempt_at = CASE WHEN ?2 = '' THEN next_attempt_at ELSE ?2 END,"
      " last_error = ?3, lease_owner = '', lease_until = 0, batch = ?6"
      " WHERE seq = ?4 AND lease_owner = ?5 AND ?5 <> '' AND state = 'pending'");
  stmt->bind(1, toString(state)).bind(2, next_attempt_at ? common::toString(*next_attempt_at) : std::string());
  stmt->bind(3, last_error).bind(4, seq).bind(5, owner).bind(6, batch).step();
  return db.changes() == 1;
}

bool releaseOutbox(Db& db, std::int64_t seq, const std::string& owner, std::optional<Instant> next_attempt_at) {
  auto stmt = db.prepare(
      "UPDATE outbox SET next_attempt_at = CASE WHEN ?1 = '' THEN next_attempt_at ELSE ?1 END,"
      " lease_owner = '', lease_until = 0"
      " WHERE seq = ?2 AND lease_owner = ?3 AND ?3 <> '' AND state = 'pending'");
  stmt->bind(1, next_attempt_at ? common::toString(*next_attempt_at) : std::string()).bind(2, seq).bind(3, owner).step();
  return db.changes() == 1;
}

std::size_t releaseForeignLeases(Db& db, const std::string& live_owner_prefix) {
  // substr, not LIKE or GLOB: an owner id may hold '%', '_' or '*'.
  auto stmt = db.prepare(
      "UPDATE outbox SET lease_owner = '', lease_until = 0 WHERE state = 'pending' AND lease_owner <> ''"
      " AND substr(lease_owner, 1, length(?1)) <> ?1");
  stmt->bind(1, live_owner_prefix).step();
  return static_cast<std::size_t>(db.changes());
}

std::optional<OutboxItem> outboxItem(Db& db, std::int64_t seq) {
  auto stmt = db.prepare(
      "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE seq = ?");
  stmt->bind(1, seq);
  if (!stmt->step()) return std::nullopt;
  return readOutbox(*stmt);
}

std::vector<OutboxItem> outboxForCase(Db& db, const std::string& case_id) {
  auto stmt = db.prepare(
      "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE case_id = ? ORDER BY seq");
  stmt->bind(1, case_id);
  std::vector<OutboxItem> items;
  while (stmt->step()) items.push_back(readOutbox(*stmt));
  return items;
}

std::vector<OutboxItem> deadLetters(Db& db, std::int64_t after_seq, std::size_t limit) {
  auto stmt = db.prepare(
      "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE state = 'dead' AND seq > ? ORDER BY seq LIMIT ?");
  stmt->bind(1, after_seq).bind(2, static_cast<std::int64_t>(limit));
  std::vector<OutboxItem> items;
  while (stmt->step()) items.push_back(readOutbox(*stmt));
  return items;
}

std::size_t replayDead(Db& db, std::int64_t seq, const std::string& now_text) {
  // last_error stays: the record of why it died until the next attempt says otherwise.
  auto stmt = db.prepare(
      "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?1,"
      " lease_owner = '', lease_until = 0 WHERE state = 'dead' AND (?2 < 0 OR seq = ?2)");
  stmt->bind(1, now_text).bind(2, seq).step();
  return static_cast<std::size_t>(db.changes());
}

JournalStats countRows(Db& db) {
  // The totals are kept by triggers (journal_totals); the pending outbox is read from its partial
  // index, which holds the pending rows only.
  auto stmt = db.prepare(
      "SELECT (SELECT value FROM journal_totals WHERE name = 'messages'),"
      " (SELECT value FROM journal_totals WHERE name = 'cases'),"
      " (SELECT count(*) FROM outbox WHERE state = 'pending')");
  JournalStats stats;
  if (stmt->step()) {
    stats.messages = stmt->integer(0);
    stats.cases = stmt->integer(1);
    stats.outbox_pending = stmt->integer(2);
  }
  return stats;
}

}  // namespace swhub::journal::sqlite
