#pragma once
// The journal: the durable store of every message in, every case and case event, and the
// outbox. Acknowledge only after commit() returned Committed. Backends: SQLite (embedded,
// default) and PostgreSQL (several nodes) behind this one interface.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <utility>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "common/actor.hpp"
#include "common/case_state.hpp"
#include "common/instant.hpp"
#include "common/names.hpp"
#include "journal/case_query.hpp"
#include "journal/declaration_links.hpp"
#include "journal/documents.hpp"
#include "journal/licences.hpp"
#include "journal/stat_rollups.hpp"

namespace swhub::journal {

using common::Actor;
using common::CaseState;
using common::Instant;

// What became of a received message. Staging: a large message still being written (no reader
// returns it).
enum class MessageStatus { Accepted, Rejected, Staging };
inline constexpr common::NameTable<MessageStatus, 3> kMessageStatusNames{{
    {MessageStatus::Accepted, "accepted"},
    {MessageStatus::Rejected, "rejected"},
    {MessageStatus::Staging, "staging"},
}};
constexpr std::string_view toString(MessageStatus s) { return common::nameIn(kMessageStatusNames, s); }
inline std::ostream& operator<<(std::ostream& out, MessageStatus s) { return out << toString(s); }
constexpr std::optional<MessageStatus> parseMessageStatus(std::string_view t) {
  return common::parseIn(kMessageStatusNames, t);
}

// What an outbox item carries: a notification to a partner, a task to an agency, or the hub's
// own work (an assessment by an agency's plugin).
enum class Channel { Notification, Task, Assess };
inline constexpr common::NameTable<Channel, 3> kChannelNames{{
    {Channel::Notification, "notification"},
    {Channel::Task, "task"},
    {Channel::Assess, "assess"},
}};
constexpr std::string_view toString(Channel c) { return common::nameIn(kChannelNames, c); }
inline std::ostream& operator<<(std::ostream& out, Channel c) { return out << toString(c); }
constexpr std::optional<Channel> parseChannel(std::string_view t) { return common::parseIn(kChannelNames, t); }

// pending (push: claimed by a delivery worker) | pull (read by its recipient through the pull API
// only, never claimed) | delivered | dead (dead letter: replayable).
enum class OutboxState { Pending, Pull, Delivered, Dead };
inline constexpr common::NameTable<OutboxState, 4> kOutboxStateNames{{
    {OutboxState::Pending, "pending"},
    {OutboxState::Pull, "pull"},
    {OutboxState::Delivered, "delivered"},
    {OutboxState::Dead, "dead"},
}};
constexpr std::string_view toString(OutboxState s) { return common::nameIn(kOutboxStateNames, s); }
inline std::ostream& operator<<(std::ostream& out, OutboxState s) { return out << toString(s); }
constexpr std::optional<OutboxState> parseOutboxState(std::string_view t) {
  return common::parseIn(kOutboxStateNames, t);
}

// One received message: raw bytes as they came, whether accepted or rejected.
struct MessageRecord {
  std::string id;
  std::string partner;
  std::string content_type;
  std::string idempotency_key;  // "" when the caller sent none
  std::string digest;           // "sha256:<hex>" of body
  Instant received_at;
  std::string body;
  MessageStatus status = MessageStatus::Accepted;
  std::string response;         // the receipt or problem JSON returned to the caller
  int http_status = 0;          // 202, 400, ...
};

struct CaseRecord {
  std::string id;
  std::string partner;
  std::string reference;
  std::string filing;            // filing kind of the latest filing
  CaseState state = CaseState::Accepted;
  int version = 1;               // bumped on every update
  std::string consignment_json;  // canonical JSON of the case's consignment
  std::string message_id;        // the message that created it
  Instant created_at;
  Instant updated_at;
  std::string status_json = "{}";  // the release coordinator's state: agencies, decisions, arrival, revenue
};

// Changes an existing case; applied only when the stored version equals expected_version.
struct CaseUpdate {
  std::string id;
  int expected_version = 0;
  std::optional<CaseState> state;  // nullopt keeps the stored one
  std::string filing;
  std::string consignment_json;  // "" keeps the stored one
  std::optional<Instant> updated_at;  // nullopt keeps the stored one
  std::string status_json;       // "" keeps the stored one
};

struct CaseEvent {
  std::int64_t seq = 0;  // assigned by the journal, increasing
  std::string case_id;
  Instant at;
  Actor actor;
  std::string kind;        // "received", "accepted", "decision", "transition", "notified", ...
  std::optional<CaseState> from_state;  // a transition's; nullopt for other events and a new case
  std::optional<CaseState> to_state;
  std::string detail_json;  // "{}" when none
  std::string message_id;
};

// A case as its view shows it (GET /v1/cases/{id}), read as of one instant: the case, its
// events, what it declared (declaration links) and what completes it, its documents without
// their bytes.
struct CaseFile {
  CaseRecord record;
  std::vector<CaseEvent> events;
  std::vector<DeclarationLink> links;
  std::optional<DeclarationLink> completion;
  std::vector<CaseDocument> documents;
};

struct OutboxItem {
  std::int64_t seq = 0;  // assigned by the journal: the order of delivery and the pull cursor
  std::string id;        // stable delivery id
  Channel channel = Channel::Notification;
  std::string recipient; // partner or agency id
  std::string case_id;
  std::string content_type;
  std::string body;
  int attempts = 0;
  OutboxState state = OutboxState::Pending;
  std::optional<Instant> next_attempt_at;  // nullopt = now
  std::string last_error;
  Instant created_at;
  // The delivery that last carried this item together with others (its delivery id), "" when
  // none: a retry forms the same batch again, so the receiver sees the same delivery id.
  std::string batch;
};

// A claimed outbox item finished in the transaction of what its work wrote (an assessment's
// decision): as completeOutbox, and skipped (not refused) when the lease is no longer the owner's.
struct OutboxCompletion {
  std::int64_t seq = 0;
  std::string owner;
  OutboxState state = OutboxState::Delivered;
  std::optional<Instant> next_attempt_at;  // nullopt = keep
  std::string last_error;
};

// Everything one acknowledgement depends on, written in one transaction.
struct WriteBatch {
  std::optional<MessageRecord> message;
  std::vector<CaseRecord> new_cases;
  std::vector<CaseUpdate> case_updates;
  std::vector<CaseEvent> events;
  std::vector<OutboxItem> outbox;
  // Licence write-downs and give-backs of the cases updated here (licences.hpp): all or nothing
  // with the rest of the batch.
  std::vector<LicenceChange> licence_changes;
  // What the declarations filed here declared (declaration_links.hpp); the store refuses a second
  // supplementary of one case, or a second final supplementary of one period (Stale: what another
  // message linked since this one was checked).
  std::vector<DeclarationLink> declaration_links;
  // Supporting documents attached here (documents.hpp): bytes stored once per digest, whichever
  // case holds them; a case holds one digest once (a second one is refused: Duplicate, nothing written).
  std::vector<CaseDocument> documents;
  // Claims this batch answers: done with the work or not at all (a crash between the two would
  // have the work done again by whoever claims the item next).
  std::vector<OutboxCompletion> completions;
  // Statistics rollups of what this batch changes (stat_rollups.hpp), written with it. Filled by
  // JournalOptions::plan_stats when the journal commits the batch; tests may fill it themselves.
  std::vector<StatDelta> stats;
};

// Bytes written into a row in pieces rather than held whole: a large message's body or receipt.
struct BlobSource {
  std::int64_t size = 0;  // exactly this many bytes are read
  // Fills `buffer` with up to `capacity` bytes; returns how many (0 = the source ended early).
  std::function<std::size_t(char* buffer, std::size_t capacity)> read;
};

enum class MessagePart { Body, Response };

struct CommitResult {
  enum class Status {
    Committed,    // durable
    Duplicate,    // same partner, idempotency key and digest: `existing` is the stored message;
                  // or a document the case holds already (`error` names it): nothing written
    Conflict,     // same partner and idempotency key, other digest: nothing written
    Stale,        // a CaseUpdate's expected_version did not match: nothing written
    Unavailable,  // the journal could not write or sync; nothing acknowledged from now on
    Invalid,      // the batch broke a store constraint (e.g. a case id that already exists):
                  // nothing written, `error` says which; the journal stays writable
    ReferenceTaken,  // a new case's (partner, reference) is already a case's: nothing written,
                     // `taken_references` lists them (the store enforces it, also under a race)
  };
  Status status = Status::Committed;
  std::optional<MessageRecord> existing;
  std::string error;  // for Stale, Unavailable, Invalid and ReferenceTaken
  std::vector<std::string> taken_references;  // ReferenceTaken: the references already filed
};

struct JournalStats {
  std::int64_t commits = 0;       // transactions
  std::int64_t batches = 0;       // WriteBatches committed (> commits when grouped)
  std::int64_t messages = 0;
  std::int64_t cases = 0;
  std::int64_t outbox_pending = 0;
};

struct JournalOptions {
  // Called after each durable commit with its duration and how many WriteBatches it carried.
  std::function<void(std::chrono::duration<double> seconds, std::size_t batches)> on_commit;
  std::size_t max_group = 256;  // WriteBatches per transaction at most
  // Checkpoints run off the commit path: when the WAL holds this many pages, or this often.
  std::size_t checkpoint_pages = 1000;
  std::chrono::milliseconds checkpoint_interval{1000};
  // "Now" for outbox due times and leases; tests inject a clock to expire leases without sleeping.
  std::function<std::chrono::system_clock::time_point()> clock;
  // The WAL is kept below about this many bytes: above it the checkpointer runs a checkpoint that
  // truncates the WAL (it waits for readers briefly, never on the commit path), and a WAL that
  // restarts is cut back to this size. 0 = no bound.
  std::int64_t wal_limit_bytes = 64LL << 20;
  // The serving hub: locks the journal for this process (a second hub on it refuses to start),
  // removes staging messages a crash left, and may release claims of dead owners. CLI commands
  // (trace, replay, ...) open without it, beside a running hub.
  bool exclusive = false;
  // Signs audit checkpoints (the receipt key; base64 signature of the bytes given). Empty: the
  // chain is still extended, but no checkpoint is written (CLI commands beside a hub).
  std::function<std::string(std::string_view)> audit_sign;
  // A signed checkpoint of the chain's head after this many new entries, or this long after the
  // last one (checked at each commit), and when the journal closes.
  std::int64_t audit_checkpoint_entries = 1000;
  std::chrono::milliseconds audit_checkpoint_interval{60000};
  // Adds to a batch, before it is written, the statistics rollups of what it changes (the serving
  // hub sets it: stats/rollup_plan.hpp); called on the committing thread by commit(), stage() and
  // finishStaged(). Unset: a batch's own `stats` are written as they are.
  std::function<void(WriteBatch&)> plan_stats;
  // SQLite: the staged rows of a finished message are deleted after its answer, this many rows of
  // each staged table a transaction (Journal::finishStaged): a filing that comes meanwhile waits
  // for one such transaction at most (~0.15 s; deleting all of a 200,000-line manifest's took ~6 s).
  std::int64_t staged_sweep_rows = 5000;
};

// What the journal knows of a party from the cases it appears in (by its id in one role).
struct PartyHistory {
  std::int64_t cases = 0;  // cases naming it
  std::int64_t held = 0;   // of those, how many are held or rejected
};

// ---- Account statements (hub/src/accounts/; tables in sqlite_accounts.cpp).
// A case of a partner that the hub released: its first release instant (the case event of its
// transition to `released`) and what the statement needs of the case now.
struct ReleasedCase {
  std::string case_id;
  std::string partner;
  std::string reference;
  std::string released_at;  // RFC 3339 UTC with milliseconds
  std::string status_json;  // the case's status now (model as applied, revenue lines)
  // The account its filing names: a deferment account, "DAN <id>" in the consignment's
  // fiscal.payment_refs (the wco_dec plugin maps DE 2/6 so); "" when it names none.
  std::string named_account;
  std::string statement_id;  // the statement that accounts it as an item; "" when none
};

// One line of an issued statement, as the journal keeps it for reconciliation and adjustments.
struct StatementLineRecord {
  std::string statement_id;  // filled on read
  std::string kind;          // "item" | "adjustment"
  std::string case_id;
  std::string tax;
  int item = 0;              // goods item sequence; 0 = a line of the whole consignment
  std::string amount;        // decimal text (an adjustment may be negative)
  std::string currency;
  std::string corrects;      // adjustment: the statement that accounted the case as an item
};

// An issued statement: immutable once written (the store refuses updates and deletes).
struct StatementRecord {
  std::string id;
  std::string account;
  std::string period;     // "YYYY-MM"
  std::string issued_at;  // RFC 3339 UTC with milliseconds
  std::string body;       // the statement as issued (JSON): served as it is, byte for byte
  std::vector<std::pair<std::string, std::string>> cases;  // (case id, released_at) accounted as items
  std::vector<StatementLineRecord> lines;
};

class Journal {
 public:
  virtual ~Journal() = default;

