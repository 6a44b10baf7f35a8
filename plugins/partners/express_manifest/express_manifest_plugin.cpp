// Express carrier consolidated manifests: one master waybill, many house waybills, as CSV or
// JSON, decoded as a stream one house at a time (README.md).

#include <exception>
#include <memory>
#include <string>

#include "csv_decoder.hpp"
#include "json_decoder.hpp"
#include "notification_encoder.hpp"
#include "settings.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::plugins::express_manifest {

namespace {

constexpr const char* kManifestJsonType = "application/vnd.swhub.express-manifest+json";

class ExpressManifestPartner : public sdk::PartnerPlugin {
 public:
  explicit ExpressManifestPartner(Settings settings) : settings_(std::move(settings)) {}

  std::vector<std::string> contentTypes() const override { return {kCsvType, kManifestJsonType, kJsonType}; }

  std::unique_ptr<sdk::Decoder> open(const sdk::MessageContext& context, sdk::ByteSource& input) const noexcept override {
    try {
      if (context.content_type == kCsvType) return openCsvDecoder(input, settings_);
      return openJsonDecoder(input, settings_);
    } catch (...) {
      return nullptr;  // out of memory: the hub records the failure
    }
  }

  sdk::Result<sdk::EncodedMessage> encode(const std::vector<sdk::Notification>& batch) const noexcept override {
    try {
      return encodeNotifications(batch, settings_);
    } catch (const std::exception& e) {
      return sdk::Errors{{"", std::string("express_manifest encoder failed: ") + e.what()}};
    }
  }

 private:
  Settings settings_;
};

sdk::Result<std::unique_ptr<sdk::PartnerPlugin>> make(const sdk::InstanceContext& ctx) {
  auto settings = parseSettings(ctx);
  if (!settings) return settings.errors();
  return std::unique_ptr<sdk::PartnerPlugin>(std::make_unique<ExpressManifestPartner>(settings.take()));
}

}  // namespace
}  // namespace swhub::plugins::express_manifest

SWHUB_PLUGIN(Partner, "express_manifest", "1.0.0",
             "Express carrier consolidated manifests (CSV or JSON), streamed one house waybill at a time",
             swhub::plugins::express_manifest::settingsSchema, swhub::plugins::express_manifest::make)
