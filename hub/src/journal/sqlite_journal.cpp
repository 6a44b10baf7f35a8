#include "journal/sqlite_journal.hpp"
#include "journal/sqlite_journal_reader.hpp"

#include <memory>
#include <stdexcept>

#include "common/ids.hpp"
#include "journal/sqlite_accounts.hpp"
#include "journal/sqlite_documents.hpp"
#include "journal/sqlite_gather_vfs.hpp"
#include "journal/sqlite_licences.hpp"
#include "journal/sqlite_pull_dead_letters.hpp"
#include "journal/sqlite_schema.hpp"
#include "journal/sqlite_staging.hpp"
#include "journal/sqlite_stats.hpp"
#include "journal/sqlite_store.hpp"

namespace swhub::journal::sqlite {
namespace {

std::int64_t epochMs(std::chrono::system_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

}  // namespace

void SqliteJournal::Txn::run(const char* sql) {
  // Transaction control never rejects one batch: any error here is a store failure.
  if (sqlite3_exec(db_.handle(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    throw StoreFailure(std::string("journal: ") + sql + " failed: " +
                       describeCode(sqlite3_extended_errcode(db_.handle())) +
                       "; the journal accepts no more writes");
  }
}

void SqliteJournal::Txn::begin(bool alone) {
  gate_.enterWriter();  // a TRUNCATE checkpoint that waits goes first
  // Each job of a group runs in a savepoint, which keeps a copy of every page the job changes
  // until it is released (the sub-journal): in memory, since a group's jobs change a few pages
  // each (in a temporary file they cost four fifths of the writer's write calls). A job alone (a
  // staged message made visible) has no savepoint, and its statements' own journals can be as
  // large as the message: a temporary file, so that memory stays flat.
  if (alone != alone_) {
    run(alone ? "PRAGMA temp_store=FILE" : "PRAGMA temp_store=MEMORY");
    alone_ = alone;
  }
  run("BEGIN IMMEDIATE");
}

void SqliteJournal::Txn::writeStats(const std::vector<StatDelta>& deltas) { writeStatDeltas(db_, deltas); }

void SqliteJournal::Txn::rollback() noexcept {
  // A failed COMMIT may already have rolled back on its own.
  if (!sqlite3_get_autocommit(db_.handle())) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  gate_.leaveWriter();
}

SqliteJournal::SqliteJournal(std::string path, std::string vfs, JournalOptions options)
    : path_(std::move(path)), vfs_(std::move(vfs)), options_(std::move(options)) {
  audit_policy_.sign = options_.audit_sign;
  audit_policy_.every_entries = options_.audit_checkpoint_entries;
  audit_policy_.every = options_.audit_checkpoint_interval;
  // Before anything is written: a second hub on this journal stops here, naming the first.
  if (options_.exclusive) lock_ = std::make_unique<ProcessLock>(path_ + ".lock", "sqlite:" + path_);
  try {
    // The writer's WAL writes are gathered (sqlite_gather_vfs.hpp); that needs the sync of every
    // commit that configureConnection sets (synchronous=FULL) and checks.
    writer_ = std::make_unique<Db>(path_, gatheringVfs(vfs_));
    settings_ = configureConnection(*writer_);
    if (options_.wal_limit_bytes > 0) {
      // A WAL that restarts from its beginning is cut back to the bound (the TRUNCATE checkpoints
      // empty it; this catches the restarts that PASSIVE checkpoints allow).
      const std::string limit = "journal_size_limit=" + std::to_string(options_.wal_limit_bytes);
      writer_->pragma(limit.c_str());
    }
    ensureSchema(*writer_);
    writer_->exec("PRAGMA temp_store=MEMORY");  // see Txn::begin
    // A staged message that a crash interrupted was never acknowledged: nothing of it stays. Only
    // the hub that holds the journal may say so: beside it, a staging message is work in progress.
    if (options_.exclusive) {
      writer_->exec("BEGIN IMMEDIATE");
      try {
        dropStaging(*writer_, "");
        writer_->exec("COMMIT");
      } catch (...) {
        sqlite3_exec(writer_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
      }
    }
    txn_ = std::make_unique<Txn>(*writer_, gate_);
    committer_ = std::make_unique<GroupCommitter>(*txn_, options_.max_group, options_.on_commit);
    checkpointer_ = std::make_unique<Checkpointer>(path_, vfs_, options_.checkpoint_pages,
                                                   options_.checkpoint_interval, options_.wal_limit_bytes, gate_,
                                                   [this](const std::string& why) { committer_->fail(why); });
    checkpointer_->watch(writer_->handle());  // no commit has run yet: the writer is idle
  } catch (const std::exception& e) {
    std::string why = e.what();
    if (why.rfind("journal: ", 0) == 0) why.erase(0, 9);
    throw JournalError("cannot open journal sqlite:" + path_ + ": " + why);
  }
}

SqliteJournal::~SqliteJournal() {
  // The head as it is at a clean stop is signed, so that a tail cut off after it shows.
  if (audit_policy_.sign && committer_ && committer_->writable()) {
    committer_->run([this] {
      checkpointAudit(true);
      return CommitResult{};
    }, false);
  }
  committer_.reset();     // drain and join the writer before anything it uses goes
  checkpointer_.reset();
}

CommitResult SqliteJournal::commit(WriteBatch batch) {
  if (options_.plan_stats) options_.plan_stats(batch);
  // The writer thread reads `batch` while this thread waits on the result: no copy needed.
  return committer_->run([this, &batch] {
    CommitResult result = applyBatch(*writer_, batch, false);
    if (result.status == CommitResult::Status::Committed) {
      txn_->addGroupStats(std::move(batch.stats));
      checkpointAudit(false);
    }
    return result;
  }, true);
}

void SqliteJournal::checkpointAudit(bool force) {
  maybeCheckpoint(*writer_, audit_policy_, force, common::rfc3339(now()), last_audit_checkpoint_);
}

std::optional<MessageRecord> SqliteJournal::findMessage(const std::string& partner, const std::string& key) {
  return withReader([&](Db& db) { return messageByKey(db, partner, key); });
}

std::optional<MessageRecord> SqliteJournal::getMessage(const std::string& id) {
  return withReader([&](Db& db) { return messageById(db, id); });
}

std::optional<CaseRecord> SqliteJournal::getCase(const std::string& id) {
  return withReader([&](Db& db) { return caseById(db, id); });
}

std::vector<CaseRecord> SqliteJournal::findCases(const std::string& partner, const std::string& reference) {
  return withReader([&](Db& db) { return casesByReference(db, partner, reference); });
}

std::vector<CaseRecord> SqliteJournal::searchCases(const CaseQuery& query) {
  return withReader([&](Db& db) { return sqlite::searchCases(db, query); });
}

PartyHistory SqliteJournal::partyHistory(const std::string& role, const std::string& id, const std::string& before_case) {
  return withReader([&](Db& db) { return sqlite::partyHistory(db, role, id, before_case); });
}

std::vector<CaseEvent> SqliteJournal::caseEvents(const std::string& case_id) {
  return withReader([&](Db& db) { return eventsOfCase(db, case_id); });
}

std::optional<CaseFile> SqliteJournal::caseFile(const std::string& id) {
  return withReader([&](Db& db) {
    return inSnapshot(db, [&](Db& db) {
      std::optional<CaseFile> out;
      if (auto record = caseById(db, id)) {
        out.emplace(CaseFile{std::move(*record), eventsOfCase(db, id), sqlite::linksOf(db, id),
                             sqlite::completionOf(db, id), documentsOf(db, id)});
      }
      return out;
    });
  });
}

void SqliteJournal::forEachCaseFiled(Instant from, Instant to,
                                     const std::function<bool(const CaseRecord&)>& visit) {
  constexpr std::size_t kPage = 2000;
  std::int64_t after = 0;
  for (;;) {
    auto page = withReader([&](Db& db) { return casesFiledPage(db, from, to, after, kPage); });
    for (const auto& [rowid, record] : page) {
      if (!visit(record)) return;
    }
    if (page.size() < kPage) return;
    after = page.back().first;
  }
}

std::vector<OutboxItem> SqliteJournal::outboxAfter(const std::string& recipient, Channel channel,
                                                   std::int64_t after_seq, std::size_t limit) {
  return withReader([&](Db& db) { return sqlite::outboxAfter(db, recipient, channel, after_seq, limit); });
}

std::vector<OutboxItem> SqliteJournal::claimOutbox(Channel channel, const std::string& owner,
                                                   std::size_t limit, std::chrono::milliseconds lease) {
  return claimOutboxSkipping(channel, owner, limit, lease, {});
}

std::vector<OutboxItem> SqliteJournal::claimOutboxSkipping(Channel channel, const std::string& owner,
                                                           std::size_t limit, std::chrono::milliseconds lease,
                                                           const std::vector<std::string>& skip) {
  if (owner.empty()) throw std::invalid_argument("claimOutbox: owner must not be empty");
  std::vector<OutboxItem> claimed;
  auto apply = [&] {
    const auto at = now();
    claimed = sqlite::claimOutbox(*writer_, channel, owner, limit, common::rfc3339(at), epochMs(at), epochMs(at + lease),
                                  skip);
    return CommitResult{};
  };
  // Not durable means not claimed: hand nothing out.
  if (committer_->run(apply, false).status != CommitResult::Status::Committed) return {};
  return claimed;
}

void SqliteJournal::completeOutbox(std::int64_t seq, const std::string& owner, OutboxState state,
                                   std::optional<Instant> next_attempt_at, const std::string& last_error) {
  completeOutboxItems({seq}, owner, state, next_attempt_at, last_error, "");
}

void SqliteJournal::completeOutboxItems(const std::vector<std::int64_t>& seqs, const std::string& owner,
                                        OutboxState state, std::optional<Instant> next_attempt_at,
                                        const std::string& last_error, const std::string& batch) {
  if (state == OutboxState::Pull) {
    throw std::invalid_argument("completeOutbox: state 'pull' is not pending, delivered or dead");
  }
  // A refused completion leaves the lease in place: the item is redelivered (at least once).
  const Instant at = common::toInstant(now());
  committer_->run([&] {
    std::vector<StatDelta> stats;
    for (std::int64_t seq : seqs) {
      if (sqlite::completeOutbox(*writer_, seq, owner, state, next_attempt_at, last_error, batch) &&
          state != OutboxState::Pending) {
        addOutboxStats(*writer_, seq, state == OutboxState::Dead, at, stats);
      }
    }
    txn_->addGroupStats(std::move(stats));
    return CommitResult{};
  }, false);
}

void SqliteJournal::releaseOutbox(std::int64_t seq, const std::string& owner, std::optional<Instant> next_attempt_at) {
  releaseOutboxItems({seq}, owner, next_attempt_at);
}

void SqliteJournal::releaseOutboxItems(const std::vector<std::int64_t>& seqs, const std::string& owner,
                                       std::optional<Instant> next_attempt_at) {
  // A refused release leaves the lease to expire: the item is claimed again then.
  committer_->run([&] {
    for (std::int64_t seq : seqs) sqlite::releaseOutbox(*writer_, seq, owner, next_attempt_at);
    return CommitResult{};
  }, false);
}

std::size_t SqliteJournal::releaseDeadClaims(const std::string& live_owner_prefix) {
  // Without the lock another hub may be alive on this file: its leases are not ours to judge.
  if (!lock_ || live_owner_prefix.empty()) return 0;
  std::size_t released = 0;
  const CommitResult result = committer_->run([&] {
    released = sqlite::releaseForeignLeases(*writer_, live_owner_prefix);
    return CommitResult{};
  }, false);
  return result.status == CommitResult::Status::Committed ? released : 0;
}

std::optional<OutboxItem> SqliteJournal::getOutboxItem(std::int64_t seq) {
  return withReader([&](Db& db) { return outboxItem(db, seq); });
}

std::vector<OutboxItem> SqliteJournal::outboxForCase(const std::string& case_id) {
  return withReader([&](Db& db) { return sqlite::outboxForCase(db, case_id); });
}

std::vector<OutboxItem> SqliteJournal::deadLetters(std::int64_t after_seq, std::size_t limit) {
  return withReader([&](Db& db) { return sqlite::deadLetters(db, after_seq, limit); });
}

bool SqliteJournal::replayDeadLetter(std::int64_t seq) {
  if (seq < 0) return false;
  return replay(seq) == 1;
}

std::size_t SqliteJournal::replayAllDeadLetters() { return replay(-1); }

std::size_t SqliteJournal::replay(std::int64_t seq) {
  std::size_t replayed = 0;
  const std::string at = common::rfc3339(now());
  const CommitResult result = committer_->run([&] {
    // Pull items first (back to 'pull'), then the others (back to 'pending').
    replayed = replayPulledDead(*writer_, seq);
    if (seq < 0 || replayed == 0) replayed += replayDead(*writer_, seq, at);
    return CommitResult{};
  }, false);
  // An operator asked for it: say that it did not happen rather than "nothing to replay".
  if (result.status != CommitResult::Status::Committed) {
    throw JournalError("dead-letter replay not written: " + result.error);
  }
  return replayed;
}

bool SqliteJournal::deadLetterPulled(std::int64_t seq, const std::string& reason) {
  bool moved = false;
  const CommitResult result = committer_->run([&] {
    moved = sqlite::deadLetterPulled(*writer_, seq, reason);
    if (moved) {
      std::vector<StatDelta> stats;
      addOutboxStats(*writer_, seq, true, common::toInstant(now()), stats);
      txn_->addGroupStats(std::move(stats));
    }
    return CommitResult{};
  }, false);
  if (result.status != CommitResult::Status::Committed) {
    throw JournalError("dead letter of outbox item " + std::to_string(seq) + " not written: " + result.error);
  }
  return moved;
}

CommitResult SqliteJournal::beginStaged(const MessageRecord& message, std::int64_t body_size) {
  return committer_->run([&] {
    insertStagingMessage(*writer_, message, body_size);
    return CommitResult{};
  }, false);
}

CommitResult SqliteJournal::writeStagedBody(const std::string& message_id, std::int64_t offset,
                                            const std::string& bytes) {
  return committer_->run([&] {
    writeStagingBody(*writer_, message_id, offset, bytes);
    return CommitResult{};
  }, false);
}

CommitResult SqliteJournal::stage(const std::string& message_id, WriteBatch batch) {
  if (options_.plan_stats) options_.plan_stats(batch);
  CommitResult result = committer_->run([&] {
    stageBatch(*writer_, message_id, batch);
    return CommitResult{};
  }, false);
  // The rollups of staged rows are written when they become visible (finishStaged), with them.
  if (result.status == CommitResult::Status::Committed) staged_stats_.add(message_id, std::move(batch.stats));
  return result;
}

CommitResult SqliteJournal::finishStaged(const MessageRecord& message, BlobSource response, WriteBatch batch) {
  if (options_.plan_stats) options_.plan_stats(batch);
  auto staged = staged_stats_.take(message.id);
  if (message.status == MessageStatus::Accepted) batch.stats.insert(batch.stats.end(), staged.begin(), staged.end());
  CommitResult result = committer_->run([&] {
    CommitResult result = finishStaging(*writer_, message, response, batch);
    if (result.status == CommitResult::Status::Committed) checkpointAudit(false);
    return result;
  }, true, true);
  if (result.status == CommitResult::Status::Committed) sweepStaged(message.id);
  return result;
}

void SqliteJournal::sweepStaged(const std::string& message_id) {
  // In transactions of their own, after what waits already: a filing queued meanwhile waits for
  // one chunk at most. When the journal closes, the chunk queued runs and no next one is queued:
  // what is left stays, unread, until the next serving (exclusive) open drops every staged row.
  committer_->post([this, message_id] {
    if (sweepStagedRows(*writer_, message_id, options_.staged_sweep_rows)) sweepStaged(message_id);
    return CommitResult{};
  }, true);
}

CommitResult SqliteJournal::abortStaged(const std::string& message_id) {
  if (message_id.empty()) throw std::invalid_argument("abortStaged: message_id must not be empty");
  staged_stats_.take(message_id);
  return committer_->run([&] {
    dropStaging(*writer_, message_id);
    return CommitResult{};
  }, false, true);
}

bool SqliteJournal::referenceTaken(const std::string& partner, const std::string& reference,
                                   const std::string& staged_message_id) {
  return withReader([&](Db& db) { return sqlite::referenceTaken(db, partner, reference, staged_message_id); });
}

std::optional<MessageRecord> SqliteJournal::findMessageSummary(const std::string& partner, const std::string& key) {
  return withReader([&](Db& db) { return messageSummaryByKey(db, partner, key); });
}

std::size_t SqliteJournal::readMessagePart(const std::string& message_id, MessagePart part, std::int64_t offset,
                                           char* buffer, std::size_t capacity) {
  return withReader([&](Db& db) { return sqlite::readMessagePart(db, message_id, part, offset, buffer, capacity); });
}

std::int64_t SqliteJournal::messagePartSize(const std::string& message_id, MessagePart part) {
  return withReader([&](Db& db) { return sqlite::messagePartSize(db, message_id, part); });
}

std::vector<StatDelta> SqliteJournal::statSums(const std::string& scope, std::int64_t from_hour, std::int64_t to_hour) {
  return withReader([&](Db& db) { return sqlite::statSums(db, scope, from_hour, to_hour); });
}

bool SqliteJournal::statsFilled() {
  return withReader([](Db& db) { return sqlite::statsFilled(db); });
}

CommitResult SqliteJournal::fillStats(const std::vector<StatDelta>& deltas) {
  const std::string at = common::rfc3339(now());
  return committer_->run([&] {
    if (!markStatsFilled(*writer_, at)) return CommitResult{CommitResult::Status::Duplicate, std::nullopt, "", {}};
    writeStatDeltas(*writer_, deltas);
    return CommitResult{};
  }, false);
}

bool SqliteJournal::writable() const { return committer_->writable(); }

JournalStats SqliteJournal::stats() {
  JournalStats stats = withReader([](Db& db) { return countRows(db); });
  stats.commits = committer_->commits();
  stats.batches = committer_->batches();
  return stats;
}

std::string SqliteJournal::describe() const {
  // Built from the settings read back from the writer connection, not from what was asked.
  std::string text = "sqlite:" + path_;
  if (!vfs_.empty()) text += "?vfs=" + vfs_;
  text += settings_.journal_mode == "wal" ? " (WAL" : " (" + settings_.journal_mode;
  return text + ", synchronous=" + (settings_.synchronous == 2 ? std::string("FULL") : std::to_string(settings_.synchronous)) + ")";
}

std::size_t SqliteJournal::queuedWrites() const { return committer_->queued(); }

std::chrono::system_clock::time_point SqliteJournal::now() const {
  return options_.clock ? options_.clock() : std::chrono::system_clock::now();
}

// ---------------------------------------------------------------- licences

std::size_t SqliteJournal::seedLicences(const std::vector<Licence>& licences) {
  std::size_t added = 0;
  const std::string at = common::rfc3339(now());
  const CommitResult result = committer_->run([&] {
    added = 0;
    for (const auto& licence : licences) {
      if (sqlite::putLicence(*writer_, licence, LicencePut::InsertIfAbsent, at).status ==
          LicencePutResult::Status::Written) {
        ++added;
      }
    }
    return CommitResult{};
  }, false);
  if (result.status != CommitResult::Status::Committed) {
    throw JournalError("licence registry not seeded: " + result.error);
  }
  return added;
}

std::optional<Licence> SqliteJournal::findLicence(const std::string& agency, const std::string& id) {
  return withReader([&](Db& db) { return licenceById(db, agency, id); });
}

std::vector<Licence> SqliteJournal::listLicences(const std::string& agency) {
  return withReader([&](Db& db) { return licencesOf(db, agency); });
}

std::vector<LicenceUse> SqliteJournal::licenceUses(const std::string& case_id) {
  return withReader([&](Db& db) { return usesOfCase(db, case_id); });
}

std::vector<LicenceUse> SqliteJournal::usesOfLicence(const std::string& agency, const std::string& id) {
  return withReader([&](Db& db) { return sqlite::usesOfLicence(db, agency, id); });
}

LicencePutResult SqliteJournal::putLicence(const Licence& licence, LicencePut mode) {
  LicencePutResult out;
  const std::string at = common::rfc3339(now());
  const CommitResult result = committer_->run([&] {
    out = sqlite::putLicence(*writer_, licence, mode, at);
    return CommitResult{};
  }, false);
  if (result.status != CommitResult::Status::Committed) {
    throw JournalError("licence '" + licence.id + "' of agency '" + licence.agency + "' not written: " + result.error);
  }
  return out;
}

}  // namespace swhub::journal::sqlite
