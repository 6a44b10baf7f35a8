// A write or fsync error must stop the journal from acknowledging anything, and must never turn
// SQLite only (backends.hpp): faults are injected through an SQLite VFS.
// into Committed. The faults come from a real SQLite VFS ("faulty") that wraps the default one.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "instants.hpp"
#include "temp_dir.hpp"
#include "journal/journal.hpp"

namespace swhub::journal {
namespace {

std::atomic<bool> g_fail_sync{false};
std::atomic<bool> g_fail_write{false};
std::atomic<int> g_wal_syncs{0};
std::atomic<long long> g_wal_writes{0}, g_wal_bytes{0}, g_wal_largest{0};  // calls that reach this VFS

// ---- the "faulty" VFS: forwards everything to the default VFS, fails on demand ----

struct FaultyFile {
  sqlite3_file base;
  sqlite3_file* real;  // the default VFS's file, allocated right after this struct
  bool is_wal;
};

sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<FaultyFile*>(f)->real; }

int fClose(sqlite3_file* f) { return real(f)->pMethods->xClose(real(f)); }
int fRead(sqlite3_file* f, void* b, int n, sqlite3_int64 o) { return real(f)->pMethods->xRead(real(f), b, n, o); }
int fWrite(sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
  if (g_fail_write) return SQLITE_IOERR_WRITE;
  if (reinterpret_cast<FaultyFile*>(f)->is_wal) {
    ++g_wal_writes;
    g_wal_bytes += n;
    for (long long largest = g_wal_largest; n > largest && !g_wal_largest.compare_exchange_weak(largest, n);) {
    }
  }
  return real(f)->pMethods->xWrite(real(f), b, n, o);
}
int fTruncate(sqlite3_file* f, sqlite3_int64 s) { return real(f)->pMethods->xTruncate(real(f), s); }
int fSync(sqlite3_file* f, int flags) {
  if (g_fail_sync) return SQLITE_IOERR_FSYNC;
  if (reinterpret_cast<FaultyFile*>(f)->is_wal) ++g_wal_syncs;
  return real(f)->pMethods->xSync(real(f), flags);
}
int fFileSize(sqlite3_file* f, sqlite3_int64* s) { return real(f)->pMethods->xFileSize(real(f), s); }
int fLock(sqlite3_file* f, int l) { return real(f)->pMethods->xLock(real(f), l); }
int fUnlock(sqlite3_file* f, int l) { return real(f)->pMethods->xUnlock(real(f), l); }
int fCheckReservedLock(sqlite3_file* f, int* r) { return real(f)->pMethods->xCheckReservedLock(real(f), r); }
int fFileControl(sqlite3_file* f, int op, void* a) { return real(f)->pMethods->xFileControl(real(f), op, a); }
int fSectorSize(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int fDeviceCharacteristics(sqlite3_file* f) { return real(f)->pMethods->xDeviceCharacteristics(real(f)); }
int fShmMap(sqlite3_file* f, int p, int s, int e, void volatile** m) {
  return real(f)->pMethods->xShmMap(real(f), p, s, e, m);
}
int fShmLock(sqlite3_file* f, int o, int n, int fl) { return real(f)->pMethods->xShmLock(real(f), o, n, fl); }
void fShmBarrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
int fShmUnmap(sqlite3_file* f, int d) { return real(f)->pMethods->xShmUnmap(real(f), d); }
int fFetch(sqlite3_file* f, sqlite3_int64 o, int n, void** p) { return real(f)->pMethods->xFetch(real(f), o, n, p); }
int fUnfetch(sqlite3_file* f, sqlite3_int64 o, void* p) { return real(f)->pMethods->xUnfetch(real(f), o, p); }

const sqlite3_io_methods kFaultyMethods = {
    3,          fClose,      fRead,         fWrite,       fTruncate,  fSync,       fFileSize,
    fLock,      fUnlock,     fCheckReservedLock, fFileControl, fSectorSize, fDeviceCharacteristics,
    fShmMap,    fShmLock,    fShmBarrier,   fShmUnmap,    fFetch,     fUnfetch};

sqlite3_vfs* defaultVfs() {
  static sqlite3_vfs* vfs = sqlite3_vfs_find(nullptr);
  return vfs;
}

int fOpen(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  auto* faulty = reinterpret_cast<FaultyFile*>(file);
  faulty->real = reinterpret_cast<sqlite3_file*>(faulty + 1);
  faulty->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  const int rc = defaultVfs()->xOpen(defaultVfs(), name, faulty->real, flags, out_flags);
  // SQLite calls xClose only when pMethods is set, so set it only for a real open file.
  faulty->base.pMethods = faulty->real->pMethods ? &kFaultyMethods : nullptr;
  return rc;
}

int fDelete(sqlite3_vfs*, const char* n, int s) { return defaultVfs()->xDelete(defaultVfs(), n, s); }
int fAccess(sqlite3_vfs*, const char* n, int f, int* r) { return defaultVfs()->xAccess(defaultVfs(), n, f, r); }
int fFullPathname(sqlite3_vfs*, const char* n, int s, char* o) {
  return defaultVfs()->xFullPathname(defaultVfs(), n, s, o);
}
void* fDlOpen(sqlite3_vfs*, const char* n) { return defaultVfs()->xDlOpen(defaultVfs(), n); }
void fDlError(sqlite3_vfs*, int n, char* m) { defaultVfs()->xDlError(defaultVfs(), n, m); }
void (*fDlSym(sqlite3_vfs*, void* h, const char* s))(void) { return defaultVfs()->xDlSym(defaultVfs(), h, s); }
void fDlClose(sqlite3_vfs*, void* h) { defaultVfs()->xDlClose(defaultVfs(), h); }
int fRandomness(sqlite3_vfs*, int n, char* o) { return defaultVfs()->xRandomness(defaultVfs(), n, o); }
int fSleep(sqlite3_vfs*, int us) { return defaultVfs()->xSleep(defaultVfs(), us); }
int fCurrentTime(sqlite3_vfs*, double* t) { return defaultVfs()->xCurrentTime(defaultVfs(), t); }
int fGetLastError(sqlite3_vfs*, int n, char* m) { return defaultVfs()->xGetLastError(defaultVfs(), n, m); }
int fCurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* t) { return defaultVfs()->xCurrentTimeInt64(defaultVfs(), t); }

void registerFaultyVfs() {
  static sqlite3_vfs vfs = [] {
    sqlite3_vfs v{};
    v.iVersion = 2;
    v.szOsFile = static_cast<int>(sizeof(FaultyFile)) + defaultVfs()->szOsFile;
    v.mxPathname = defaultVfs()->mxPathname;
    v.zName = "faulty";
    v.xOpen = fOpen;
    v.xDelete = fDelete;
    v.xAccess = fAccess;
    v.xFullPathname = fFullPathname;
    v.xDlOpen = fDlOpen;
    v.xDlError = fDlError;
    v.xDlSym = fDlSym;
    v.xDlClose = fDlClose;
    v.xRandomness = fRandomness;
    v.xSleep = fSleep;
    v.xCurrentTime = fCurrentTime;
    v.xGetLastError = fGetLastError;
    v.xCurrentTimeInt64 = fCurrentTimeInt64;
    return v;
  }();
  static const int registered = sqlite3_vfs_register(&vfs, 0);
  ASSERT_EQ(registered, SQLITE_OK);
}

// ---- tests ----

using swhub::testing::TempDir;

WriteBatch caseBatch(const std::string& id) {
  WriteBatch batch;
  batch.message = MessageRecord{"m-" + id, "demo-post", "application/json", "key-" + id, "sha256:" + id,
                                swhub::testing::at("2026-11-28T10:00:00.000Z"), "body", journal::MessageStatus::Accepted, "{}", 202};
  batch.new_cases.push_back({id, "demo-post", "LRN-" + id, "pre-arrival", common::CaseState::Accepted, 1, "{}", "m-" + id,
                             swhub::testing::at("2026-11-28T10:00:00.000Z"), swhub::testing::at("2026-11-28T10:00:00.000Z")});
  return batch;
}

class journal_faults : public ::testing::Test {
 protected:
  void SetUp() override {
    registerFaultyVfs();
    g_fail_sync = g_fail_write = false;
  }
  void TearDown() override { g_fail_sync = g_fail_write = false; }

