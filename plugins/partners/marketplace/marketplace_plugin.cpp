// E-commerce marketplace orders (JSON) -> canonical consignments; case status -> order updates.
// One order, or {"orders":[...]}; see README.md for the format and settings.

#include <Poco/Exception.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <exception>
#include <map>
#include <memory>
#include <string>

#include "json/revenue.hpp"
#include "json_fields.hpp"
#include "order_reader.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::plugins::marketplace {

namespace {

constexpr std::string_view kOrderType = "application/vnd.swhub.marketplace.order+json";
constexpr std::string_view kUpdatesType = "application/vnd.swhub.marketplace.updates+json";
// The hub caps bodies before a plugin sees them; this bound only keeps a misconfigured hub safe.
constexpr std::size_t kMaxBodyBytes = 64 * 1024 * 1024;
// Orders nest 3 levels deep; the bound stops a hostile unknown member from nesting without end.
constexpr std::size_t kMaxDepth = 16;

// A notification's detail by key ("" when it has none).
const std::string& detail(const sdk::Notification& n, std::string_view key) {
  static const std::string kNone;
  for (const auto& [k, value] : n.details) {
    if (k == key) return value;
  }
  return kNone;
}

// What became of a return of the order (README "Order updates", issue 12): "return":{"return_id",
// "event" (return-held | return-awaiting-proof | returned | refunded), "refund"?:{"amount",
// "currency","why"}}; absent when the notification concerns no return.
void appendReturn(std::string& out, const sdk::Notification& n) {
  const std::string& id = detail(n, "return_id");
  if (id.empty()) return;
  out += ",\"return\":{\"return_id\":";
  appendJsonString(out, id);
  out += ",\"event\":";
  appendJsonString(out, n.event);
  if (const std::string& amount = detail(n, "refund_amount"); !amount.empty()) {
    out += ",\"refund\":{\"amount\":";
    appendJsonString(out, amount);
    out += ",\"currency\":";
    appendJsonString(out, detail(n, "refund_currency"));
    out += ",\"why\":";
    appendJsonString(out, detail(n, "refund_why"));
    out += '}';
  }
  out += '}';
}

sdk::Schema settingsSchema() {
  sdk::Schema schema = sdk::Schema::object("E-commerce marketplace orders (JSON), one or a batch");
  schema.required("platform_id",
                  sdk::Schema::string("the platform's id: every order's platform.id must be this").nonEmpty());
  schema.optional("require_payment_ref",
                  sdk::Schema::boolean("refuse an order without payment.transaction_ref (default true)"));
  schema.optional("max_orders", sdk::Schema::integer("most orders in one {\"orders\":[...]} batch (default 1000)",
                                                     1, 10000));
  return schema;
}

// Parses the message on the first next(), then reads one order per call: only one consignment
// is built at a time, whatever the size of the batch.
class OrderDecoder : public sdk::Decoder {
 public:
  OrderDecoder(sdk::ByteSource& input, const Settings& settings) : input_(input), settings_(settings) {}

  std::optional<sdk::Decoded> next() noexcept override {
    try {
      return step();
    } catch (const std::exception& e) {
      finished_ = true;
      return sdk::Errors{{"", std::string("marketplace decoder failed: ") + e.what()}};
    }
  }

 private:
  std::optional<sdk::Decoded> step() {
    if (finished_) return std::nullopt;
    if (!parsed_) {
      parsed_ = true;
      if (auto errors = parse(); !errors.empty()) {
        finished_ = true;
        return errors;
      }
    }
    if (single_) {
      finished_ = true;
      return decoded(single_, "");
    }
    if (!orders_ || index_ >= orders_->size()) {
      finished_ = true;
      return std::nullopt;
    }
    const std::size_t i = index_++;
    const std::string at = "/orders/" + std::to_string(i);
    const Var element = orders_->get(static_cast<unsigned>(i));
    if (element.type() != typeid(Object::Ptr)) return sdk::Errors{{at, "expected object, got " + typeOf(element)}};
    return decoded(element.extract<Object::Ptr>(), at);
  }

  sdk::Decoded decoded(const Object::Ptr& order, const std::string& at) {
    auto result = readOrder(order, at, settings_);
    if (!result) return result.errors();
    sdk::Consignment c = result.take();
    // Two orders of one batch with the same id would become two cases with one reference.
    if (auto [it, fresh] = seen_.emplace(c.reference, at); !fresh)
      return sdk::Errors{{at + "/order_id", "'" + c.reference + "' is already used by " + it->second}};
    return sdk::DecodedFiling{std::move(c), at};
  }

