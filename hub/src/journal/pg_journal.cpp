#include "journal/pg_journal.hpp"

#include <optional>
#include <stdexcept>

#include "common/ids.hpp"
#include "journal/audit_checkpoint.hpp"
#include "journal/pg_schema.hpp"
#include "journal/pg_stats.hpp"
#include "journal/pg_store.hpp"

namespace swhub::journal::pg {
namespace {

constexpr std::size_t kMaxIdleReaders = 8;
constexpr std::chrono::milliseconds kReapEvery{1000};

std::int64_t epochMs(std::chrono::system_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

// The live nodes: those whose session advisory lock (kNodeLockClass, id) is held in this database.
constexpr const char* kLiveNodes =
    "SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND classid = 21336 AND objsubid = 2"
    " AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
static_assert(kNodeLockClass == 21336, "kLiveNodes names the lock class");

}  // namespace

void PgJournal::Txn::run(const char* sql) {
  try {
    db_.exec(sql);
  } catch (const std::exception& e) {
    // Transaction control never rejects one batch: any error here is a store failure.
    throw StoreFailure(std::string(e.what()) + "; the journal accepts no more writes");
  }
}

void PgJournal::Txn::begin(bool /*alone: PostgreSQL's savepoints cost no copy of the pages*/) {
  // The chain's head is locked by the batches that need it (applyBatch), not here: a group of
  // claims and completions alone (the workers' polls) then takes no lock that another node's
  // filings wait for, and a poll that finds nothing writes nothing (no WAL flush).
  run("BEGIN");
}

void PgJournal::Txn::writeStats(const std::vector<StatDelta>& deltas) { writeStatDeltas(db_, deltas); }

void PgJournal::Txn::rollback() noexcept {
  if (db_.handle()) PQclear(PQexec(db_.handle(), "ROLLBACK"));
}

PgJournal::PgJournal(std::string url, JournalOptions options)
    : url_(std::move(url)), conninfo_(url_), options_(std::move(options)) {
  try {
    writer_ = std::make_unique<Conn>(conninfo_);
    // The receipt goes out only after the commit is on the server's disk (and its synchronous
    // standbys', when it has any): never weaker, whatever the server's default.
    writer_->exec("SET synchronous_commit = on");
    synchronous_commit_ = writer_->exec("SHOW synchronous_commit").text(0, 0);
    if (synchronous_commit_ != "on" && synchronous_commit_ != "remote_apply") {
      throw StoreFailure("journal: synchronous_commit is '" + synchronous_commit_ + "', not on");
    }
    if (writer_->exec("SHOW fsync").text(0, 0) != "on") {
      throw StoreFailure("journal: the server runs with fsync off: a commit would not be durable");
    }
    migrate(*writer_);
    if (options_.exclusive) {
      // This node's liveness: a row and the session lock on its id, taken in one transaction so
      // that no other node sees the row without the lock.
      liveness_ = std::make_unique<Conn>(conninfo_);
      liveness_->exec("BEGIN");
      node_id_ = liveness_->exec("INSERT INTO nodes (owner, started_at) VALUES ('', $1) RETURNING id",
                                 Params().text(common::rfc3339(now())))
                     .integer(0, 0);
      liveness_->exec("SELECT pg_advisory_lock(" + std::to_string(kNodeLockClass) + ", " + std::to_string(node_id_) + ")");
      liveness_->exec("COMMIT");
      liveness_->exec("LISTEN swhub_reload");
    }
    txn_ = std::make_unique<Txn>(*writer_);
    committer_ = std::make_unique<GroupCommitter>(*txn_, options_.max_group, options_.on_commit);
    if (options_.exclusive) {
      // Staged messages of nodes that died were never acknowledged: nothing of them stays.
      const CommitResult dropped = committer_->run([this] {
        dropStaging(*writer_, "");
        return CommitResult{};
      }, false);
      if (dropped.status != CommitResult::Status::Committed) throw StoreFailure(dropped.error);
    }
  } catch (const std::exception& e) {
    committer_.reset();
    std::string why = e.what();
    if (why.rfind("journal: ", 0) == 0) why.erase(0, 9);
    throw JournalError("cannot open journal " + redactUrl(url_) + ": " + why);
  }
}

PgJournal::~PgJournal() {
  {
    std::lock_guard lock(reaper_mutex_);
    stopping_ = true;
  }
  reaper_wake_.notify_all();
  if (reaper_.joinable()) reaper_.join();
  if (options_.audit_sign && committer_ && committer_->writable()) {
    committer_->run([this] {
      checkpointAudit(true);
      return CommitResult{};
    }, false);
  }
  committer_.reset();
  if (liveness_) {
    // A clean stop: the node's row goes with its lock.
    try {
      liveness_->exec("DELETE FROM nodes WHERE id = $1", Params().integer(node_id_));
    } catch (const std::exception&) {
      // Its lock goes with the connection all the same; the reaper removes the row.
    }
  }
}

template <typename Fn>
auto PgJournal::withReader(Fn&& fn) {
  std::unique_ptr<Conn> reader;
  {
    std::lock_guard lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
  }
  try {
    if (!reader || !reader->ok()) reader = std::make_unique<Conn>(conninfo_);
    std::optional<decltype(fn(*reader))> result;
    try {
      result.emplace(fn(*reader));
    } catch (const StoreFailure&) {
      // A connection the server dropped (restarted, or its backends terminated) is only found
      // broken when used: a read is safe to run again, once, on a new connection; the idle ones
      // went with the same server, so they go too.
      if (reader->ok()) throw;
      {
        std::lock_guard lock(readers_mutex_);
        idle_readers_.clear();
      }
      reader = std::make_unique<Conn>(conninfo_);
      result.emplace(fn(*reader));
    }
    std::lock_guard lock(readers_mutex_);
    if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(reader));
    return std::move(*result);
  } catch (const StoreFailure& e) {
    throw JournalError(e.what());
  } catch (const BatchRejected& e) {
    throw JournalError(e.what());
  }
}

std::chrono::system_clock::time_point PgJournal::now() const {
  return options_.clock ? options_.clock() : std::chrono::system_clock::now();
}

CommitResult PgJournal::commit(WriteBatch batch) {
  if (options_.plan_stats) options_.plan_stats(batch);
  return committer_->run([this, &batch] {
    CommitResult result = applyBatch(*writer_, batch, false);
    if (result.status == CommitResult::Status::Committed) {
      txn_->addGroupStats(std::move(batch.stats));
      checkpointAudit(false);
    }
    return result;
  }, true);
}

void PgJournal::checkpointAudit(bool force) {
  if (!options_.audit_sign) return;
  const auto steady = std::chrono::steady_clock::now();
  const std::int64_t last_seq = writer_->exec("SELECT coalesce(max(seq), 0) FROM audit_checkpoints").integer(0, 0);
  auto head = writer_->exec("SELECT seq, hash FROM audit_head WHERE id = 1");
  const std::int64_t seq = head.integer(0, 0);
  if (seq <= last_seq) return;
  const bool due = force || seq - last_seq >= options_.audit_checkpoint_entries ||
                   steady - last_audit_checkpoint_ >= options_.audit_checkpoint_interval;
  if (!due) return;
  const std::string at = common::rfc3339(now());
  std::string signature;
  try {
    signature = options_.audit_sign(sqlite::checkpointText(seq, head.text(0, 1), at));
  } catch (const std::exception&) {
    return;  // no checkpoint this time; the filing itself must not fail for it
  }
  writer_->exec("INSERT INTO audit_checkpoints (seq, head_hash, at, signature) VALUES ($1, $2, $3, $4)"
                " ON CONFLICT (seq) DO NOTHING",
                Params().integer(seq).text(head.text(0, 1)).text(at).text(signature));
  last_audit_checkpoint_ = steady;
}

std::optional<MessageRecord> PgJournal::findMessage(const std::string& partner, const std::string& key) {
  return withReader([&](Conn& db) { return messageByKey(db, partner, key); });
}

std::optional<MessageRecord> PgJournal::getMessage(const std::string& id) {
  return withReader([&](Conn& db) { return messageById(db, id); });
}

std::optional<CaseRecord> PgJournal::getCase(const std::string& id) {
  return withReader([&](Conn& db) { return caseById(db, id); });
}

std::vector<CaseRecord> PgJournal::findCases(const std::string& partner, const std::string& reference) {
  return withReader([&](Conn& db) { return casesByReference(db, partner, reference); });
}

std::vector<CaseRecord> PgJournal::searchCases(const CaseQuery& query) {
  return withReader([&](Conn& db) { return pg::searchCases(db, query); });
}

std::vector<CaseEvent> PgJournal::caseEvents(const std::string& case_id) {
  return withReader([&](Conn& db) { return eventsOfCase(db, case_id); });
}

std::optional<CaseFile> PgJournal::caseFile(const std::string& id) {
  return withReader([&](Conn& db) {
    // One snapshot for every read.
    db.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
      std::optional<CaseFile> out;
      if (auto record = caseById(db, id)) {
        out.emplace(CaseFile{std::move(*record), eventsOfCase(db, id), pg::linksOf(db, id), pg::completionOf(db, id),
                             documentsOf(db, id)});
      }
      db.exec("COMMIT");
      return out;
    } catch (...) {
      PQclear(PQexec(db.handle(), "ROLLBACK"));
      throw;
    }
  });
}

