// Loads the built marketplace plugin as the hub does and drives it through the SDK only.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "config/config.hpp"
#include "plugin_test_support.hpp"
#include "revenue_notifications.hpp"
#include "swhub/sdk/plugin.hpp"

using namespace swhub::sdk;
using namespace swhub::testing;

namespace {

constexpr const char* kOrderType = "application/vnd.swhub.marketplace.order+json";

// An EU order under IOSS: VAT (PT, 23%) collected by the platform at checkout.
const std::string kIossOrder = R"({
  "order_id": "DM-2026-11-000417",
  "platform": {"name": "Demo Market", "id": "DEMO-MARKET"},
  "seller": {"name": "Shenzhen Bright Audio Co., Ltd", "platform_seller_id": "S-88213", "country": "CN"},
  "buyer": {"name": "Ana Silva", "address": "Rua Augusta 10, 1100-053 Lisboa", "country": "PT", "kind": "person"},
  "lines": [
    {"sku": "BA-HP-200", "description": "Bluetooth headphones", "hs": "851830", "quantity": 1, "unit": "pce",
     "price_paid": "45.00", "currency": "EUR", "origin": "CN", "net_kg": 0.25},
    {"sku": "BA-CASE-1", "description": "Protective case for headphones", "hs": "420292", "quantity": 2,
     "unit": "pce", "price_paid": 15.8, "currency": "EUR", "origin": "CN"}
  ],
  "tax_collected_at_sale": {"amount": "13.98", "currency": "EUR", "registration": "IM2760000742"},
  "payment": {"transaction_ref": "PSP-7Q2K9X", "provider": "Demo Pay"},
  "shipping": {"carrier": "Demo Post", "tracking": "LX123456785CN", "departure": "CN", "destination": "PT"}
})";

// No tax collected at sale: the buyer pays duties and taxes on delivery (consumer model).
const std::string kConsumerOrder = R"({
  "order_id": "DM-2026-11-000502",
  "platform": {"name": "Demo Market", "id": "DEMO-MARKET"},
  "seller": {"name": "Hanoi Silk House", "platform_seller_id": "S-10077", "country": "VN",
             "registration": "VN0312345678"},
  "buyer": {"name": "Jonas Becker", "address": "Torstrasse 5, 10119 Berlin", "country": "DE"},
  "lines": [
    {"sku": "HSH-SCARF-L", "description": "Silk scarf", "hs": "621410", "quantity": 3, "unit": "pce",
     "price_paid": 189.75, "currency": "EUR", "origin": "VN", "net_kg": 0.3}
  ],
  "payment": {"transaction_ref": "PSP-8R3L0Y", "provider": "Demo Pay"}
})";

Value settingsWith(std::vector<Value::Entry> extra = {}) {
  Value settings = Value::map();
  settings.set("platform_id", Value::string("DEMO-MARKET"));
  for (auto& [key, value] : extra) settings.set(key, std::move(value));
  return settings;
}

class marketplacePlugin : public PluginTest {
 protected:
  marketplacePlugin() : PluginTest("marketplace") {}

  // The settings are validated first, as the hub does: the defaults must pass the schema.
  std::unique_ptr<PartnerPlugin> make(Value settings = settingsWith()) {
    const Errors invalid = descriptor_->settings_schema().validate(settings, "partners.demo-market.settings");
    EXPECT_TRUE(invalid.empty()) << formatErrors(invalid);
    return made(buildPartner(*descriptor_, "demo-market", std::move(settings)));
  }

  static std::vector<Decoded> decodeAll(const PartnerPlugin& plugin, const std::string& body) {
    return swhub::testing::decodeAll(plugin, MessageContext{"demo-market", kOrderType, {}, kReceivedAt}, body);
  }

  // The errors of a message holding one order that must be refused.
  Errors errorsOf(const std::string& body, Value settings = settingsWith()) {
    auto plugin = make(std::move(settings));
    return refused(decodeAll(*plugin, body));
  }

