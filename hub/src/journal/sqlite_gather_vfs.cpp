#include "journal/sqlite_gather_vfs.hpp"

#include <sqlite3.h>

#include <cstring>
#include <map>
#include <memory>
#include <mutex>

namespace swhub::journal::sqlite {
namespace {

// Bytes held before they must go: under 128 KiB, the most the unix VFS writes in one call (it
// cuts a larger write short, which SQLite then reports as a full disk).
constexpr int kGathered = 96 * 1024;

// A WAL file: SQLite's handle first (its methods are kMethods), the base VFS's file right after.
struct GatherFile {
  sqlite3_file head;
  sqlite3_file* real;
  char* buffer;           // kGathered bytes, allocated on the first gathered write
  sqlite3_int64 start;    // the file offset of buffer[0]
  int used;               // bytes gathered
};

GatherFile* gather(sqlite3_file* f) { return reinterpret_cast<GatherFile*>(f); }
sqlite3_file* real(sqlite3_file* f) { return gather(f)->real; }

// Writes what was gathered. On failure it is dropped all the same: the error reaches SQLite,
// which rolls the transaction back, and the journal accepts no more writes.
int flush(GatherFile* g) {
  if (g->used == 0) return SQLITE_OK;
  const int used = g->used;
  g->used = 0;
  return g->real->pMethods->xWrite(g->real, g->buffer, used, g->start);
}

int gClose(sqlite3_file* f) {
  GatherFile* g = gather(f);
  const int flushed = flush(g);
  sqlite3_free(g->buffer);
  g->buffer = nullptr;
  const int closed = g->real->pMethods->xClose(g->real);
  return flushed != SQLITE_OK ? flushed : closed;
}

int gRead(sqlite3_file* f, void* data, int n, sqlite3_int64 offset) {
  GatherFile* g = gather(f);
  if (g->used > 0 && offset < g->start + g->used && offset + n > g->start) {
    if (const int rc = flush(g); rc != SQLITE_OK) return rc;
  }
  return g->real->pMethods->xRead(g->real, data, n, offset);
}

int gWrite(sqlite3_file* f, const void* data, int n, sqlite3_int64 offset) {
  GatherFile* g = gather(f);
  if (g->used > 0 && offset == g->start + g->used && n <= kGathered - g->used) {
    std::memcpy(g->buffer + g->used, data, static_cast<std::size_t>(n));
    g->used += n;
    return SQLITE_OK;
  }
  // Not after what waits (a WAL header at offset 0, a frame written again): that goes first.
  if (const int rc = flush(g); rc != SQLITE_OK) return rc;
  if (n < kGathered && g->buffer == nullptr) g->buffer = static_cast<char*>(sqlite3_malloc(kGathered));
  if (n >= kGathered || g->buffer == nullptr) return g->real->pMethods->xWrite(g->real, data, n, offset);
  std::memcpy(g->buffer, data, static_cast<std::size_t>(n));
  g->start = offset;
  g->used = n;
  return SQLITE_OK;
}

int gTruncate(sqlite3_file* f, sqlite3_int64 size) {
  if (const int rc = flush(gather(f)); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xTruncate(real(f), size);
}
int gSync(sqlite3_file* f, int flags) {
  if (const int rc = flush(gather(f)); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xSync(real(f), flags);
}
int gFileSize(sqlite3_file* f, sqlite3_int64* size) {
  if (const int rc = flush(gather(f)); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xFileSize(real(f), size);
}
int gFileControl(sqlite3_file* f, int op, void* arg) {
  if (const int rc = flush(gather(f)); rc != SQLITE_OK) return rc;
  return real(f)->pMethods->xFileControl(real(f), op, arg);
}
int gLock(sqlite3_file* f, int level) { return real(f)->pMethods->xLock(real(f), level); }
int gUnlock(sqlite3_file* f, int level) { return real(f)->pMethods->xUnlock(real(f), level); }
int gCheckReservedLock(sqlite3_file* f, int* out) { return real(f)->pMethods->xCheckReservedLock(real(f), out); }
int gSectorSize(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int gDeviceCharacteristics(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }

// Version 1 methods: SQLite asks a WAL file for nothing beyond them (no shared memory, no
// memory mapping).
const sqlite3_io_methods kMethods = {1,      gClose,      gRead,          gWrite,        gTruncate,
                                     gSync,  gFileSize,   gLock,          gUnlock,       gCheckReservedLock,
                                     gFileControl, gSectorSize, gDeviceCharacteristics,
                                     nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

sqlite3_vfs* base(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

int gOpen(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* outFlags) {
  sqlite3_vfs* b = base(vfs);
  // Any other file is the base VFS's, in place: SQLite calls its methods directly.
  if ((flags & SQLITE_OPEN_WAL) == 0) return b->xOpen(b, name, file, flags, outFlags);
  GatherFile* g = gather(file);
  std::memset(g, 0, sizeof *g);
  g->real = reinterpret_cast<sqlite3_file*>(g + 1);
  const int rc = b->xOpen(b, name, g->real, flags, outFlags);
  // On failure SQLite closes nothing it did not get methods for; the base file may need its close.
  if (rc != SQLITE_OK) {
    if (g->real->pMethods) g->real->pMethods->xClose(g->real);
    return rc;
  }
  g->head.pMethods = &kMethods;
  return SQLITE_OK;
}

int gDelete(sqlite3_vfs* v, const char* n, int s) { return base(v)->xDelete(base(v), n, s); }
int gAccess(sqlite3_vfs* v, const char* n, int f, int* r) { return base(v)->xAccess(base(v), n, f, r); }
int gFullPathname(sqlite3_vfs* v, const char* n, int s, char* o) { return base(v)->xFullPathname(base(v), n, s, o); }
void* gDlOpen(sqlite3_vfs* v, const char* n) { return base(v)->xDlOpen(base(v), n); }
void gDlError(sqlite3_vfs* v, int n, char* m) { base(v)->xDlError(base(v), n, m); }
void (*gDlSym(sqlite3_vfs* v, void* h, const char* s))(void) { return base(v)->xDlSym(base(v), h, s); }
void gDlClose(sqlite3_vfs* v, void* h) { base(v)->xDlClose(base(v), h); }
int gRandomness(sqlite3_vfs* v, int n, char* o) { return base(v)->xRandomness(base(v), n, o); }
int gSleep(sqlite3_vfs* v, int us) { return base(v)->xSleep(base(v), us); }
int gCurrentTime(sqlite3_vfs* v, double* t) { return base(v)->xCurrentTime(base(v), t); }
int gGetLastError(sqlite3_vfs* v, int n, char* m) { return base(v)->xGetLastError(base(v), n, m); }
int gCurrentTimeInt64(sqlite3_vfs* v, sqlite3_int64* t) {
  if (base(v)->iVersion >= 2 && base(v)->xCurrentTimeInt64) return base(v)->xCurrentTimeInt64(base(v), t);
  double days = 0;  // a version 1 base: its Julian day number, in milliseconds as SQLite would
  const int rc = base(v)->xCurrentTime(base(v), &days);
  *t = static_cast<sqlite3_int64>(days * 86400000.0);
  return rc;
}

struct Registered {
  std::string name;
  sqlite3_vfs vfs;
};

}  // namespace

std::string gatheringVfs(const std::string& baseName) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<Registered>> registered;  // by base name, for the process
  std::lock_guard lock(mutex);
  if (auto found = registered.find(baseName); found != registered.end()) return found->second->name;
  sqlite3_vfs* b = sqlite3_vfs_find(baseName.empty() ? nullptr : baseName.c_str());
  if (b == nullptr) return baseName;
  auto r = std::make_unique<Registered>();
  r->name = "swhub-gather" + (baseName.empty() ? std::string() : ":" + baseName);
  sqlite3_vfs& v = r->vfs;
  v = sqlite3_vfs{};
  v.iVersion = 2;
  v.szOsFile = static_cast<int>(sizeof(GatherFile)) + b->szOsFile;
  v.mxPathname = b->mxPathname;
  v.zName = r->name.c_str();
  v.pAppData = b;
  v.xOpen = gOpen;
  v.xDelete = gDelete;
  v.xAccess = gAccess;
  v.xFullPathname = gFullPathname;
  v.xDlOpen = gDlOpen;
  v.xDlError = gDlError;
  v.xDlSym = gDlSym;
  v.xDlClose = gDlClose;
  v.xRandomness = gRandomness;
  v.xSleep = gSleep;
  v.xCurrentTime = gCurrentTime;
  v.xGetLastError = gGetLastError;
  v.xCurrentTimeInt64 = gCurrentTimeInt64;
  if (sqlite3_vfs_register(&v, 0) != SQLITE_OK) return baseName;
  const std::string name = r->name;
  registered.emplace(baseName, std::move(r));
  return name;
}

}  // namespace swhub::journal::sqlite
