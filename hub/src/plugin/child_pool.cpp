#include "plugin/child_pool.hpp"

#include <algorithm>
#include <iostream>

#include "plugin/wire_codec.hpp"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SWHUB_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define SWHUB_SANITIZED 1
#endif
#endif

namespace swhub::plugin::isolation {
namespace {

// A factory may load schemas or tables: a child gets at least this long to say hello.
constexpr std::chrono::milliseconds kMinHelloTimeout{10000};
constexpr std::chrono::milliseconds kStopGrace{1000};

void log(const std::string& line) { std::cerr << ("swhub: " + line + "\n") << std::flush; }

// The hard backstop beside max_rss_mb: the child's address space (RLIMIT_AS). Generous, since
// address space is not memory (code, thread stacks, malloc arenas), and off under sanitizers,
// which reserve terabytes of shadow.
std::uint64_t addressSpaceLimit(long maxRssKb) {
#if defined(SWHUB_SANITIZED)
  (void)maxRssKb;
  return 0;
#else
  if (maxRssKb <= 0) return 0;
  return (static_cast<std::uint64_t>(maxRssKb) * 4 + (1u << 20)) * 1024;
#endif
}

}  // namespace

std::chrono::milliseconds backoffAfter(int consecutiveFailures) {
  if (consecutiveFailures <= 0) return std::chrono::milliseconds(0);
  auto delay = kFirstBackoff;
  for (int i = 1; i < consecutiveFailures && delay < kBackoffCap; ++i) delay *= 2;
  return std::min(delay, kBackoffCap);
}

ChildPool::Lease::~Lease() { pool_.giveBack(*this); }

ChildPool::ChildPool(PoolSettings settings) : settings_(std::move(settings)) {
  slots_.resize(static_cast<std::size_t>(std::max(1, settings_.processes)));
  if (!settings_.stats) settings_.stats = std::make_shared<IsolationStats>();
}

std::shared_ptr<ChildPool> ChildPool::start(PoolSettings settings, HelloOk& hello, sdk::Errors& errors) {
  std::shared_ptr<ChildPool> pool(new ChildPool(std::move(settings)));
  pool->thread_ = std::thread([p = pool.get()] { p->supervise(); });
  std::unique_lock lock(pool->mutex_);
  pool->idle_.wait(lock, [&] { return pool->firstDone_; });
  hello = pool->firstHello_;
  const std::string why = pool->firstError_;
  lock.unlock();
  if (why.empty() && hello.errors.empty()) return pool;
  if (!why.empty()) {
    const auto& h = pool->settings_.hello;
    errors.push_back({h.context.path, "'" + h.library + "': plugin '" + h.plugin +
                                          "' could not start in a child process (isolation: process): " + why});
  }
  errors.insert(errors.end(), hello.errors.begin(), hello.errors.end());
  return nullptr;  // the pool stops its supervisor and children
}

ChildPool::~ChildPool() {
  std::vector<std::unique_ptr<ChildProcess>> children;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& slot : slots_) {
      if (slot.state == State::Idle || slot.state == State::Leased) --settings_.stats->children;
      if (slot.child && slot.state != State::Starting) children.push_back(std::move(slot.child));
      slot.state = State::Empty;
    }
  }
  supervisor_.notify_all();
  idle_.notify_all();
  // Bye to all first, so that they end together; then each is reaped (SIGKILL after the grace).
  for (auto& child : children) child->channel().send(FrameType::Bye, "", Clock::now() + std::chrono::milliseconds(50));
  for (auto& child : children) child->stop(kStopGrace);
  // Joined last: PR_SET_PDEATHSIG ties each child to this thread, which must outlive them.
  if (thread_.joinable()) thread_.join();
}

