#pragma once
// SqliteJournal::withReader, shared by the files that implement SqliteJournal's reads: runs `fn`
// on an idle read connection (or a new one) and gives the connection back.

#include "journal/sqlite_journal.hpp"

namespace swhub::journal::sqlite {

// Idle read connections kept for the next read: as many as requests served at once (hub.threads'
// default), so that a busy hub reuses connections and their prepared statements instead of
// opening, preparing and closing one per read (a file descriptor and a page cache each).
inline constexpr std::size_t kMaxIdleReaders = 64;

template <typename Fn>
auto SqliteJournal::withReader(Fn&& fn) {
  std::unique_ptr<Db> reader;
  {
    std::lock_guard lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
  }
  try {
    if (!reader) {
      reader = std::make_unique<Db>(path_, vfs_);
      sqlite3_busy_timeout(reader->handle(), 5000);
      reader->exec("PRAGMA query_only=ON");
    }
    auto result = fn(*reader);
    std::lock_guard lock(readers_mutex_);
    if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(reader));
    return result;
  } catch (const StoreFailure& e) {
    throw JournalError(e.what());
  } catch (const BatchRejected& e) {
    throw JournalError(e.what());
  }
}

// fn(db) in one read transaction (deferred: every read sees the snapshot the first one opened).
template <class Fn>
auto inSnapshot(Db& db, Fn&& fn) {
  db.run("BEGIN");
  try {
    auto out = fn(db);
    db.run("COMMIT");
    return out;
  } catch (...) {
    db.exec("ROLLBACK");
    throw;
  }
}

}  // namespace swhub::journal::sqlite
