#include "journal/sqlite_checkpointer.hpp"

#include <algorithm>

#include "journal/sqlite_schema.hpp"

namespace swhub::journal::sqlite {

void WriterGate::enterWriter() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !checkpoint_waiting_ && !checkpoint_; });
  writer_ = true;
}

void WriterGate::leaveWriter() {
  {
    std::lock_guard lock(mutex_);
    if (!writer_) return;
    writer_ = false;
  }
  changed_.notify_all();
}

void WriterGate::requestCheckpoint() {
  std::lock_guard lock(mutex_);
  checkpoint_waiting_ = true;
}

void WriterGate::cancelRequest() {
  {
    std::lock_guard lock(mutex_);
    checkpoint_waiting_ = false;
  }
  changed_.notify_all();
}

void WriterGate::enterCheckpoint() {
  std::unique_lock lock(mutex_);
  checkpoint_waiting_ = true;
  changed_.wait(lock, [this] { return !writer_; });
  checkpoint_waiting_ = false;
  checkpoint_ = true;
}

void WriterGate::leaveCheckpoint() {
  {
    std::lock_guard lock(mutex_);
    checkpoint_ = false;
  }
  changed_.notify_all();
}

Checkpointer::Checkpointer(const std::string& path, const std::string& vfs, std::size_t pages,
                           std::chrono::milliseconds interval, std::int64_t wal_limit_bytes, WriterGate& gate,
                           OnFailure on_failure)
    : db_(std::make_unique<Db>(path, vfs)),
      pages_(pages == 0 ? 1 : pages),
      interval_(interval.count() <= 0 ? std::chrono::milliseconds(1000) : interval),
      gate_(gate),
      on_failure_(std::move(on_failure)) {
  configureConnection(*db_);
  // Only a TRUNCATE checkpoint waits (PASSIVE never calls the busy handler), and it waits with
  // the writer paused: briefly, then it gives up and tries again later.
  sqlite3_busy_timeout(db_->handle(), static_cast<int>(kReaderWait.count()));
  if (wal_limit_bytes > 0) {
    const std::int64_t frame = std::stoll(db_->pragma("page_size")) + 24;  // WAL frame header: 24 bytes
    limit_frames_ = std::max<std::int64_t>(1, wal_limit_bytes / frame);
  }
  thread_ = std::thread([this] { loop(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    gate_.cancelRequest();
  }
  wake_.notify_all();
  thread_.join();
}

void Checkpointer::watch(sqlite3* writer) { sqlite3_wal_hook(writer, &Checkpointer::onWalCommit, this); }

std::int64_t Checkpointer::checkpoints() const {
  std::lock_guard lock(mutex_);
  return checkpoints_;
}

std::int64_t Checkpointer::truncations() const {
  std::lock_guard lock(mutex_);
  return truncations_;
}

int Checkpointer::onWalCommit(void* self, sqlite3*, const char*, int pages) {
  // Runs on the writer thread inside COMMIT: only flag and wake, never checkpoint here.
  auto* checkpointer = static_cast<Checkpointer*>(self);
  bool wake = false;
  {
    std::lock_guard lock(checkpointer->mutex_);
    checkpointer->dirty_ = true;
    if (static_cast<std::size_t>(pages) >= checkpointer->pages_ && !checkpointer->wal_full_) {
      checkpointer->wal_full_ = wake = true;
    }
    // Past the bound the next transaction waits for a TRUNCATE; not again right after one that
    // readers kept out (the writer would stall for nothing), nor once checkpoints fail.
    if (checkpointer->limit_frames_ > 0 && pages >= checkpointer->limit_frames_ && !checkpointer->truncate_requested_ &&
        !checkpointer->failed_ && std::chrono::steady_clock::now() >= checkpointer->next_truncate_) {
      checkpointer->truncate_requested_ = wake = true;
      checkpointer->gate_.requestCheckpoint();
    }
  }
  if (wake) checkpointer->wake_.notify_one();
  return SQLITE_OK;
}

void Checkpointer::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, interval_, [this] { return stopping_ || wal_full_ || truncate_requested_; });
    if (stopping_) continue;
    if (failed_) {
      wal_full_ = false;  // nothing to do any more; do not wake for it again
      continue;
    }
    const bool truncate = truncate_requested_;
    if (!truncate && !dirty_) continue;
    dirty_ = wal_full_ = false;
    lock.unlock();
    checkpoint(truncate);
    lock.lock();
  }
}

void Checkpointer::checkpoint(bool truncate) {
  int wal_frames = 0;
  int copied = 0;
  int rc = SQLITE_OK;
  if (truncate) {
    gate_.enterCheckpoint();
    rc = sqlite3_wal_checkpoint_v2(db_->handle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, &wal_frames, &copied);
    gate_.leaveCheckpoint();
  } else {
    rc = sqlite3_wal_checkpoint_v2(db_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_frames, &copied);
  }
  const int primary = rc & 0xff;
  if (rc == SQLITE_OK || primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    std::lock_guard lock(mutex_);
    ++checkpoints_;
    if (truncate) {
      truncate_requested_ = false;
      if (rc == SQLITE_OK) {
        ++truncations_;
      } else {
        // Readers kept it out: pausing the writer again right away would only stall commits.
        next_truncate_ = std::chrono::steady_clock::now() + std::max<std::chrono::milliseconds>(interval_, 10 * kReaderWait);
      }
    }
    return;
  }
  {
    std::lock_guard lock(mutex_);
    failed_ = true;
    truncate_requested_ = false;
    gate_.cancelRequest();  // the writer must not wait for a checkpoint that will not come
  }
  // The database file may not hold what SQLite believes it wrote: stop acknowledging.
  if (on_failure_) on_failure_("journal: WAL checkpoint failed: " + describeCode(sqlite3_extended_errcode(db_->handle())));
}

}  // namespace swhub::journal::sqlite