  // Checkpoints only when asked (never in the interval of a test), so every fault hits a commit.
  std::unique_ptr<Journal> openFaulty() {
    JournalOptions options;
    options.checkpoint_pages = 1u << 30;
    options.checkpoint_interval = std::chrono::hours(1);
    return openJournal("sqlite:" + dir_.file("j.db") + "?vfs=faulty", options);
  }

  void expectFaultStopsAcknowledging(std::atomic<bool>& fault, const std::string& code) {
    {
      auto journal = openFaulty();
      ASSERT_EQ(journal->commit(caseBatch("c1")).status, CommitResult::Status::Committed);
      ASSERT_EQ(journal->commit(caseBatch("c2")).status, CommitResult::Status::Committed);

      fault = true;
      const CommitResult failed = journal->commit(caseBatch("c3"));
      EXPECT_EQ(failed.status, CommitResult::Status::Unavailable);
      EXPECT_NE(failed.error.find(code), std::string::npos) << failed.error;
      EXPECT_FALSE(journal->writable());

      fault = false;  // the disk "recovers": the journal still must not trust it
      const CommitResult later = journal->commit(caseBatch("c4"));
      EXPECT_EQ(later.status, CommitResult::Status::Unavailable);
      EXPECT_EQ(later.error, failed.error);
      EXPECT_TRUE(journal->claimOutbox(journal::Channel::Notification, "worker", 10, std::chrono::seconds(30)).empty());
      // Reads still work: the hub can serve what it has while refusing new filings.
      EXPECT_TRUE(journal->getCase("c1"));
    }
    auto reopened = openJournal("sqlite:" + dir_.file("j.db"));
    EXPECT_TRUE(reopened->getCase("c1"));
    EXPECT_TRUE(reopened->getCase("c2"));
    EXPECT_FALSE(reopened->getCase("c4"));
    EXPECT_TRUE(reopened->writable());
  }