  Consignment consignmentOf(const std::string& body, Value settings = settingsWith()) {
    auto plugin = make(std::move(settings));
    auto out = decodeAll(*plugin, body);
    EXPECT_EQ(out.size(), 1u);
    if (out.size() != 1 || !std::holds_alternative<DecodedFiling>(out[0])) {
      ADD_FAILURE() << (out.size() == 1 ? formatErrors(std::get<Errors>(out[0])) : "no filing");
      return {};
    }
    return std::get<DecodedFiling>(out[0]).consignment;
  }
};

}  // namespace

TEST_F(marketplacePlugin, DescribesItself) {
  EXPECT_EQ(descriptor_->abi_major, kAbiMajor);
  EXPECT_STREQ(descriptor_->toolchain, kToolchain);
  EXPECT_EQ(descriptor_->kind, PluginKind::Partner);
  EXPECT_STREQ(descriptor_->name, "marketplace");
  EXPECT_STREQ(descriptor_->version, "1.0.0");
  auto plugin = make();
  ASSERT_TRUE(plugin);
  EXPECT_EQ(plugin->contentTypes(), std::vector<std::string>{kOrderType});
}

TEST_F(marketplacePlugin, SettingsSchemaRequiresThePlatformAndBoundsTheBatch) {
  const Schema schema = descriptor_->settings_schema();
  Value settings = Value::map();
  settings.set("max_orders", Value::integer(0));
  settings.set("require_payment", Value::boolean(false));
  const Errors errors = schema.validate(settings, "partners.demo-market.settings");
  EXPECT_EQ(errors,
            (Errors{{"partners.demo-market.settings.max_orders", "0 is out of range [1, 10000]"},
                    {"partners.demo-market.settings.require_payment",
                     "unknown key 'require_payment'; allowed keys: max_orders, platform_id, require_payment_ref; "
                     "did you mean 'require_payment_ref'?"},
                    {"partners.demo-market.settings.platform_id",
                     "required key missing: the platform's id: every order's platform.id must be this"}}));
  EXPECT_TRUE(schema.validate(settingsWith({{"max_orders", Value::integer(10000)},
                                            {"require_payment_ref", Value::boolean(false)}}))
                  .empty());
}

TEST_F(marketplacePlugin, IossOrderBecomesAVendorCollectedConsignment) {
  const Consignment c = consignmentOf(kIossOrder);
  EXPECT_EQ(c.reference, "DM-2026-11-000417");
  EXPECT_EQ(c.filing, FilingKind::PreArrival);
  ASSERT_TRUE(c.parties.seller);
  EXPECT_EQ(*c.parties.seller, (Party{"Shenzhen Bright Audio Co., Ltd", "S-88213", "", "DEMO-MARKET", "", "CN", ""}));
  ASSERT_TRUE(c.parties.buyer);
  EXPECT_EQ(*c.parties.buyer, (Party{"Ana Silva", "", "", "", "Rua Augusta 10, 1100-053 Lisboa", "PT", "person"}));
  ASSERT_TRUE(c.parties.declarant);
  EXPECT_EQ(*c.parties.declarant, (Party{"Demo Market", "DEMO-MARKET", "", "", "", "", "business"}));
  ASSERT_TRUE(c.parties.carrier);
  EXPECT_EQ(c.parties.carrier->name, "Demo Post");
  EXPECT_EQ(c.transport.departure, "CN");
  EXPECT_EQ(c.transport.destination, "PT");

  EXPECT_EQ(c.fiscal.model, CollectionModel::Vendor);
  EXPECT_TRUE(c.fiscal.collected_at_sale);
  EXPECT_EQ(c.fiscal.registration, "IM2760000742");
  ASSERT_TRUE(c.fiscal.tax_collected);
  EXPECT_EQ(c.fiscal.tax_collected->toString(), "13.98");
  EXPECT_EQ(c.fiscal.tax_currency, "EUR");
  EXPECT_EQ(c.fiscal.payment_refs, std::vector<std::string>{"PSP-7Q2K9X"});

  ASSERT_EQ(c.items.size(), 2u);
  EXPECT_EQ(c.items[0].sequence, 1);
  EXPECT_EQ(c.items[0].description, "Bluetooth headphones");
  EXPECT_EQ(c.items[0].hs, "851830");
  EXPECT_EQ(c.items[0].quantity, 1);
  EXPECT_EQ(c.items[0].unit, "pce");
  EXPECT_EQ(c.items[0].value.toString(), "45.00");
  EXPECT_EQ(c.items[0].net_kg, 0.25);
  EXPECT_EQ(c.items[0].nature, Nature::Sale);
  EXPECT_EQ(c.items[1].sequence, 2);
  EXPECT_EQ(c.items[1].value, Decimal::parse("15.80"));  // a JSON number read exactly
  EXPECT_EQ(c.items[1].quantity, 2);
  EXPECT_FALSE(c.items[1].net_kg);
}

