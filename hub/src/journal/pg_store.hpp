#pragma once
// The SQL of the PostgreSQL journal: one function per statement or step, as sqlite_store.hpp is
// for SQLite (same semantics, PostgreSQL's dialect). Writes run on the writer connection inside
// the group's transaction; reads on a pooled connection.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/instant.hpp"
#include "journal/audit_chain.hpp"
#include "journal/group_committer.hpp"
#include "journal/journal.hpp"
#include "journal/pg_conn.hpp"

namespace swhub::journal::pg {

using sqlite::ChainHead;
using sqlite::EventEntry;
using sqlite::MessageEntry;

// The edge between the typed records and the columns (text, as in SQLite, so that both journals
// hold the same bytes and the audit chain hashes them alike).
// A column that names an enum value: the value; StoreFailure naming the text when it names none.
template <typename E, std::size_t N>
E enumText(const common::NameTable<E, N>& names, const std::string& text, const char* what) {
  if (auto value = common::parseIn(names, text)) return *value;
  throw StoreFailure(std::string("journal: ") + what + " '" + text + "' is not one this hub knows");
}
// An instant column; "" and text that is not one read as the epoch (as SQLite's instantColumn).
inline Instant instantText(const std::string& text) { return common::parseInstant(text).value_or(Instant{}); }
// An optional case state column ("" = none).
inline std::optional<CaseState> stateText(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return enumText(common::kCaseStateNames, text, "case state");
}
// An optional instant as its column ("" = none).
inline std::string optionalText(const std::optional<Instant>& at) { return at ? common::toString(*at) : std::string(); }

// The head, locked for this transaction: every writer that extends the chain or hands out outbox
// seqs takes it before any other row (pg_schema.cpp); claims and completions do not need it.
ChainHead lockChainHead(Conn& db);
void saveChainHead(Conn& db, const ChainHead& head);

// As sqlite::applyBatch: the statistics deltas written too unless `write_stats` is false.
CommitResult applyBatch(Conn& db, const WriteBatch& batch, bool write_stats = true);
CommitResult referencesTaken(std::vector<std::string> references);
// Writes `e` (a case event's columns) as the chain's next entry under a fresh seq; advances head.
Query eventInsert(ChainHead& head, std::int64_t seq, EventEntry e);
// `count` fresh case_events seqs, in order.
std::vector<std::int64_t> nextEventSeqs(Conn& db, std::size_t count);

// Columns of a message without body and response, in readMessageSummary's order.
inline constexpr const char* kMessageSummaryColumns =
    "id, partner, content_type, idempotency_key, digest, received_at, status, http_status";
MessageRecord readMessageSummary(const Result& r, int row, int first = 0);
// The same columns as stored (the audit chain's entry).
MessageEntry readMessageEntry(const Result& r, int row, int first = 0);
inline constexpr const char* kCaseColumns =
    "id, partner, reference, filing, state, version, consignment_json, message_id, created_at, updated_at, status_json";
CaseRecord readCase(const Result& r, int row);
inline constexpr const char* kOutboxColumns =
    "seq, id, channel, recipient, case_id, content_type, body, attempts, state, next_attempt_at, last_error,"
    " created_at, batch";
OutboxItem readOutbox(const Result& r, int row);
std::vector<OutboxItem> readOutboxRows(const Result& r);

std::optional<MessageRecord> messageByKey(Conn& db, const std::string& partner, const std::string& key);
std::optional<MessageRecord> messageById(Conn& db, const std::string& id);
std::optional<MessageRecord> messageSummaryByKey(Conn& db, const std::string& partner, const std::string& key);
std::optional<CaseRecord> caseById(Conn& db, const std::string& id);
std::vector<std::pair<std::int64_t, CaseRecord>> casesFiledPage(Conn& db, Instant from, Instant to,
                                                                std::int64_t after, std::size_t limit);
std::vector<CaseRecord> casesByReference(Conn& db, const std::string& partner, const std::string& reference);
std::vector<CaseRecord> searchCases(Conn& db, const CaseQuery& query);
std::vector<CaseEvent> eventsOfCase(Conn& db, const std::string& case_id);
PartyHistory partyHistory(Conn& db, const std::string& role, const std::string& id, const std::string& before_case);

std::vector<OutboxItem> outboxAfter(Conn& db, const std::string& recipient, Channel channel,
                                    std::int64_t after_seq, std::size_t limit);
// FOR UPDATE SKIP LOCKED: several nodes claiming at once never take the same item.
std::vector<OutboxItem> claimOutbox(Conn& db, Channel channel, const std::string& owner,
                                    std::size_t limit, const std::string& now_text, std::int64_t now_ms,
                                    std::int64_t lease_until_ms, const std::vector<std::string>& skip);
bool completeOutbox(Conn& db, std::int64_t seq, const std::string& owner, OutboxState state,
                    std::optional<Instant> next_attempt_at, const std::string& last_error, const std::string& batch);
// The statement of completeOutbox, to send in a pipeline with a batch's other writes.
Query outboxCompletion(std::int64_t seq, const std::string& owner, OutboxState state,
                       std::optional<Instant> next_attempt_at, const std::string& last_error, const std::string& batch);
bool releaseOutbox(Conn& db, std::int64_t seq, const std::string& owner, std::optional<Instant> next_attempt_at);
std::optional<OutboxItem> outboxItem(Conn& db, std::int64_t seq);
std::vector<OutboxItem> deadLetters(Conn& db, std::int64_t after_seq, std::size_t limit);
std::vector<OutboxItem> outboxForCase(Conn& db, const std::string& case_id);
std::size_t replayDead(Conn& db, std::int64_t seq, const std::string& now_text);
std::size_t replayPulledDead(Conn& db, std::int64_t seq);
bool deadLetterPulled(Conn& db, std::int64_t seq, const std::string& reason);
JournalStats countRows(Conn& db);

// Staged messages (Journal::beginStaged and after).
void insertStagingMessage(Conn& db, const MessageRecord& m, std::int64_t body_size, std::int64_t node);
void writeStagingBody(Conn& db, const std::string& message_id, std::int64_t offset, const std::string& bytes);
void stageBatch(Conn& db, const std::string& message_id, const WriteBatch& batch);
CommitResult finishStaging(Conn& db, const MessageRecord& m, BlobSource& response, const WriteBatch& batch);
// "" = every staging message of a node that is not live (see PgJournal::reapDeadNodes).
void dropStaging(Conn& db, const std::string& message_id);
bool referenceTaken(Conn& db, const std::string& partner, const std::string& reference, const std::string& staging_id);
std::size_t readMessagePart(Conn& db, const std::string& message_id, MessagePart part, std::int64_t offset,
                            char* buffer, std::size_t capacity);
std::int64_t messagePartSize(Conn& db, const std::string& message_id, MessagePart part);

// Licences.
std::optional<std::string> applyLicenceChanges(Conn& db, const std::vector<LicenceChange>& changes, const std::string& now);
std::optional<Licence> licenceById(Conn& db, const std::string& agency, const std::string& id);
std::vector<Licence> licencesOf(Conn& db, const std::string& agency);
std::vector<LicenceUse> usesOfCase(Conn& db, const std::string& case_id);
std::vector<LicenceUse> usesOfLicence(Conn& db, const std::string& agency, const std::string& id);
LicencePutResult putLicence(Conn& db, const Licence& l, LicencePut mode, const std::string& now);

// Account statements.
std::vector<std::pair<std::int64_t, ReleasedCase>> releasedPage(Conn& db, const std::string& partner,
                                                                const std::string& from, const std::string& to,
                                                                const std::string& after_at, std::int64_t after_seq,
                                                                std::size_t limit);
std::string firstRelease(Conn& db, const std::string& partner);
std::optional<StatementRecord> statementOf(Conn& db, const std::string& account, const std::string& period);
std::string latestStatementPeriod(Conn& db, const std::string& account);
std::string statementOfCase(Conn& db, const std::string& case_id);
// Declaration links (declaration_links.hpp), as sqlite_accounts.hpp: inside the writer's group, a
// second completion of a case or final supplementary of a period is what it conflicts with.
std::optional<std::string> insertDeclarationLinks(Conn& db, const std::vector<DeclarationLink>& links);
std::vector<DeclarationLink> linksOf(Conn& db, const std::string& case_id);
// Supporting documents (pg_documents.cpp): inside the writer's transaction, the bytes once per
// digest and the case's link; a case that holds the digest already: what it holds (refuse the batch).
std::optional<std::string> insertDocuments(Conn& db, const std::vector<CaseDocument>& documents);
std::vector<CaseDocument> documentsOf(Conn& db, const std::string& case_id);
std::optional<CaseDocument> documentOf(Conn& db, const std::string& case_id, const std::string& digest);
std::optional<DeclarationLink> completionOf(Conn& db, const std::string& case_id);
std::optional<DeclarationLink> finalSupplementary(Conn& db, const std::string& account, const std::string& period);
std::vector<StatementLineRecord> linesOfChangedCases(Conn& db, const std::string& account);
CommitResult insertStatement(Conn& db, const StatementRecord& s);

}  // namespace swhub::journal::pg
