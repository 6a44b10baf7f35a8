#pragma once
// Runs WAL checkpoints on its own connection and thread, so that commits never stall on copying
// the WAL back into the database file. PASSIVE normally (never waits, never blocks a writer);
// TRUNCATE when the WAL has grown past its bound (sustained load, or a long reader that kept the
// PASSIVE ones from finishing): that one needs the writer to pause between two groups, which it
// asks through the WriterGate, and waits for readers only briefly. The writer never runs a
// checkpoint; past the bound it waits for this thread's turn.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "journal/sqlite_db.hpp"

namespace swhub::journal::sqlite {

// Lets the checkpointer take a turn between two transactions of the writer thread: the writer
// enters before BEGIN and leaves after COMMIT (or ROLLBACK); a waiting checkpoint goes before
// the next transaction. Without it a TRUNCATE checkpoint could wait for ever for a writer that
// never lets go of the WAL write lock for long.
class WriterGate {
 public:
  void enterWriter();
  void leaveWriter();  // idempotent
  // The WAL is over its bound: the writer's next transaction waits until the checkpoint took its
  // turn (enterCheckpoint ... leaveCheckpoint) or the request is cancelled. Bounds the WAL
  // however late the checkpointer thread gets to run on a loaded machine.
  void requestCheckpoint();
  void cancelRequest();
  void enterCheckpoint();
  void leaveCheckpoint();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool writer_ = false;
  bool checkpoint_waiting_ = false;
  bool checkpoint_ = false;
};

class Checkpointer {
 public:
  using OnFailure = std::function<void(const std::string&)>;

  // Checkpoints when the WAL reaches `pages` or every `interval` after a commit; with a WAL of
  // `wal_limit_bytes` or more (0 = no bound) the checkpoint truncates it, through `gate`.
  // `on_failure` hears a checkpoint that could not write or sync the database file.
  Checkpointer(const std::string& path, const std::string& vfs, std::size_t pages,
               std::chrono::milliseconds interval, std::int64_t wal_limit_bytes, WriterGate& gate,
               OnFailure on_failure);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Installs the WAL hook on the writer connection: it reports the WAL size after each commit.
  void watch(sqlite3* writer);
  std::int64_t checkpoints() const;
  std::int64_t truncations() const;  // TRUNCATE checkpoints that completed

  // How long a TRUNCATE checkpoint waits for readers to leave the WAL (the writer is paused).
  static constexpr std::chrono::milliseconds kReaderWait{100};

 private:
  static int onWalCommit(void* self, sqlite3*, const char*, int pages);
  void loop();
  void checkpoint(bool truncate);

  std::unique_ptr<Db> db_;
  const std::size_t pages_;
  const std::chrono::milliseconds interval_;
  std::int64_t limit_frames_ = 0;  // 0 = no bound
  WriterGate& gate_;
  const OnFailure on_failure_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool dirty_ = false;       // a commit happened since the last checkpoint
  bool wal_full_ = false;    // the WAL reached pages_
  bool truncate_requested_ = false;  // the WAL reached the bound: a TRUNCATE is due (writer held)
  bool failed_ = false;      // stop after a failed sync: the journal is unwritable anyway
  std::chrono::steady_clock::time_point next_truncate_;  // none before: readers kept the last one out
  std::int64_t checkpoints_ = 0;
  std::int64_t truncations_ = 0;
  std::thread thread_;
};

}  // namespace swhub::journal::sqlite
