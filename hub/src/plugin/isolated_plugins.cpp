#include "plugin/isolated_plugins.hpp"

#include <variant>

#include "plugin/child_pool.hpp"
#include "plugin/wire_codec.hpp"

namespace swhub::plugin::isolation {
namespace {

// The failure of a retried call: the last one's kind, and what the first attempt met.
Failure afterRetry(const std::optional<Failure>& first, Failure last) {
  if (first) last.detail += "; retried once in another child after: " + first->detail;
  return last;
}

Failure garbage(const ChildPool& pool, const std::string& call, const std::string& what) {
  return Failure{pool.plugin(), FailureKind::Garbage, call, "its answer is unreadable: " + what};
}

// One call with its answer; retried once in another child when the child crashed (the request is
// whole in `payload`, so nothing of it was consumed).
std::variant<Frame, Failure> roundTrip(ChildPool& pool, const std::string& call, FrameType request,
                                       const std::string& payload, FrameType expected) {
  std::optional<Failure> first;
  for (;;) {
    std::optional<Failure> failure;
    auto lease = pool.acquire(call, failure);
    if (!lease) return afterRetry(first, *failure);
    Frame answer;
    failure = pool.exchange(*lease, call, request, payload, expected, answer);
    if (!failure) return answer;
    if (failure->kind != FailureKind::Crashed || first) return afterRetry(first, *failure);
    first = failure;
  }
}

template <class T>
sdk::Result<T> resultCall(ChildPool& pool, const std::string& call, FrameType request, const std::string& payload,
                          FrameType expected) noexcept {
  try {
    auto answer = roundTrip(pool, call, request, payload, expected);
    if (auto* failure = std::get_if<Failure>(&answer)) return sdk::Errors{failureError(*failure)};
    try {
      wire::Reader r(std::get<Frame>(answer).payload);
      auto result = wire::getResult<T>(r);
      if (!r.atEnd()) throw wire::WireError("trailing bytes after the answer");
      return result;
    } catch (const wire::WireError& e) {
      return sdk::Errors{failureError(garbage(pool, call, e.what()))};
    }
  } catch (const std::exception& e) {  // the hub's own trouble (memory): still a result
    return sdk::Errors{failureError({pool.plugin(), FailureKind::Threw, call, e.what()})};
  }
}

// A decoder with a child of its own for its life; the child asks for the message's bytes as it goes.
class IsolatedDecoder : public sdk::Decoder {
 public:
  IsolatedDecoder(std::shared_ptr<ChildPool> pool, const sdk::MessageContext& context, sdk::ByteSource& input)
      : pool_(std::move(pool)), context_(wire::encode(context)), input_(input) {}
  ~IsolatedDecoder() override { finish(); }

  // Leases a child and opens the decoder there (retried once when the child crashed before any
  // byte was read). Returns false when the plugin made no decoder; a failure is kept for next().
  bool open() noexcept {
    try {
      for (;;) {
        std::optional<Failure> failure;
        lease_ = pool_->acquire("decode", failure);
        if (!lease_) return fail(*failure);
        Frame answer;
        failure = pool_->exchange(*lease_, "decode", FrameType::Open, context_, FrameType::Opened, answer, &input_,
                                  &bytesRead_);
        if (failure) {
          lease_.reset();
          if (failure->kind == FailureKind::Crashed && bytesRead_ == 0 && !first_) {
            first_ = failure;
            continue;
          }
          return fail(*failure);
        }
        bool made = false;
        try {
          made = wire::decode<bool>(answer.payload);
        } catch (const wire::WireError& e) {
          return fail(garbage(*pool_, "decode", e.what()));
        }
        if (!made) finish();
        return made;
      }
    } catch (const std::exception& e) {
      return fail({pool_->plugin(), FailureKind::Threw, "decode", e.what()});
    }
  }

