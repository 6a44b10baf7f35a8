#include "delivery/delivery_worker.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "common/ids.hpp"
#include "model/codec_options.hpp"

namespace swhub::delivery {
namespace {

constexpr journal::Channel kChannels[] = {journal::Channel::Notification, journal::Channel::Task};

}  // namespace

std::chrono::milliseconds backoff(int attempt, const RetryPolicy& policy, std::mt19937_64& rng) {
  const int exponent = std::clamp(attempt, 1, 64) - 1;
  const double cap = static_cast<double>(std::max<std::int64_t>(policy.cap.count(), 0));
  // In double, so that a large attempt saturates at the cap instead of overflowing.
  const double raw = std::min(cap, static_cast<double>(std::max<std::int64_t>(policy.base.count(), 0)) *
                                       std::ldexp(1.0, exponent));
  const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
  std::uniform_real_distribution<double> factor(1.0 - jitter, 1.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(raw * factor(rng))));
}

DeliveryWorker::DeliveryWorker(journal::Journal& journal, std::map<std::string, Endpoint> endpoints,
                               RetryPolicy policy, std::string owner, std::size_t threads)
    : journal_(journal),
      endpoints_(std::move(endpoints)),
      policy_(policy),
      owner_(std::move(owner)),
      threads_(std::max<std::size_t>(threads, 1)),
      rng_(std::random_device{}()) {
  if (owner_.empty()) throw std::invalid_argument("DeliveryWorker: owner must not be empty");
  if (policy_.maxAttempts < 1) policy_.maxAttempts = 1;
  // A claim holds at least one whole batch of the recipient with the largest batch_max.
  for (auto& [recipient, endpoint] : endpoints_) {
    endpoint.batch_max = std::clamp<std::size_t>(endpoint.batch_max, 1, kMaxClaimLimit);
    claimLimit_ = std::max(claimLimit_, endpoint.batch_max);
  }
}

namespace {
std::map<std::string, Endpoint> oneByOne(const std::map<std::string, const sdk::Adapter*>& adapters) {
  std::map<std::string, Endpoint> endpoints;
  for (const auto& [recipient, adapter] : adapters) endpoints[recipient].adapter = adapter;
  return endpoints;
}
}  // namespace

DeliveryWorker::DeliveryWorker(journal::Journal& journal, const std::map<std::string, const sdk::Adapter*>& adapters,
                               RetryPolicy policy, std::string owner, std::size_t threads)
    : DeliveryWorker(journal, oneByOne(adapters), policy, std::move(owner), threads) {}

DeliveryWorker::~DeliveryWorker() { stop(); }

void DeliveryWorker::start() {
  std::lock_guard lock(mutex_);
  if (claimer_.joinable()) return;
  stopping_ = false;
  draining_ = false;
  for (std::size_t i = 0; i < threads_; ++i) deliverers_.emplace_back([this] { deliveryLoop(); });
  claimer_ = std::thread([this] { claimLoop(); });
}

void DeliveryWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    cv_.notify_all();
  }
  if (claimer_.joinable()) claimer_.join();
  {
    // Only now is ready_ final: the delivery threads give back what is still in it (deliverLane
    // sees stopping) and then end.
    std::lock_guard lock(mutex_);
    draining_ = true;
    ready_cv_.notify_all();
  }
  for (auto& thread : deliverers_) thread.join();
  deliverers_.clear();
}

void DeliveryWorker::wake() {
  std::lock_guard lock(mutex_);
  woken_ = true;
  cv_.notify_all();
}

bool DeliveryWorker::stopping() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void DeliveryWorker::claimLoop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    woken_ = false;
    // Claim only for a free delivery thread: a lane that waits for one ages toward its lease.
    if (delivering_ + ready_.size() < threads_) {
      lock.unlock();
      std::vector<Lane> lanes;
      try {
        lanes = claim();
      } catch (...) {
        // A journal error ends this claim only; the next one retries.
        stats_.failedRounds.fetch_add(1);
      }
      lock.lock();
      for (auto& lane : lanes) ready_.push_back(std::move(lane));
      ready_cv_.notify_all();
      // Work was found: more may be due at once.
      if (!lanes.empty()) continue;
    }
    // Poll, or wait for wake(), a delivery thread coming free, or stop().
    cv_.wait_for(lock, kPollInterval, [this] { return stopping_ || woken_; });
  }
}

