#include "plugin/bounded_decoder.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace swhub::plugin {
namespace {

// Filings decoded ahead of the reader at most: enough to keep the decoding thread busy while the
// reader hands a batch to the journal, small enough to keep a manifest's memory constant.
constexpr std::size_t kAhead = 64;

// The caller's input, until the caller closes it.
class GuardedSource : public sdk::ByteSource {
 public:
  explicit GuardedSource(sdk::ByteSource& input) : input_(&input) {}
  std::size_t read(char* buffer, std::size_t size) override {
    std::lock_guard lock(mutex_);
    return input_ ? input_->read(buffer, size) : 0;
  }
  void close() {
    std::lock_guard lock(mutex_);
    input_ = nullptr;
  }

 private:
  std::mutex mutex_;
  sdk::ByteSource* input_;
};

// What the reader and the decoding thread share.
struct Shared {
  Shared(std::shared_ptr<const void> keepAlive, std::shared_ptr<CallBulkhead> calls, sdk::ByteSource& input)
      : keepAlive(std::move(keepAlive)), calls(std::move(calls)), source(input) {}

  std::shared_ptr<const void> keepAlive;
  std::shared_ptr<CallBulkhead> calls;
  GuardedSource source;

  std::mutex mutex;
  std::condition_variable changed;
  bool opened = false;     // open() returned
  bool noDecoder = false;  // ... with nullptr
  bool ended = false;      // next() returned nullopt
  bool abandoned = false;  // the reader stopped reading
  bool inPlugin = false;   // the thread is inside open() or next()
  bool countedStuck = false;
  std::deque<sdk::Decoded> ahead;

  // Called with `mutex` held: the reader stops. A thread inside the plugin after the reader gave up
  // on it is stuck until it returns.
  void abandon(bool gaveUp) {
    abandoned = true;
    if (gaveUp && inPlugin && !countedStuck) {
      countedStuck = true;
      calls->addStuck(1);
    }
    changed.notify_all();
  }
};

void decodeAhead(std::shared_ptr<Shared> s, const sdk::PartnerPlugin* plugin, sdk::MessageContext context) {
  std::unique_ptr<sdk::Decoder> decoder = plugin->open(context, s->source);
  std::unique_lock lock(s->mutex);
  // Back from the plugin: if the reader counted this thread as stuck, it is not any more.
  auto back = [&] {
    s->inPlugin = false;
    if (s->countedStuck) {
      s->countedStuck = false;
      s->calls->addStuck(-1);
    }
  };
  back();
  s->opened = true;
  s->noDecoder = decoder == nullptr;
  s->changed.notify_all();
  while (decoder && !s->abandoned) {
    s->inPlugin = true;
    lock.unlock();
    std::optional<sdk::Decoded> piece = decoder->next();
    lock.lock();
    back();
    if (s->abandoned) break;
    if (!piece) {
      s->ended = true;
      s->changed.notify_all();
      break;
    }
    s->ahead.push_back(std::move(*piece));
    s->changed.notify_all();
    s->changed.wait(lock, [&] { return s->ahead.size() < kAhead || s->abandoned; });
  }
  lock.unlock();
  decoder.reset();  // the plugin's own clean-up, on this thread too
}

class BoundedDecoder : public sdk::Decoder {
 public:
  explicit BoundedDecoder(std::shared_ptr<Shared> shared) : s_(std::move(shared)) {}
  ~BoundedDecoder() override { stop(); }

  std::optional<sdk::Decoded> next() noexcept override {
    std::unique_lock lock(s_->mutex);
    if (s_->abandoned) return std::nullopt;
    const auto deadline = std::chrono::steady_clock::now() + s_->calls->timeout();
    if (!s_->changed.wait_until(lock, deadline, [&] { return !s_->ahead.empty() || s_->ended; })) {
      lock.unlock();
      return sdk::Decoded{sdk::Errors{failureError(timedOut(s_, "decode"))}};
    }
    if (s_->ahead.empty()) return std::nullopt;
    sdk::Decoded piece = std::move(s_->ahead.front());
    s_->ahead.pop_front();
    s_->changed.notify_all();
    return piece;
  }

  // The reader gave up on the thread after the timeout: it is stuck while inside the plugin.
  static Failure timedOut(const std::shared_ptr<Shared>& s, const char* call) {
    {
      std::lock_guard lock(s->mutex);
      s->abandon(true);
    }
    s->source.close();
    return s->calls->timedOut(call);
  }

 private:
  // The reader stopped reading (the end, or early): the thread ends at its next return, not stuck.
  void stop() {
    {
      std::lock_guard lock(s_->mutex);
      if (!s_->abandoned) s_->abandon(false);
    }
    s_->source.close();
  }

  std::shared_ptr<Shared> s_;
};

// A decoder that answers one failure, then the end.
class FailedDecoder : public sdk::Decoder {
 public:
  explicit FailedDecoder(Failure failure) : failure_(std::move(failure)) {}
  std::optional<sdk::Decoded> next() noexcept override {
    if (told_) return std::nullopt;
    told_ = true;
    return sdk::Decoded{sdk::Errors{failureError(failure_)}};
  }

 private:
  Failure failure_;
  bool told_ = false;
};

}  // namespace

std::unique_ptr<sdk::Decoder> openBounded(std::shared_ptr<const void> keepAlive, const sdk::PartnerPlugin& plugin,
                                          std::shared_ptr<CallBulkhead> calls, const sdk::MessageContext& context,
                                          sdk::ByteSource& input) {
  if (auto busy = calls->busy("decode")) return std::make_unique<FailedDecoder>(std::move(*busy));
  auto s = std::make_shared<Shared>(std::move(keepAlive), std::move(calls), input);
  const auto deadline = std::chrono::steady_clock::now() + s->calls->timeout();
  {
    std::lock_guard lock(s->mutex);
    s->inPlugin = true;
  }
  try {
    std::thread(decodeAhead, s, &plugin, context).detach();
  } catch (const std::system_error& e) {  // no thread to be had: the hub is out of resources
    s->source.close();
    return std::make_unique<FailedDecoder>(
        Failure{s->calls->plugin(), FailureKind::Busy, "decode", std::string("no decoding thread: ") + e.what()});
  }
  std::unique_lock lock(s->mutex);
  if (!s->changed.wait_until(lock, deadline, [&] { return s->opened; })) {
    lock.unlock();
    return std::make_unique<FailedDecoder>(BoundedDecoder::timedOut(s, "decode"));
  }
  if (s->noDecoder) {
    lock.unlock();
    s->source.close();
    return nullptr;
  }
  lock.unlock();
  return std::make_unique<BoundedDecoder>(std::move(s));
}

}  // namespace swhub::plugin
