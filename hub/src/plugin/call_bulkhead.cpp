#include "plugin/call_bulkhead.hpp"

#include <algorithm>
#include <utility>

namespace swhub::plugin {
namespace {

struct Call {
  enum class State { Queued, Running, Done, Abandoned };
  std::function<void()> work;
  State state = State::Queued;
  std::condition_variable done;
};

struct Worker {
  std::thread thread;
  std::shared_ptr<Call> current;  // the call it is inside, if any
};

}  // namespace

struct CallBulkhead::Core {
  std::string plugin;
  std::chrono::milliseconds timeout;
  int maxThreads;
  std::shared_ptr<const void> keepAlive;

  std::mutex mutex;
  std::condition_variable ready;
  std::deque<std::shared_ptr<Call>> queue;
  std::vector<std::unique_ptr<Worker>> workers;  // never shrinks until teardown
  int idle = 0;
  int stuck = 0;
  bool stopping = false;
};

namespace {

void serve(std::shared_ptr<CallBulkhead::Core> core, Worker* self) {
  std::unique_lock lock(core->mutex);
  for (;;) {
    ++core->idle;
    core->ready.wait(lock, [&] { return core->stopping || !core->queue.empty(); });
    --core->idle;
    if (core->queue.empty()) return;  // stopping
    std::shared_ptr<Call> call = std::move(core->queue.front());
    core->queue.pop_front();
    if (call->state == Call::State::Abandoned) continue;  // its caller gave up before it started
    call->state = Call::State::Running;
    self->current = call;
    lock.unlock();
    call->work();
    lock.lock();
    self->current.reset();
    if (call->state == Call::State::Abandoned) {
      --core->stuck;  // it returned after all: the thread serves again
    } else {
      call->state = Call::State::Done;
      call->done.notify_all();
    }
  }
}

std::optional<Failure> busyLocked(const CallBulkhead::Core& core, const char* call) {
  if (core.stuck < core.maxThreads) return std::nullopt;
  return Failure{core.plugin, FailureKind::Busy, call,
                 "all " + std::to_string(core.maxThreads) + " of its call threads are held by calls that did not return"};
}

}  // namespace

CallBulkhead::CallBulkhead(std::string plugin, std::chrono::milliseconds timeout, int threads,
                           std::shared_ptr<const void> keepAlive)
    : plugin_(plugin), core_(std::make_shared<Core>()) {
  core_->plugin = std::move(plugin);
  core_->timeout = std::max(timeout, std::chrono::milliseconds(1));
  core_->maxThreads = std::max(threads, 1);
  core_->keepAlive = std::move(keepAlive);
}

CallBulkhead::~CallBulkhead() {
  std::vector<std::thread> join, detach;
  {
    std::lock_guard lock(core_->mutex);
    core_->stopping = true;
    core_->ready.notify_all();
    for (auto& worker : core_->workers) {
      const bool stuck = worker->current && worker->current->state == Call::State::Abandoned;
      (stuck ? detach : join).push_back(std::move(worker->thread));
    }
  }
  // A stuck thread may never come back: it keeps the core (and the plugin's code) alive itself.
  for (auto& thread : detach) thread.detach();
  for (auto& thread : join) thread.join();
}

std::optional<Failure> CallBulkhead::run(const char* call, std::function<void()> work) {
  auto pending = std::make_shared<Call>();
  pending->work = std::move(work);
  const auto deadline = std::chrono::steady_clock::now() + core_->timeout;
  std::unique_lock lock(core_->mutex);
  if (auto refused = busyLocked(*core_, call)) return refused;
  core_->queue.push_back(pending);
  if (core_->queue.size() > static_cast<std::size_t>(core_->idle) &&
      core_->workers.size() < static_cast<std::size_t>(core_->maxThreads)) {
    auto worker = std::make_unique<Worker>();
    worker->thread = std::thread(serve, core_, worker.get());
    core_->workers.push_back(std::move(worker));
  }
  core_->ready.notify_one();
  if (pending->done.wait_until(lock, deadline, [&] { return pending->state == Call::State::Done; })) return std::nullopt;
  if (pending->state == Call::State::Running) ++core_->stuck;
  pending->state = Call::State::Abandoned;
  return timedOut(call);
}

Failure CallBulkhead::timedOut(const char* call) const {
  return Failure{plugin_, FailureKind::TimedOut, call,
                 "no answer within " + std::to_string(core_->timeout.count()) + " ms"};
}

std::optional<Failure> CallBulkhead::busy(const char* call) const {
  std::lock_guard lock(core_->mutex);
  return busyLocked(*core_, call);
}

void CallBulkhead::addStuck(int delta) {
  std::lock_guard lock(core_->mutex);
  core_->stuck += delta;
}

std::chrono::milliseconds CallBulkhead::timeout() const { return core_->timeout; }

int CallBulkhead::stuck() const {
  std::lock_guard lock(core_->mutex);
  return core_->stuck;
}

int CallBulkhead::threads() const {
  std::lock_guard lock(core_->mutex);
  return static_cast<int>(core_->workers.size());
}

}  // namespace swhub::plugin