  // Blocks until the batch is durable (or refused); concurrent callers share one transaction.
  virtual CommitResult commit(WriteBatch batch) = 0;

  virtual std::optional<MessageRecord> findMessage(const std::string& partner,
                                                   const std::string& idempotency_key) = 0;
  virtual std::optional<MessageRecord> getMessage(const std::string& id) = 0;
  virtual std::optional<CaseRecord> getCase(const std::string& id) = 0;
  virtual std::vector<CaseRecord> findCases(const std::string& partner, const std::string& reference) = 0;
  // The cases that match every filter `query` sets, newest first, at most query.limit, after its
  // cursor; summaries only (consignment_json "", status_json "{}"). Served by indexes.
  virtual std::vector<CaseRecord> searchCases(const CaseQuery& query) = 0;
  virtual std::vector<CaseEvent> caseEvents(const std::string& case_id) = 0;
  // The case, its events, links and documents as of one instant (one read transaction, one
  // connection): a commit that lands between the reads cannot give a status older than the
  // history shown beside it, nor a completion the links do not know.
  virtual std::optional<CaseFile> caseFile(const std::string& id) = 0;
  // Every case filed in [from, to) (created_at), in the order filed, handed to `visit` until it
  // returns false. Read in pages of short read transactions, so that a hub writing the same
  // journal is not held up (a case filed meanwhile may or may not be seen).
  virtual void forEachCaseFiled(Instant from, Instant to,
                                const std::function<bool(const CaseRecord&)>& visit) = 0;
  // The cases whose consignment names `id` as its `role` ("seller" or "buyer") now and that came
  // to name it before case `before_case` did (the one being assessed: what was known when it was
  // filed, whatever came after it), in journal order: an earlier message, or an amendment written
  // before (the cases of one message are not before each other); of those, how many are held or
  // rejected now. When `before_case` names another party now: all of the party's cases. Read in
  // constant time from the case's ordinal with the party (schema 8 / migration 7), whatever the
  // number of cases filed since; no row (zeros) when the case or the party is unknown.
  virtual PartyHistory partyHistory(const std::string& role, const std::string& id,
                                    const std::string& before_case) = 0;