TEST_F(marketplacePlugin, OrderWithoutTaxAtSaleIsCollectedFromTheConsumer) {
  const Consignment c = consignmentOf(kConsumerOrder);
  EXPECT_EQ(c.reference, "DM-2026-11-000502");
  EXPECT_EQ(c.fiscal.model, CollectionModel::Consumer);
  EXPECT_FALSE(c.fiscal.collected_at_sale);
  EXPECT_EQ(c.fiscal.registration, "");
  EXPECT_FALSE(c.fiscal.tax_collected);
  EXPECT_EQ(c.fiscal.payment_refs, std::vector<std::string>{"PSP-8R3L0Y"});
  EXPECT_EQ(c.parties.seller->registration, "VN0312345678");
  EXPECT_EQ(c.parties.buyer->kind, "");
  EXPECT_FALSE(c.parties.carrier);
  EXPECT_EQ(c.items.at(0).value.toString(), "189.75");
}

TEST_F(marketplacePlugin, DecodesABatchOneOrderAtATime) {
  auto plugin = make();
  const std::string bad = replaced(kConsumerOrder, "\"621410\"", "\"6214\"");
  auto out = decodeAll(*plugin, "{\"orders\":[" + kIossOrder + "," + bad + "," + "42" + "]}");
  ASSERT_EQ(out.size(), 3u);
  ASSERT_TRUE(std::holds_alternative<DecodedFiling>(out[0]));
  EXPECT_EQ(std::get<DecodedFiling>(out[0]).location, "/orders/0");
  EXPECT_EQ(std::get<DecodedFiling>(out[0]).consignment.reference, "DM-2026-11-000417");
  EXPECT_EQ(std::get<Errors>(out[1]),
            (Errors{{"/orders/1/lines/0/hs", "'6214' is not an HS code: 6 to 10 digits expected"}}));
  EXPECT_EQ(std::get<Errors>(out[2]), (Errors{{"/orders/2", "expected object, got number"}}));
}

TEST_F(marketplacePlugin, RefusesTheSameOrderTwiceInOneBatch) {
  auto plugin = make();
  auto out = decodeAll(*plugin, "{\"orders\":[" + kIossOrder + "," + kIossOrder + "]}");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<DecodedFiling>(out[0]));
  EXPECT_EQ(std::get<Errors>(out[1]),
            (Errors{{"/orders/1/order_id", "'DM-2026-11-000417' is already used by /orders/0"}}));
}

TEST_F(marketplacePlugin, RefusesABadBatchEnvelopeWhole) {
  auto plugin = make(settingsWith({{"max_orders", Value::integer(1)}}));
  auto tooMany = decodeAll(*plugin, "{\"orders\":[" + kIossOrder + "," + kConsumerOrder + "],\"sent_at\":1}");
  ASSERT_EQ(tooMany.size(), 1u);
  EXPECT_EQ(std::get<Errors>(tooMany[0]),
            (Errors{{"/sent_at", "unknown field 'sent_at'; allowed fields: orders"},
                    {"/orders", "2 orders: at most 1 per message"}}));
  auto empty = decodeAll(*plugin, R"({"orders":[]})");
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(std::get<Errors>(empty[0]), (Errors{{"/orders", "at least one order required"}}));
  auto wrong = decodeAll(*plugin, R"({"orders":{}})");
  ASSERT_EQ(wrong.size(), 1u);
  EXPECT_EQ(std::get<Errors>(wrong[0]), (Errors{{"/orders", "expected array, got object"}}));
}

