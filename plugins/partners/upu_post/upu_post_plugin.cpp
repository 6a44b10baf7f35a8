// Partner plugin upu_post: electronic customs data of postal items (CN22/CN23) in, item
// responses out. See README.md for the format and the settings.

#include <exception>
#include <memory>
#include <string>

#include "item_decoder.hpp"
#include "response_encoder.hpp"
#include "settings.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::plugins::upu_post {

extern const char kEmbeddedXsd[];  // schemas/partners/upu_post/postal-item.xsd, generated at build time

namespace {

sdk::Schema settingsSchema() {
  sdk::Schema schema = sdk::Schema::object("UPU postal items (CN22/CN23 customs data) as XML");
  schema.required("operator_name",
                  sdk::Schema::string("name of the posting operator: the carrier of every item").nonEmpty());
  schema.required("operator_id",
                  sdk::Schema::string("id of the posting operator (UPU operator code): the carrier's id").nonEmpty());
  schema.optional("max_items", sdk::Schema::integer("most postal items in one message (default 1000)", 1, 100000));
  schema.optional("max_depth", sdk::Schema::integer("deepest nesting of XML elements (default 16)", 4, 64));
  schema.optional("revenue_element",
                  sdk::Schema::boolean("responses carry what is due and why in a <revenue> element "
                                       "(item-response.xsd 1.1; default true); false: only as details (1.0)"));
  return schema;
}

class UpuPostPartner : public sdk::PartnerPlugin {
 public:
  explicit UpuPostPartner(Settings settings) : settings_(std::move(settings)), grammar_(kEmbeddedXsd) {}

  std::vector<std::string> contentTypes() const override { return {kContentType, "application/xml", "text/xml"}; }

  std::unique_ptr<sdk::Decoder> open(const sdk::MessageContext&, sdk::ByteSource& input) const noexcept override {
    try {
      return openPostalItems(grammar_, settings_, input);
    } catch (...) {
      return nullptr;  // out of memory: the hub records the failure
    }
  }

  sdk::Result<sdk::EncodedMessage> encode(const std::vector<sdk::Notification>& batch) const noexcept override {
    try {
      return encodeResponses(batch, settings_.revenue_element);
    } catch (const std::exception& e) {
      return sdk::Errors{{"", std::string("upu_post encoder failed: ") + e.what()}};
    }
  }

 private:
  const Settings settings_;
  PostalItemsGrammar grammar_;  // loaded once, shared by every decoder
};

sdk::Result<std::unique_ptr<sdk::PartnerPlugin>> make(const sdk::InstanceContext& ctx) {
  // The hub validated the settings against settingsSchema(); check again so that a direct caller
  // gets the same errors instead of a half-configured instance.
  if (sdk::Errors errors = settingsSchema().validate(ctx.settings, ctx.path); !errors.empty()) return errors;
  Settings settings;
  settings.operator_name = ctx.settings.find("operator_name")->asString();
  settings.operator_id = ctx.settings.find("operator_id")->asString();
  if (const sdk::Value* v = ctx.settings.find("max_items")) settings.max_items = static_cast<std::size_t>(v->asInt());
  if (const sdk::Value* v = ctx.settings.find("max_depth")) settings.max_depth = static_cast<std::size_t>(v->asInt());
  if (const sdk::Value* v = ctx.settings.find("revenue_element")) settings.revenue_element = v->asBool();
  return std::unique_ptr<sdk::PartnerPlugin>(std::make_unique<UpuPostPartner>(std::move(settings)));
}

}  // namespace
}  // namespace swhub::plugins::upu_post

SWHUB_PLUGIN(Partner, "upu_post", "1.0.0", "UPU postal items (CN22/CN23 customs data) as XML, item responses back",
             swhub::plugins::upu_post::settingsSchema, swhub::plugins::upu_post::make)