  // Outbox, ordered by seq. Pull readers page with outboxAfter; push workers claim with a lease
  // (an item whose lease expired is claimable again: a crashed worker loses nothing).
  virtual std::vector<OutboxItem> outboxAfter(const std::string& recipient, Channel channel,
                                              std::int64_t after_seq, std::size_t limit) = 0;
  // Leases due 'pending' items of `channel` to `owner`, in seq order. Order per (recipient,
  // case_id): an item is claimable only when every older item of its (recipient, case_id), in
  // any channel, that is still 'pending' is claimable too and is handed out in the same claim
  // (before it); so an older item that is leased or waiting for its next attempt blocks it.
  // 'pull', 'delivered' and 'dead' items never block and are never claimed.
  virtual std::vector<OutboxItem> claimOutbox(Channel channel, const std::string& owner,
                                              std::size_t limit, std::chrono::milliseconds lease) = 0;
  // claimOutbox without the items of the `skip` recipients, which block nothing of the others
  // (order is per (recipient, case)): a delivery worker skips the recipients it is still
  // delivering to, so that a slow receiver neither fills its claims nor is delivered to twice.
  virtual std::vector<OutboxItem> claimOutboxSkipping(Channel channel, const std::string& owner,
                                                      std::size_t limit, std::chrono::milliseconds lease,
                                                      const std::vector<std::string>& skip) = 0;
  // Marks a claimed item delivered, or reschedules it (attempts+1, next_attempt_at, last_error),
  // or moves it to dead. Ignored when `owner` no longer holds the lease. A nullopt
  // next_attempt_at keeps the stored one.
  virtual void completeOutbox(std::int64_t seq, const std::string& owner, OutboxState state,
                              std::optional<Instant> next_attempt_at, const std::string& last_error) = 0;
  // completeOutbox for every item of one delivery at once (one transaction), recording on each
  // the delivery id `batch` that carried them. Items `owner` no longer holds are left alone.
  virtual void completeOutboxItems(const std::vector<std::int64_t>& seqs, const std::string& owner,
                                   OutboxState state, std::optional<Instant> next_attempt_at,
                                   const std::string& last_error, const std::string& batch) = 0;
  // Gives a claimed item back unattempted: still 'pending', attempts and last_error unchanged,
  // lease cleared, next_attempt_at set (nullopt keeps the stored one). Ignored when `owner` no
  // longer holds the lease. Used when an earlier item of the same (recipient, case) failed in the batch.
  virtual void releaseOutbox(std::int64_t seq, const std::string& owner, std::optional<Instant> next_attempt_at) = 0;
  // releaseOutbox for several items at once (one transaction).
  virtual void releaseOutboxItems(const std::vector<std::int64_t>& seqs, const std::string& owner,
                                  std::optional<Instant> next_attempt_at) = 0;
  virtual std::optional<OutboxItem> getOutboxItem(std::int64_t seq) = 0;
  // Gives back at once every lease held by an owner that is dead: an owner whose id does not
  // start with `live_owner_prefix` (this process's owner id, see newOwnerId). The SQLite journal
  // can tell only when it is opened exclusive (single node, locked: every other owner is a
  // process that has ended); otherwise it releases nothing. Returns how many items it released.
  // A multi-node backend (PostgreSQL) tells dead owners by their node's liveness instead: each
  // node heartbeats a row (or holds a session advisory lock named by its owner id) and an owner
  // whose node stopped heartbeating (or whose lock is free) is dead.
  virtual std::size_t releaseDeadClaims(const std::string& live_owner_prefix) = 0;