TEST_F(marketplacePlugin, RefusesWhatIsNotAnOrder) {
  auto plugin = make();
  auto array = decodeAll(*plugin, "[" + kIossOrder + "]");
  ASSERT_EQ(array.size(), 1u);
  EXPECT_EQ(std::get<Errors>(array[0]), (Errors{{"", "expected an order object or {\"orders\":[...]}, got array"}}));
  auto cut = decodeAll(*plugin, kIossOrder.substr(0, 100));
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_EQ(std::get<Errors>(cut[0]).at(0).path, "");
  EXPECT_EQ(std::get<Errors>(cut[0]).at(0).message.rfind("not valid JSON: ", 0), 0u);
  auto latin1 = decodeAll(*plugin, replaced(kIossOrder, "Ana Silva", "Ana Sil\xe9va"));
  ASSERT_EQ(latin1.size(), 1u);
  EXPECT_EQ(std::get<Errors>(latin1[0]).at(0).message.rfind("not valid JSON: invalid UTF-8 at byte ", 0), 0u);
}

TEST_F(marketplacePlugin, UnknownFieldsAreRefusedWithTheAllowedList) {
  const std::string body = replaced(replaced(kIossOrder, "\"seller\":", "\"sellr\":"), "\"sku\": \"BA-HP-200\"",
                                    "\"sku\": \"BA-HP-200\", \"colour\": \"black\"");
  EXPECT_EQ(errorsOf(body),
            (Errors{{"/sellr",
                     "unknown field 'sellr'; allowed fields: order_id, platform, seller, buyer, lines, "
                     "tax_collected_at_sale, payment, shipping; did you mean 'seller'?"},
                    {"/seller", "missing required field 'seller'"},
                    {"/lines/0/colour",
                     "unknown field 'colour'; allowed fields: sku, description, hs, quantity, unit, price_paid, "
                     "currency, origin, net_kg"}}));
}

TEST_F(marketplacePlugin, ReportsMissingEmptyAndMistypedFieldsAtTheirPointers) {
  std::string body = replaced(kIossOrder, R"("address": "Rua Augusta 10, 1100-053 Lisboa", )", "");
  body = replaced(body, R"("platform_seller_id": "S-88213")", R"("platform_seller_id": "")");
  body = replaced(body, R"("quantity": 1,)", R"("quantity": "1",)");
  body = replaced(body, R"("price_paid": "45.00")", R"("price_paid": "45.00001")");
  body = replaced(body, R"("price_paid": 15.8)", R"("price_paid": true)");
  body = replaced(body, R"("payment": {"transaction_ref": "PSP-7Q2K9X", "provider": "Demo Pay"})",
                  R"("payment": ["PSP-7Q2K9X"])");
  EXPECT_EQ(errorsOf(body),
            (Errors{{"/seller/platform_seller_id", "must not be empty"},
                    {"/buyer/address", "missing required field 'address'"},
                    {"/lines/0/quantity", "expected number, got string"},
                    {"/lines/0/price_paid",
                     "'45.00001' is not an amount: a decimal with at most 4 fraction digits expected"},
                    {"/lines/1/price_paid", "expected amount (string or number), got boolean"},
                    {"/payment", "expected object, got array"}}));
}

