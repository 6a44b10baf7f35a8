#pragma once
// The SQL of the SQLite journal: one function per statement, used by the writer thread inside
// its transaction and by the read connections.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "journal/audit_chain.hpp"
#include "journal/group_committer.hpp"
#include "journal/journal.hpp"
#include "journal/sqlite_db.hpp"

namespace swhub::journal::sqlite {

// Applies one WriteBatch inside the caller's savepoint: idempotency check first, then every
// row. Returns Duplicate / Conflict / Stale without undoing anything itself (the caller rolls
// back the savepoint). Throws BatchRejected or StoreFailure. The batch's statistics deltas are
// written too unless `write_stats` is false (the journal writes a group's deltas merged, before
// its COMMIT).
CommitResult applyBatch(Db& db, const WriteBatch& batch, bool write_stats = true);
// The largest case_events seq ever given (0 when none): the next event's is one more.
std::int64_t lastEventSeq(Db& db);
// Writes `e` (a case event's columns) as case event last_seq + 1, the chain's next entry (position and hash in the row);
// advances last_seq and head.
void insertEvent(Db& db, ChainHead& head, std::int64_t& last_seq, EventFields e);
// A ReferenceTaken result naming `references`.
CommitResult referencesTaken(std::vector<std::string> references);

// A message without its body and response: the columns kMessageSummaryColumns names, in order.
inline constexpr const char* kMessageSummaryColumns =
    "id, partner, content_type, idempotency_key, digest, received_at, status, http_status";
// `first`: the column of the row where they start.
MessageRecord readMessageSummary(const Stmt& row, int first = 0);
// The same columns as stored, for the audit chain.
MessageEntry readMessageEntry(const Stmt& row, int first = 0);
// A column that names an enum value (its name table's): the value; throws StoreFailure naming the
// column and the text when the text names none (a journal edited by hand).
template <typename E, std::size_t N>
E enumColumn(const common::NameTable<E, N>& names, const Stmt& row, int column, const char* what) {
  const std::string text = row.text(column);
  if (auto value = common::parseIn(names, text)) return *value;
  throw StoreFailure(std::string("journal: ") + what + " '" + text + "' is not one this hub knows");
}
// An instant column (RFC 3339 UTC text); "" and text that is not one read as the epoch.
Instant instantColumn(const Stmt& row, int column);
// An optional case state column ("" = none).
std::optional<CaseState> stateColumn(const Stmt& row, int column);

std::optional<MessageRecord> messageByKey(Db& db, const std::string& partner, const std::string& key);
std::optional<MessageRecord> messageById(Db& db, const std::string& id);
std::optional<CaseRecord> caseById(Db& db, const std::string& id);
// Up to `limit` cases filed in [from, to) after rowid `after`, in rowid order, with their rowids.
std::vector<std::pair<std::int64_t, CaseRecord>> casesFiledPage(Db& db, Instant from, Instant to,
                                                                std::int64_t after, std::size_t limit);
// Oldest first; a case that the schema-3 migration marked a duplicate comes before the one that
// holds the reference, so that the last is always the case the reference names.
std::vector<CaseRecord> casesByReference(Db& db, const std::string& partner, const std::string& reference);
std::vector<CaseRecord> searchCases(Db& db, const CaseQuery& query);
std::vector<CaseEvent> eventsOfCase(Db& db, const std::string& case_id);
// role: "seller" or "buyer" (anything else throws std::invalid_argument).
PartyHistory partyHistory(Db& db, const std::string& role, const std::string& id, const std::string& before_case);
// The statement partyHistory runs for "seller" or "buyer" (its plan is tested); throws for another role.
const std::string& partyHistorySql(const std::string& role);

std::vector<OutboxItem> outboxAfter(Db& db, const std::string& recipient, Channel channel,
                                    std::int64_t after_seq, std::size_t limit);

// Leases due pending items of `channel` to `owner` until lease_until_ms; in seq order, keeping
// the order per (recipient, case_id) described at Journal::claimOutbox.
// Items of the `skip` recipients are not claimed.
std::vector<OutboxItem> claimOutbox(Db& db, Channel channel, const std::string& owner,
                                    std::size_t limit, const std::string& now_text, std::int64_t now_ms,
                                    std::int64_t lease_until_ms, const std::vector<std::string>& skip = {});
// True when `owner` still held the item and it was updated.
// `batch` is recorded as the item's batch (the delivery that carried it).
bool completeOutbox(Db& db, std::int64_t seq, const std::string& owner, OutboxState state,
                    std::optional<Instant> next_attempt_at, const std::string& last_error, const std::string& batch);

// Clears `owner`'s lease on a pending item without counting an attempt; nullopt keeps next_attempt_at.
bool releaseOutbox(Db& db, std::int64_t seq, const std::string& owner, std::optional<Instant> next_attempt_at);
// Clears every lease of a pending item whose owner does not start with `live_owner_prefix`
// (attempts and next_attempt_at unchanged); returns how many.
std::size_t releaseForeignLeases(Db& db, const std::string& live_owner_prefix);
std::optional<OutboxItem> outboxItem(Db& db, std::int64_t seq);
std::vector<OutboxItem> deadLetters(Db& db, std::int64_t after_seq, std::size_t limit);
std::vector<OutboxItem> outboxForCase(Db& db, const std::string& case_id);
// Dead -> pending with attempts 0, next_attempt_at `now_text`, no lease. seq < 0 = every dead
// item. Returns how many were replayed.
std::size_t replayDead(Db& db, std::int64_t seq, const std::string& now_text);

// messages, cases and outbox_pending of JournalStats (the counters come from the committer).
JournalStats countRows(Db& db);

}  // namespace swhub::journal::sqlite
