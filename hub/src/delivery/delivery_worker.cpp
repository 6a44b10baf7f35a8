#include "delivery/delivery_worker.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <stdexcept>
#include <utility>

namespace swhub::delivery {
namespace {

// RFC 3339 UTC with milliseconds: the journal compares due times as text.
std::string formatTime(std::chrono::system_clock::time_point at) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms % 1000));
  return text;
}

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

DeliveryWorker::DeliveryWorker(journal::Journal& journal, std::map<std::string, const sdk::Adapter*> endpoints,
                               RetryPolicy policy, std::string owner)
    : journal_(journal),
      endpoints_(std::move(endpoints)),
      policy_(policy),
      owner_(std::move(owner)),
      rng_(std::random_device{}()) {
  if (owner_.empty()) throw std::invalid_argument("DeliveryWorker: owner must not be empty");
  if (policy_.maxAttempts < 1) policy_.maxAttempts = 1;
}

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
    const auto batch = journal_.claimOutbox(channel, owner_, kClaimLimit, kLease);
    attempted += deliverBatch(batch, claimed_at);
  }
  return attempted;
}

std::size_t DeliveryWorker::deliverBatch(const std::vector<journal::OutboxItem>& batch,
                                         std::chrono::steady_clock::time_point claimed_at) {
  // (recipient, case) -> next_attempt_at of the item that failed in this batch: later items of
  // the same pair wait for it (the claim hands out a case's items in seq order).
  std::map<std::pair<std::string, std::string>, std::string> held;
  std::size_t attempted = 0;
  for (const auto& item : batch) {
    // Past half the lease, or stopping: give the rest back rather than risk another worker
    // claiming them while this one still delivers.
    if (stopping() || std::chrono::steady_clock::now() - claimed_at > kLease / 2) {
      journal_.releaseOutbox(item.seq, owner_, "");
      stats_.released.fetch_add(1);
      continue;
    }
    auto key = std::make_pair(item.recipient, item.case_id);
    if (auto h = held.find(key); h != held.end()) {
      journal_.releaseOutbox(item.seq, owner_, h->second);
      stats_.released.fetch_add(1);
      continue;
    }
    bool delivered = false;
    std::string next = attempt(item, delivered);
    ++attempted;
    if (!delivered) held.emplace(std::move(key), std::move(next));
  }
  return attempted;
}

std::string DeliveryWorker::attempt(const journal::OutboxItem& item, bool& delivered) {
  const int attempt = item.attempts + 1;
  sdk::DeliveryOutcome outcome;
  const auto endpoint = endpoints_.find(item.recipient);
  if (endpoint == endpoints_.end() || endpoint->second == nullptr) {
    // Configuration, not the receiver: retried, so that a reload adding the endpoint recovers it.
    outcome.status = sdk::DeliveryOutcome::Status::RetryLater;
    outcome.detail = "no push endpoint for recipient '" + item.recipient + "'";
  } else {
    sdk::DeliveryItem push;
    push.id = item.id;
    push.kind = item.channel;
    push.recipient = item.recipient;
    push.content_type = item.content_type;
    push.body = item.body;
    push.attempt = attempt;
    outcome = endpoint->second->deliver(push);
  }

  delivered = outcome.status == sdk::DeliveryOutcome::Status::Delivered;
  switch (outcome.status) {
    case sdk::DeliveryOutcome::Status::Delivered:
      journal_.completeOutbox(item.seq, owner_, "delivered", "", "");
      stats_.delivered.fetch_add(1);
      return "";
    case sdk::DeliveryOutcome::Status::FailedForGood:
      journal_.completeOutbox(item.seq, owner_, "dead", "", outcome.detail);
      stats_.deadLettered.fetch_add(1);
      return "";
    case sdk::DeliveryOutcome::Status::RetryLater:
      break;
  }
  if (attempt >= policy_.maxAttempts) {
    journal_.completeOutbox(item.seq, owner_, "dead", "",
                            "gave up after " + std::to_string(attempt) + " attempts: " + outcome.detail);
    stats_.deadLettered.fetch_add(1);
    return "";
  }
  auto delay = backoff(attempt, policy_, rng_);
  if (outcome.retry_after && *outcome.retry_after > delay) delay = *outcome.retry_after;
  std::string next = formatTime(std::chrono::system_clock::now() + delay);
  journal_.completeOutbox(item.seq, owner_, "pending", next, outcome.detail);
  stats_.retried.fetch_add(1);
  return next;
}

}  // namespace swhub::delivery