TEST_F(marketplacePlugin, ReportsCanonicalRulesAtTheOrdersOwnPointers) {
  std::string body = replaced(kIossOrder, R"("country": "PT", "kind": "person")", R"("country": "XK", "kind": "firm")");
  body = replaced(body, R"("hs": "420292")", R"("hs": "770100")");
  body = replaced(body, R"("price_paid": "45.00")", R"("price_paid": "-45.00")");
  body = replaced(body, R"("quantity": 2,)", R"("quantity": 0,)");
  body = replaced(body, R"("origin": "CN", "net_kg": 0.25)", R"("origin": "China", "net_kg": -0.25)");
  body = replaced(body, R"("amount": "13.98", "currency": "EUR")", R"("amount": "13.98", "currency": "EURO")");
  body = replaced(body, R"("departure": "CN")", R"("departure": "EU")");
  EXPECT_EQ(errorsOf(body),
            (Errors{{"/buyer/kind", "'firm' is not one of: person, business"},
                    {"/buyer/country", "'XK' is not an ISO 3166-1 alpha-2 country code"},
                    {"/shipping/departure", "'EU' is not an ISO 3166-1 alpha-2 country code"},
                    {"/tax_collected_at_sale/currency", "'EURO' is not an ISO 4217 currency code"},
                    {"/lines/0/net_kg", "must not be negative, got -0.25"},
                    {"/lines/0/price_paid", "must not be negative, got -45.00"},
                    {"/lines/0/origin", "'China' is not an ISO 3166-1 alpha-2 country code"},
                    {"/lines/1/hs", "'770100' is not an HS code: chapter 77 does not exist"},
                    {"/lines/1/quantity", "must be greater than 0, got 0"}}));
}

TEST_F(marketplacePlugin, TaxCollectedAtSaleNeedsItsRegistration) {
  EXPECT_EQ(errorsOf(replaced(kIossOrder, R"(, "registration": "IM2760000742")", "")),
            (Errors{{"/tax_collected_at_sale/registration", "missing required field 'registration'"}}));
  EXPECT_EQ(errorsOf(replaced(kIossOrder, R"("registration": "IM2760000742")", R"("registration": "")")),
            (Errors{{"/tax_collected_at_sale/registration", "must not be empty"}}));
  EXPECT_EQ(errorsOf(replaced(kIossOrder, R"("amount": "13.98")", R"("amount": "-1")")),
            (Errors{{"/tax_collected_at_sale/amount", "must not be negative, got -1.00"}}));
}

TEST_F(marketplacePlugin, OrdersNameThisPartnersPlatform) {
  EXPECT_EQ(errorsOf(replaced(kIossOrder, R"("id": "DEMO-MARKET")", R"("id": "OTHER-MKT")")),
            (Errors{{"/platform/id", "'OTHER-MKT' is not this partner's platform: 'DEMO-MARKET' expected"}}));
  EXPECT_EQ(errorsOf(replaced(kIossOrder, R"("platform": {"name": "Demo Market", "id": "DEMO-MARKET"},)", "")),
            (Errors{{"/platform", "missing required field 'platform'"}}));
}

TEST_F(marketplacePlugin, ProofOfPaymentIsRequiredUnlessTheSettingsSayOtherwise) {
  const std::string unpaid =
      replaced(kConsumerOrder, R"(,
  "payment": {"transaction_ref": "PSP-8R3L0Y", "provider": "Demo Pay"})", "");
  EXPECT_EQ(errorsOf(unpaid), (Errors{{"/payment", "missing required field 'payment'"}}));
  EXPECT_EQ(errorsOf(replaced(kConsumerOrder, R"("transaction_ref": "PSP-8R3L0Y", )", "")),
            (Errors{{"/payment/transaction_ref", "missing required field 'transaction_ref'"}}));
  const Consignment c = consignmentOf(unpaid, settingsWith({{"require_payment_ref", Value::boolean(false)}}));
  EXPECT_EQ(c.reference, "DM-2026-11-000502");
  EXPECT_TRUE(c.fiscal.payment_refs.empty());
}