void DeliveryWorker::deliveryLoop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    ready_cv_.wait(lock, [this] { return draining_ || !ready_.empty(); });
    if (ready_.empty()) return;  // stopped, and nothing claimed is left to give back
    Lane lane = std::move(ready_.front());
    ready_.pop_front();
    ++delivering_;
    lock.unlock();
    try {
      deliverLane(lane);
    } catch (...) {
      // A journal error: what this lane still held comes back when its lease expires.
      stats_.failedRounds.fetch_add(1);
    }
    lock.lock();
    --delivering_;
    release(lane.recipient);
  }
}

std::vector<DeliveryWorker::Lane> DeliveryWorker::claim() {
  std::lock_guard claiming(claim_mutex_);
  std::vector<Lane> lanes;
  std::vector<std::string> skip;
  {
    std::lock_guard lock(mutex_);
    skip.assign(busy_.begin(), busy_.end());
  }
  for (const journal::Channel channel : kChannels) {
    if (stopping()) break;
    const auto claimed_at = std::chrono::steady_clock::now();
    std::vector<journal::OutboxItem> claimed;
    try {
      claimed = journal_.claimOutboxSkipping(channel, owner_, claimLimit_, kLease, skip);
    } catch (...) {
      // What the other channel claimed is delivered (its recipients are busy already); this
      // channel's turn comes with the next claim.
      if (lanes.empty()) throw;
      stats_.failedRounds.fetch_add(1);
      break;
    }
    // One lane per recipient, in the order of its first item.
    std::map<std::string, std::size_t> laneOf;
    const std::size_t before = lanes.size();
    for (const auto& item : claimed) {
      auto [at, added] = laneOf.try_emplace(item.recipient, lanes.size());
      if (added) lanes.push_back({item.recipient, {}, claimed_at});
      lanes[at->second].items.push_back(item);
    }
    std::lock_guard lock(mutex_);
    for (std::size_t i = before; i < lanes.size(); ++i) {
      busy_.insert(lanes[i].recipient);
      skip.push_back(lanes[i].recipient);  // the other channel's claim leaves it alone too
    }
  }
  return lanes;
}

void DeliveryWorker::finish(const std::string& recipient) {
  std::lock_guard lock(mutex_);
  release(recipient);
}

void DeliveryWorker::release(const std::string& recipient) {
  busy_.erase(recipient);
  // Its next items may be due now, and a thread is free: claim again without waiting for a poll.
  woken_ = true;
  cv_.notify_all();
}

std::size_t DeliveryWorker::runOnce() {
  auto lanes = claim();
  std::size_t attempted = 0;
  std::size_t done = 0;
  try {
    for (; done < lanes.size(); ++done) {
      attempted += deliverLane(lanes[done]);
      finish(lanes[done].recipient);
    }
  } catch (...) {
    for (; done < lanes.size(); ++done) finish(lanes[done].recipient);
    throw;
  }
  return attempted;
}

