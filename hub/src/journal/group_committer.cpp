#include "journal/group_committer.hpp"

#include <utility>

namespace swhub::journal {

GroupCommitter::GroupCommitter(GroupTxn& txn, std::size_t max_group, OnCommit on_commit)
    : txn_(txn), max_group_(max_group == 0 ? 1 : max_group), on_commit_(std::move(on_commit)) {
  writer_ = std::thread([this] { writerLoop(); });
}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

CommitResult GroupCommitter::unavailable(const std::string& why) {
  CommitResult result;
  result.status = CommitResult::Status::Unavailable;
  result.error = why;
  return result;
}

bool GroupCommitter::enqueue(GroupJob job, std::string& refused) {
  std::lock_guard lock(mutex_);
  // Once a write or sync failed nothing is acknowledged again: answer without queueing.
  if (!failure_.empty()) {
    refused = failure_;
    return false;
  }
  if (stopping_) {
    refused = "journal is shutting down";
    return false;
  }
  queue_.push_back(std::move(job));
  // Notify under the lock: once it is released the writer may answer this job and the
  // committer may be destroyed before an unlocked notify would run.
  wake_.notify_one();
  return true;
}

CommitResult GroupCommitter::run(std::function<CommitResult()> apply, bool is_batch, bool alone) {
  GroupJob job;
  job.apply = std::move(apply);
  job.is_batch = is_batch;
  job.alone = alone;
  auto answer = job.done.get_future();
  std::string refused;
  if (!enqueue(std::move(job), refused)) return unavailable(refused);
  return answer.get();
}

void GroupCommitter::post(std::function<CommitResult()> apply, bool alone) {
  GroupJob job;
  job.apply = std::move(apply);
  job.is_batch = false;
  job.alone = alone;
  std::string refused;
  enqueue(std::move(job), refused);  // refused: the journal stops writing, and so does this work
}

bool GroupCommitter::writable() const {
  std::lock_guard lock(mutex_);
  return failure_.empty();
}

std::string GroupCommitter::failure() const {
  std::lock_guard lock(mutex_);
  return failure_;
}

void GroupCommitter::fail(const std::string& why) {
  std::lock_guard lock(mutex_);
  if (failure_.empty()) failure_ = why;
}

std::size_t GroupCommitter::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

std::int64_t GroupCommitter::commits() const {
  std::lock_guard lock(mutex_);
  return commits_;
}

std::int64_t GroupCommitter::batches() const {
  std::lock_guard lock(mutex_);
  return batches_;
}

void GroupCommitter::writerLoop() {
  for (;;) {
    std::deque<GroupJob> group;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      // A job that runs alone forms a group of its own.
      while (!queue_.empty() && group.size() < max_group_ &&
             (group.empty() || (!group.front().alone && !queue_.front().alone))) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    runGroup(group);
  }
}

void GroupCommitter::runGroup(std::deque<GroupJob>& group) {
  if (std::string why = failure(); !why.empty()) {
    for (auto& job : group) job.done.set_value(unavailable(why));
    return;
  }
  const auto started = std::chrono::steady_clock::now();
  std::vector<CommitResult> results;
  results.reserve(group.size());
  const bool alone = group.size() == 1 && group.front().alone;
  txn_.takeGroupStats();  // none of a group before that failed
  try {
    txn_.begin(alone);
    for (auto& job : group) {
      if (!alone) txn_.savepoint();
      CommitResult result;
      try {
        result = job.apply();
      } catch (const BatchRejected& e) {
        result.status = CommitResult::Status::Invalid;
        result.error = e.what();
      }
      const bool committed = result.status == CommitResult::Status::Committed;
      if (alone && !committed) {
        txn_.rollback();  // the job was the whole transaction: nothing of it stays
        job.done.set_value(std::move(result));
        return;
      }
      // Only this job's writes go when it is refused; the rest of the group still commits.
      if (!alone && committed) {
        txn_.releaseSavepoint();
      } else if (!alone) {
        txn_.rollbackToSavepoint();
        txn_.releaseSavepoint();
      }
      results.push_back(std::move(result));
    }
    txn_.writeStats(txn_.takeGroupStats());
    txn_.commit();
  } catch (const std::exception& e) {
    // StoreFailure, or anything unexpected: we cannot tell what reached the disk, so nothing in
    // this group is acknowledged and the journal refuses writes from now on.
    txn_.rollback();
    fail(e.what());
    const std::string why = failure();
    for (auto& job : group) job.done.set_value(unavailable(why));
    return;
  }

  std::size_t batch_jobs = 0;
  std::int64_t committed_batches = 0;
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (!group[i].is_batch) continue;
    ++batch_jobs;
    if (results[i].status == CommitResult::Status::Committed) ++committed_batches;
  }
  {
    std::lock_guard lock(mutex_);
    ++commits_;
    batches_ += committed_batches;
  }
  if (on_commit_) {
    try {
      on_commit_(std::chrono::steady_clock::now() - started, batch_jobs);
    } catch (...) {
      // A metrics callback must not take the writer thread down; the commit is already durable.
    }
  }
  for (std::size_t i = 0; i < group.size(); ++i) group[i].done.set_value(std::move(results[i]));
}

}  // namespace swhub::journal