  // Dead letters: items in state 'dead', in seq order, after the cursor `after_seq`.
  virtual std::vector<OutboxItem> deadLetters(std::int64_t after_seq, std::size_t limit) = 0;
  // Every outbox item of a case (tasks, assessments, notifications), in seq order, for the trace.
  virtual std::vector<OutboxItem> outboxForCase(const std::string& case_id) = 0;
  // Moves a dead item back to 'pending' (attempts 0, next_attempt_at now, lease cleared,
  // last_error kept for the record). False when no item has this seq or it is not dead. Durable
  // when it returns; throws JournalError when the journal cannot write.
  virtual bool replayDeadLetter(std::int64_t seq) = 0;
  // Replays every dead item at once; returns how many. Durable; throws JournalError as above.
  virtual std::size_t replayAllDeadLetters() = 0;
  // A 'pull' item its partner's plugin cannot encode: moved to 'dead' with `reason` (the pull API
  // serves it no more). A replay of it makes it a 'pull' item again under a fresh seq, so that
  // the partner, whose cursor is past it, reads it again. False when no 'pull' item has this
  // seq. Durable when it returns; throws JournalError when the journal cannot write.
  virtual bool deadLetterPulled(std::int64_t seq, const std::string& reason) = 0;

  // ---- Staged messages: one large message written in several transactions that become visible
  // at once. beginStaged() writes the message row (status "staging", no idempotency key, body
  // of `body_size` zero bytes to fill with writeStagedBody()). stage() writes new cases, their
  // events and outbox items apart from every reader (getCase, findCases, caseEvents, outboxAfter,
  // claimOutbox never see them). finishStaged() makes everything visible in one transaction: it
  // checks the idempotency key as commit() does (Duplicate and Conflict leave the staged rows
  // for abortStaged()), sets the message's final fields (key, status, response, http_status;
  // `response` streamed when its size is not 0, else message.response), moves the staged rows
  // in (outbox items get fresh seqs, after everything committed before: pull cursors never skip
  // them) and applies `batch` (case updates, events, outbox; its message must be empty). With a
  // status other than "accepted" (a rejected message) the staged rows are dropped instead and
  // `batch` is ignored: the message and its body stay for the trace. (SQLite deletes the staged
  // rows of a finished message after it returns, in chunks: JournalOptions::staged_sweep_rows.)
  // abortStaged() removes the message and its staged rows; opening the journal removes every
  // staging message left by a crash. Each call is durable when it returns Committed.
  virtual CommitResult beginStaged(const MessageRecord& message, std::int64_t body_size) = 0;
  virtual CommitResult writeStagedBody(const std::string& message_id, std::int64_t offset, const std::string& bytes) = 0;
  virtual CommitResult stage(const std::string& message_id, WriteBatch batch) = 0;
  virtual CommitResult finishStaged(const MessageRecord& message, BlobSource response, WriteBatch batch) = 0;
  virtual CommitResult abortStaged(const std::string& message_id) = 0;
  // True when `partner` has a visible case with `reference`, or the message `staged_message_id`
  // ("" = none), while it is staging, staged one.
  virtual bool referenceTaken(const std::string& partner, const std::string& reference,
                              const std::string& staged_message_id) = 0;
  // findMessage without body and response (left empty; read them with readMessagePart).
  virtual std::optional<MessageRecord> findMessageSummary(const std::string& partner,
                                                          const std::string& idempotency_key) = 0;
  // Up to `capacity` bytes of a message's body or response from `offset`; 0 at the end (or no
  // such message). Sizes: messagePartSize (-1 when no such message).
  virtual std::size_t readMessagePart(const std::string& message_id, MessagePart part, std::int64_t offset,
                                      char* buffer, std::size_t capacity) = 0;
  virtual std::int64_t messagePartSize(const std::string& message_id, MessagePart part) = 0;

