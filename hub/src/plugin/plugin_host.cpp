#include "plugin/plugin_host.hpp"

#include <cstdlib>
#include <memory>

#include "plugin/frame_channel.hpp"
#include "plugin/registry.hpp"
#include "plugin/wire_codec.hpp"

namespace swhub::plugin::isolation {
namespace {

// The message's bytes, asked of the hub as the decoder reads them.
class RemoteSource : public sdk::ByteSource {
 public:
  explicit RemoteSource(FrameChannel& channel) : channel_(channel) {}
  std::size_t read(char* buffer, std::size_t size) override {
    if (ended_ || size == 0) return 0;
    wire::Writer w;
    w.u64(size);
    Frame frame;
    if (channel_.send(FrameType::Read, w.buffer()) != Io::Ok || channel_.receive(frame) != Io::Ok ||
        frame.type != FrameType::Bytes || frame.payload.size() > size) {
      std::_Exit(0);  // the hub gave up on this call (or is gone): it kills or replaces this child
    }
    if (frame.payload.empty()) ended_ = true;
    std::copy(frame.payload.begin(), frame.payload.end(), buffer);
    return frame.payload.size();
  }

 private:
  FrameChannel& channel_;
  bool ended_ = false;
};

class Host {
 public:
  explicit Host(int fd) : channel_(fd) {}

  int run() {
    Frame frame;
    if (channel_.receive(frame) != Io::Ok || frame.type != FrameType::Hello) return 2;
    Hello hello;
    HelloOk ok;
    try {
      hello = decodeHello(frame.payload);
    } catch (const wire::WireError& e) {
      ok.errors.push_back({"", std::string("plugin host: unreadable hello: ") + e.what()});
    }
    if (ok.errors.empty() && hello.version != kProtocolVersion) {
      ok.errors.push_back({hello.context.path, "plugin host speaks protocol version " + std::to_string(kProtocolVersion) +
                                                   ", the hub " + std::to_string(hello.version)});
    }
    if (ok.errors.empty()) start(hello, ok);
    channel_.send(FrameType::HelloOk, encodeHelloOk(ok));
    if (!ok.errors.empty()) return 1;
    return serve();
  }

 private:
  // Loads the library with the registry's own checks and builds the instance from the hub's context.
  void start(const Hello& hello, HelloOk& ok) {
    registry_.setConfigDir(hello.context.config_dir);
    config::PluginEntry entry{hello.plugin, hello.library, hello.library};
    if (!registry_.load(entry, "", ok.errors)) return;
    ok.abiMinor = registry_.find(hello.plugin)->descriptor->abi_minor;
    switch (hello.kind) {
      case sdk::PluginKind::Partner:
        partner_ = registry_.buildPartner(hello.plugin, hello.context, ok.errors);
        if (partner_) {
          ok.contentTypes = partner_->plugin->contentTypes();
          ok.availability = availabilityOf(*partner_);
        }
        break;
      case sdk::PluginKind::Agency: agency_ = registry_.buildAgency(hello.plugin, hello.context, ok.errors); break;
      case sdk::PluginKind::Adapter: adapter_ = registry_.buildAdapter(hello.plugin, hello.context, ok.errors); break;
    }
  }

  int serve() {
    for (;;) {
      Frame frame;
      if (channel_.receive(frame) != Io::Ok) return 0;  // the hub closed the channel: done
      try {
        if (!answer(frame)) return 0;
      } catch (const wire::WireError&) {
        return 3;  // the hub sent what this host cannot read: the hub sees the exit code
      }
    }
  }

  bool answer(const Frame& frame) {
    switch (frame.type) {
      case FrameType::Bye: return false;
      case FrameType::Open: {
        if (!partner_) return false;
        decoder_.reset();
        source_ = std::make_unique<RemoteSource>(channel_);
        context_ = wire::decode<sdk::MessageContext>(frame.payload);
        decoder_ = partner_->plugin->open(context_, *source_);
        return send(FrameType::Opened, wire::encode(decoder_ != nullptr));
      }
      case FrameType::Next: {
        std::optional<sdk::Decoded> item;
        if (decoder_) item = decoder_->next();
        return send(FrameType::Item, wire::encode(item));
      }
      case FrameType::Close:
        decoder_.reset();
        source_.reset();
        return send(FrameType::Closed, "");
      case FrameType::Encode: {
        if (!partner_) return false;
        const auto batch = wire::decode<std::vector<sdk::Notification>>(frame.payload);
        return send(FrameType::Encoded, wire::encode(partner_->plugin->encode(batch)));
      }
      case FrameType::Assess: {
        if (!agency_) return false;
        wire::Reader r(frame.payload);
        bool findings = false;
        sdk::AssessmentRequest request;
        wire::get(r, findings);
        wire::get(r, request);
        if (findings) return send(FrameType::Assessed, wire::encode(agency_->plugin->assessCase(request)));
        return send(FrameType::Assessed, wire::encode(agency_->plugin->assess(request)));
      }
      case FrameType::Deliver: {
        if (!adapter_) return false;
        const auto item = wire::decode<sdk::DeliveryItem>(frame.payload);
        return send(FrameType::Delivered, wire::encode(adapter_->plugin->deliver(item)));
      }
      default: return false;
    }
  }

  bool send(FrameType type, const std::string& payload) { return channel_.send(type, payload) == Io::Ok; }

  FrameChannel channel_;
  PluginRegistry registry_;  // declared before the instances: the library outlives them
  std::unique_ptr<Instance<sdk::PartnerPlugin>> partner_;
  std::unique_ptr<Instance<sdk::AgencyPlugin>> agency_;
  std::unique_ptr<Instance<sdk::Adapter>> adapter_;
  sdk::MessageContext context_;
  std::unique_ptr<RemoteSource> source_;
  std::unique_ptr<sdk::Decoder> decoder_;  // last: destroyed before its context and source
};

}  // namespace

int runPluginHost(int fd) { return Host(fd).run(); }

}  // namespace swhub::plugin::isolation
