#include "journal/process_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "journal/journal.hpp"

namespace swhub::journal {
namespace {

std::string holderPid(int fd) {
  char buffer[32] = {};
  const ssize_t n = pread(fd, buffer, sizeof buffer - 1, 0);
  std::string pid = n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid;
}

}  // namespace

ProcessLock::ProcessLock(const std::string& lock_path, const std::string& what) : path_(lock_path) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw JournalError("cannot open the lock file " + path_ + " of " + what + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string pid = error == EWOULDBLOCK ? holderPid(fd_) : std::string();
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK) {
      throw JournalError(what + " is in use by another hub (" + (pid.empty() ? "pid unknown" : "pid " + pid) +
                         ", lock file " + path_ + "): one hub per SQLite journal");
    }
    throw JournalError("cannot lock " + path_ + " for " + what + ": " + std::strerror(error));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  // The pid is for the message only: a failure to write it does not matter.
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] const ssize_t written = ::pwrite(fd_, pid.data(), pid.size(), 0);
  }
}

ProcessLock::~ProcessLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

}  // namespace swhub::journal