void PgJournal::forEachCaseFiled(Instant from, Instant to,
                                 const std::function<bool(const CaseRecord&)>& visit) {
  constexpr std::size_t kPage = 2000;
  std::int64_t after = 0;
  for (;;) {
    auto page = withReader([&](Conn& db) { return casesFiledPage(db, from, to, after, kPage); });
    for (const auto& [written, record] : page) {
      if (!visit(record)) return;
    }
    if (page.size() < kPage) return;
    after = page.back().first;
  }
}

PartyHistory PgJournal::partyHistory(const std::string& role, const std::string& id, const std::string& before_case) {
  if (role != "seller" && role != "buyer") throw std::invalid_argument("partyHistory: no index for role '" + role + "'");
  return withReader([&](Conn& db) { return pg::partyHistory(db, role, id, before_case); });
}

std::vector<OutboxItem> PgJournal::outboxAfter(const std::string& recipient, Channel channel,
                                               std::int64_t after_seq, std::size_t limit) {
  return withReader([&](Conn& db) { return pg::outboxAfter(db, recipient, channel, after_seq, limit); });
}

std::vector<OutboxItem> PgJournal::claimOutbox(Channel channel, const std::string& owner, std::size_t limit,
                                               std::chrono::milliseconds lease) {
  return claimOutboxSkipping(channel, owner, limit, lease, {});
}

