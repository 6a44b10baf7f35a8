// LD_PRELOAD shim for the journal's I/O error tests: while the file named by SWHUB_EIO_FLAG
// exists, the write or sync calls (SWHUB_EIO_CALLS: "sync", "write" or "both") on a file whose
// path contains SWHUB_EIO_MATCH fail with EIO, as a failing disk's would. Everything else is
// passed to libc. Loaded only into a hub that a test starts.
#include <dlfcn.h>
#include <errno.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

template <class Fn>
Fn real(const char* name) {
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

bool armed(const char* kind) {
  const char* flag = std::getenv("SWHUB_EIO_FLAG");
  const char* calls = std::getenv("SWHUB_EIO_CALLS");
  if (!flag || !calls) return false;
  if (std::strcmp(calls, "both") != 0 && std::strcmp(calls, kind) != 0) return false;
  return access(flag, F_OK) == 0;
}

bool matches(int fd) {
  const char* match = std::getenv("SWHUB_EIO_MATCH");
  if (!match) return false;
  char link[64];
  char path[4096];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, path, sizeof path - 1);
  if (n <= 0) return false;
  path[n] = '\0';
  return std::strstr(path, match) != nullptr;
}

bool fail(int fd, const char* kind) {
  if (!armed(kind) || !matches(fd)) return false;
  errno = EIO;
  return true;
}

}  // namespace

extern "C" {

int fsync(int fd) {
  if (fail(fd, "sync")) return -1;
  return real<int (*)(int)>("fsync")(fd);
}

int fdatasync(int fd) {
  if (fail(fd, "sync")) return -1;
  return real<int (*)(int)>("fdatasync")(fd);
}

ssize_t write(int fd, const void* buffer, size_t size) {
  if (fail(fd, "write")) return -1;
  return real<ssize_t (*)(int, const void*, size_t)>("write")(fd, buffer, size);
}

ssize_t pwrite(int fd, const void* buffer, size_t size, off_t offset) {
  if (fail(fd, "write")) return -1;
  return real<ssize_t (*)(int, const void*, size_t, off_t)>("pwrite")(fd, buffer, size, offset);
}

ssize_t pwrite64(int fd, const void* buffer, size_t size, off64_t offset) {
  if (fail(fd, "write")) return -1;
  return real<ssize_t (*)(int, const void*, size_t, off64_t)>("pwrite64")(fd, buffer, size, offset);
}

}  // extern "C"