std::size_t DeliveryWorker::deliverLane(Lane& lane) {
  using Pair = std::pair<std::string, std::string>;  // (recipient, case)
  const auto endpoint = endpoints_.find(lane.recipient);
  const bool hasEndpoint = endpoint != endpoints_.end();
  // 1. Deliveries, in the order of their first item: the recipient's due notifications go
  // together up to its batch_max; items that failed together before (same `batch`) stay
  // together, apart from new ones.
  std::vector<std::vector<journal::OutboxItem>> deliveries;
  std::map<Pair, std::size_t> open;                 // (recipient, batch) -> delivery still filling
  std::map<Pair, std::vector<std::int64_t>> order;  // the claimed seqs of each (recipient, case)
  for (auto& item : lane.items) {
    order[{item.recipient, item.case_id}].push_back(item.seq);
    const bool batchable = hasEndpoint && endpoint->second.batch_max > 1 && endpoint->second.format &&
                           item.channel == journal::Channel::Notification && item.content_type == model::kNotificationJsonType;
    if (!batchable) {
      deliveries.push_back({item});
      continue;
    }
    auto slot = open.find({item.recipient, item.batch});
    if (slot == open.end() || deliveries[slot->second].size() >= endpoint->second.batch_max) {
      deliveries.emplace_back();
      slot = open.insert_or_assign({item.recipient, item.batch}, deliveries.size() - 1).first;
    }
    deliveries[slot->second].push_back(item);
  }

  // 2. Deliver, one delivery after the other. An item goes only when every older claimed item of
  // its (recipient, case) went before it (or goes with it); after a failure the pair's later
  // items wait for the failed one.
  using NextAt = std::optional<common::Instant>;  // nullopt: as stored
  std::map<Pair, NextAt> held;  // pair -> its failed item's next_attempt_at
  std::map<Pair, std::size_t> next;  // pair -> index in order[pair] of the next item to go
  std::map<NextAt, std::vector<std::int64_t>> giveBack;  // next_attempt_at -> seqs
  std::size_t attempted = 0;
  for (auto& delivery : deliveries) {
    // Past half the lease, or stopping: give the rest back rather than risk another worker
    // claiming them while this one still delivers.
    const bool late = stopping() || std::chrono::steady_clock::now() - lane.claimed_at > kLease / 2;
    std::vector<journal::OutboxItem> going;
    for (auto& item : delivery) {
      const Pair pair{item.recipient, item.case_id};
      auto h = held.find(pair);
      // An older item of the pair that has not gone yet (later in this lane, given back, or
      // failed) keeps this one back; next[pair] only moves when an item goes, so every later item
      // of the pair is kept back too.
      if (late || h != held.end() || order[pair][next[pair]] != item.seq) {
        giveBack[h != held.end() ? h->second : std::nullopt].push_back(item.seq);
        continue;
      }
      ++next[pair];
      going.push_back(std::move(item));
    }
    if (going.empty()) continue;

    Formatted formatted;
    const bool format = hasEndpoint && endpoint->second.adapter != nullptr && endpoint->second.format &&
                        going.front().channel == journal::Channel::Notification;
    if (format) {
      formatted = endpoint->second.format(going);
      if (!formatted.everything) {
        // What cannot be put into the recipient's format is dead at once, with the reason; what
        // was deferred goes later. Either way the pair's later items wait for the next claim.
        for (const auto& [index, reason] : formatted.refused) {
          const auto& item = going[index];
          journal_.completeOutboxItems({item.seq}, owner_, journal::OutboxState::Dead, std::nullopt, reason, "");
          stats_.deadLettered.fetch_add(1);
          stats_.unformattable.fetch_add(1);
          held.emplace(Pair{item.recipient, item.case_id}, std::nullopt);
          ++attempted;
        }
        for (const auto& [index, reason] : formatted.failed) {
          const auto& item = going[index];
          held.emplace(Pair{item.recipient, item.case_id}, retryLater({item}, reason, std::nullopt, ""));
          ++attempted;
        }
        for (std::size_t index : formatted.deferred) {
          giveBack[std::nullopt].push_back(going[index].seq);
          held.emplace(Pair{going[index].recipient, going[index].case_id}, std::nullopt);
        }
        std::vector<journal::OutboxItem> carried;
        for (std::size_t index : formatted.carried) carried.push_back(std::move(going[index]));
        going = std::move(carried);
        if (going.empty()) continue;
      }
    }
    bool delivered = false;
    const NextAt at = attempt(going, format ? &formatted.message : nullptr, delivered);
    attempted += going.size();
    if (!delivered) {
      for (const auto& item : going) held.emplace(Pair{item.recipient, item.case_id}, at);
    }
  }
  for (const auto& [at, seqs] : giveBack) {
    journal_.releaseOutboxItems(seqs, owner_, at);
    stats_.released.fetch_add(static_cast<std::int64_t>(seqs.size()));
  }
  return attempted;
}

std::string batchDeliveryId(const std::vector<journal::OutboxItem>& items) {
  if (items.size() == 1) return items.front().id;
  std::string ids;
  for (const auto& item : items) (ids += item.id) += '\n';
  return "B-" + common::sha256Hex(ids).substr(0, 32);
}