TEST_F(marketplacePlugin, LinesAreRequiredAndTheOrderIdBounded) {
  std::string body = replaced(kConsumerOrder, R"("order_id": "DM-2026-11-000502")",
                              "\"order_id\": \"" + std::string(70, '7') + "\"");
  const auto at = body.find("\"lines\": [");
  body = body.substr(0, at) + "\"lines\": []" + body.substr(body.find(']', at) + 1);
  EXPECT_EQ(errorsOf(body), (Errors{{"/lines", "at least one line required"},
                                    {"/order_id", "'" + std::string(64, '7') + "...' is longer than 64 characters"}}));
}

TEST_F(marketplacePlugin, EncodesOrderUpdates) {
  auto plugin = make();
  auto encoded = plugin->encode(
      {Notification{"N-17", "C-2026-000123", "DM-2026-11-000417", "released", "released", "", "2026-11-29T08:00:00Z", {}},
       Notification{"N-18", "C-2026-000124", "DM-2026-11-000502", "held", "held",
                    "product safety: \"CE\" marking missing", "2026-11-29T08:05:00Z", {{"reason_codes", "PS-CE"}}}});
  ASSERT_TRUE(encoded);
  EXPECT_EQ(encoded.value().content_type, "application/vnd.swhub.marketplace.updates+json");
  EXPECT_EQ(encoded.value().body,
            R"({"order_updates":[{"order_id":"DM-2026-11-000417","case_id":"C-2026-000123","status":"released",)"
            R"("reason":"","reason_codes":"","at":"2026-11-29T08:00:00Z","delivery_id":"N-17"},)"
            R"({"order_id":"DM-2026-11-000502","case_id":"C-2026-000124","status":"held",)"
            R"("reason":"product safety: \"CE\" marking missing","reason_codes":"PS-CE","at":"2026-11-29T08:05:00Z",)"
            R"("delivery_id":"N-18"}]})");
  auto none = plugin->encode({});
  ASSERT_TRUE(none);
  EXPECT_EQ(none.value().body, R"({"order_updates":[]})");
}

// What became of a return (issue 12): a `return` object only on a notification about one.
TEST_F(marketplacePlugin, EncodesWhatBecameOfAReturn) {
  auto plugin = make();
  auto encoded = plugin->encode(
      {Notification{"N-51", "C-1", "DM-1", "return-held", "released", "return held, no refund: item 1 hs: filed 620520, inbound 610910",
                    "2026-12-06T10:00:00Z", {{"reason_codes", "RET-MISMATCH"}, {"return_id", "R-1"}}},
       Notification{"N-54", "C-1", "DM-1", "refunded", "refunded", "refund of 7.55 EUR instructed", "2026-12-06T10:02:00Z",
                    {{"return_id", "R-2"}, {"refund_amount", "7.55"}, {"refund_currency", "EUR"},
                     {"refund_why", "duty item 1: 7.20 x 1/3 = 2.40"}}}});
  ASSERT_TRUE(encoded);
  EXPECT_EQ(encoded.value().body,
            R"({"order_updates":[{"order_id":"DM-1","case_id":"C-1","status":"released",)"
            R"("reason":"return held, no refund: item 1 hs: filed 620520, inbound 610910","reason_codes":"RET-MISMATCH",)"
            R"("at":"2026-12-06T10:00:00Z","delivery_id":"N-51","return":{"return_id":"R-1","event":"return-held"}},)"
            R"({"order_id":"DM-1","case_id":"C-1","status":"refunded","reason":"refund of 7.55 EUR instructed",)"
            R"("reason_codes":"","at":"2026-12-06T10:02:00Z","delivery_id":"N-54","return":{"return_id":"R-2",)"
            R"("event":"refunded","refund":{"amount":"7.55","currency":"EUR","why":"duty item 1: 7.20 x 1/3 = 2.40"}}}]})");
}