  // ---- Licences (licences.hpp): an agency's registry and the uses of it by cases.
  virtual std::optional<Licence> findLicence(const std::string& agency, const std::string& id) = 0;
  // Every licence of `agency` ("" = of every agency), by agency and id.
  virtual std::vector<Licence> listLicences(const std::string& agency) = 0;
  // The uses a case holds; the uses of one licence of `agency`.
  virtual std::vector<LicenceUse> licenceUses(const std::string& case_id) = 0;
  virtual std::vector<LicenceUse> usesOfLicence(const std::string& agency, const std::string& id) = 0;
  // Adds or updates a licence; an update keeps what is used (remaining moves with the quantity)
  // and is refused (BelowUsed) when the new quantity is less than that. Durable when it returns;
  // throws JournalError when the journal cannot write.
  virtual LicencePutResult putLicence(const Licence& licence, LicencePut mode) = 0;
  // Adds every licence the journal does not have yet, in one transaction (a registry file seeded
  // at start); returns how many were added. Durable; throws JournalError as above.
  virtual std::size_t seedLicences(const std::vector<Licence>& licences) = 0;
  // ---- Account statements. Cases of `partner` first released in [from, to) (RFC 3339 UTC text
  // in the journal's form), in release order, handed to `visit` until it returns false; read in
  // pages of short read transactions, like forEachCaseFiled.
  virtual void forEachCaseReleased(const std::string& partner, const std::string& from, const std::string& to,
                                   const std::function<bool(const ReleasedCase&)>& visit) = 0;
  // The earliest release instant of a case of `partner` ("" when none).
  virtual std::string firstRelease(const std::string& partner) = 0;
  // The statement issued for (account, period), with its cases and lines; nullopt when none.
  virtual std::optional<StatementRecord> statement(const std::string& account, const std::string& period) = 0;
  // The latest period of the account with an issued statement ("" when none).
  virtual std::string latestStatementPeriod(const std::string& account) = 0;
  // The statement that accounted `case_id` as an item ("" when none: a case is on one at most).
  virtual std::string statementOfCase(const std::string& case_id) = 0;
  // Every line, on any statement, of the account's cases that changed (cases.updated_at) after
  // the statement that accounted them was issued: the candidates for an adjustment.
  virtual std::vector<StatementLineRecord> linesOfChangedCases(const std::string& account) = 0;
  // Writes an issued statement in one transaction. Duplicate when (account, period) is issued
  // already (nothing written: read that one); Invalid when a case is on another statement.
  virtual CommitResult issueStatement(const StatementRecord& statement) = 0;
  // Declaration links (declaration_links.hpp): the case's own (what it declared), the one that
  // completes `case_id` (nullopt when none), the final supplementary of (account, period).
  virtual std::vector<DeclarationLink> linksOf(const std::string& case_id) = 0;
  virtual std::optional<DeclarationLink> completionOf(const std::string& case_id) = 0;
  virtual std::optional<DeclarationLink> finalSupplementary(const std::string& account, const std::string& period) = 0;

