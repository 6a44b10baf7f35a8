#pragma once
// One plugin child process (`swhub plugin-host`): started with its end of a socketpair as fd 3,
// its stdout on the hub's stderr, SIGKILLed if the thread that started it (a pool's supervisor,
// which lives as long as the pool) or the hub goes away (PR_SET_PDEATHSIG), and always reaped:
// every ChildProcess ends with a waitpid, so no zombie is left.

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>

#include "plugin/frame_channel.hpp"

namespace swhub::plugin::isolation {

// How a child ended.
struct ChildExit {
  bool signaled = false;
  int signal = 0;
  int code = 0;
  // "SIGSEGV", "SIGABRT", "exit code 3".
  std::string describe() const;
};

struct SpawnOptions {
  std::string program;  // the swhub binary ("/proc/self/exe" in the hub)
  std::string name;     // argv[0], for ps: "swhub[upu_post]"
  std::uint64_t addressSpaceLimitBytes = 0;  // RLIMIT_AS of the child; 0: none
};

class ChildProcess {
 public:
  // Throws std::runtime_error when the process cannot be started.
  static std::unique_ptr<ChildProcess> spawn(const SpawnOptions& options);
  ~ChildProcess();  // kills and reaps the child if still there

  pid_t pid() const { return pid_; }
  FrameChannel& channel() { return *channel_; }
  // Resident memory now, in KiB (/proc/PID/statm); -1 when unknown.
  long rssKb() const;

  // SIGKILL and reap.
  ChildExit kill();
  // After EOF: the child is ending; waits up to `grace` for it, then SIGKILLs it.
  ChildExit reap(std::chrono::milliseconds grace);
  // Orderly: Bye, then close the channel (the child exits on either), reap within `grace`.
  ChildExit stop(std::chrono::milliseconds grace);

 private:
  ChildProcess(pid_t pid, int fd);
  pid_t pid_;
  bool reaped_ = false;
  ChildExit exit_;
  std::unique_ptr<FrameChannel> channel_;
};

// The path of the swhub binary that plugin children run; "/proc/self/exe" (this very binary, even
// when the file was replaced since it started) unless set, e.g. by a unit test that is not swhub.
const std::string& hostProgram();
void setHostProgram(std::string path);

}  // namespace swhub::plugin::isolation
