#pragma once
// Push delivery from the journal's outbox: notifications to partners and tasks to external
// agency systems that want push, through adapter instances (http_webhook, ...). At least once,
// in order per (recipient, case), exponential backoff with jitter, dead-letter queue after a
// bound, replay. A crash loses nothing: an item is claimed with a lease and only marked
// delivered after the adapter said so.
//
// Batches: a recipient with batch_max > 1 gets up to that many due notifications in one
// delivery, put into its format by its `format` function. A batch's delivery id is derived from
// the ids it carries (one item: the item's own id), and a batch that failed is formed again from
// the same items on retry (OutboxItem::batch), so a receiver sees the same delivery id for the
// same content, and never the same id for other content.

#include <atomic>
#include <functional>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "journal/journal.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::delivery {

struct RetryPolicy {
  std::chrono::milliseconds base{500};   // delay before the 2nd attempt
  std::chrono::milliseconds cap{60000};  // longest delay between attempts
  int maxAttempts = 10;                  // then the item is dead-lettered
  double jitter = 0.5;                   // delay is multiplied by a random factor in [1-jitter, 1]
};

// The delay after `attempt` failed attempts (attempt >= 1): min(cap, base * 2^(attempt-1)),
// scaled by the jitter factor drawn from `rng`.
std::chrono::milliseconds backoff(int attempt, const RetryPolicy& policy, std::mt19937_64& rng);

// Where one recipient's items go.
struct Endpoint {
  const sdk::Adapter* adapter = nullptr;
  std::size_t batch_max = 1;  // notifications per delivery at most
  // Puts notifications (in seq order) into the recipient's format; null: one item at a time,
  // body as stored.
  std::function<sdk::EncodedMessage(const std::vector<journal::OutboxItem>&)> format;
};

// The delivery id of a batch: its item's id when alone, else "B-" and 32 hex digits of the
// SHA-256 of the item ids in order.
std::string batchDeliveryId(const std::vector<journal::OutboxItem>& items);

// Counts, for metrics and tests.
struct DeliveryStats {
  std::atomic<std::int64_t> delivered{0};
  std::atomic<std::int64_t> retried{0};
  std::atomic<std::int64_t> deadLettered{0};
  std::atomic<std::int64_t> released{0};      // claimed but given back unattempted (order, stop)
  std::atomic<std::int64_t> failedRounds{0};  // rounds that threw (journal errors); retried next round
  std::atomic<std::int64_t> deliveries{0};    // adapter calls (a batch is one)
};

class DeliveryWorker {
 public:
  static constexpr std::size_t kClaimLimit = 64;                  // items per claim and channel, at least
  static constexpr std::size_t kMaxClaimLimit = 10000;            // ... and at most (largest batch_max)
  static constexpr std::chrono::milliseconds kLease{60000};         // lease of a claimed batch
  static constexpr std::chrono::milliseconds kPollInterval{200};    // idle wait between rounds

  // `endpoints`: recipient id (partner or agency) -> the adapter that pushes to it. The adapters
  // must outlive the worker. Channels claimed: "notification" and "task". `owner` names this
  // worker in the journal's leases (unique per hub node); throws std::invalid_argument if empty.
  DeliveryWorker(journal::Journal& journal, std::map<std::string, Endpoint> endpoints, RetryPolicy policy,
                 std::string owner);
  // Every recipient one item at a time, bodies as stored.
  DeliveryWorker(journal::Journal& journal, const std::map<std::string, const sdk::Adapter*>& adapters,
                 RetryPolicy policy, std::string owner);
  ~DeliveryWorker();

  void start();  // a background thread polling the outbox (woken early by wake())
  void stop();
  void wake();   // new items were committed
  // One round: claims due items and delivers them; returns how many were attempted (items
  // given back unattempted are not counted). Rounds never overlap. For tests.
  std::size_t runOnce();

  const DeliveryStats& stats() const { return stats_; }

 private:
  void loop();
  bool stopping();
  std::size_t deliverClaimed(const std::vector<journal::OutboxItem>& claimed,
                             std::chrono::steady_clock::time_point claimed_at);
  // Delivers the items of one delivery (one recipient, seq order) and records the outcome on
  // each; returns their next_attempt_at when still pending, "" when delivered or dead, and sets
  // `delivered`.
  std::string attempt(const std::vector<journal::OutboxItem>& items, bool& delivered);

  journal::Journal& journal_;
  std::map<std::string, Endpoint> endpoints_;
  std::size_t claimLimit_ = kClaimLimit;
  RetryPolicy policy_;
  std::string owner_;
  std::mutex round_mutex_;  // one round at a time; guards rng_
  std::mt19937_64 rng_;
  DeliveryStats stats_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace swhub::delivery