std::vector<OutboxItem> PgJournal::claimOutboxSkipping(Channel channel, const std::string& owner,
                                                       std::size_t limit, std::chrono::milliseconds lease,
                                                       const std::vector<std::string>& skip) {
  if (owner.empty()) throw std::invalid_argument("claimOutbox: owner must not be empty");
  std::vector<OutboxItem> claimed;
  auto apply = [&] {
    const auto at = now();
    claimed = pg::claimOutbox(*writer_, channel, owner, limit, common::rfc3339(at), epochMs(at), epochMs(at + lease), skip);
    return CommitResult{};
  };
  if (committer_->run(apply, false).status != CommitResult::Status::Committed) return {};
  return claimed;
}

void PgJournal::completeOutbox(std::int64_t seq, const std::string& owner, OutboxState state,
                               std::optional<Instant> next_attempt_at, const std::string& last_error) {
  completeOutboxItems({seq}, owner, state, next_attempt_at, last_error, "");
}

void PgJournal::completeOutboxItems(const std::vector<std::int64_t>& seqs, const std::string& owner,
                                    OutboxState state, std::optional<Instant> next_attempt_at,
                                    const std::string& last_error, const std::string& batch) {
  if (state == OutboxState::Pull) {
    throw std::invalid_argument("completeOutbox: state 'pull' is not pending, delivered or dead");
  }
  const Instant at = common::toInstant(now());
  committer_->run([&] {
    std::vector<StatDelta> stats;
    for (std::int64_t seq : seqs) {
      if (pg::completeOutbox(*writer_, seq, owner, state, next_attempt_at, last_error, batch) &&
          state != OutboxState::Pending) {
        addOutboxStats(*writer_, seq, state == OutboxState::Dead, at, stats);
      }
    }
    txn_->addGroupStats(std::move(stats));
    return CommitResult{};
  }, false);
}

