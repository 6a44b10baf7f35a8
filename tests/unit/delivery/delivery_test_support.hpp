#pragma once
// Shared by the delivery tests: a scratch journal and outbox items.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "journal/journal.hpp"

namespace swhub::delivery::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "swhub-delivery-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline journal::OutboxItem outboxItem(const std::string& id, const std::string& recipient, const std::string& case_id,
                                      const std::string& channel = "notification") {
  journal::OutboxItem o;
  o.id = id;
  o.channel = channel;
  o.recipient = recipient;
  o.case_id = case_id;
  o.content_type = "application/vnd.swhub.notification+json";
  o.body = "{\"notifications\":[{\"id\":\"" + id + "\",\"case_id\":\"" + case_id + "\"}]}";
  o.created_at = "2026-11-28T10:00:00.000Z";
  return o;
}

// A scratch SQLite journal on the real clock (the worker writes due times from the real clock).
class ScratchJournal {
 public:
  ScratchJournal() : journal_(journal::openJournal("sqlite:" + dir_.file("journal.db"))) {}
  journal::Journal& operator*() { return *journal_; }
  journal::Journal* operator->() { return journal_.get(); }

  // Commits the items and returns their seqs, in order.
  std::vector<std::int64_t> add(std::vector<journal::OutboxItem> items) {
    journal::WriteBatch batch;
    batch.outbox = items;
    EXPECT_EQ(journal_->commit(batch).status, journal::CommitResult::Status::Committed);
    std::vector<std::int64_t> seqs;
    for (const auto& item : items) {
      for (const auto& stored : journal_->outboxAfter(item.recipient, item.channel, 0, 1000)) {
        if (stored.id == item.id) seqs.push_back(stored.seq);
      }
    }
    return seqs;
  }

  journal::OutboxItem get(std::int64_t seq) {
    auto item = journal_->getOutboxItem(seq);
    EXPECT_TRUE(item) << "no outbox item " << seq;
    return item ? *item : journal::OutboxItem{};
  }

 private:
  TempDir dir_;
  std::unique_ptr<journal::Journal> journal_;
};

// Calls `round` until `done` holds or `timeout` passes; a wait on a condition, not a sleep.
inline bool runUntil(const std::function<std::size_t()>& round, const std::function<bool()>& done,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    round();
  }
  return true;
}

// RFC 3339 UTC with milliseconds, as the worker and the journal write it.
inline std::string rfc3339(std::chrono::system_clock::time_point at) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms % 1000));
  return text;
}

}  // namespace swhub::delivery::testing
