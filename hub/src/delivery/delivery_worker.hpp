#pragma once
// Push delivery from the journal's outbox: notifications to partners and tasks to external
// agency systems that want push, through adapter instances (http_webhook, ...). At least once,
// in order per (recipient, case), exponential backoff with jitter, dead-letter queue after a
// bound, replay. A crash loses nothing: an item is claimed with a lease and only marked
// delivered after the adapter said so.

#include <atomic>
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

// Counts, for metrics and tests.
struct DeliveryStats {
  std::atomic<std::int64_t> delivered{0};
  std::atomic<std::int64_t> retried{0};
  std::atomic<std::int64_t> deadLettered{0};
  std::atomic<std::int64_t> released{0};      // claimed but given back unattempted (order, stop)
  std::atomic<std::int64_t> failedRounds{0};  // rounds that threw (journal errors); retried next round
};

class DeliveryWorker {
 public:
  static constexpr std::size_t kClaimLimit = 64;                  // items per claim and channel
  static constexpr std::chrono::milliseconds kLease{60000};         // lease of a claimed batch
  static constexpr std::chrono::milliseconds kPollInterval{200};    // idle wait between rounds

  // `endpoints`: recipient id (partner or agency) -> the adapter that pushes to it. The adapters
  // must outlive the worker. Channels claimed: "notification" and "task". `owner` names this
  // worker in the journal's leases (unique per hub node); throws std::invalid_argument if empty.
  DeliveryWorker(journal::Journal& journal, std::map<std::string, const sdk::Adapter*> endpoints,
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
  std::size_t deliverBatch(const std::vector<journal::OutboxItem>& batch,
                           std::chrono::steady_clock::time_point claimed_at);
  // Delivers one item and records the outcome; returns the item's next_attempt_at when it is
  // still pending, "" when it is delivered or dead, and sets `delivered`.
  std::string attempt(const journal::OutboxItem& item, bool& delivered);

  journal::Journal& journal_;
  std::map<std::string, const sdk::Adapter*> endpoints_;
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