  std::optional<sdk::Decoded> next() noexcept override {
    if (failure_) {
      auto out = sdk::Decoded{sdk::Errors{failureError(*failure_)}};
      failure_.reset();
      return out;
    }
    if (!lease_) return std::nullopt;
    try {
      Frame answer;
      auto failure = pool_->exchange(*lease_, "decode", FrameType::Next, "", FrameType::Item, answer, &input_, &bytesRead_);
      if (failure && failure->kind == FailureKind::Crashed && bytesRead_ == 0 && yielded_ == 0 && !first_) {
        // Nothing of the message is spent: the whole decode again, in another child.
        lease_.reset();
        first_ = failure;
        open();
        return next();
      }
      if (failure) {
        lease_.reset();
        return sdk::Decoded{sdk::Errors{failureError(afterRetry(first_, *failure))}};
      }
      std::optional<sdk::Decoded> item;
      try {
        item = wire::decode<std::optional<sdk::Decoded>>(answer.payload);
      } catch (const wire::WireError& e) {
        finish();
        return sdk::Decoded{sdk::Errors{failureError(garbage(*pool_, "decode", e.what()))}};
      }
      if (!item) {
        finish();
      } else {
        ++yielded_;
      }
      return item;
    } catch (const std::exception& e) {
      lease_.reset();
      return sdk::Decoded{sdk::Errors{failureError({pool_->plugin(), FailureKind::Threw, "decode", e.what()})}};
    }
  }

 private:
  bool fail(const Failure& failure) {
    lease_.reset();
    failure_ = afterRetry(first_, failure);
    return true;  // a decoder that yields the failure, then ends
  }

  // The child's decoder is closed and the child given back as soon as the message is done.
  void finish() noexcept {
    if (!lease_) return;
    try {
      Frame answer;
      pool_->exchange(*lease_, "decode", FrameType::Close, "", FrameType::Closed, answer);
    } catch (...) {
    }
    lease_.reset();
  }

  std::shared_ptr<ChildPool> pool_;  // first: outlives the lease
  std::unique_ptr<ChildPool::Lease> lease_;
  const std::string context_;  // encoded once: sent again when the open is retried
  sdk::ByteSource& input_;
  std::uint64_t bytesRead_ = 0;
  std::size_t yielded_ = 0;
  std::optional<Failure> first_;    // the crash that the one retry followed
  std::optional<Failure> failure_;  // to be yielded by next()
};

class IsolatedPartner : public sdk::PartnerPlugin {
 public:
  IsolatedPartner(std::shared_ptr<ChildPool> pool, HelloOk hello) : pool_(std::move(pool)), hello_(std::move(hello)) {}
  std::vector<std::string> contentTypes() const override { return hello_.contentTypes; }
  sdk::Availability availability() const noexcept override { return hello_.availability; }
  std::unique_ptr<sdk::Decoder> open(const sdk::MessageContext& context, sdk::ByteSource& input) const noexcept override {
    try {
      auto decoder = std::make_unique<IsolatedDecoder>(pool_, context, input);
      if (!decoder->open()) return nullptr;
      return decoder;
    } catch (const std::exception&) {
      return nullptr;
    }
  }
  sdk::Result<sdk::EncodedMessage> encode(const std::vector<sdk::Notification>& batch) const noexcept override {
    return resultCall<sdk::EncodedMessage>(*pool_, "encode", FrameType::Encode, wire::encode(batch), FrameType::Encoded);
  }

 private:
  std::shared_ptr<ChildPool> pool_;
  HelloOk hello_;
};

std::string assessPayload(bool findings, const sdk::AssessmentRequest& request) {
  wire::Writer w;
  wire::put(w, findings);
  wire::put(w, request);
  return w.take();
}

class IsolatedAgency : public sdk::AgencyPlugin {
 public:
  explicit IsolatedAgency(std::shared_ptr<ChildPool> pool) : pool_(std::move(pool)) {}
  sdk::Result<sdk::Assessment> assess(const sdk::AssessmentRequest& request) const noexcept override {
    return resultCall<sdk::Assessment>(*pool_, "assess", FrameType::Assess, assessPayload(false, request),
                                       FrameType::Assessed);
  }
  // Called by the hub only for a library built for ABI 3.2 or newer (kFindingsAbiMinor), as in process.
  sdk::Result<sdk::CaseAssessment> assessCase(const sdk::AssessmentRequest& request) const noexcept override {
    return resultCall<sdk::CaseAssessment>(*pool_, "assess", FrameType::Assess, assessPayload(true, request),
                                           FrameType::Assessed);
  }

