// The canonical plugin built into the hub (builtin/), driven through its descriptor and the SDK
// only, as the hub drives it.

#include <gtest/gtest.h>

#include "builtin/canonical_partner.hpp"
#include "plugin_test_support.hpp"
#include "revenue_notifications.hpp"
#include "swhub/sdk/plugin.hpp"

using namespace swhub::sdk;
using namespace swhub::testing;

namespace {

const char* const kJson = R"({"reference":"LRN-1","filing":"pre-arrival","items":[{"description":"Headphones",
  "hs":"851830","quantity":1,"unit":"pce","value":45.00,"currency":"EUR","origin":"CN","nature":"sale"}]})";

const char* const kXml = R"(<consignment xmlns="urn:swhub:canonical:consignment:1"><reference>LRN-2</reference>
<filing>declaration</filing><items><item><description>Case</description><hs>392690</hs><quantity>2</quantity>
<unit>pce</unit><value>3.50</value><currency>EUR</currency><origin>CN</origin></item></items></consignment>)";

class canonicalPlugin : public ::testing::Test {
 protected:
  const Descriptor* descriptor_ = &swhub::builtin::canonicalDescriptor();

  std::unique_ptr<PartnerPlugin> make(Value settings = Value::map()) {
    return made(buildPartner(*descriptor_, "demo", std::move(settings)));
  }

  static std::vector<Decoded> decodeAll(const PartnerPlugin& plugin, const std::string& type, const std::string& body) {
    return swhub::testing::decodeAll(plugin, MessageContext{"demo", type, {}, kReceivedAt}, body);
  }
};

}  // namespace

TEST_F(canonicalPlugin, DescribesItself) {
  EXPECT_EQ(descriptor_->abi_major, kAbiMajor);
  EXPECT_STREQ(descriptor_->toolchain, kToolchain);
  EXPECT_EQ(descriptor_->kind, PluginKind::Partner);
  EXPECT_STREQ(descriptor_->name, "canonical");
  EXPECT_STREQ(descriptor_->version, "1.0.0");
  EXPECT_NE(descriptor_->partner_factory, nullptr);
  auto plugin = make();
  ASSERT_TRUE(plugin);
  EXPECT_EQ(plugin->contentTypes(), (std::vector<std::string>{"application/vnd.swhub.consignment+json",
                                                              "application/vnd.swhub.consignment+xml",
                                                              "application/json"}));
}

TEST_F(canonicalPlugin, SettingsSchemaBoundsTheLimits) {
  const Schema schema = descriptor_->settings_schema();
  Value settings = Value::map();
  settings.set("max_depth", Value::integer(2));
  settings.set("max_itemz", Value::integer(5));
  const Errors errors = schema.validate(settings, "partners.demo.settings");
  ASSERT_EQ(errors.size(), 2u) << formatErrors(errors);
  EXPECT_EQ(errors[0].path, "partners.demo.settings.max_depth");
  EXPECT_EQ(errors[1].path, "partners.demo.settings.max_itemz");
}

TEST_F(canonicalPlugin, DecodesJsonAndAJsonBatch) {
  auto plugin = make();
  auto one = decodeAll(*plugin, "application/vnd.swhub.consignment+json", kJson);
  ASSERT_EQ(one.size(), 1u);
  const auto& filing = std::get<DecodedFiling>(one[0]);
  EXPECT_EQ(filing.consignment.reference, "LRN-1");
  EXPECT_EQ(filing.consignment.items.at(0).value.toString(), "45.00");

  std::string bad = kJson;
  bad.replace(bad.find("851830"), 6, "8518");
  auto batch = decodeAll(*plugin, "application/json", std::string("[") + kJson + "," + bad + "]");
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(std::get<DecodedFiling>(batch[0]).location, "/0");
  EXPECT_EQ(std::get<Errors>(batch[1]),
            (Errors{{"/1/items/0/hs", "'8518' is not an HS code: 6 to 10 digits expected"}}));
}

TEST_F(canonicalPlugin, DecodesXmlWithTheEmbeddedSchema) {
  auto plugin = make();
  auto out = decodeAll(*plugin, "application/vnd.swhub.consignment+xml", kXml);
  ASSERT_EQ(out.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<DecodedFiling>(out[0])) << formatErrors(std::get<Errors>(out[0]));
  EXPECT_EQ(std::get<DecodedFiling>(out[0]).consignment.items.at(0).hs, "392690");

  std::string bad = kXml;
  bad.replace(bad.find("<origin>CN"), 10, "<origin>XX");
  auto errors = decodeAll(*plugin, "application/vnd.swhub.consignment+xml", bad);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(std::get<Errors>(errors[0]),
            (Errors{{"/consignment/items/item[1]/origin", "'XX' is not an ISO 3166-1 alpha-2 country code"}}));
}

TEST_F(canonicalPlugin, SettingsAreApplied) {
  Value settings = Value::map();
  settings.set("max_items", Value::integer(1));
  auto plugin = make(std::move(settings));
  std::string two = kJson;
  const auto at = two.find("{\"description\"");
  const std::string item = two.substr(at, two.rfind("]") - at);
  two.insert(two.rfind("]"), "," + item);
  auto out = decodeAll(*plugin, "application/json", two);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(std::get<Errors>(out[0]), (Errors{{"/items", "2 items: at most 1 per consignment"}}));
}

TEST_F(canonicalPlugin, EncodesNotifications) {
  auto plugin = make();
  auto encoded = plugin->encode({Notification{"N-1", "C-1", "LRN-1", "released", "released", "", "2026-11-29T08:00:00Z", {}}});
  ASSERT_TRUE(encoded);
  EXPECT_EQ(encoded.value().content_type, "application/vnd.swhub.notification+json");
  EXPECT_EQ(encoded.value().body,
            R"({"notifications":[{"id":"N-1","case_id":"C-1","reference":"LRN-1","event":"released",)"
            R"("state":"released","reason":"","at":"2026-11-29T08:00:00Z","details":{}}]})");
}

// What is due and why (issue 9): the single-valued revenue details stay strings, the lines are
// one array of objects in the hub's order.
TEST_F(canonicalPlugin, EncodesRevenueLinesAsObjects) {
  auto plugin = make();
  auto encoded = plugin->encode({vendorCollected()});
  ASSERT_TRUE(encoded);
  EXPECT_EQ(encoded.value().body,
            R"({"notifications":[{"id":"N-42","case_id":"C-2026-000778","reference":"DM-2026-11-000778",)"
            R"("event":"released","state":"released","reason":"","at":"2026-11-29T08:11:00Z","details":{)"
            R"("previous_state":"cleared","revenue_due":"0.00","revenue_currency":"EUR","revenue_settled":"true",)"
            R"("revenue_model":"vendor","revenue_line":[)" +
                kVatCollectedLine + R"(],"revenue_paid":"0.00"}}]})");
  auto fallback = plugin->encode({consumerFallback()});
  ASSERT_TRUE(fallback);
  EXPECT_NE(fallback.value().body.find(R"("revenue_model_reason":")" + kModelReason + R"(","revenue_line":[)" +
                                       kFixedDutyLine + "," + kVatItem1Line + "," + kVatItem2Line +
                                       R"(],"revenue_paid":"0.00"})"),
            std::string::npos)
      << fallback.value().body;
}
