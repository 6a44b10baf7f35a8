// journal_bench: durable commits per second, one caller at a time vs. many callers sharing
// group commits. Usage: journal_bench [DIR] [COMMITS] [THREADS]   (DIR defaults to /tmp)
// Writes a scratch journal under DIR and removes it afterwards.

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
  batch.message = MessageRecord{id, "bench", "application/json", id, "sha256:" + id, "2026-11-28T10:00:00.000Z",
                                std::string(2048, 'x'), "accepted", "{}", 202};
  batch.new_cases.push_back({"c" + id, "bench", "LRN-" + id, "pre-arrival", "accepted", 1, "{}", id,
                             "2026-11-28T10:00:00.000Z", "2026-11-28T10:00:00.000Z"});
  return batch;
}

void run(const std::filesystem::path& dir, const char* label, int commits, int threads) {
  std::filesystem::remove_all(dir);
  auto journal = openJournal("sqlite:" + (dir / "j.db").string());
  std::atomic<int> failed{0};
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
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const JournalStats stats = journal->stats();
  std::printf("%-8s threads=%-3d batches=%-6lld transactions=%-6lld %8.0f commits/s  (%.1f batches/transaction)%s\n",
              label, threads, static_cast<long long>(stats.batches), static_cast<long long>(stats.commits),
              commits / seconds, static_cast<double>(stats.batches) / static_cast<double>(stats.commits),
              failed ? "  FAILURES" : "");
  journal.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path base = argc > 1 ? argv[1] : "/tmp";
  const int commits = argc > 2 ? std::atoi(argv[2]) : 5000;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 32;
  const auto dir = base / ("swhub-journal-bench-" + std::to_string(::getpid()));
  std::printf("journal_bench: %d commits of one 2 KB message + one case, WAL, synchronous=FULL\n", commits);
  run(dir, "single", commits, 1);
  run(dir, "grouped", commits, threads);
  return 0;
}