 private:
  std::shared_ptr<ChildPool> pool_;
};

class IsolatedAdapter : public sdk::Adapter {
 public:
  explicit IsolatedAdapter(std::shared_ptr<ChildPool> pool) : pool_(std::move(pool)) {}
  sdk::DeliveryOutcome deliver(const sdk::DeliveryItem& item) const noexcept override {
    auto retryLater = [](const Failure& failure) {
      return sdk::DeliveryOutcome{sdk::DeliveryOutcome::Status::RetryLater, sdk::formatError(failureError(failure)),
                                  std::nullopt};
    };
    try {
      auto answer = roundTrip(*pool_, "deliver", FrameType::Deliver, wire::encode(item), FrameType::Delivered);
      if (auto* failure = std::get_if<Failure>(&answer)) return retryLater(*failure);
      try {
        return wire::decode<sdk::DeliveryOutcome>(std::get<Frame>(answer).payload);
      } catch (const wire::WireError& e) {
        return retryLater(garbage(*pool_, "deliver", e.what()));
      }
    } catch (const std::exception& e) {
      return retryLater({pool_->plugin(), FailureKind::Threw, "deliver", e.what()});
    }
  }

 private:
  std::shared_ptr<ChildPool> pool_;
};

std::shared_ptr<ChildPool> startPool(const std::shared_ptr<const LoadedPlugin>& loaded, const sdk::InstanceContext& context,
                                     sdk::PluginKind kind, HelloOk& hello, sdk::Errors& errors) {
  PoolSettings settings;
  settings.hello.kind = kind;
  settings.hello.plugin = loaded->name;
  settings.hello.library = loaded->path;
  settings.hello.context = context;
  settings.processes = loaded->entry.processes;
  settings.callTimeout = std::chrono::milliseconds(loaded->entry.call_timeout_ms);
  settings.maxRssKb = static_cast<long>(loaded->entry.max_rss_mb) * 1024;
  settings.stats = loaded->isolationStats;
  return ChildPool::start(std::move(settings), hello, errors);
}

template <class Interface>
std::unique_ptr<Instance<Interface>> wrap(const std::shared_ptr<const LoadedPlugin>& loaded, const std::string& id,
                                          std::unique_ptr<Interface> proxy) {
  auto instance = std::make_unique<Instance<Interface>>();
  instance->id = id;
  instance->source = loaded;
  instance->plugin = std::move(proxy);
  return instance;
}

}  // namespace

template <>
std::unique_ptr<Instance<sdk::PartnerPlugin>> makeIsolated(const std::shared_ptr<const LoadedPlugin>& loaded,
                                                           const sdk::InstanceContext& context, sdk::Errors& errors) {
  HelloOk hello;
  auto pool = startPool(loaded, context, sdk::PluginKind::Partner, hello, errors);
  if (!pool) return nullptr;
  return wrap<sdk::PartnerPlugin>(loaded, context.id, std::make_unique<IsolatedPartner>(std::move(pool), std::move(hello)));
}

template <>
std::unique_ptr<Instance<sdk::AgencyPlugin>> makeIsolated(const std::shared_ptr<const LoadedPlugin>& loaded,
                                                          const sdk::InstanceContext& context, sdk::Errors& errors) {
  HelloOk hello;
  auto pool = startPool(loaded, context, sdk::PluginKind::Agency, hello, errors);
  if (!pool) return nullptr;
  return wrap<sdk::AgencyPlugin>(loaded, context.id, std::make_unique<IsolatedAgency>(std::move(pool)));
}

template <>
std::unique_ptr<Instance<sdk::Adapter>> makeIsolated(const std::shared_ptr<const LoadedPlugin>& loaded,
                                                     const sdk::InstanceContext& context, sdk::Errors& errors) {
  HelloOk hello;
  auto pool = startPool(loaded, context, sdk::PluginKind::Adapter, hello, errors);
  if (!pool) return nullptr;
  return wrap<sdk::Adapter>(loaded, context.id, std::make_unique<IsolatedAdapter>(std::move(pool)));
}

}  // namespace swhub::plugin::isolation