  // ---- Supporting documents (documents.hpp). A case's documents in the order attached, without
  // their bytes; one of them with its bytes (nullopt when the case holds no such digest).
  virtual std::vector<CaseDocument> caseDocuments(const std::string& case_id) = 0;
  virtual std::optional<CaseDocument> caseDocument(const std::string& case_id, const std::string& digest) = 0;

  // ---- Several nodes on one journal (PostgreSQL): a configuration reload reaches every node.
  // announceReload() tells the other serving nodes that this one reloaded its configuration;
  // each runs the handler given to onReload() (on a journal thread, within about a second) and
  // reloads its own file. onReload({}) removes the handler (and waits for a running one). An
  // SQLite journal has one node: nothing to tell.
  virtual void announceReload() {}
  virtual void onReload(std::function<void()> handler) {}

  // ---- Statistics rollups (stat_rollups.hpp; README "Statistics").
  // Every counter of `scope` summed over hours [from_hour, to_hour), one row per (family, key1,
  // key2) with `hour` 0; kAllTimeHour alone ([kAllTimeHour, kAllTimeHour + 1)) reads the totals.
  virtual std::vector<StatDelta> statSums(const std::string& scope, std::int64_t from_hour, std::int64_t to_hour) = 0;
  // Whether the rollups were filled from the journal's existing rows (once per journal).
  virtual bool statsFilled() = 0;
  // Writes the rollups of the rows the journal held before it kept rollups, and the mark that
  // they are filled, in one transaction; Duplicate (nothing written) when filled already.
  virtual CommitResult fillStats(const std::vector<StatDelta>& deltas) = 0;

