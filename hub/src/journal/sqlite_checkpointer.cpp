#include "journal/sqlite_checkpointer.hpp"

#include "journal/sqlite_schema.hpp"

namespace swhub::journal::sqlite {

Checkpointer::Checkpointer(const std::string& path, const std::string& vfs, std::size_t pages,
                           std::chrono::milliseconds interval, OnFailure on_failure)
    : db_(std::make_unique<Db>(path, vfs)),
      pages_(pages == 0 ? 1 : pages),
      interval_(interval.count() <= 0 ? std::chrono::milliseconds(1000) : interval),
      on_failure_(std::move(on_failure)) {
  configureConnection(*db_);
  thread_ = std::thread([this] { loop(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Checkpointer::watch(sqlite3* writer) { sqlite3_wal_hook(writer, &Checkpointer::onWalCommit, this); }

std::int64_t Checkpointer::checkpoints() const {
  std::lock_guard lock(mutex_);
  return checkpoints_;
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
  }
  if (wake) checkpointer->wake_.notify_one();
  return SQLITE_OK;
}

void Checkpointer::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, interval_, [this] { return stopping_ || wal_full_; });
    if (stopping_ || failed_ || !dirty_) continue;
    dirty_ = wal_full_ = false;
    lock.unlock();
    checkpoint();
    lock.lock();
  }
}

void Checkpointer::checkpoint() {
  int wal_frames = 0;
  int copied = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal_frames, &copied);
  const int primary = rc & 0xff;
  if (rc == SQLITE_OK || primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    std::lock_guard lock(mutex_);
    ++checkpoints_;
    return;
  }
  {
    std::lock_guard lock(mutex_);
    failed_ = true;
  }
  // The database file may not hold what SQLite believes it wrote: stop acknowledging.
  if (on_failure_) on_failure_("journal: WAL checkpoint failed: " + describeCode(sqlite3_extended_errcode(db_->handle())));
}

}  // namespace swhub::journal::sqlite