// What is due and why (issue 9): a `revenue` object only on a notification about assessed
// revenue; the update without revenue details above is unchanged.
TEST_F(marketplacePlugin, EncodesWhatIsDueAndWhy) {
  auto plugin = make();
  auto encoded = plugin->encode({consumerFallback(), vendorCollected()});
  ASSERT_TRUE(encoded) << formatErrors(encoded.errors());
  EXPECT_EQ(encoded.value().body,
            R"({"order_updates":[{"order_id":"DM-2026-11-000777","case_id":"C-2026-000777","status":"cleared",)"
            R"("reason":"","reason_codes":"","at":"2026-11-29T08:10:00Z","delivery_id":"N-41",)"
            R"("revenue":{"model":"consumer","model_reason":"vendor model refused: registration 'x' is malformed )"
            R"((expected ^IM[0-9]{10}$); the consumer pays","due":"16.34","paid":"0.00","currency":"EUR",)"
            R"("settled":false,"lines":[)" +
                kFixedDutyLine + "," + kVatItem1Line + "," + kVatItem2Line +
                R"(]}},{"order_id":"DM-2026-11-000778","case_id":"C-2026-000778","status":"released",)"
                R"("reason":"","reason_codes":"","at":"2026-11-29T08:11:00Z","delivery_id":"N-42",)"
                R"("revenue":{"model":"vendor","due":"0.00","paid":"0.00","currency":"EUR","settled":true,"lines":[)" +
                kVatCollectedLine + "]}}]}");
}

TEST_F(marketplacePlugin, RefusesARevenueLineItCannotRead) {
  auto plugin = make();
  Notification n = vendorCollected();
  n.details.push_back({"revenue_line", R"({"tax":"vat","amount":"ten","currency":"EUR"})"});
  auto encoded = plugin->encode({consumerFallback(), n});
  ASSERT_FALSE(encoded);
  EXPECT_EQ(encoded.errors(), (Errors{{"/1/details/7", "revenue_line: amount: 'ten' is not a decimal"}}));
}

// The orders that tests/schemas checks against order.schema.json: the plugin judges each one as
// the schema does (the default settings: platform DEMO-MARKET, payment reference required).
TEST_F(marketplacePlugin, JudgesEverySampleOrderAsTheSchemaDoes) {
  auto plugin = make();
  for (const Sample& sample : samples("marketplace", "order"))
    EXPECT_EQ(misjudged(sample, decodeAll(*plugin, readFile(sample.file))), "");
}

// The order the README shows is the sample file, and the example deployment's demo-market (its
// settings as config/hub.yaml has them) files it: the documented sample cannot drift from the
// config again (it once named platform DEMO-MKT while the config said DEMO-MARKET).
TEST_F(marketplacePlugin, TheReadmeOrderIsFiledUnderTheExampleConfig) {
  const std::filesystem::path root = SWHUB_SOURCE_ROOT;
  const std::string sample = readFile(root / "tests/samples/marketplace/order-valid-ioss.json");
  ASSERT_FALSE(sample.empty());
  const std::string readme = readFile(root / "plugins/partners/marketplace/README.md");
  const std::string fence = "```json\n";
  const auto order = readme.find("## Order\n");
  ASSERT_NE(order, std::string::npos);
  const auto from = readme.find(fence, order);
  ASSERT_NE(from, std::string::npos);
  const auto to = readme.find("```", from + fence.size());
  EXPECT_EQ(readme.substr(from + fence.size(), to - from - fence.size()), sample);

  const auto config = swhub::config::loadConfig((root / "config/hub.yaml").string());
  const auto partner = std::find_if(config.partners.begin(), config.partners.end(),
                                    [](const auto& p) { return p.id == "demo-market"; });
  ASSERT_NE(partner, config.partners.end());
  ASSERT_EQ(partner->plugin, "marketplace");
  const Consignment c = consignmentOf(sample, partner->settings);
  EXPECT_EQ(c.reference, "DM-2026-11-000417");
  ASSERT_TRUE(c.parties.declarant);
  EXPECT_EQ(c.parties.declarant->id, partner->settings.find("platform_id")->asString());
}
