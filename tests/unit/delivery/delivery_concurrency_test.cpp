// Deliveries to different recipients run at once: a receiver that hangs holds one delivery
// thread and its own items, never another recipient's; a recipient never has two deliveries in
// flight; the claim passes over the recipients being delivered to.

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "delivery/delivery_worker.hpp"
#include "delivery_test_support.hpp"

namespace swhub::delivery {
namespace {

using namespace std::chrono_literals;
using testing::FakeAdapter;
using testing::outboxItem;
using testing::outcome;
using testing::ScratchJournal;
using testing::tinyPolicy;
using Status = sdk::DeliveryOutcome::Status;

// Blocks every delivery until released (a receiver that accepts and never answers); counts the
// deliveries in flight at once.
class HangingAdapter : public sdk::Adapter {
 public:
  sdk::DeliveryOutcome deliver(const sdk::DeliveryItem& item) const noexcept override {
    std::unique_lock lock(mutex_);
    entered_.push_back(item.id);
    maxInFlight_ = std::max(maxInFlight_, ++inFlight_);
    changed_.notify_all();
    changed_.wait(lock, [this] { return released_; });
    --inFlight_;
    return outcome(Status::Delivered);
  }
  bool waitEntered(std::size_t count, std::chrono::milliseconds timeout = 10s) const {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return entered_.size() >= count; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }
  bool hanging() const {
    std::lock_guard lock(mutex_);
    return inFlight_ > 0 && !released_;
  }
  std::vector<std::string> entered() const {
    std::lock_guard lock(mutex_);
    return entered_;
  }
  int maxInFlight() const {
    std::lock_guard lock(mutex_);
    return maxInFlight_;
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  mutable std::vector<std::string> entered_;
  mutable int inFlight_ = 0;
  mutable int maxInFlight_ = 0;
  bool released_ = false;
};

// Polls a condition the worker's threads make true (1 ms between looks).
bool eventually(const std::function<bool()>& done) {
  return testing::runUntil(
      [] {
        std::this_thread::sleep_for(1ms);
        return std::size_t{0};
      },
      done);
}

class delivery_concurrency : public ::testing::Test {
 protected:
  void TearDown() override { slow_.release(); }  // never leave a delivery thread blocked

  ScratchJournal journal_;
  HangingAdapter slow_;
  FakeAdapter fast_;
  std::map<std::string, const sdk::Adapter*> endpoints_{{"demo-slow", &slow_}, {"demo-fast", &fast_}};
};

TEST_F(delivery_concurrency, AReceiverThatHangsDelaysNoOtherRecipient) {
  DeliveryWorker worker(*journal_, endpoints_, tinyPolicy(), "node-1");
  EXPECT_EQ(worker.threads(), DeliveryWorker::kDefaultThreads);
  worker.start();
  journal_.add({outboxItem("s1", "demo-slow", "c1")});
  worker.wake();
  ASSERT_TRUE(slow_.waitEntered(1));

  // The slow receiver holds its delivery; another recipient's item is delivered meanwhile.
  const auto seqs = journal_.add({outboxItem("f1", "demo-fast", "c2"), outboxItem("f2", "demo-fast", "c3")});
  worker.wake();
  ASSERT_TRUE(fast_.waitDelivered(2));
  EXPECT_TRUE(slow_.hanging());
  EXPECT_EQ(fast_.delivered(), (std::vector<std::string>{"f1", "f2"}));
  // Recorded too (the adapter answers before the journal is written).
  EXPECT_TRUE(eventually([&] { return worker.stats().delivered.load() == 2; }));
  for (auto seq : seqs) EXPECT_EQ(journal_.get(seq).state, journal::OutboxState::Delivered);

  slow_.release();
  ASSERT_TRUE(eventually([&] { return worker.stats().delivered.load() == 3; }));
  worker.stop();
}

TEST_F(delivery_concurrency, ARecipientNeverHasTwoDeliveriesInFlight) {
  // Items of five cases for the slow recipient: nothing orders them against each other, yet they
  // go one at a time.
  std::vector<journal::OutboxItem> items;
  for (int i = 1; i <= 5; ++i) items.push_back(outboxItem("s" + std::to_string(i), "demo-slow", "c" + std::to_string(i)));
  journal_.add(items);
  DeliveryWorker worker(*journal_, endpoints_, tinyPolicy(), "node-1", 4);
  worker.start();
  worker.wake();
  ASSERT_TRUE(slow_.waitEntered(1));
  // Claims go on (for other recipients) while it hangs; none hands the slow one's items out again.
  journal_.add({outboxItem("f1", "demo-fast", "c9")});
  worker.wake();
  ASSERT_TRUE(fast_.waitDelivered(1));
  EXPECT_EQ(slow_.entered().size(), 1u);
  slow_.release();
  ASSERT_TRUE(slow_.waitEntered(5));
  ASSERT_TRUE(eventually([&] { return worker.stats().delivered.load() == 6; }));
  worker.stop();
  EXPECT_EQ(slow_.maxInFlight(), 1);
  EXPECT_EQ(slow_.entered(), (std::vector<std::string>{"s1", "s2", "s3", "s4", "s5"}));
}

TEST_F(delivery_concurrency, TheClaimPassesOverTheRecipientsItIsToldToSkip) {
  journal_.add({outboxItem("s1", "demo-slow", "c1"), outboxItem("f1", "demo-fast", "c1"),
                outboxItem("s2", "demo-slow", "c2")});
  auto claimed = journal_->claimOutboxSkipping(journal::Channel::Notification, "w", 10, 30s, {"demo-slow"});
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].id, "f1");
  auto rest = journal_->claimOutboxSkipping(journal::Channel::Notification, "w", 10, 30s, {"demo-\"odd\\name"});
  std::vector<std::string> ids;
  for (const auto& item : rest) ids.push_back(item.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"s1", "s2"}));
}

TEST_F(delivery_concurrency, WithEveryThreadBusyNothingMoreIsClaimedAndStopWaitsForTheHungDelivery) {
  // One delivery thread, held by the slow receiver: the fast recipient's lane would wait for it.
  DeliveryWorker worker(*journal_, endpoints_, tinyPolicy(), "node-1", 1);
  worker.start();
  journal_.add({outboxItem("s1", "demo-slow", "c1")});
  worker.wake();
  ASSERT_TRUE(slow_.waitEntered(1));
  const auto fast = journal_.add({outboxItem("f1", "demo-fast", "c2")}).at(0);
  worker.wake();
  std::thread stopper([&] { worker.stop(); });
  // The slow delivery ends only once stop was asked: else the freed thread could claim f1 first.
  while (!worker.stopping()) std::this_thread::yield();
  slow_.release();
  stopper.join();
  EXPECT_TRUE(fast_.delivered().empty()) << "the only thread was busy: nothing else may have run";
  const auto item = journal_.get(fast);
  EXPECT_EQ(item.state, journal::OutboxState::Pending);
  EXPECT_EQ(item.attempts, 0);
  // Free again for the next worker (not leased away for a minute).
  DeliveryWorker next(*journal_, endpoints_, tinyPolicy(), "node-2");
  EXPECT_EQ(next.runOnce(), 1u);
  EXPECT_EQ(fast_.delivered(), (std::vector<std::string>{"f1"}));
}

}  // namespace
}  // namespace swhub::delivery
