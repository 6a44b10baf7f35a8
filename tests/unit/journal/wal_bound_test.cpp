// The WAL stays bounded: sustained commits beside a reader never grow it past the bound (plus
// what one checkpoint's wait lets in), and a reader that pinned a snapshot makes it grow only as
// long as it holds it.

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "instants.hpp"
#include "temp_dir.hpp"
#include "journal/journal.hpp"

namespace swhub::journal {
namespace {

using Status = CommitResult::Status;
using namespace std::chrono_literals;
using swhub::testing::TempDir;

constexpr std::int64_t kBound = 1 << 20;  // 1 MiB
const std::string kBody(8192, 'x');       // two pages per message

std::int64_t walSize(const std::string& db) {
  std::error_code error;
  const auto size = std::filesystem::file_size(db + "-wal", error);
  return error ? 0 : static_cast<std::int64_t>(size);
}

JournalOptions bounded() {
  JournalOptions options;
  options.wal_limit_bytes = kBound;
  options.checkpoint_pages = 64;
  options.checkpoint_interval = 20ms;
  return options;
}

WriteBatch message(const std::string& id) {
  WriteBatch batch;
  batch.message = MessageRecord{id, "demo-post", "application/json", "", "sha256:" + id,
                                swhub::testing::at("2026-11-28T10:00:00.000Z"), kBody, journal::MessageStatus::Accepted, "{}", 202};
  return batch;
}

// Samples the -wal file's size every millisecond until stopped; keeps the largest.
class WalWatch {
 public:
  explicit WalWatch(std::string db) : db_(std::move(db)), thread_([this] {
    while (!stop_) {
      max_ = std::max(max_.load(), walSize(db_));
      std::this_thread::sleep_for(1ms);
    }
  }) {}
  ~WalWatch() { stopNow(); }
  std::int64_t stopNow() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return max_;
  }

 private:
  std::string db_;
  std::atomic<bool> stop_{false};
  std::atomic<std::int64_t> max_{0};
  std::thread thread_;
};

TEST(journal_wal, SustainedCommitsBesideAReaderKeepTheWalBelowTheBound) {
  TempDir dir;
  const std::string db = dir.file("j.db");
  auto journal = openJournal("sqlite:" + db, bounded());
  WalWatch watch(db);
  std::atomic<bool> writing{true};
  std::thread reader([&] {
    while (writing) journal->stats();  // short reads all the time, as the API's are
  });
  std::vector<std::thread> writers;
  constexpr int kWriters = 4, kEach = 200;  // 800 messages: about 6.5 MB through the WAL
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < kEach; ++i) {
        ASSERT_EQ(journal->commit(message("M-" + std::to_string(w) + "-" + std::to_string(i))).status,
                  Status::Committed);
      }
    });
  }
  for (auto& t : writers) t.join();
  writing = false;
  reader.join();
  const std::int64_t largest = watch.stopNow();
  EXPECT_EQ(journal->stats().messages, kWriters * kEach);
  // Over the bound by at most what commits wrote while one checkpoint waited for its turn.
  EXPECT_LT(largest, kBound + kBound / 2) << "the WAL reached " << largest << " bytes";
  EXPECT_GT(largest, 0);
}

TEST(journal_wal, AReaderHoldingASnapshotGrowsTheWalOnlyUntilItLetsGo) {
  TempDir dir;
  const std::string db = dir.file("j.db");
  auto journal = openJournal("sqlite:" + db, bounded());
  ASSERT_EQ(journal->commit(message("M-first")).status, Status::Committed);
  sqlite3* pinned = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db.c_str(), &pinned, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(pinned, "BEGIN; SELECT count(*) FROM messages;", nullptr, nullptr, nullptr), SQLITE_OK);
  int i = 0;
  // No checkpoint can get past the pinned snapshot: the WAL grows beyond the bound.
  for (; i < 300; ++i) ASSERT_EQ(journal->commit(message("M-" + std::to_string(i))).status, Status::Committed);
  EXPECT_GT(walSize(db), kBound);
  ASSERT_EQ(sqlite3_exec(pinned, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(pinned);
  // Let go, the WAL is cut back to the bound at most (emptied by a TRUNCATE checkpoint, or cut
  // to the bound when the writer restarts it) as commits go on.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (walSize(db) > kBound && std::chrono::steady_clock::now() < deadline) {
    ASSERT_EQ(journal->commit(message("M-" + std::to_string(i++))).status, Status::Committed);
    std::this_thread::sleep_for(5ms);
  }
  EXPECT_LE(walSize(db), kBound);
}

}  // namespace
}  // namespace swhub::journal
