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
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "journal/journal.hpp"
#include "plugin/plugin_failure.hpp"
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

// What a recipient's format made of the items of one delivery (in seq order).
struct Formatted {
  Formatted() = default;
  Formatted(sdk::EncodedMessage all) : message(std::move(all)), everything(true) {}  // every item, in `message`
  sdk::EncodedMessage message;  // the carried items, together
  bool everything = false;      // every item is carried (then `carried` is not read)
  std::vector<std::size_t> carried;  // indexes of the items in `message`
  // Items that cannot be put into the format, with why: dead letters at once (a retry would not
  // change the plugin's mind; a replay after the plugin is fixed does).
  std::vector<std::pair<std::size_t, std::string>> refused;
  // Items neither carried nor refused: given back, for a later delivery.
  std::vector<std::size_t> deferred;
  // Items whose format's plugin failed (timed out, busy, crashed, garbage), with why: a failed
  // attempt each, retried with backoff, dead-lettered with the reason after the last attempt.
  std::vector<std::pair<std::size_t, std::string>> failed;
};

// Where one recipient's items go.
struct Endpoint {
  const sdk::Adapter* adapter = nullptr;
  std::size_t batch_max = 1;  // notifications per delivery at most
  // Puts notifications (in seq order) into the recipient's format; null: one item at a time,
  // body as stored. Called from several delivery threads at once (for different recipients).
  std::function<Formatted(const std::vector<journal::OutboxItem>&)> format;
  std::string adapter_name;  // the adapter's library name, named in its failures ("" = the recipient)
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
  std::atomic<std::int64_t> unformattable{0};  // dead-lettered because the recipient's format refused them
};

// Deliveries to different recipients run at once on a fixed pool of threads, one delivery in
// flight per recipient at most (so its order holds): a receiver that hangs holds one thread and
// its own items, never the others'. One thread claims: it skips the recipients still being
// delivered to, and claims only while a delivery thread is free.
class DeliveryWorker {
 public:
  static constexpr std::size_t kClaimLimit = 64;                  // items per claim and channel, at least
  static constexpr std::size_t kMaxClaimLimit = 10000;            // ... and at most (largest batch_max)
  static constexpr std::chrono::milliseconds kLease{60000};         // lease of a claimed batch
  static constexpr std::chrono::milliseconds kPollInterval{200};    // idle wait between rounds
  static constexpr std::size_t kDefaultThreads = 8;               // delivery threads (hub.delivery.threads)

  // `endpoints`: recipient id (partner or agency) -> the adapter that pushes to it. The adapters
  // must outlive the worker. Channels claimed: "notification" and "task". `owner` names this
  // worker in the journal's leases (unique per hub node); throws std::invalid_argument if empty.
  // `threads`: deliveries at once (at least 1).
  DeliveryWorker(journal::Journal& journal, std::map<std::string, Endpoint> endpoints, RetryPolicy policy,
                 std::string owner, std::size_t threads = kDefaultThreads);
  // Every recipient one item at a time, bodies as stored.
  DeliveryWorker(journal::Journal& journal, const std::map<std::string, const sdk::Adapter*>& adapters,
                 RetryPolicy policy, std::string owner, std::size_t threads = kDefaultThreads);
  ~DeliveryWorker();

  void start();  // the claiming thread and the delivery threads (woken early by wake())
  void stop();   // gives back what is claimed and not started; waits for deliveries in flight
  void wake();   // new items were committed
  // One round on the calling thread: claims due items (of recipients not being delivered to) and
  // delivers them, recipient after recipient; returns how many were attempted (items given back
  // unattempted are not counted). Claims never overlap. For tests.
  std::size_t runOnce();

  // True once stop() was called: nothing more is claimed from then on.
  bool stopping();

  // Before start(): who counts the plugin failures seen (an adapter that timed out or answered a
  // status that is none of DeliveryOutcome's).
  void onPluginFailure(std::function<void(const plugin::Failure&)> count) { countFailure_ = std::move(count); }

  const DeliveryStats& stats() const { return stats_; }
  std::size_t threads() const { return threads_; }

 private:
  // The items of one recipient from one claim, in seq order: delivered by one thread.
  struct Lane {
    std::string recipient;
    std::vector<journal::OutboxItem> items;
    std::chrono::steady_clock::time_point claimed_at;
  };

  void claimLoop();
  void deliveryLoop();
  // Claims due items of every channel, skipping busy recipients; each recipient claimed becomes
  // busy (one lane) until finish().
  std::vector<Lane> claim();
  void finish(const std::string& recipient);
  void release(const std::string& recipient);  // finish() with mutex_ held
  std::size_t deliverLane(Lane& lane);
  // Delivers the items of one delivery (one recipient, seq order; `message`: their formatted
  // body, or null for the stored one) and records the outcome on each; returns their
  // next_attempt_at when still pending, nullopt when delivered or dead, and sets `delivered`.
  std::optional<common::Instant> attempt(const std::vector<journal::OutboxItem>& items, const sdk::EncodedMessage* message,
                      bool& delivered);
  // A failed attempt of `items` (`batch`: the delivery id recorded on them, "" alone): pending
  // again after the backoff (or `retryAfter` if longer), or dead after the last attempt. Returns
  // their next_attempt_at, nullopt when dead.
  std::optional<common::Instant> retryLater(const std::vector<journal::OutboxItem>& items, const std::string& detail,
                         std::optional<std::chrono::milliseconds> retryAfter, const std::string& batch);

  journal::Journal& journal_;
  std::map<std::string, Endpoint> endpoints_;
  std::size_t claimLimit_ = kClaimLimit;
  RetryPolicy policy_;
  std::string owner_;
  std::size_t threads_;
  std::mutex claim_mutex_;  // one claim at a time
  std::mutex rng_mutex_;
  std::mt19937_64 rng_;
  DeliveryStats stats_;
  std::function<void(const plugin::Failure&)> countFailure_;

  std::mutex mutex_;                // guards what follows
  std::condition_variable cv_;      // the claiming thread: woken, a thread freed, stopping
  std::condition_variable ready_cv_;  // the delivery threads: a lane is ready, stopping
  bool stopping_ = false;
  bool draining_ = false;           // the claiming thread has ended: delivery threads end when idle
  bool woken_ = false;
  std::set<std::string> busy_;      // recipients with a lane claimed and not finished
  std::deque<Lane> ready_;          // lanes waiting for a delivery thread
  std::size_t delivering_ = 0;      // delivery threads inside a lane
  std::thread claimer_;
  std::vector<std::thread> deliverers_;
};

}  // namespace swhub::delivery