  TempDir dir_;
};

TEST_F(journal_faults, FsyncErrorStopsAcknowledging) { expectFaultStopsAcknowledging(g_fail_sync, "SQLITE_IOERR_FSYNC"); }

TEST_F(journal_faults, WriteErrorStopsAcknowledging) { expectFaultStopsAcknowledging(g_fail_write, "SQLITE_IOERR_WRITE"); }

TEST_F(journal_faults, EveryCommitSyncsTheWal) {
  // synchronous=FULL in WAL mode: each commit fsyncs the WAL before it is acknowledged.
  auto journal = openFaulty();
  const int before = g_wal_syncs.load();
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(journal->commit(caseBatch("c" + std::to_string(i))).status, CommitResult::Status::Committed);
  }
  EXPECT_GE(g_wal_syncs.load() - before, 3);
}

// The writer gathers its WAL writes (sqlite_gather_vfs.hpp): SQLite writes each frame as two
// calls, the VFS below sees a few large ones, under the unix VFS's 128 KiB. Every commit is
// still synced and read back whole by other connections (the journal's readers, a reopened
// journal), and a transaction larger than the writer's page cache (pages spilled and read again
// from the WAL) leaves a sound database.
TEST_F(journal_faults, WalWritesAreGatheredAndEveryCommitIsSyncedAndReadBackWhole) {
  const auto consignment = [](int i) {
    return "{\"note\":\"" + std::string(3000 + i % 977, static_cast<char>('a' + i % 26)) + "\"}";
  };
  const auto batchOf = [&](int first, int count) {
    WriteBatch batch = caseBatch("c" + std::to_string(first));
    batch.new_cases.clear();
    for (int i = first; i < first + count; ++i) {
      batch.new_cases.push_back({"c" + std::to_string(i), "demo-post", "LRN-" + std::to_string(i), "pre-arrival",
                                 common::CaseState::Accepted, 1, consignment(i), "m-c" + std::to_string(first),
                                 swhub::testing::at("2026-11-28T10:00:00.000Z"),
                                 swhub::testing::at("2026-11-28T10:00:00.000Z")});
    }
    return batch;
  };
  const auto expectWhole = [&](Journal& journal, int count) {
    for (int i = 0; i < count; ++i) {
      const auto c = journal.getCase("c" + std::to_string(i));
      ASSERT_TRUE(c) << i;
      ASSERT_EQ(c->consignment_json, consignment(i)) << i;
    }
  };
  {
    auto journal = openFaulty();
    g_wal_writes = g_wal_bytes = g_wal_largest = 0;
    const int syncs = g_wal_syncs.load();
    for (int b = 0; b < 20; ++b) {
      ASSERT_EQ(journal->commit(batchOf(b * 10, 10)).status, CommitResult::Status::Committed);
      expectWhole(*journal, b * 10 + 10);  // at once, through a read connection
    }
    EXPECT_GE(g_wal_syncs.load() - syncs, 20);
    // 10 cases of 3-4 KB a commit: some 20 frames of 4 KiB, 40 writes if not gathered.
    ASSERT_GT(g_wal_writes.load(), 0);  // the WAL is written through the faulty VFS at all
    EXPECT_LE(g_wal_writes.load(), 20 * 4) << g_wal_bytes.load() << " bytes";
    EXPECT_GE(g_wal_bytes.load() / g_wal_writes.load(), 32 * 1024);
    EXPECT_LT(g_wal_largest.load(), 128 * 1024);
    // 1,500 cases at once: 6 MB, three times the writer's page cache.
    ASSERT_EQ(journal->commit(batchOf(200, 1500)).status, CommitResult::Status::Committed);
    expectWhole(*journal, 1700);
  }
  auto reopened = openJournal("sqlite:" + dir_.file("j.db"));
  expectWhole(*reopened, 1700);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(dir_.file("j.db").c_str(), &db), SQLITE_OK);
  sqlite3_stmt* check = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &check, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(check), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(check, 0)), "ok");
  sqlite3_finalize(check);
  sqlite3_close(db);
}

TEST_F(journal_faults, UnknownVfsIsAnOpenError) {
  try {
    openJournal("sqlite:" + dir_.file("j.db") + "?vfs=nosuch");
    FAIL() << "expected JournalError";
  } catch (const JournalError& e) {
    EXPECT_NE(std::string(e.what()).find("no such vfs: nosuch"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace swhub::journal
