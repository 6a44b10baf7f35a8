#pragma once
// The PostgreSQL journal (several hub nodes on one database): one writer connection driven by
// the group committer (each group one transaction, one durable COMMIT with synchronous_commit
// on), a pool of read connections, and, for a serving hub, its node's liveness: a session
// advisory lock held on a connection of its own, and a reaper that gives back the leases and
// staged messages of nodes whose lock is free (killed, or cut off from the database).

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "journal/group_committer.hpp"
#include "journal/journal.hpp"
#include "journal/staged_stats.hpp"
#include "journal/pg_conn.hpp"

namespace swhub::journal::pg {

class PgJournal final : public Journal {
 public:
  // `url` a libpq connection URI (postgresql://user:pw@host:port/db?...). Throws JournalError.
  PgJournal(std::string url, JournalOptions options);
  ~PgJournal() override;

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
  std::vector<OutboxItem> outboxAfter(const std::string& recipient, Channel channel,
                                      std::int64_t after_seq, std::size_t limit) override;
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
  // Registers `live_owner_prefix` as this node's (exclusive journals only), gives back every lease
  // of an owner whose node is not alive, and from then on does so every second (the reaper).
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
  void forEachCaseReleased(const std::string& partner, const std::string& from, const std::string& to,
                           const std::function<bool(const ReleasedCase&)>& visit) override;
  std::string firstRelease(const std::string& partner) override;
  std::optional<StatementRecord> statement(const std::string& account, const std::string& period) override;
  std::string latestStatementPeriod(const std::string& account) override;
  std::string statementOfCase(const std::string& case_id) override;
  std::vector<DeclarationLink> linksOf(const std::string& case_id) override;
  std::optional<DeclarationLink> completionOf(const std::string& case_id) override;
  std::optional<DeclarationLink> finalSupplementary(const std::string& account, const std::string& period) override;
  std::vector<CaseDocument> caseDocuments(const std::string& case_id) override;
  std::optional<CaseDocument> caseDocument(const std::string& case_id, const std::string& digest) override;
  std::vector<StatementLineRecord> linesOfChangedCases(const std::string& account) override;
  CommitResult issueStatement(const StatementRecord& statement) override;

  // NOTIFY swhub_reload (payload: this node's id); the reaper's connection LISTENs, so the
  // others see it at their next tick (every second).
  void announceReload() override;
  void onReload(std::function<void()> handler) override;

  std::vector<StatDelta> statSums(const std::string& scope, std::int64_t from_hour, std::int64_t to_hour) override;
  bool statsFilled() override;
  CommitResult fillStats(const std::vector<StatDelta>& deltas) override;

  bool writable() const override;
  std::string lost() const override;
  JournalStats stats() override;
  std::string describe() const override;

  // This node's id in the nodes table (0 when not exclusive).
  std::int64_t nodeId() const { return node_id_; }
  // One pass of the reaper (tests call it rather than wait): returns the leases given back.
  std::size_t reapDeadNodes();

 private:
  class Txn final : public GroupTxn {
   public:
    explicit Txn(Conn& db) : db_(db) {}
    void begin(bool alone) override;
    void savepoint() override { run("SAVEPOINT batch"); }
    void releaseSavepoint() override { run("RELEASE SAVEPOINT batch"); }
    void rollbackToSavepoint() override { run("ROLLBACK TO SAVEPOINT batch"); }
    void commit() override { run("COMMIT"); }
    void rollback() noexcept override;
    void writeStats(const std::vector<StatDelta>& deltas) override;

   private:
    void run(const char* sql);
    Conn& db_;
  };

  template <typename Fn>
  auto withReader(Fn&& fn);
  std::chrono::system_clock::time_point now() const;
  std::size_t replay(std::int64_t seq);
  void checkpointAudit(bool force);
  void reaperLoop();

  const std::string url_;
  const std::string conninfo_;
  JournalOptions options_;
  StagedStats staged_stats_;
  std::string synchronous_commit_;
  std::chrono::steady_clock::time_point last_audit_checkpoint_ = std::chrono::steady_clock::now();
  std::unique_ptr<Conn> writer_;
  std::unique_ptr<Conn> liveness_;  // holds this node's advisory lock while the journal is open
  std::int64_t node_id_ = 0;
  std::string owner_prefix_;  // this node's lease prefix, once releaseDeadClaims named it
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<Conn>> idle_readers_;
  std::unique_ptr<Txn> txn_;
  std::unique_ptr<GroupCommitter> committer_;

  std::mutex liveness_mutex_;  // the liveness connection: the reaper's LISTEN and announceReload
  std::mutex reload_mutex_;    // held while the handler runs
  std::function<void()> reload_handler_;
  void takeNotifications();

  std::mutex reaper_mutex_;
  std::condition_variable reaper_wake_;
  bool stopping_ = false;
  std::thread reaper_;
};

}  // namespace swhub::journal::pg
