// Payment service provider events (JSON, signed with HMAC-SHA256): duties and taxes paid for a
// case, a refund executed. Decoded into sdk::HubEvent, never into consignments. See README.md.

#include <openssl/crypto.h>

#include <exception>
#include <memory>
#include <string>

#include "event_reader.hpp"
#include "signature.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::plugins::payment {

namespace {

constexpr std::string_view kEventType = "application/vnd.swhub.payment+json";
constexpr std::string_view kAckType = "application/vnd.swhub.payment.ack+json";
// A payment event is one small object; a larger body is refused before its MAC is computed.
constexpr std::size_t kMaxBodyBytes = 64 * 1024;
constexpr std::size_t kMinSecretLength = 16;
const std::string kHeader(kSignatureHeader);

struct Settings {
  std::string secret;
  std::int64_t tolerance_seconds = 300;
};

sdk::Schema settingsSchema() {
  sdk::Schema schema = sdk::Schema::object("Payment service provider events (JSON, HMAC-SHA256 signed)");
  schema.required("secret", sdk::Schema::string("the provider's shared HMAC-SHA256 secret, at least 16 characters")
                                .nonEmpty());
  schema.optional("tolerance_seconds",
                  sdk::Schema::integer("how far the signature's timestamp may be from the hub's clock (default 300)",
                                       1, 86400));
  return schema;
}

class EventDecoder : public sdk::Decoder {
 public:
  EventDecoder(const sdk::MessageContext& context, sdk::ByteSource& input, const Settings& settings)
      : context_(context), input_(input), settings_(settings) {}

  std::optional<sdk::Decoded> next() noexcept override {
    if (done_) return std::nullopt;
    done_ = true;
    try {
      return decode();
    } catch (const std::exception& e) {
      return sdk::Errors{{"", std::string("payment decoder failed: ") + e.what()}};
    }
  }

 private:
  sdk::Decoded decode() {
    std::string body;
    char buffer[8192];
    while (body.size() <= kMaxBodyBytes) {
      const std::size_t n = input_.read(buffer, sizeof buffer);
      if (n == 0) break;
      body.append(buffer, n);
    }
    if (body.size() > kMaxBodyBytes)
      return sdk::Errors{{"", "body exceeds the limit of " + std::to_string(kMaxBodyBytes) + " bytes"}};
    // Nothing of an unauthenticated body is read: the signature first, then the JSON.
    if (auto errors = authenticate(body); !errors.empty()) return errors;
    auto event = readEvent(body);
    if (!event) return event.errors();
    return event.take();
  }

  sdk::Errors authenticate(const std::string& body) const {
    const std::string value = context_.header(kHeader);
    if (value.empty())
      return {{kHeader, "missing: every payment event is signed (t=<unix seconds>,v1=<hex HMAC-SHA256>)"}};
    const auto header = parseSignatureHeader(value);
    if (!header)
      return {{kHeader, "malformed: expected t=<unix seconds>,v1=<64 hex digits of HMAC-SHA256>"}};
    if (!macMatches(*header, settings_.secret, body))
      return {{kHeader, "signature does not match the body and the provider's secret"}};
    const auto received = unixSeconds(context_.received_at);
    if (!received)
      return {{"", "the hub's receive time '" + context_.received_at + "' is not an RFC 3339 timestamp"}};
    const std::int64_t skew = *received - header->timestamp;
    const std::string allowed = ": at most " + std::to_string(settings_.tolerance_seconds) + " s allowed";
    if (skew > settings_.tolerance_seconds)
      return {{kHeader, "timestamp " + std::to_string(header->timestamp) + " is " + std::to_string(skew) +
                            " s before the hub received the event" + allowed}};
    if (-skew > settings_.tolerance_seconds)
      return {{kHeader, "timestamp " + std::to_string(header->timestamp) + " is " + std::to_string(-skew) +
                            " s after the hub received the event" + allowed}};
    return {};
  }

