#pragma once
// The SQLite journal: WAL with synchronous=FULL, one writer connection driven by the group
// committer, a small pool of read connections (WAL lets them read while the writer writes),
// and a background checkpointer.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "journal/audit_checkpoint.hpp"
#include "journal/group_committer.hpp"
#include "journal/journal.hpp"
#include "journal/process_lock.hpp"
#include "journal/sqlite_checkpointer.hpp"
#include "journal/sqlite_db.hpp"
#include "journal/sqlite_schema.hpp"
#include "journal/staged_stats.hpp"

namespace swhub::journal::sqlite {

class SqliteJournal final : public Journal {
 public:
  // `path` absolute; `vfs` "" for the default. Throws JournalError when it cannot open.
  SqliteJournal(std::string path, std::string vfs, JournalOptions options);
  ~SqliteJournal() override;

  CommitResult commit(WriteBatch batch) override;
  std::optional<MessageRecord> findMessage(const std::string& partner, const std::string& idempotency_key) override;
  std::optional<MessageRecord> getMessage(const std::string& id) override;
  std::optional<CaseRecord> getCase(const std::string& id) override;
  std::vector<CaseRecord> findCases(const std::string& partner, const std::string& reference) override;
  std::vector<CaseRecord> searchCases(const CaseQuery& query) override;
  std::vector<CaseEvent> caseEvents(const std::string& case_id) override;
  std::optional<CaseFile> caseFile(const std::string& id) override;
  void forEachCaseFiled(Instant from, Instant to,
                        const std::function<bool(const CaseRecord&)>& visit) override;
  PartyHistory partyHistory(const std::string& role, const std::string& id, const std::string& before_case) override;

  // All states (pending, delivered, dead): a pull reader's cursor is its own acknowledgement,
  // so it sees every item addressed to it, in seq order, whatever a push worker did with it.
  std::vector<OutboxItem> outboxAfter(const std::string& recipient, Channel channel,
                                      std::int64_t after_seq, std::size_t limit) override;
  // Claims and completions go through the writer thread: serialised with commits, durable,
  // and sharing their fsync.
  std::vector<OutboxItem> claimOutbox(Channel channel, const std::string& owner, std::size_t limit,
                                      std::chrono::milliseconds lease) override;
  std::vector<OutboxItem> claimOutboxSkipping(Channel channel, const std::string& owner, std::size_t limit,
                                              std::chrono::milliseconds lease,
                                              const std::vector<std::string>& skip) override;
  void completeOutbox(std::int64_t seq, const std::string& owner, OutboxState state,
                      std::optional<Instant> next_attempt_at, const std::string& last_error) override;
  void completeOutboxItems(const std::vector<std::int64_t>& seqs, const std::string& owner, OutboxState state,
                           std::optional<Instant> next_attempt_at, const std::string& last_error,
                           const std::string& batch) override;
  void releaseOutbox(std::int64_t seq, const std::string& owner, std::optional<Instant> next_attempt_at) override;
  void releaseOutboxItems(const std::vector<std::int64_t>& seqs, const std::string& owner,
                          std::optional<Instant> next_attempt_at) override;
  std::optional<OutboxItem> getOutboxItem(std::int64_t seq) override;
  std::size_t releaseDeadClaims(const std::string& live_owner_prefix) override;
  std::vector<OutboxItem> deadLetters(std::int64_t after_seq, std::size_t limit) override;
  std::vector<OutboxItem> outboxForCase(const std::string& case_id) override;
  bool replayDeadLetter(std::int64_t seq) override;
  std::size_t replayAllDeadLetters() override;
  bool deadLetterPulled(std::int64_t seq, const std::string& reason) override;

  CommitResult beginStaged(const MessageRecord& message, std::int64_t body_size) override;
  CommitResult writeStagedBody(const std::string& message_id, std::int64_t offset, const std::string& bytes) override;
  CommitResult stage(const std::string& message_id, WriteBatch batch) override;
  CommitResult finishStaged(const MessageRecord& message, BlobSource response, WriteBatch batch) override;
  CommitResult abortStaged(const std::string& message_id) override;
  bool referenceTaken(const std::string& partner, const std::string& reference,
                      const std::string& staged_message_id) override;
  std::optional<MessageRecord> findMessageSummary(const std::string& partner, const std::string& idempotency_key) override;
  std::size_t readMessagePart(const std::string& message_id, MessagePart part, std::int64_t offset, char* buffer,
                              std::size_t capacity) override;
  std::int64_t messagePartSize(const std::string& message_id, MessagePart part) override;

