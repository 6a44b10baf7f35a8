#include "plugin/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace swhub::plugin::isolation {
namespace {

std::mutex programMutex;
std::string& programPath() {
  static std::string path = "/proc/self/exe";
  return path;
}

ChildExit fromStatus(int status) {
  ChildExit e;
  if (WIFSIGNALED(status)) {
    e.signaled = true;
    e.signal = WTERMSIG(status);
  } else if (WIFEXITED(status)) {
    e.code = WEXITSTATUS(status);
  }
  return e;
}

// Only async-signal-safe calls between fork and exec: the hub has many threads.
[[noreturn]] void becomeHost(int fd, pid_t parent, const SpawnOptions& options, char* const argv[]) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);  // the hub is already gone
  ::setpgid(0, 0);  // a Ctrl-C at the terminal reaches the hub, which stops its children in order
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);  // serve() blocks SIGTERM/SIGINT for sigwait
  ::signal(SIGPIPE, SIG_DFL);
  const int null = ::open("/dev/null", O_RDONLY);
  if (null >= 0) ::dup2(null, 0);
  ::dup2(2, 1);  // what the plugin prints goes to the hub's stderr, never into the channel
  if (fd != kChildFd) {
    ::dup2(fd, kChildFd);
  } else {
    ::fcntl(kChildFd, F_SETFD, 0);
  }
  ::syscall(SYS_close_range, kChildFd + 1, ~0U, 0);  // the hub's sockets and journal stay the hub's
  if (options.addressSpaceLimitBytes > 0) {
    rlimit limit{options.addressSpaceLimitBytes, options.addressSpaceLimitBytes};
    ::setrlimit(RLIMIT_AS, &limit);
  }
  ::execv(options.program.c_str(), argv);
  ::_exit(127);
}

}  // namespace

std::string ChildExit::describe() const {
  if (signaled) {
    const char* abbrev = sigabbrev_np(signal);
    return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(signal);
  }
  return "exit code " + std::to_string(code);
}

const std::string& hostProgram() {
  std::lock_guard lock(programMutex);
  return programPath();
}

void setHostProgram(std::string path) {
  std::lock_guard lock(programMutex);
  programPath() = std::move(path);
}

ChildProcess::ChildProcess(pid_t pid, int fd) : pid_(pid), channel_(std::make_unique<FrameChannel>(fd)) {}

std::unique_ptr<ChildProcess> ChildProcess::spawn(const SpawnOptions& options) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
  }
  std::string name = options.name.empty() ? "swhub" : options.name;
  std::string command = "plugin-host";
  std::string fdFlag = "--fd";
  std::string fdValue = std::to_string(kChildFd);
  std::vector<char*> argv{name.data(), command.data(), fdFlag.data(), fdValue.data(), nullptr};
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int error = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(std::string("fork: ") + std::strerror(error));
  }
  if (pid == 0) becomeHost(fds[1], parent, options, argv.data());
  ::close(fds[1]);
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, fds[0]));
}

ChildProcess::~ChildProcess() {
  if (!reaped_) kill();
}

long ChildProcess::rssKb() const {
  std::ifstream statm("/proc/" + std::to_string(pid_) + "/statm");
  long size = 0, resident = -1;
  if (!(statm >> size >> resident)) return -1;
  return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

ChildExit ChildProcess::kill() {
  if (reaped_) return exit_;
  ::kill(pid_, SIGKILL);
  channel_->close();
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  exit_ = fromStatus(status);
  return exit_;
}

ChildExit ChildProcess::reap(std::chrono::milliseconds grace) {
  if (reaped_) return exit_;
  channel_->close();
  const auto until = Clock::now() + grace;
  auto pause = std::chrono::microseconds(200);
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      reaped_ = true;
      exit_ = fromStatus(status);
      return exit_;
    }
    if (done < 0 && errno != EINTR) {  // not ours any more: nothing to wait for
      reaped_ = true;
      return exit_;
    }
    if (Clock::now() >= until) return kill();
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(20'000));
  }
}

ChildExit ChildProcess::stop(std::chrono::milliseconds grace) {
  if (reaped_) return exit_;
  channel_->send(FrameType::Bye, "", Clock::now() + std::chrono::milliseconds(50));
  return reap(grace);
}

}  // namespace swhub::plugin::isolation
