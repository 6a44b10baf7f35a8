#pragma once
// Shared by the delivery tests: a scratch journal and outbox items.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "instants.hpp"
#include "temp_dir.hpp"
#include "delivery/delivery_worker.hpp"
#include "journal/journal.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::delivery::testing {

using namespace std::chrono_literals;

using swhub::testing::TempDir;

inline journal::OutboxItem outboxItem(const std::string& id, const std::string& recipient, const std::string& case_id,
                                      journal::Channel channel = journal::Channel::Notification) {
  journal::OutboxItem o;
  o.id = id;
  o.channel = channel;
  o.recipient = recipient;
  o.case_id = case_id;
  o.content_type = "application/vnd.swhub.notification+json";
  o.body = "{\"notifications\":[{\"id\":\"" + id + "\",\"case_id\":\"" + case_id + "\"}]}";
  o.created_at = swhub::testing::at("2026-11-28T10:00:00.000Z");
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

using Status = sdk::DeliveryOutcome::Status;

inline sdk::DeliveryOutcome outcome(Status status, std::string detail = "",
                             std::optional<std::chrono::milliseconds> retry_after = std::nullopt) {
  sdk::DeliveryOutcome o;
  o.status = status;
  o.detail = std::move(detail);
  o.retry_after = retry_after;
  return o;
}

// Records every call; answers with `script` (default: delivered). Thread-safe.
class FakeAdapter : public sdk::Adapter {
 public:
  using Script = std::function<sdk::DeliveryOutcome(const sdk::DeliveryItem&, int call_of_this_id)>;

  explicit FakeAdapter(Script script = {}) : script_(std::move(script)) {}

  sdk::DeliveryOutcome deliver(const sdk::DeliveryItem& item) const noexcept override {
    std::lock_guard lock(mutex_);
    const int call = ++calls_[item.id];
    auto result = script_ ? script_(item, call) : outcome(Status::Delivered);
    seen_.push_back(item);
    if (result.status == Status::Delivered) delivered_.push_back(item.id);
    changed_.notify_all();
    return result;
  }

  void setScript(Script script) {
    std::lock_guard lock(mutex_);
    script_ = std::move(script);
  }
  std::vector<sdk::DeliveryItem> seen() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }
  std::vector<std::string> delivered() const {
    std::lock_guard lock(mutex_);
    return delivered_;
  }
  // Waits until `count` items were delivered.
  bool waitDelivered(std::size_t count, std::chrono::milliseconds timeout = 10s) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return delivered_.size() >= count; });
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  Script script_;
  mutable std::map<std::string, int> calls_;
  mutable std::vector<sdk::DeliveryItem> seen_;
  mutable std::vector<std::string> delivered_;
};

inline RetryPolicy tinyPolicy(int max_attempts = 10) {
  RetryPolicy policy;
  policy.base = 1ms;
  policy.cap = 4ms;
  policy.maxAttempts = max_attempts;
  return policy;
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