  const sdk::MessageContext& context_;
  sdk::ByteSource& input_;
  const Settings& settings_;
  bool done_ = false;
};

// A refund instruction (the hub's refund-instructed notification, README "Refund instructions"):
// "refund":{"return_id","transaction_id","amount","currency"}, the payment to give back and how
// much of it. Absent on every other acknowledgement.
void appendRefund(std::string& out, const sdk::Notification& n) {
  std::string returnId, transaction, amount, currency;
  for (const auto& [key, value] : n.details) {
    if (key == "return_id") returnId = value;
    if (key == "refund_transaction_id") transaction = value;
    if (key == "refund_amount") amount = value;
    if (key == "refund_currency") currency = value;
  }
  if (transaction.empty()) return;
  out += ",\"refund\":{";
  const std::pair<std::string_view, const std::string*> members[] = {
      {"return_id", &returnId}, {"transaction_id", &transaction}, {"amount", &amount}, {"currency", &currency}};
  for (const auto& [name, value] : members) {
    if (name != "return_id") out += ',';
    appendJsonString(out, name);
    out += ':';
    appendJsonString(out, *value);
  }
  out += '}';
}

class PaymentPartner : public sdk::PartnerPlugin {
 public:
  explicit PaymentPartner(Settings settings) : settings_(std::move(settings)) {}
  ~PaymentPartner() override { OPENSSL_cleanse(settings_.secret.data(), settings_.secret.size()); }

  std::vector<std::string> contentTypes() const override { return {std::string(kEventType)}; }

  std::unique_ptr<sdk::Decoder> open(const sdk::MessageContext& context, sdk::ByteSource& input) const noexcept override {
    try {
      return std::make_unique<EventDecoder>(context, input, settings_);
    } catch (...) {
      return nullptr;  // out of memory: the hub records the failure
    }
  }

  // {"acknowledgements":[{"delivery_id","case_id","reference","event","state","reason","at"}]}
  sdk::Result<sdk::EncodedMessage> encode(const std::vector<sdk::Notification>& batch) const noexcept override {
    try {
      std::string out = "{\"acknowledgements\":[";
      for (std::size_t i = 0; i < batch.size(); ++i) {
        const sdk::Notification& n = batch[i];
        if (i) out += ',';
        const std::pair<std::string_view, const std::string*> members[] = {
            {"delivery_id", &n.id}, {"case_id", &n.case_id}, {"reference", &n.reference}, {"event", &n.event},
            {"state", &n.state},    {"reason", &n.reason},   {"at", &n.at}};
        out += '{';
        for (const auto& [name, value] : members) {
          if (name != "delivery_id") out += ',';
          appendJsonString(out, name);
          out += ':';
          appendJsonString(out, *value);
        }
        appendRefund(out, n);
        out += '}';
      }
      out += "]}";
      return sdk::EncodedMessage{std::string(kAckType), std::move(out)};
    } catch (const std::exception& e) {
      return sdk::Errors{{"", std::string("payment encoder failed: ") + e.what()}};
    }
  }

 private:
  Settings settings_;
};

sdk::Result<std::unique_ptr<sdk::PartnerPlugin>> make(const sdk::InstanceContext& ctx) {
  Settings settings;
  if (const sdk::Value* v = ctx.settings.find("secret")) settings.secret = v->asString();
  if (const sdk::Value* v = ctx.settings.find("tolerance_seconds")) settings.tolerance_seconds = v->asInt();
  const std::string path = ctx.path.empty() ? "secret" : ctx.path + ".secret";
  if (settings.secret.size() < kMinSecretLength)
    return sdk::Errors{{path, "must be at least " + std::to_string(kMinSecretLength) + " characters, got " +
                                  std::to_string(settings.secret.size())}};
  return std::unique_ptr<sdk::PartnerPlugin>(std::make_unique<PaymentPartner>(std::move(settings)));
}

}  // namespace
}  // namespace swhub::plugins::payment

SWHUB_PLUGIN(Partner, "payment", "1.0.0", "Payment service provider events (JSON, HMAC-SHA256 signed)",
             swhub::plugins::payment::settingsSchema, swhub::plugins::payment::make)
