// Loads the built payment plugin as the hub does and drives it through the SDK only. Signatures
// are computed here with OpenSSL, as a provider would.

#include <gtest/gtest.h>

#include "payment_signature.hpp"
#include "plugin_test_support.hpp"
#include "swhub/sdk/plugin.hpp"

using namespace swhub::sdk;
using namespace swhub::testing;

namespace {

constexpr const char* kEventType = "application/vnd.swhub.payment+json";
constexpr const char* kSecret = "whsec_demo_7f3a9c2e41b8d605";
constexpr std::int64_t kReceivedSeconds = 1795852800;  // kReceivedAt (plugin_test_support.hpp) as unix seconds

const std::string kPayment =
    R"({"type":"payment.confirmed","transaction_id":"pi_3QxK2L9mDemo0001","amount":"23.41","currency":"EUR",)"
    R"("case_id":"C-2026-000123","paid_at":"2026-11-28T07:59:30Z"})";

const std::string kRefund =
    R"({"type":"refund.executed","transaction_id":"re_3QxK2L9mDemo0002","amount":9.5,"currency":"EUR",)"
    R"("refunded_transaction_id":"pi_3QxK2L9mDemo0001","reference":"DM-2026-11-000417","paid_at":"2026-12-03T10:15:00Z"})";

// The header a provider sends: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>.
std::string signature(const std::string& body, std::int64_t t = kReceivedSeconds - 2,
                      const std::string& secret = kSecret) {
  return swhub::testing::paymentSignature(body, t, secret);
}

Value settingsWith(std::vector<Value::Entry> extra = {}) {
  Value settings = Value::map();
  settings.set("secret", Value::string(kSecret));
  for (auto& [key, value] : extra) settings.set(key, std::move(value));
  return settings;
}

class paymentPlugin : public PluginTest {
 protected:
  paymentPlugin() : PluginTest("payment") {}

  Result<std::unique_ptr<PartnerPlugin>> build(Value settings) {
    return buildPartner(*descriptor_, "demo-pay", std::move(settings));
  }

  std::unique_ptr<PartnerPlugin> make(Value settings = settingsWith()) { return made(build(std::move(settings))); }

  // Every piece the decoder hands over for one message with these headers.
  std::vector<Decoded> decode(const std::string& body, std::vector<std::pair<std::string, std::string>> headers,
                              Value settings = settingsWith()) {
    auto plugin = make(std::move(settings));
    return decodeAll(*plugin, MessageContext{"demo-pay", kEventType, std::move(headers), kReceivedAt}, body);
  }

  std::vector<Decoded> decodeSigned(const std::string& body, const std::string& header) {
    return decode(body, {{"content-type", kEventType}, {"x-swhub-signature", header}});
  }
};

}  // namespace

TEST_F(paymentPlugin, DescribesItself) {
  EXPECT_EQ(descriptor_->abi_major, kAbiMajor);
  EXPECT_STREQ(descriptor_->toolchain, kToolchain);
  EXPECT_EQ(descriptor_->kind, PluginKind::Partner);
  EXPECT_STREQ(descriptor_->name, "payment");
  EXPECT_STREQ(descriptor_->version, "1.0.0");
  auto plugin = make();
  ASSERT_TRUE(plugin);
  EXPECT_EQ(plugin->contentTypes(), std::vector<std::string>{kEventType});
}

TEST_F(paymentPlugin, SettingsSchemaRequiresTheSecretAndBoundsTheTolerance) {
  const Schema schema = descriptor_->settings_schema();
  Value settings = Value::map();
  settings.set("tolerance_seconds", Value::integer(0));
  const Errors errors = schema.validate(settings, "partners.demo-pay.settings");
  EXPECT_EQ(errors,
            (Errors{{"partners.demo-pay.settings.tolerance_seconds", "0 is out of range [1, 86400]"},
                    {"partners.demo-pay.settings.secret",
                     "required key missing: the provider's shared HMAC-SHA256 secret, at least 16 characters"}}));
  EXPECT_TRUE(schema.validate(settingsWith({{"tolerance_seconds", Value::integer(86400)}})).empty());
  EXPECT_FALSE(schema.validate(settingsWith({{"tolerance_seconds", Value::integer(86401)}})).empty());
}

TEST_F(paymentPlugin, FactoryRefusesAShortSecret) {
  Value settings = Value::map();
  settings.set("secret", Value::string("tooshort"));
  auto result = build(std::move(settings));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.errors(), (Errors{{"partners.demo-pay.settings.secret", "must be at least 16 characters, got 8"}}));
}

TEST_F(paymentPlugin, ValidSignatureYieldsAPaymentEvent) {
  auto out = decodeSigned(kPayment, signature(kPayment));
  ASSERT_EQ(out.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<HubEvent>(out[0])) << formatErrors(std::get<Errors>(out[0]));
  HubEvent expected;
  expected.kind = HubEvent::Kind::PaymentConfirmed;
  expected.case_id = "C-2026-000123";
  expected.transaction_id = "pi_3QxK2L9mDemo0001";
  expected.amount = *Decimal::parse("23.41");
  expected.currency = "EUR";
  expected.at = "2026-11-28T07:59:30Z";
  EXPECT_EQ(std::get<HubEvent>(out[0]), expected);
}

