#pragma once
// An exclusive lock on a file beside the journal, held for the life of the process that serves
// it: flock(2) on "<journal>.lock", which the kernel releases when the process ends however it
// ends (SIGKILL included), so a crash never leaves a stale lock. The file holds the holder's pid
// for the message a second hub gets. A sidecar file rather than the database itself: SQLite's
// own POSIX locks on the database would be dropped when any other descriptor of it is closed.

#include <string>

namespace swhub::journal {

class ProcessLock {
 public:
  // Throws JournalError naming `what` (e.g. "journal sqlite:/x.db"), the lock file and the
  // holder's pid when another process holds it.
  ProcessLock(const std::string& lock_path, const std::string& what);
  ~ProcessLock();
  ProcessLock(const ProcessLock&) = delete;
  ProcessLock& operator=(const ProcessLock&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace swhub::journal