void PgJournal::releaseOutbox(std::int64_t seq, const std::string& owner, std::optional<Instant> next_attempt_at) {
  releaseOutboxItems({seq}, owner, next_attempt_at);
}

void PgJournal::releaseOutboxItems(const std::vector<std::int64_t>& seqs, const std::string& owner,
                                   std::optional<Instant> next_attempt_at) {
  committer_->run([&] {
    for (std::int64_t seq : seqs) pg::releaseOutbox(*writer_, seq, owner, next_attempt_at);
    return CommitResult{};
  }, false);
}

std::optional<OutboxItem> PgJournal::getOutboxItem(std::int64_t seq) {
  return withReader([&](Conn& db) { return outboxItem(db, seq); });
}

std::size_t PgJournal::releaseDeadClaims(const std::string& live_owner_prefix) {
  // Only a serving node (exclusive) has a liveness of its own to stand on.
  if (!liveness_ || live_owner_prefix.empty()) return 0;
  {
    std::lock_guard lock(reaper_mutex_);
    if (owner_prefix_.empty()) {
      owner_prefix_ = live_owner_prefix;
      try {
        std::lock_guard liveness(liveness_mutex_);
        liveness_->exec("UPDATE nodes SET owner = $1 WHERE id = $2", Params().text(owner_prefix_).integer(node_id_));
      } catch (const std::exception&) {
        return 0;
      }
    }
  }
  const std::size_t released = reapDeadNodes();
  std::lock_guard lock(reaper_mutex_);
  if (!reaper_.joinable() && !stopping_) reaper_ = std::thread([this] { reaperLoop(); });
  return released;
}

std::size_t PgJournal::reapDeadNodes() {
  std::size_t released = 0;
  const CommitResult result = committer_->run([&] {
    // A lease is alive while its owner starts with a live node's prefix; every other pending
    // lease is given back (attempts and next_attempt_at unchanged), and dead nodes' rows and
    // staged messages go.
    auto r = writer_->exec(std::string(
        "UPDATE outbox o SET lease_owner = '', lease_until = 0 WHERE o.state = 'pending' AND o.lease_owner <> ''"
        " AND NOT EXISTS (SELECT 1 FROM nodes n WHERE n.owner <> '' AND starts_with(o.lease_owner, n.owner)"
        " AND n.id IN (") + kLiveNodes + "))");
    released = static_cast<std::size_t>(r.affected());
    dropStaging(*writer_, "");
    writer_->exec(std::string("DELETE FROM nodes WHERE id NOT IN (") + kLiveNodes + ")");
    return CommitResult{};
  }, false);
  return result.status == CommitResult::Status::Committed ? released : 0;
}