TEST_F(paymentPlugin, RefundNamesTheCaseByReference) {
  auto out = decodeSigned(kRefund, signature(kRefund));
  ASSERT_EQ(out.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<HubEvent>(out[0])) << formatErrors(std::get<Errors>(out[0]));
  const auto& event = std::get<HubEvent>(out[0]);
  EXPECT_EQ(event.kind, HubEvent::Kind::RefundExecuted);
  EXPECT_EQ(event.case_id, "");
  EXPECT_EQ(event.reference, "DM-2026-11-000417");
  EXPECT_EQ(event.transaction_id, "re_3QxK2L9mDemo0002");
  EXPECT_EQ(event.refunded_transaction_id, "pi_3QxK2L9mDemo0001");
  EXPECT_EQ(event.amount.toString(), "9.50");  // a JSON number read exactly
  EXPECT_EQ(event.at, "2026-12-03T10:15:00Z");
}

// A refund gives back one payment and names it; a payment names none.
TEST_F(paymentPlugin, ARefundNamesThePaymentItGivesBack) {
  const std::string unnamed =
      R"({"type":"refund.executed","transaction_id":"re_1","amount":"1.00","currency":"EUR","case_id":"C-1",)"
      R"("paid_at":"2026-12-03T10:15:00Z"})";
  EXPECT_EQ(refused(decodeSigned(unnamed, signature(unnamed))),
            (Errors{{"/refunded_transaction_id", "missing required field 'refunded_transaction_id'"}}));
  const std::string payment =
      R"({"type":"payment.confirmed","transaction_id":"pi_1","amount":"1.00","currency":"EUR","case_id":"C-1",)"
      R"("refunded_transaction_id":"pi_0","paid_at":"2026-12-03T10:15:00Z"})";
  EXPECT_EQ(refused(decodeSigned(payment, signature(payment))),
            (Errors{{"/refunded_transaction_id", "only a refund.executed names the payment it refunds"}}));
}

TEST_F(paymentPlugin, AcceptsAnyOfSeveralSignaturesWhileASecretRotates) {
  const std::string old = signature(kPayment, kReceivedSeconds, "whsec_retired_000000000000");
  const std::string current = signature(kPayment, kReceivedSeconds);
  const std::string header = old + ", " + current.substr(current.find("v1=")) + ",v0=ignored";
  auto out = decodeSigned(kPayment, header);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<HubEvent>(out[0])) << formatErrors(std::get<Errors>(out[0]));
}

TEST_F(paymentPlugin, OneChangedByteOfTheBodyIsRefused) {
  const std::string header = signature(kPayment);
  std::string forged = kPayment;
  forged.replace(forged.find("23.41"), 5, "23.40");
  EXPECT_EQ(refused(decodeSigned(forged, header)),
            (Errors{{"x-swhub-signature", "signature does not match the body and the provider's secret"}}));
}

TEST_F(paymentPlugin, AnotherSecretIsRefused) {
  EXPECT_EQ(refused(decodeSigned(kPayment, signature(kPayment, kReceivedSeconds, "whsec_attacker_guess_0000"))),
            (Errors{{"x-swhub-signature", "signature does not match the body and the provider's secret"}}));
}

TEST_F(paymentPlugin, ATimestampOutsideTheToleranceIsRefused) {
  EXPECT_EQ(refused(decodeSigned(kPayment, signature(kPayment, kReceivedSeconds - 301))),
            (Errors{{"x-swhub-signature", "timestamp 1795852499 is 301 s before the hub received the event: "
                                          "at most 300 s allowed"}}));
  EXPECT_EQ(refused(decodeSigned(kPayment, signature(kPayment, kReceivedSeconds + 400))),
            (Errors{{"x-swhub-signature", "timestamp 1795853200 is 400 s after the hub received the event: "
                                          "at most 300 s allowed"}}));
  // The edges of the window are inside it.
  auto edge = decodeSigned(kPayment, signature(kPayment, kReceivedSeconds - 300));
  ASSERT_EQ(edge.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<HubEvent>(edge[0]));
}

TEST_F(paymentPlugin, ToleranceComesFromTheSettings) {
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"x-swhub-signature", signature(kPayment, kReceivedSeconds - 30)}};
  EXPECT_EQ(refused(decode(kPayment, headers, settingsWith({{"tolerance_seconds", Value::integer(10)}}))),
            (Errors{{"x-swhub-signature", "timestamp 1795852770 is 30 s before the hub received the event: "
                                          "at most 10 s allowed"}}));
}

