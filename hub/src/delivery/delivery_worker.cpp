#include "delivery/delivery_worker.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "common/ids.hpp"
#include "model/codec_options.hpp"

namespace swhub::delivery {
namespace {

constexpr const char* kChannels[] = {"notification", "task"};

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
                               RetryPolicy policy, std::string owner)
    : journal_(journal),
      endpoints_(std::move(endpoints)),
      policy_(policy),
      owner_(std::move(owner)),
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
                               RetryPolicy policy, std::string owner)
    : DeliveryWorker(journal, oneByOne(adapters), policy, std::move(owner)) {}

DeliveryWorker::~DeliveryWorker() { stop(); }

void DeliveryWorker::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void DeliveryWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
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

void DeliveryWorker::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    std::size_t attempted = 0;
    try {
      attempted = runOnce();
    } catch (...) {
      // A journal error ends this round only; the leases expire and the next round retries.
      stats_.failedRounds.fetch_add(1);
    }
    lock.lock();
    // Work was found: more may be due at once. Otherwise poll, or wait for wake()/stop().
    if (attempted == 0) cv_.wait_for(lock, kPollInterval, [this] { return stopping_ || woken_; });
  }
}

std::size_t DeliveryWorker::runOnce() {
  std::lock_guard round(round_mutex_);
  std::size_t attempted = 0;
  for (const char* channel : kChannels) {
    if (stopping()) break;
    const auto claimed_at = std::chrono::steady_clock::now();
    const auto claimed = journal_.claimOutbox(channel, owner_, claimLimit_, kLease);
    attempted += deliverClaimed(claimed, claimed_at);
  }
  return attempted;
}

std::size_t DeliveryWorker::deliverClaimed(const std::vector<journal::OutboxItem>& claimed,
                                           std::chrono::steady_clock::time_point claimed_at) {
  using Pair = std::pair<std::string, std::string>;  // (recipient, case)
  // 1. Deliveries, in the order of their first item: a recipient's due notifications go
  // together up to its batch_max; items that failed together before (same `batch`) stay
  // together, apart from new ones.
  std::vector<std::vector<journal::OutboxItem>> deliveries;
  std::map<Pair, std::size_t> open;              // (recipient, batch) -> delivery still filling
  std::map<Pair, std::vector<std::int64_t>> order;  // the claimed seqs of each (recipient, case)
  for (const auto& item : claimed) {
    order[{item.recipient, item.case_id}].push_back(item.seq);
    const auto endpoint = endpoints_.find(item.recipient);
    const bool batchable = endpoint != endpoints_.end() && endpoint->second.batch_max > 1 &&
                           endpoint->second.format && item.channel == "notification" &&
                           item.content_type == model::kNotificationJsonType;
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

  // 2. Deliver. An item goes only when every older claimed item of its (recipient, case) went
  // before it (or goes with it); after a failure the pair's later items wait for the failed one.
  std::map<Pair, std::string> held;            // pair -> its failed item's next_attempt_at ("" = as stored)
  std::map<Pair, std::size_t> next;            // pair -> index in order[pair] of the next item to go
  std::map<std::string, std::vector<std::int64_t>> giveBack;  // next_attempt_at -> seqs
  std::size_t attempted = 0;
  for (auto& delivery : deliveries) {
    // Past half the lease, or stopping: give the rest back rather than risk another worker
    // claiming them while this one still delivers.
    const bool late = stopping() || std::chrono::steady_clock::now() - claimed_at > kLease / 2;
    std::vector<journal::OutboxItem> going;
    for (auto& item : delivery) {
      const Pair pair{item.recipient, item.case_id};
      auto h = held.find(pair);
      // An older item of the pair that has not gone yet (later in this round, given back, or
      // failed) keeps this one back; next[pair] only moves when an item goes, so every later item
      // of the pair is kept back too.
      if (late || h != held.end() || order[pair][next[pair]] != item.seq) {
        giveBack[h != held.end() ? h->second : ""].push_back(item.seq);
        continue;
      }
      ++next[pair];
      going.push_back(std::move(item));
    }
    if (going.empty()) continue;
    bool delivered = false;
    std::string at = attempt(going, delivered);
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

std::string DeliveryWorker::attempt(const std::vector<journal::OutboxItem>& items, bool& delivered) {
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
    push.kind = first.channel;
    push.recipient = first.recipient;
    if (endpoint->second.format && first.channel == "notification") {
      sdk::EncodedMessage message = endpoint->second.format(items);
      push.content_type = std::move(message.content_type);
      push.body = std::move(message.body);
    } else {
      push.content_type = first.content_type;
      push.body = first.body;
    }
    push.attempt = attempt;
    outcome = endpoint->second.adapter->deliver(push);
    stats_.deliveries.fetch_add(1);
  }

  std::vector<std::int64_t> seqs;
  for (const auto& item : items) seqs.push_back(item.seq);
  const auto count = static_cast<std::int64_t>(items.size());
  // Recorded on each item: a retry forms this batch again (and the trace shows what carried it).
  const std::string batch = items.size() > 1 ? deliveryId : "";
  delivered = outcome.status == sdk::DeliveryOutcome::Status::Delivered;
  switch (outcome.status) {
    case sdk::DeliveryOutcome::Status::Delivered:
      journal_.completeOutboxItems(seqs, owner_, "delivered", "", "", batch);
      stats_.delivered.fetch_add(count);
      return "";
    case sdk::DeliveryOutcome::Status::FailedForGood:
      journal_.completeOutboxItems(seqs, owner_, "dead", "", outcome.detail, batch);
      stats_.deadLettered.fetch_add(count);
      return "";
    case sdk::DeliveryOutcome::Status::RetryLater:
      break;
  }
  if (attempt >= policy_.maxAttempts) {
    journal_.completeOutboxItems(seqs, owner_, "dead", "",
                                 "gave up after " + std::to_string(attempt) + " attempts: " + outcome.detail, batch);
    stats_.deadLettered.fetch_add(count);
    return "";
  }
  auto delay = backoff(attempt, policy_, rng_);
  if (outcome.retry_after && *outcome.retry_after > delay) delay = *outcome.retry_after;
  std::string nextAt = common::rfc3339(std::chrono::system_clock::now() + delay);
  journal_.completeOutboxItems(seqs, owner_, "pending", nextAt, outcome.detail, batch);
  stats_.retried.fetch_add(count);
  return nextAt;
}

}  // namespace swhub::delivery