  // Reads and parses the body and finds the order or the batch; errors concern the whole message.
  sdk::Errors parse() {
    std::string body;
    char buffer[16384];
    while (body.size() <= kMaxBodyBytes) {
      const std::size_t n = input_.read(buffer, sizeof buffer);
      if (n == 0) break;
      body.append(buffer, n);
    }
    if (body.size() > kMaxBodyBytes)
      return {{"", "body exceeds the limit of " + std::to_string(kMaxBodyBytes) + " bytes"}};
    if (const auto bad = invalidUtf8At(body); bad != std::string::npos)
      return {{"", "not valid JSON: invalid UTF-8 at byte " + std::to_string(bad)}};
    Var root;
    try {
      Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(/*preserveObjectOrder=*/true));
      parser.setDepth(kMaxDepth);
      root = parser.parse(body);
    } catch (const Poco::Exception& e) {
      return {{"", "not valid JSON: " + parseMessage(e)}};
    }
    if (root.type() != typeid(Object::Ptr))
      return {{"", "expected an order object or {\"orders\":[...]}, got " + typeOf(root)}};
    const auto object = root.extract<Object::Ptr>();
    if (!object->has("orders")) {
      single_ = object;
      return {};
    }
    sdk::Errors errors;
    Fields envelope(errors, object, "", {"orders"});
    orders_ = envelope.array("orders", true);
    if (orders_ && orders_->size() == 0) errors.push_back({"/orders", "at least one order required"});
    if (orders_ && orders_->size() > settings_.max_orders)
      errors.push_back({"/orders", std::to_string(orders_->size()) + " orders: at most " +
                                       std::to_string(settings_.max_orders) + " per message"});
    return errors;
  }

  static std::string parseMessage(const Poco::Exception& e) {
    std::string message = e.message();
    if (message.find('\xff') != std::string::npos) return "unexpected end of input";
    if (message == "Maximum depth exceeded") return "nesting deeper than " + std::to_string(kMaxDepth) + " levels";
    if (message == "Attempt to set value on an empty stack") return "expected an object at the top";
    for (char& c : message)
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80) c = '?';
    return message;
  }

  sdk::ByteSource& input_;
  const Settings& settings_;
  bool parsed_ = false;
  bool finished_ = false;
  Object::Ptr single_;
  Array::Ptr orders_;
  std::size_t index_ = 0;
  std::map<std::string, std::string> seen_;  // order id -> pointer of its first order
};

class MarketplacePartner : public sdk::PartnerPlugin {
 public:
  explicit MarketplacePartner(Settings settings) : settings_(std::move(settings)) {}

  std::vector<std::string> contentTypes() const override { return {std::string(kOrderType)}; }

  std::unique_ptr<sdk::Decoder> open(const sdk::MessageContext&, sdk::ByteSource& input) const noexcept override {
    try {
      return std::make_unique<OrderDecoder>(input, settings_);
    } catch (...) {
      return nullptr;  // out of memory: the hub records the failure
    }
  }

  // {"order_updates":[{"order_id","case_id","status","reason","reason_codes","at","delivery_id",
  // "revenue"?}]}: status is the case state as the API spells it (the event when a notification
  // carries no state); reason_codes the deciding agency's codes, comma-separated ("" when none);
  // revenue what is due and why, only when the hub assessed it (json/revenue.hpp).
  sdk::Result<sdk::EncodedMessage> encode(const std::vector<sdk::Notification>& batch) const noexcept override {
    try {
      std::string out = "{\"order_updates\":[";
      for (std::size_t i = 0; i < batch.size(); ++i) {
        const sdk::Notification& n = batch[i];
        auto revenue = json::readRevenue(n);
        if (!revenue) return sdk::Errors{{"/" + std::to_string(i) + revenue.errors().front().path,
                                          revenue.errors().front().message}};
        if (i) out += ',';
        out += "{\"order_id\":";
        appendJsonString(out, n.reference);
        out += ",\"case_id\":";
        appendJsonString(out, n.case_id);
        out += ",\"status\":";
        appendJsonString(out, n.state.empty() ? n.event : n.state);
        out += ",\"reason\":";
        appendJsonString(out, n.reason);
        out += ",\"reason_codes\":";
        appendJsonString(out, detail(n, "reason_codes"));
        out += ",\"at\":";
        appendJsonString(out, n.at);
        out += ",\"delivery_id\":";
        appendJsonString(out, n.id);
        if (revenue.value()) {
          out += ",\"revenue\":";
          json::appendRevenueObject(out, *revenue.value());
        }
        appendReturn(out, n);
        out += '}';
      }
      out += "]}";
      return sdk::EncodedMessage{std::string(kUpdatesType), std::move(out)};
    } catch (const std::exception& e) {
      return sdk::Errors{{"", std::string("marketplace encoder failed: ") + e.what()}};
    }
  }

 private:
  Settings settings_;
};

sdk::Result<std::unique_ptr<sdk::PartnerPlugin>> make(const sdk::InstanceContext& ctx) {
  Settings settings;
  if (const sdk::Value* v = ctx.settings.find("platform_id")) settings.platform_id = v->asString();
  if (const sdk::Value* v = ctx.settings.find("require_payment_ref")) settings.require_payment_ref = v->asBool();
  if (const sdk::Value* v = ctx.settings.find("max_orders")) settings.max_orders = static_cast<std::size_t>(v->asInt());
  if (settings.platform_id.empty())  // the schema requires it; a hub that skipped it gets a clear error
    return sdk::Errors{{ctx.path.empty() ? "platform_id" : ctx.path + ".platform_id", "required: the platform's id"}};
  return std::unique_ptr<sdk::PartnerPlugin>(std::make_unique<MarketplacePartner>(std::move(settings)));
}

}  // namespace
}  // namespace swhub::plugins::marketplace

SWHUB_PLUGIN(Partner, "marketplace", "1.0.0", "E-commerce marketplace orders (JSON), vendor or consumer collection",
             swhub::plugins::marketplace::settingsSchema, swhub::plugins::marketplace::make)
