#pragma once
// Runs WAL checkpoints (PASSIVE) on its own connection and thread, so that commits never stall
// on copying the WAL back into the database file.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "journal/sqlite_db.hpp"

namespace swhub::journal::sqlite {

class Checkpointer {
 public:
  using OnFailure = std::function<void(const std::string&)>;

  // Checkpoints when the WAL reaches `pages` or every `interval` after a commit.
  // `on_failure` hears a checkpoint that could not write or sync the database file.
  Checkpointer(const std::string& path, const std::string& vfs, std::size_t pages,
               std::chrono::milliseconds interval, OnFailure on_failure);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Installs the WAL hook on the writer connection: it reports the WAL size after each commit.
  void watch(sqlite3* writer);
  std::int64_t checkpoints() const;

 private:
  static int onWalCommit(void* self, sqlite3*, const char*, int pages);
  void loop();
  void checkpoint();

  std::unique_ptr<Db> db_;
  const std::size_t pages_;
  const std::chrono::milliseconds interval_;
  const OnFailure on_failure_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool dirty_ = false;       // a commit happened since the last checkpoint
  bool wal_full_ = false;    // the WAL reached pages_
  bool failed_ = false;      // stop after a failed sync: the journal is unwritable anyway
  std::int64_t checkpoints_ = 0;
  std::thread thread_;
};

}  // namespace swhub::journal::sqlite