std::optional<common::Instant> DeliveryWorker::attempt(const std::vector<journal::OutboxItem>& items, const sdk::EncodedMessage* message,
                                    bool& delivered) {
  const journal::OutboxItem& first = items.front();
  int attempt = 0;
  for (const auto& item : items) attempt = std::max(attempt, item.attempts + 1);
  const std::string deliveryId = batchDeliveryId(items);
  sdk::DeliveryOutcome outcome;
  const auto endpoint = endpoints_.find(first.recipient);
  if (endpoint == endpoints_.end() || endpoint->second.adapter == nullptr) {
    // Configuration, not the receiver: retried, so that a reload adding the endpoint recovers it.
    outcome.status = sdk::DeliveryOutcome::Status::RetryLater;
    outcome.detail = "no push endpoint for recipient '" + first.recipient + "'";
  } else {
    sdk::DeliveryItem push;
    push.id = deliveryId;
    push.kind = std::string(toString(first.channel));
    push.recipient = first.recipient;
    if (message != nullptr) {
      push.content_type = message->content_type;
      push.body = message->body;
    } else {
      push.content_type = first.content_type;
      push.body = first.body;
    }
    push.attempt = attempt;
    outcome = endpoint->second.adapter->deliver(push);
    stats_.deliveries.fetch_add(1);
    const auto status = outcome.status;
    if (status != sdk::DeliveryOutcome::Status::Delivered && status != sdk::DeliveryOutcome::Status::RetryLater &&
        status != sdk::DeliveryOutcome::Status::FailedForGood) {
      // Garbage: nobody knows whether it was delivered, so it goes again (the same delivery id).
      const plugin::Failure garbage{endpoint->second.adapter_name.empty() ? first.recipient : endpoint->second.adapter_name,
                                    plugin::FailureKind::Garbage, "deliver",
                                    "status " + std::to_string(static_cast<int>(status)) + " is none of delivered, "
                                    "retry later, failed for good"};
      if (countFailure_) countFailure_(garbage);
      outcome = {sdk::DeliveryOutcome::Status::RetryLater, sdk::formatError(plugin::failureError(garbage)), std::nullopt};
    } else if (countFailure_ && status == sdk::DeliveryOutcome::Status::RetryLater) {
      // A call that failed (timed out, busy, crashed) reads "plugins.<name>: <failure message>".
      const auto colon = outcome.detail.find(": ");
      if (outcome.detail.rfind("plugins.", 0) == 0 && colon != std::string::npos) {
        if (auto failure = plugin::failureOf({outcome.detail.substr(0, colon), outcome.detail.substr(colon + 2)})) {
          countFailure_(*failure);
        }
      }
    }
  }

  std::vector<std::int64_t> seqs;
  for (const auto& item : items) seqs.push_back(item.seq);
  const auto count = static_cast<std::int64_t>(items.size());
  // Recorded on each item: a retry forms this batch again (and the trace shows what carried it).
  const std::string batch = items.size() > 1 ? deliveryId : "";
  delivered = outcome.status == sdk::DeliveryOutcome::Status::Delivered;
  switch (outcome.status) {
    case sdk::DeliveryOutcome::Status::Delivered:
      journal_.completeOutboxItems(seqs, owner_, journal::OutboxState::Delivered, std::nullopt, "", batch);
      stats_.delivered.fetch_add(count);
      return std::nullopt;
    case sdk::DeliveryOutcome::Status::FailedForGood:
      journal_.completeOutboxItems(seqs, owner_, journal::OutboxState::Dead, std::nullopt, outcome.detail, batch);
      stats_.deadLettered.fetch_add(count);
      return std::nullopt;
    case sdk::DeliveryOutcome::Status::RetryLater:
      break;
  }
  return retryLater(items, outcome.detail, outcome.retry_after, batch);
}

std::optional<common::Instant> DeliveryWorker::retryLater(const std::vector<journal::OutboxItem>& items, const std::string& detail,
                                       std::optional<std::chrono::milliseconds> retryAfter, const std::string& batch) {
  int attempt = 0;
  std::vector<std::int64_t> seqs;
  for (const auto& item : items) {
    attempt = std::max(attempt, item.attempts + 1);
    seqs.push_back(item.seq);
  }
  const auto count = static_cast<std::int64_t>(items.size());
  if (attempt >= policy_.maxAttempts) {
    journal_.completeOutboxItems(seqs, owner_, journal::OutboxState::Dead, std::nullopt,
                                 "gave up after " + std::to_string(attempt) + " attempts: " + detail, batch);
    stats_.deadLettered.fetch_add(count);
    return std::nullopt;
  }
  std::chrono::milliseconds delay;
  {
    std::lock_guard lock(rng_mutex_);
    delay = backoff(attempt, policy_, rng_);
  }
  if (retryAfter && *retryAfter > delay) delay = *retryAfter;
  const common::Instant nextAt = common::nowInstant() + delay;
  journal_.completeOutboxItems(seqs, owner_, journal::OutboxState::Pending, nextAt, detail, batch);
  stats_.retried.fetch_add(count);
  return nextAt;
}

}  // namespace swhub::delivery