void PgJournal::reaperLoop() {
  std::unique_lock lock(reaper_mutex_);
  while (!stopping_) {
    reaper_wake_.wait_for(lock, kReapEvery, [this] { return stopping_; });
    if (stopping_) return;
    lock.unlock();
    if (committer_->writable()) reapDeadNodes();
    takeNotifications();
    lock.lock();
  }
}

void PgJournal::announceReload() {
  if (!liveness_) return;
  std::lock_guard lock(liveness_mutex_);
  try {
    liveness_->exec("SELECT pg_notify('swhub_reload', $1)", Params().text(std::to_string(node_id_)));
  } catch (const std::exception&) {
    // The others keep their configuration until their own reload; this node's already applied.
  }
}

void PgJournal::onReload(std::function<void()> handler) {
  std::lock_guard lock(reload_mutex_);
  reload_handler_ = std::move(handler);
}

void PgJournal::takeNotifications() {
  bool reload = false;
  {
    std::lock_guard lock(liveness_mutex_);
    if (!liveness_ || PQconsumeInput(liveness_->handle()) != 1) return;
    while (PGnotify* notify = PQnotifies(liveness_->handle())) {
      // A node hears its own NOTIFY too: only the others' count.
      if (std::string(notify->relname) == "swhub_reload" && std::string(notify->extra) != std::to_string(node_id_)) {
        reload = true;
      }
      PQfreemem(notify);
    }
  }
  if (!reload) return;
  std::lock_guard lock(reload_mutex_);
  if (reload_handler_) reload_handler_();
}

std::vector<OutboxItem> PgJournal::deadLetters(std::int64_t after_seq, std::size_t limit) {
  return withReader([&](Conn& db) { return pg::deadLetters(db, after_seq, limit); });
}

std::vector<OutboxItem> PgJournal::outboxForCase(const std::string& case_id) {
  return withReader([&](Conn& db) { return pg::outboxForCase(db, case_id); });
}

bool PgJournal::replayDeadLetter(std::int64_t seq) {
  if (seq < 0) return false;
  return replay(seq) == 1;
}

std::size_t PgJournal::replayAllDeadLetters() { return replay(-1); }

std::size_t PgJournal::replay(std::int64_t seq) {
  std::size_t replayed = 0;
  const std::string at = common::rfc3339(now());
  const CommitResult result = committer_->run([&] {
    replayed = replayPulledDead(*writer_, seq);
    if (seq < 0 || replayed == 0) replayed += replayDead(*writer_, seq, at);
    return CommitResult{};
  }, false);
  if (result.status != CommitResult::Status::Committed) throw JournalError("dead-letter replay not written: " + result.error);
  return replayed;
}

