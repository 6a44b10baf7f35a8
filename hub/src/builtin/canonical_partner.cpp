// The hub's own partner format: the canonical consignment as JSON or XML (DESIGN.md
// "Canonical consignment"). Any partner may file it, whatever its own plugin. Built into the hub
// (it uses the hub's own model codecs, which no loadable plugin may link) and registered under
// the name `canonical` like a loaded library, through the same SDK interface.

#include <deque>
#include <exception>
#include <memory>
#include <string>

#include "builtin/canonical_partner.hpp"
#include "model/canonical_json.hpp"
#include "model/canonical_xml.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::builtin {

extern const char kEmbeddedXsd[];  // schemas/canonical/consignment.xsd, generated at build time

namespace {

constexpr std::string_view kJsonType = "application/json";

sdk::Schema settingsSchema() {
  sdk::Schema schema = sdk::Schema::object("Canonical consignment, JSON and XML (no settings required)");
  schema.optional("max_depth", sdk::Schema::integer("deepest nesting of JSON values or XML elements", 4, 256));
  schema.optional("max_items", sdk::Schema::integer("most items in one consignment", 1, 100000));
  return schema;
}

// Reads the whole input (canonical messages are small and the hub caps their size), decodes it
// on the first next(), then hands the consignments over one by one.
class CanonicalDecoder : public sdk::Decoder {
 public:
  CanonicalDecoder(bool xml, sdk::ByteSource& input, const model::DecodeOptions& options,
                   const model::CanonicalXmlCodec& xmlCodec)
      : xml_(xml), input_(input), options_(options), xmlCodec_(xmlCodec) {}

  std::optional<sdk::Decoded> next() noexcept override {
    try {
      if (!decoded_) decodeAll();
    } catch (const std::exception& e) {
      pending_.clear();
      pending_.emplace_back(sdk::Errors{{"", std::string("canonical decoder failed: ") + e.what()}});
    }
    if (pending_.empty()) return std::nullopt;
    sdk::Decoded next = std::move(pending_.front());
    pending_.pop_front();
    return next;
  }

 private:
  void decodeAll() {
    decoded_ = true;
    std::string body;
    char buffer[16384];
    // One byte beyond the limit is enough to know the body is too large.
    while (body.size() <= options_.max_bytes) {
      const std::size_t n = input_.read(buffer, sizeof buffer);
      if (n == 0) break;
      body.append(buffer, n);
    }
    if (xml_) {
      auto result = xmlCodec_.decode(body);
      if (result) pending_.emplace_back(sdk::DecodedFiling{result.take(), "/consignment"});
      else pending_.emplace_back(result.errors());
      return;
    }
    auto result = model::decodeConsignmentsJson(body, options_);
    if (!result) {
      pending_.emplace_back(result.errors());
      return;
    }
    for (auto& entry : result.value()) {
      if (entry.result) pending_.emplace_back(sdk::DecodedFiling{entry.result.take(), entry.location});
      else pending_.emplace_back(entry.result.errors());
    }
  }

  bool xml_;
  sdk::ByteSource& input_;
  const model::DecodeOptions& options_;
  const model::CanonicalXmlCodec& xmlCodec_;
  bool decoded_ = false;
  std::deque<sdk::Decoded> pending_;
};

class CanonicalPartner : public sdk::PartnerPlugin {
 public:
  explicit CanonicalPartner(const model::DecodeOptions& options)
      : options_(options), xmlCodec_(model::SchemaText{kEmbeddedXsd}, options) {}

  std::vector<std::string> contentTypes() const override {
    return {std::string(model::kConsignmentJsonType), std::string(model::kConsignmentXmlType), std::string(kJsonType)};
  }

  std::unique_ptr<sdk::Decoder> open(const sdk::MessageContext& context, sdk::ByteSource& input) const noexcept override {
    const std::string& contentType = context.content_type;
    try {
      return std::make_unique<CanonicalDecoder>(contentType == model::kConsignmentXmlType, input, options_, xmlCodec_);
    } catch (...) {
      return nullptr;  // out of memory: the hub records the failure
    }
  }

  sdk::Result<sdk::EncodedMessage> encode(const std::vector<sdk::Notification>& batch) const noexcept override {
    try {
      return sdk::EncodedMessage{std::string(model::kNotificationJsonType), model::encodeNotificationsJson(batch)};
    } catch (const std::exception& e) {
      return sdk::Errors{{"", std::string("canonical encoder failed: ") + e.what()}};
    }
  }

 private:
  model::DecodeOptions options_;
  model::CanonicalXmlCodec xmlCodec_;
};

sdk::Result<std::unique_ptr<sdk::PartnerPlugin>> make(const sdk::InstanceContext& ctx) {
  model::DecodeOptions options;
  if (const sdk::Value* v = ctx.settings.find("max_depth")) options.max_depth = static_cast<std::size_t>(v->asInt());
  if (const sdk::Value* v = ctx.settings.find("max_items")) options.max_items = static_cast<std::size_t>(v->asInt());
  return std::unique_ptr<sdk::PartnerPlugin>(std::make_unique<CanonicalPartner>(options));
}

sdk::Result<std::unique_ptr<sdk::PartnerPlugin>> guardedMake(const sdk::InstanceContext& ctx) noexcept {
  return sdk::detail::guardFactory("canonical", ctx, make);
}

}  // namespace

const sdk::Descriptor& canonicalDescriptor() {
  static const sdk::Descriptor descriptor{sdk::kAbiMajor,
                                          sdk::kAbiMinor,
                                          sdk::kToolchain,
                                          sdk::PluginKind::Partner,
                                          "canonical",
                                          "1.0.0",
                                          "Canonical consignment as JSON or XML (the hub's own format)",
                                          settingsSchema,
                                          guardedMake,
                                          nullptr,
                                          nullptr};
  return descriptor;
}

}  // namespace swhub::builtin