TEST_F(paymentPlugin, AMissingOrMalformedHeaderIsRefused) {
  EXPECT_EQ(refused(decode(kPayment, {{"content-type", kEventType}})),
            (Errors{{"x-swhub-signature",
                     "missing: every payment event is signed (t=<unix seconds>,v1=<hex HMAC-SHA256>)"}}));
  const Errors malformed{{"x-swhub-signature", "malformed: expected t=<unix seconds>,v1=<64 hex digits of HMAC-SHA256>"}};
  const std::string good = signature(kPayment);
  EXPECT_EQ(refused(decodeSigned(kPayment, good.substr(good.find("v1=")))), malformed);          // no t
  EXPECT_EQ(refused(decodeSigned(kPayment, good.substr(0, good.find(",")))), malformed);         // no v1
  EXPECT_EQ(refused(decodeSigned(kPayment, good.substr(0, good.size() - 2))), malformed);        // short MAC
  EXPECT_EQ(refused(decodeSigned(kPayment, "t=-5," + good.substr(good.find("v1=")))), malformed);
  EXPECT_EQ(refused(decodeSigned(kPayment, "sha256=" + swhub::testing::hmacHex(kSecret, kPayment))), malformed);
}

TEST_F(paymentPlugin, ReportsEveryFieldErrorOfASignedEvent) {
  const std::string body =
      R"({"type":"payment.captured","transaction_id":"","amount":"0","currency":"EURO",)"
      R"("paid_at":"2026-11-28 07:59:30","fee":"0.30"})";
  EXPECT_EQ(refused(decodeSigned(body, signature(body))),
            (Errors{{"/fee", "unknown field 'fee'; allowed fields: type, transaction_id, amount, currency, case_id, "
                             "reference, paid_at, refunded_transaction_id"},
                    {"/type", "'payment.captured' is not one of: payment.confirmed, refund.executed"},
                    {"/transaction_id", "must not be empty"},
                    {"/amount", "must be greater than 0, got 0.00"},
                    {"/currency", "'EURO' is not an ISO 4217 currency code"},
                    {"/paid_at", "'2026-11-28 07:59:30' is not an RFC 3339 UTC timestamp like 2026-11-29T08:00:00Z"},
                    {"", "case_id or reference required: the case the payment concerns"}}));
  const std::string mistyped =
      R"({"type":"payment.confirmed","transaction_id":7,"amount":"12.34567","currency":"EUR","case_id":"C-1",)"
      R"("paid_at":"2026-11-28T07:59:30Z","amout":1})";
  EXPECT_EQ(refused(decodeSigned(mistyped, signature(mistyped))),
            (Errors{{"/amout", "unknown field 'amout'; allowed fields: type, transaction_id, amount, currency, "
                               "case_id, reference, paid_at, refunded_transaction_id; did you mean 'amount'?"},
                    {"/transaction_id", "expected string, got number"},
                    {"/amount", "'12.34567' is not an amount: a decimal with at most 4 fraction digits expected"}}));
  const std::string notAnObject = R"(["payment.confirmed"])";
  EXPECT_EQ(refused(decodeSigned(notAnObject, signature(notAnObject))),
            (Errors{{"", "expected an event object, got array"}}));
}

TEST_F(paymentPlugin, EncodesAcknowledgements) {
  auto plugin = make();
  auto encoded = plugin->encode({Notification{"N-31", "C-2026-000123", "DM-2026-11-000417", "payment-recorded",
                                              "cleared", "", "2026-11-28T08:00:01Z", {}}});
  ASSERT_TRUE(encoded);
  EXPECT_EQ(encoded.value().content_type, "application/vnd.swhub.payment.ack+json");
  EXPECT_EQ(encoded.value().body,
            R"({"acknowledgements":[{"delivery_id":"N-31","case_id":"C-2026-000123","reference":"DM-2026-11-000417",)"
            R"("event":"payment-recorded","state":"cleared","reason":"","at":"2026-11-28T08:00:01Z"}]})");
}

// A return's refund instruction (issue 12): which payment to give back, how much, for which return.
TEST_F(paymentPlugin, EncodesARefundInstruction) {
  auto plugin = make();
  auto encoded = plugin->encode({Notification{"N-40", "C-1", "ORDER-1", "refund-instructed", "refunded",
                                              "goods returned: refund 7.93 EUR of payment pi_1",
                                              "2026-12-06T10:00:00Z",
                                              {{"return_id", "R-1"},
                                               {"refund_transaction_id", "pi_1"},
                                               {"refund_amount", "7.93"},
                                               {"refund_currency", "EUR"}}}});
  ASSERT_TRUE(encoded);
  EXPECT_EQ(encoded.value().body,
            R"({"acknowledgements":[{"delivery_id":"N-40","case_id":"C-1","reference":"ORDER-1",)"
            R"("event":"refund-instructed","state":"refunded","reason":"goods returned: refund 7.93 EUR of payment pi_1",)"
            R"("at":"2026-12-06T10:00:00Z","refund":{"return_id":"R-1","transaction_id":"pi_1","amount":"7.93",)"
            R"("currency":"EUR"}}]})");
}

// The events that tests/schemas checks against payment-event.schema.json, each signed as the
// provider would sign it: the plugin judges each one as the schema does.
TEST_F(paymentPlugin, JudgesEverySampleEventAsTheSchemaDoes) {
  for (const Sample& sample : samples("payment", "payment-event")) {
    const std::string body = readFile(sample.file);
    EXPECT_EQ(misjudged(sample, decodeSigned(body, signature(body))), "");
  }
}