bool PgJournal::deadLetterPulled(std::int64_t seq, const std::string& reason) {
  bool moved = false;
  const CommitResult result = committer_->run([&] {
    moved = pg::deadLetterPulled(*writer_, seq, reason);
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

CommitResult PgJournal::beginStaged(const MessageRecord& message, std::int64_t body_size) {
  return committer_->run([&] {
    insertStagingMessage(*writer_, message, body_size, node_id_);
    return CommitResult{};
  }, false);
}

CommitResult PgJournal::writeStagedBody(const std::string& message_id, std::int64_t offset, const std::string& bytes) {
  return committer_->run([&] {
    writeStagingBody(*writer_, message_id, offset, bytes);
    return CommitResult{};
  }, false);
}

CommitResult PgJournal::stage(const std::string& message_id, WriteBatch batch) {
  if (options_.plan_stats) options_.plan_stats(batch);
  CommitResult result = committer_->run([&] {
    stageBatch(*writer_, message_id, batch);
    return CommitResult{};
  }, false);
  // The rollups of staged rows are written when they become visible (finishStaged), with them.
  if (result.status == CommitResult::Status::Committed) staged_stats_.add(message_id, std::move(batch.stats));
  return result;
}

CommitResult PgJournal::finishStaged(const MessageRecord& message, BlobSource response, WriteBatch batch) {
  if (options_.plan_stats) options_.plan_stats(batch);
  auto staged = staged_stats_.take(message.id);
  if (message.status == MessageStatus::Accepted) batch.stats.insert(batch.stats.end(), staged.begin(), staged.end());
  return committer_->run([&] {
    CommitResult result = finishStaging(*writer_, message, response, batch);
    if (result.status == CommitResult::Status::Committed) checkpointAudit(false);
    return result;
  }, true);
}

CommitResult PgJournal::abortStaged(const std::string& message_id) {
  if (message_id.empty()) throw std::invalid_argument("abortStaged: message_id must not be empty");
  staged_stats_.take(message_id);
  return committer_->run([&] {
    dropStaging(*writer_, message_id);
    return CommitResult{};
  }, false);
}

bool PgJournal::referenceTaken(const std::string& partner, const std::string& reference,
                               const std::string& staged_message_id) {
  return withReader([&](Conn& db) { return pg::referenceTaken(db, partner, reference, staged_message_id); });
}

std::optional<MessageRecord> PgJournal::findMessageSummary(const std::string& partner, const std::string& key) {
  return withReader([&](Conn& db) { return messageSummaryByKey(db, partner, key); });
}

std::size_t PgJournal::readMessagePart(const std::string& message_id, MessagePart part, std::int64_t offset,
                                       char* buffer, std::size_t capacity) {
  return withReader([&](Conn& db) { return pg::readMessagePart(db, message_id, part, offset, buffer, capacity); });
}

std::int64_t PgJournal::messagePartSize(const std::string& message_id, MessagePart part) {
  return withReader([&](Conn& db) { return pg::messagePartSize(db, message_id, part); });
}

std::optional<Licence> PgJournal::findLicence(const std::string& agency, const std::string& id) {
  return withReader([&](Conn& db) { return licenceById(db, agency, id); });
}

std::vector<Licence> PgJournal::listLicences(const std::string& agency) {
  return withReader([&](Conn& db) { return licencesOf(db, agency); });
}

std::vector<LicenceUse> PgJournal::licenceUses(const std::string& case_id) {
  return withReader([&](Conn& db) { return usesOfCase(db, case_id); });
}

std::vector<LicenceUse> PgJournal::usesOfLicence(const std::string& agency, const std::string& id) {
  return withReader([&](Conn& db) { return pg::usesOfLicence(db, agency, id); });
}

LicencePutResult PgJournal::putLicence(const Licence& licence, LicencePut mode) {
  LicencePutResult out;
  const std::string at = common::rfc3339(now());
  const CommitResult result = committer_->run([&] {
    out = pg::putLicence(*writer_, licence, mode, at);
    return CommitResult{};
  }, false);
  if (result.status != CommitResult::Status::Committed) {
    throw JournalError("licence '" + licence.id + "' of agency '" + licence.agency + "' not written: " + result.error);
  }
  return out;
}

std::size_t PgJournal::seedLicences(const std::vector<Licence>& licences) {
  std::size_t added = 0;
  const std::string at = common::rfc3339(now());
  const CommitResult result = committer_->run([&] {
    added = 0;
    for (const auto& licence : licences) {
      if (pg::putLicence(*writer_, licence, LicencePut::InsertIfAbsent, at).status == LicencePutResult::Status::Written) {
        ++added;
      }
    }
    return CommitResult{};
  }, false);
  if (result.status != CommitResult::Status::Committed) throw JournalError("licence registry not seeded: " + result.error);
  return added;
}

void PgJournal::forEachCaseReleased(const std::string& partner, const std::string& from, const std::string& to,
                                    const std::function<bool(const ReleasedCase&)>& visit) {
  constexpr std::size_t kPage = 2000;
  std::string afterAt;
  std::int64_t afterSeq = 0;
  for (;;) {
    auto page = withReader([&](Conn& db) { return releasedPage(db, partner, from, to, afterAt, afterSeq, kPage); });
    for (const auto& [seq, released] : page) {
      if (!visit(released)) return;
    }
    if (page.size() < kPage) return;
    afterAt = page.back().second.released_at;
    afterSeq = page.back().first;
  }
}

std::string PgJournal::firstRelease(const std::string& partner) {
  return withReader([&](Conn& db) { return pg::firstRelease(db, partner); });
}

std::optional<StatementRecord> PgJournal::statement(const std::string& account, const std::string& period) {
  return withReader([&](Conn& db) {
    db.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
      auto out = statementOf(db, account, period);
      db.exec("COMMIT");
      return out;
    } catch (...) {
      PQclear(PQexec(db.handle(), "ROLLBACK"));
      throw;
    }
  });
}

std::string PgJournal::latestStatementPeriod(const std::string& account) {
  return withReader([&](Conn& db) { return pg::latestStatementPeriod(db, account); });
}

std::string PgJournal::statementOfCase(const std::string& case_id) {
  return withReader([&](Conn& db) { return pg::statementOfCase(db, case_id); });
}

std::vector<DeclarationLink> PgJournal::linksOf(const std::string& case_id) {
  return withReader([&](Conn& db) { return pg::linksOf(db, case_id); });
}

std::optional<DeclarationLink> PgJournal::completionOf(const std::string& case_id) {
  return withReader([&](Conn& db) { return pg::completionOf(db, case_id); });
}

std::optional<DeclarationLink> PgJournal::finalSupplementary(const std::string& account, const std::string& period) {
  return withReader([&](Conn& db) { return pg::finalSupplementary(db, account, period); });
}

std::vector<StatementLineRecord> PgJournal::linesOfChangedCases(const std::string& account) {
  return withReader([&](Conn& db) { return pg::linesOfChangedCases(db, account); });
}

CommitResult PgJournal::issueStatement(const StatementRecord& statement) {
  return committer_->run([this, &statement] { return insertStatement(*writer_, statement); }, false);
}

std::vector<StatDelta> PgJournal::statSums(const std::string& scope, std::int64_t from_hour, std::int64_t to_hour) {
  return withReader([&](Conn& db) { return pg::statSums(db, scope, from_hour, to_hour); });
}

bool PgJournal::statsFilled() {
  return withReader([](Conn& db) { return pg::statsFilled(db); });
}

CommitResult PgJournal::fillStats(const std::vector<StatDelta>& deltas) {
  const std::string at = common::rfc3339(now());
  return committer_->run([&] {
    if (!markStatsFilled(*writer_, at)) return CommitResult{CommitResult::Status::Duplicate, std::nullopt, "", {}};
    writeStatDeltas(*writer_, deltas);
    return CommitResult{};
  }, false);
}

bool PgJournal::writable() const { return committer_->writable(); }

// The writer's connection (or the server behind it) failed: what it had in flight was never
// acknowledged, and a client that files it again with its idempotency key gets the stored receipt
// if the COMMIT did land. Every later write would fail alike, so the hub is better started again.
std::string PgJournal::lost() const { return committer_->writable() ? "" : committer_->failure(); }

JournalStats PgJournal::stats() {
  JournalStats stats = withReader([](Conn& db) { return countRows(db); });
  stats.commits = committer_->commits();
  stats.batches = committer_->batches();
  return stats;
}

std::string PgJournal::describe() const {
  return redactUrl(url_) + " (PostgreSQL, synchronous_commit=" + synchronous_commit_ + ")";
}

std::vector<CaseDocument> PgJournal::caseDocuments(const std::string& case_id) {
  return withReader([&](Conn& db) { return documentsOf(db, case_id); });
}

std::optional<CaseDocument> PgJournal::caseDocument(const std::string& case_id, const std::string& digest) {
  return withReader([&](Conn& db) { return documentOf(db, case_id, digest); });
}

}  // namespace swhub::journal::pg
