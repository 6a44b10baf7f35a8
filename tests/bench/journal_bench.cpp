// journal_bench: durable commits per second, one caller at a time vs. many callers sharing
// group commits, with a reader reading all the time beside them (as the API does), and the
// largest size the WAL file reached. Usage:
//   journal_bench [DIR] [COMMITS] [THREADS] [WAL_LIMIT_MB]   (DIR /tmp, 5000, 32, 64)
// WAL_LIMIT_MB 0 = no bound (PASSIVE checkpoints only, the policy before the bound existed).
// Writes a scratch journal under DIR and removes it afterwards.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "journal/journal.hpp"

using namespace swhub::journal;

namespace {

WriteBatch filing(const std::string& id) {
  WriteBatch batch;
  batch.message = MessageRecord{id, "bench", "application/json", id, "sha256:" + id, *swhub::common::parseInstant("2026-11-28T10:00:00.000Z"),
                                std::string(2048, 'x'), MessageStatus::Accepted, "{}", 202};
  batch.new_cases.push_back({"c" + id, "bench", "LRN-" + id, "pre-arrival", swhub::common::CaseState::Accepted, 1, "{}", id,
                             *swhub::common::parseInstant("2026-11-28T10:00:00.000Z"), *swhub::common::parseInstant("2026-11-28T10:00:00.000Z")});
  return batch;
}

std::int64_t walBytes(const std::filesystem::path& db) {
  std::error_code error;
  const auto size = std::filesystem::file_size(db.string() + "-wal", error);
  return error ? 0 : static_cast<std::int64_t>(size);
}

void run(const std::filesystem::path& dir, const char* label, int commits, int threads, std::int64_t wal_limit) {
  std::filesystem::remove_all(dir);
  const auto db = dir / "j.db";
  JournalOptions options;
  options.wal_limit_bytes = wal_limit;
  auto journal = openJournal("sqlite:" + db.string(), options);
  std::atomic<int> failed{0};
  std::atomic<bool> running{true};
  std::atomic<std::int64_t> wal_max{0};
  std::thread reader([&] {
    while (running) journal->stats();
  });
  std::thread sampler([&] {
    while (running) {
      wal_max = std::max(wal_max.load(), walBytes(db));
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = t; i < commits; i += threads) {
        if (journal->commit(filing(std::string(label) + std::to_string(i))).status != CommitResult::Status::Committed) {
          ++failed;
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  running = false;
  reader.join();
  sampler.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const JournalStats stats = journal->stats();
  std::printf("%-8s threads=%-3d batches=%-6lld transactions=%-6lld %8.0f commits/s  (%.1f batches/transaction)"
              "  WAL max %.1f MiB, at end %.1f MiB%s\n",
              label, threads, static_cast<long long>(stats.batches), static_cast<long long>(stats.commits),
              commits / seconds, static_cast<double>(stats.batches) / static_cast<double>(stats.commits),
              static_cast<double>(wal_max.load()) / (1 << 20), static_cast<double>(walBytes(db)) / (1 << 20),
              failed ? "  FAILURES" : "");
  journal.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path base = argc > 1 ? argv[1] : "/tmp";
  const int commits = argc > 2 ? std::atoi(argv[2]) : 5000;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 32;
  const std::int64_t wal_limit = (argc > 4 ? std::atoll(argv[4]) : 64) << 20;
  const auto dir = base / ("swhub-journal-bench-" + std::to_string(::getpid()));
  std::printf("journal_bench: %d commits of one 2 KB message + one case, WAL, synchronous=FULL, WAL bound %s\n",
              commits, wal_limit > 0 ? (std::to_string(wal_limit >> 20) + " MiB").c_str() : "none");
  run(dir, "single", commits, 1, wal_limit);
  run(dir, "grouped", commits, threads, wal_limit);
  return 0;
}
