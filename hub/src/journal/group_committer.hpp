#pragma once
// Group commit, independent of the store: one writer thread takes up to max_group queued jobs,
// runs them in one transaction, each inside its own savepoint, and commits once (one fsync for
// the whole group). The SQLite backend and a later PostgreSQL backend plug in a GroupTxn.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <iterator>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "journal/journal.hpp"

namespace swhub::journal {

// The store cannot write or sync: the group fails and the journal stops accepting writes.
class StoreFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One job broke a constraint: only its savepoint is rolled back; it is answered Invalid.
class BatchRejected : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The transaction primitives of one backend, used only from the writer thread.
// Every call throws StoreFailure on an I/O or store error.
class GroupTxn {
 public:
  virtual ~GroupTxn() = default;
  // `alone`: the transaction holds one job and no savepoint (GroupJob::alone).
  virtual void begin(bool alone) = 0;
  virtual void savepoint() = 0;
  virtual void releaseSavepoint() = 0;
  virtual void rollbackToSavepoint() = 0;
  virtual void commit() = 0;          // durable when it returns
  virtual void rollback() noexcept = 0;  // best effort, after a failure
  // Adds `deltas` to their counters (merged first) in the open transaction.
  virtual void writeStats(const std::vector<StatDelta>& deltas) = 0;

  // A committed job's statistics deltas: the committer writes the group's with writeStats once,
  // after its last job and before commit() (one write per counter per group, not per filing).
  void addGroupStats(std::vector<StatDelta> deltas) {
    group_stats_.insert(group_stats_.end(), std::make_move_iterator(deltas.begin()),
                        std::make_move_iterator(deltas.end()));
  }
  // The group's deltas, leaving none (the committer's; also drops those of a group that failed).
  std::vector<StatDelta> takeGroupStats() { return std::exchange(group_stats_, {}); }

 private:
  std::vector<StatDelta> group_stats_;
};

// A unit of work for the writer: runs inside the group's transaction. A result other than
// Committed rolls back its savepoint. `is_batch` counts it as a WriteBatch in stats/on_commit.
// `alone`: a job that writes too much for a savepoint to keep a copy of every page it changes
// (a staged message's rows made visible) runs in a transaction of its own, without savepoint;
// a result other than Committed rolls that transaction back.
struct GroupJob {
  std::function<CommitResult()> apply;
  bool is_batch = true;
  bool alone = false;
  std::promise<CommitResult> done;
};

class GroupCommitter {
 public:
  using OnCommit = std::function<void(std::chrono::duration<double>, std::size_t)>;

  GroupCommitter(GroupTxn& txn, std::size_t max_group, OnCommit on_commit);
  ~GroupCommitter();  // drains: every queued job is committed or answered, then joins
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Queues the job and blocks until its group is durable (or refused).
  CommitResult run(std::function<CommitResult()> apply, bool is_batch, bool alone = false);
  // Queues work that nobody waits for (its result is dropped) and returns at once; not queued
  // once the journal failed or is stopping. The destructor still runs what was queued.
  void post(std::function<CommitResult()> apply, bool alone = false);

  bool writable() const;
  std::string failure() const;     // why the journal stopped writing; "" while writable
  void fail(const std::string& why);  // e.g. a failed checkpoint sync: stop acknowledging
  std::size_t queued() const;      // jobs waiting for the writer
  std::int64_t commits() const;
  std::int64_t batches() const;

 private:
  // Queues the job; false (and why) when the journal failed or is stopping.
  bool enqueue(GroupJob job, std::string& refused);
  void writerLoop();
  void runGroup(std::deque<GroupJob>& group);
  static CommitResult unavailable(const std::string& why);

  GroupTxn& txn_;
  const std::size_t max_group_;
  const OnCommit on_commit_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<GroupJob> queue_;
  bool stopping_ = false;
  std::string failure_;  // guarded by mutex_; non-empty = permanently unwritable
  std::int64_t commits_ = 0;
  std::int64_t batches_ = 0;
  std::thread writer_;  // last: starts after every member above exists
};

}  // namespace swhub::journal