std::unique_ptr<ChildProcess> ChildPool::startChild(HelloOk& hello, std::string& why) {
  std::unique_ptr<ChildProcess> child;
  try {
    child = ChildProcess::spawn({hostProgram(), "swhub[" + settings_.hello.plugin + "]",
                                 addressSpaceLimit(settings_.maxRssKb)});
  } catch (const std::exception& e) {
    why = e.what();
    return nullptr;
  }
  const auto deadline = Clock::now() + std::max(settings_.callTimeout, kMinHelloTimeout);
  Frame answer;
  Io io = child->channel().send(FrameType::Hello, encodeHello(settings_.hello), deadline);
  if (io == Io::Ok) io = child->channel().receive(answer, deadline);
  if (io == Io::TimedOut) {
    child->kill();
    why = "no answer to hello within " + std::to_string(std::max(settings_.callTimeout, kMinHelloTimeout).count()) + " ms";
    return nullptr;
  }
  if (io != Io::Ok) {
    why = "the child ended before it was ready (" + child->reap(kStopGrace).describe() + ")";
    return nullptr;
  }
  try {
    if (answer.type != FrameType::HelloOk) throw wire::WireError("a frame other than the hello's answer");
    hello = decodeHelloOk(answer.payload);
  } catch (const wire::WireError& e) {
    child->kill();
    why = std::string("its hello answer is unreadable: ") + e.what();
    return nullptr;
  }
  if (hello.version != kProtocolVersion) {
    child->stop(kStopGrace);
    why = "it speaks protocol version " + std::to_string(hello.version) + ", the hub " + std::to_string(kProtocolVersion);
    return nullptr;
  }
  if (!hello.errors.empty()) {
    child->stop(kStopGrace);
    return nullptr;
  }
  return child;
}

void ChildPool::supervise() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    bool acted = false;
    std::optional<Clock::time_point> wake;
    for (std::size_t i = 0; i < slots_.size() && !stopping_; ++i) {
      Slot& slot = slots_[i];
      if (slot.state == State::Retiring) {
        auto old = std::move(slot.child);
        slot.state = State::Starting;
        lock.unlock();
        old->stop(kStopGrace);
        old.reset();
        lock.lock();
        slot.state = State::Empty;
        slot.notBefore = Clock::now();
        acted = true;
      }
      if (slot.state != State::Empty) continue;
      if (slot.notBefore > Clock::now()) {
        wake = wake ? std::min(*wake, slot.notBefore) : slot.notBefore;
        continue;
      }
      slot.state = State::Starting;
      lock.unlock();
      HelloOk hello;
      std::string why;
      auto child = startChild(hello, why);
      lock.lock();
      acted = true;
      if (!firstDone_) {
        firstDone_ = true;
        firstHello_ = hello;
        firstError_ = why;
        idle_.notify_all();
        if (!child) stopping_ = true;  // start() gives up; nothing more to start
      }
      if (child && stopping_) {
        lock.unlock();
        child->stop(kStopGrace);
        child.reset();
        lock.lock();
      }
      if (child) {
        slot.child = std::move(child);
        slot.state = State::Idle;
        if (slot.replacing) ++settings_.stats->restarts;
        slot.replacing = false;
        ++settings_.stats->children;
        idle_.notify_all();
      } else {
        slot.state = State::Empty;
        slot.replacing = true;
        ++consecutiveFailures_;
        const auto delay = backoffAfter(consecutiveFailures_);
        slot.notBefore = Clock::now() + delay;
        if (firstDone_ && !stopping_) {
          log("plugin '" + plugin() + "': a child could not start (" +
              (why.empty() ? sdk::formatErrors(hello.errors) : why) + "); trying again in " +
              std::to_string(delay.count()) + " ms");
        }
      }
    }
    if (acted || stopping_) continue;
    if (wake) {
      supervisor_.wait_until(lock, *wake);
    } else {
      supervisor_.wait(lock);
    }
  }
}

std::unique_ptr<ChildPool::Lease> ChildPool::acquire(const std::string& call, std::optional<Failure>& failure) {
  std::unique_lock lock(mutex_);
  const auto deadline = Clock::now() + settings_.callTimeout;
  for (;;) {
    for (std::size_t i = 0; i < slots_.size() && !stopping_; ++i) {
      if (slots_[i].state == State::Idle) {
        slots_[i].state = State::Leased;
        return std::unique_ptr<Lease>(new Lease(*this, i, slots_[i].child.get()));
      }
    }
    if (stopping_ || idle_.wait_until(lock, deadline) == std::cv_status::timeout) {
      const auto down = std::count_if(slots_.begin(), slots_.end(), [](const Slot& s) { return s.state != State::Leased; });
      failure = Failure{plugin(), FailureKind::Busy, call,
                        "no child process free within " + std::to_string(settings_.callTimeout.count()) + " ms (" +
                            std::to_string(slots_.size()) + " process(es), " + std::to_string(down) +
                            " starting or restarting)"};
      return nullptr;
    }
  }
}