  std::optional<Licence> findLicence(const std::string& agency, const std::string& id) override;
  std::vector<Licence> listLicences(const std::string& agency) override;
  std::vector<LicenceUse> licenceUses(const std::string& case_id) override;
  std::vector<LicenceUse> usesOfLicence(const std::string& agency, const std::string& id) override;
  LicencePutResult putLicence(const Licence& licence, LicencePut mode) override;
  std::size_t seedLicences(const std::vector<Licence>& licences) override;
  // Account statements (sqlite_accounts.cpp).
  void forEachCaseReleased(const std::string& partner, const std::string& from, const std::string& to,
                           const std::function<bool(const ReleasedCase&)>& visit) override;
  std::string firstRelease(const std::string& partner) override;
  std::optional<StatementRecord> statement(const std::string& account, const std::string& period) override;
  std::string latestStatementPeriod(const std::string& account) override;
  std::string statementOfCase(const std::string& case_id) override;
  std::vector<StatementLineRecord> linesOfChangedCases(const std::string& account) override;
  CommitResult issueStatement(const StatementRecord& statement) override;
  std::vector<DeclarationLink> linksOf(const std::string& case_id) override;
  std::optional<DeclarationLink> completionOf(const std::string& case_id) override;
  std::optional<DeclarationLink> finalSupplementary(const std::string& account, const std::string& period) override;
  // Supporting documents (sqlite_documents.cpp).
  std::vector<CaseDocument> caseDocuments(const std::string& case_id) override;
  std::optional<CaseDocument> caseDocument(const std::string& case_id, const std::string& digest) override;

  std::vector<StatDelta> statSums(const std::string& scope, std::int64_t from_hour, std::int64_t to_hour) override;
  bool statsFilled() override;
  CommitResult fillStats(const std::vector<StatDelta>& deltas) override;

  bool writable() const override;
  JournalStats stats() override;
  std::string describe() const override;

  // What the writer connection reported back after it was configured.
  const ConnectionSettings& settings() const { return settings_; }
  // Write jobs waiting for the writer thread (a queue-depth gauge; tests wait on it too).
  std::size_t queuedWrites() const;
  // TRUNCATE checkpoints that completed (the WAL went over its bound).
  std::int64_t walTruncations() const { return checkpointer_->truncations(); }

 private:
  // Transaction control on the writer connection, for the group committer.
  class Txn final : public GroupTxn {
   public:
    Txn(Db& db, WriterGate& gate) : db_(db), gate_(gate) {}
    void begin(bool alone) override;
    void savepoint() override { run("SAVEPOINT batch"); }
    void releaseSavepoint() override { run("RELEASE batch"); }
    void rollbackToSavepoint() override { run("ROLLBACK TO batch"); }
    void commit() override {
      run("COMMIT");
      gate_.leaveWriter();
    }
    void rollback() noexcept override;
    void writeStats(const std::vector<StatDelta>& deltas) override;

   private:
    void run(const char* sql);
    Db& db_;
    WriterGate& gate_;
    bool alone_ = false;  // the temp_store the connection has: FILE for a job alone, else MEMORY
  };

  template <typename Fn>
  auto withReader(Fn&& fn);
  std::chrono::system_clock::time_point now() const;
  std::size_t replay(std::int64_t seq);  // seq < 0: every dead letter
  // After a committed batch, on the writer thread: a signed checkpoint when one is due.
  void checkpointAudit(bool force);
  // Deletes a finished staged message's staged rows, a chunk a transaction, after its answer.
  void sweepStaged(const std::string& message_id);

  const std::string path_;
  const std::string vfs_;
  JournalOptions options_;
  StagedStats staged_stats_;
  ConnectionSettings settings_;
  CheckpointPolicy audit_policy_;
  std::chrono::steady_clock::time_point last_audit_checkpoint_ = std::chrono::steady_clock::now();  // writer thread
  std::unique_ptr<ProcessLock> lock_;  // exclusive: held until the journal closes
  std::unique_ptr<Db> writer_;
  WriterGate gate_;
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<Db>> idle_readers_;
  std::unique_ptr<Checkpointer> checkpointer_;
  std::unique_ptr<Txn> txn_;
  std::unique_ptr<GroupCommitter> committer_;  // last: stops (and drains) first
};

}  // namespace swhub::journal::sqlite