  // False once a write or sync failed: the hub then refuses new filings with 503.
  virtual bool writable() const = 0;
  // Why this journal cannot write again until the hub starts afresh, "" while it can or while
  // only an operator can tell (SQLite: a failed fsync leaves the file's state unknown; the hub
  // stays up refusing writes). A PostgreSQL journal whose connection broke says why: `swhub
  // serve` then exits with status 75 so that its service manager starts it again, and the new
  // process connects again (the server may be back, or a standby promoted behind the same URL).
  virtual std::string lost() const { return ""; }
  virtual JournalStats stats() = 0;
  virtual std::string describe() const = 0;  // "sqlite:/path (WAL, synchronous=FULL)"
};

// Thrown by openJournal for a bad URL or a store that cannot be opened.
class JournalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A lease owner id unique to this process start: "<node>/<pid>-<start ms>-<random>", node = the
// host name. Workers append their role ("<id>/assess"), so the id is a prefix of all their leases.
std::string newOwnerId();

// postgresql://user:secret@host/db -> postgresql://user:***@host/db: what a journal URL looks like
// in errors and describe(), which end up in logs.
std::string redactUrl(const std::string& url);

// "sqlite:PATH" (relative to the working directory; "?vfs=NAME" picks an SQLite VFS, used by
// fault-injection tests), or a libpq connection URI "postgresql://USER:PASSWORD@HOST:PORT/DB"
// (also postgres://; libpq's parameters after '?', e.g. ?host=/socket/dir) for the PostgreSQL
// backend (pg_journal.hpp), which several hub nodes share.
std::unique_ptr<Journal> openJournal(const std::string& url, JournalOptions options = {});

}  // namespace swhub::journal