void ChildPool::giveBack(Lease& lease) {
  if (lease.lost_) return;
  const long rss = settings_.maxRssKb > 0 ? lease.child_->rssKb() : -1;
  std::lock_guard lock(mutex_);
  Slot& slot = slots_[lease.slot_];
  consecutiveFailures_ = 0;
  if (rss > settings_.maxRssKb) {
    ++settings_.stats->recycled;
    --settings_.stats->children;
    slot.state = State::Retiring;
    log("plugin '" + plugin() + "': child " + std::to_string(lease.child_->pid()) + " uses " +
        std::to_string(rss / 1024) + " MiB, more than max_rss_mb " + std::to_string(settings_.maxRssKb / 1024) +
        ": replaced");
    supervisor_.notify_all();
    return;
  }
  slot.state = State::Idle;
  idle_.notify_all();
}

Failure ChildPool::lose(Lease& lease, const std::string& call, Io io) {
  ChildProcess& child = *lease.child_;
  const pid_t pid = child.pid();
  Failure failure{plugin(), FailureKind::Crashed, call, ""};
  if (io == Io::TimedOut) {
    child.kill();
    ++settings_.stats->timeouts;
    failure.kind = FailureKind::TimedOut;
    failure.detail = "no answer within " + std::to_string(settings_.callTimeout.count()) + " ms; child " +
                     std::to_string(pid) + " killed and restarted";
  } else if (io == Io::Garbage) {
    child.kill();
    failure.kind = FailureKind::Garbage;
    failure.detail = "child " + std::to_string(pid) + " sent an unreadable frame; killed and restarted";
  } else {
    const ChildExit exit = child.reap(kStopGrace);
    ++settings_.stats->crashes;
    failure.detail = exit.describe() + " (child " + std::to_string(pid) + "); restarted";
  }
  std::lock_guard lock(mutex_);
  Slot& slot = slots_[lease.slot_];
  ++consecutiveFailures_;
  const auto delay = backoffAfter(consecutiveFailures_);
  log("plugin '" + plugin() + "' child " + std::to_string(pid) + " " +
      (failure.kind == FailureKind::Crashed ? "crashed" : std::string(toString(failure.kind))) + " during " + call +
      ": " + failure.detail + " in " + std::to_string(delay.count()) + " ms");
  slot.child.reset();
  slot.state = State::Empty;
  slot.replacing = true;
  slot.notBefore = Clock::now() + delay;
  --settings_.stats->children;
  lease.lost_ = true;
  supervisor_.notify_all();
  return failure;
}

std::optional<Failure> ChildPool::exchange(Lease& lease, const std::string& call, FrameType request,
                                           std::string_view payload, FrameType expected, Frame& answer,
                                           sdk::ByteSource* input, std::uint64_t* bytesRead) {
  FrameChannel& channel = lease.child_->channel();
  auto deadline = Clock::now() + settings_.callTimeout;
  if (Io io = channel.send(request, payload, deadline); io != Io::Ok) return lose(lease, call, io);
  for (;;) {
    if (Io io = channel.receive(answer, deadline); io != Io::Ok) return lose(lease, call, io);
    if (answer.type == FrameType::Read && input != nullptr) {
      std::uint64_t want = 0;
      try {
        wire::Reader r(answer.payload);
        want = std::min<std::uint64_t>(r.u64(), kReadChunk);
      } catch (const wire::WireError&) {
        return lose(lease, call, Io::Garbage);
      }
      std::string chunk(static_cast<std::size_t>(want), '\0');
      chunk.resize(want > 0 ? input->read(chunk.data(), chunk.size()) : 0);
      if (bytesRead) *bytesRead += chunk.size();
      deadline = Clock::now() + settings_.callTimeout;
      if (Io io = channel.send(FrameType::Bytes, chunk, deadline); io != Io::Ok) return lose(lease, call, io);
      continue;
    }
    if (answer.type != expected) return lose(lease, call, Io::Garbage);
    return std::nullopt;
  }
}

std::vector<pid_t> ChildPool::pids() const {
  std::lock_guard lock(mutex_);
  std::vector<pid_t> out;
  for (const auto& slot : slots_) {
    if (slot.child && (slot.state == State::Idle || slot.state == State::Leased)) out.push_back(slot.child->pid());
  }
  return out;
}

}  // namespace swhub::plugin::isolation
