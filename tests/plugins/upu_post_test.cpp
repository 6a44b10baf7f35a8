// Loads the built upu_post plugin as the hub does and drives it through the SDK only; the S10
// check digit is also tested directly (s10.cpp is compiled into this program).

#include <gtest/gtest.h>

#include <xercesc/framework/LocalFileInputSource.hpp>
#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/framework/XMLGrammarPoolImpl.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/DefaultHandler.hpp>
#include <xercesc/sax2/SAX2XMLReader.hpp>
#include <xercesc/sax2/XMLReaderFactory.hpp>
#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/XMLString.hpp>
#include <xercesc/util/XMLUni.hpp>

#include <cstring>
#include <fstream>
#include <iterator>

#include "plugin_test_support.hpp"
#include "revenue_notifications.hpp"
#include "s10.hpp"
#include "swhub/sdk/plugin.hpp"

using namespace swhub::sdk;
using namespace swhub::testing;
namespace upu = swhub::plugins::upu_post;

namespace {

constexpr const char* kType = "application/vnd.swhub.upu-post+xml";

// Three items: a CN23 with three content lines, a CN22 gift, a document envelope.
const std::string kMessage = R"(<?xml version="1.0" encoding="UTF-8"?>
<postalItems xmlns="urn:swhub:partner:upu-post:1">
  <item>
    <itemId>RR123456785CH</itemId>
    <category>sale-of-goods</category>
    <currency>CHF</currency>
    <sender>
      <name>Uhren &amp; Mehr AG</name>
      <id>CHE-123.456.789</id>
      <address>Bahnhofstrasse 1</address>
      <postcode>8001</postcode>
      <city>Zurich</city>
      <country>CH</country>
    </sender>
    <addressee>
      <name>Ana Silva</name>
      <address>Rua Augusta 10</address>
      <postcode>1100-053</postcode>
      <city>Lisboa</city>
      <country>PT</country>
    </addressee>
    <content>
      <description>Watch strap, leather</description>
      <quantity>2</quantity>
      <netWeight>0.08</netWeight>
      <value>59.80</value>
      <hsCode>911390</hsCode>
      <originCountry>CH</originCountry>
    </content>
    <content>
      <description>Milk chocolate bars</description>
      <quantity>3</quantity>
      <netWeight>0.3</netWeight>
      <value>12.60</value>
      <hsCode>180632</hsCode>
      <originCountry>CH</originCountry>
    </content>
    <content>
      <description>T-shirt, cotton</description>
      <quantity>1</quantity>
      <netWeight>0.2</netWeight>
      <value>25.00</value>
      <currency>EUR</currency>
      <hsCode>61091000</hsCode>
      <originCountry>BD</originCountry>
    </content>
    <totalValue>97.40</totalValue>
    <postage>18.50</postage>
    <grossWeight>0.75</grossWeight>
    <invoice>INV-2026-0042</invoice>
    <dispatchId>CHZRHAPTLISAAUN60001</dispatchId>
    <receptacleId>CHZRHAPTLISAAUN60001001100075</receptacleId>
    <expectedArrival>2026-11-29T08:00:00Z</expectedArrival>
  </item>
  <item>
    <itemId>EE123456785XX</itemId>
    <category>gift</category>
    <currency>EUR</currency>
    <sender><name>Oma Weber</name><country>DE</country></sender>
    <addressee><name>Tiago Weber</name><city>Porto</city><country>PT</country></addressee>
    <content>
      <description>Knitted scarf</description>
      <quantity>1</quantity>
      <netWeight>0.15</netWeight>
      <value>30</value>
      <hsCode>611710</hsCode>
      <originCountry>DE</originCountry>
    </content>
    <totalValue>30.00</totalValue>
  </item>
  <item>
    <itemId>CP000000080CN</itemId>
    <category>documents</category>
    <currency>CNY</currency>
    <sender><name>Shenzhen Trade Office</name><country>CN</country></sender>
    <addressee><name>Camara de Comercio</name><country>PT</country></addressee>
    <content>
      <description>Business correspondence</description>
      <quantity>1</quantity>
      <netWeight>0.05</netWeight>
      <value>0</value>
      <hsCode>490199</hsCode>
      <originCountry>CN</originCountry>
    </content>
  </item>
</postalItems>
)";

class upuPostPlugin : public PluginTest {
 protected:
  upuPostPlugin() : PluginTest("upu_post") {}

  static Value settings(std::int64_t maxItems = 0, std::int64_t maxDepth = 0) {
    Value s = Value::map();
    s.set("operator_name", Value::string("Swiss Post"));
    s.set("operator_id", Value::string("CHA"));
    if (maxItems > 0) s.set("max_items", Value::integer(maxItems));
    if (maxDepth > 0) s.set("max_depth", Value::integer(maxDepth));
    return s;
  }

  std::unique_ptr<PartnerPlugin> make(Value s = settings()) {
    return made(buildPartner(*descriptor_, "demo-post", std::move(s)));
  }

  static std::vector<Decoded> decodeAll(const PartnerPlugin& plugin, const std::string& body) {
    return swhub::testing::decodeAll(plugin, MessageContext{"demo-post", kType, {}, kReceivedAt}, body);
  }

  // The errors of a message expected to yield exactly one Errors entry (and nothing else).
  Errors onlyErrors(const std::string& body) {
    auto plugin = make();
    return refused(decodeAll(*plugin, body));
  }

  // The errors of the first item of a message that is kMessage with one change.
  Errors firstItemErrors(const std::string& body) {
    auto plugin = make();
    auto out = decodeAll(*plugin, body);
    EXPECT_EQ(out.size(), 3u);
    if (out.empty() || !std::holds_alternative<Errors>(out[0])) return {{"", "<no errors>"}};
    EXPECT_TRUE(std::holds_alternative<DecodedFiling>(out[1]));
    EXPECT_TRUE(std::holds_alternative<DecodedFiling>(out[2]));
    return std::get<Errors>(out[0]);
  }
};

}  // namespace

// ---------------------------------------------------------------- S10 check digit

TEST(upuS10, ComputesTheCheckDigitOfKnownIdentifiers) {
  EXPECT_EQ(upu::s10CheckDigit("12345678"), 5);  // RR123456785CH, EE123456785XX
  EXPECT_EQ(upu::s10CheckDigit("98765432"), 6);  // sum 236, 236 mod 11 = 5, 11 - 5 = 6
  EXPECT_EQ(upu::s10CheckDigit("47312482"), 9);
  EXPECT_EQ(upu::s10CheckDigit("00000008"), 0);  // sum 56, 56 mod 11 = 1: 10 -> 0
  EXPECT_EQ(upu::s10CheckDigit("00000000"), 5);  // sum 0: 11 -> 5
  EXPECT_EQ(upu::s10CheckDigit("1234567"), std::nullopt);
  EXPECT_EQ(upu::s10CheckDigit("1234567A"), std::nullopt);
}

TEST(upuS10, AcceptsValidIdentifiers) {
  for (const char* id : {"RR123456785CH", "EE123456785XX", "LX987654326DE", "CP000000080CN", "RA000000005PT",
                         "UA473124829US"})
    EXPECT_EQ(upu::s10Problem(id), "") << id;
}

TEST(upuS10, NamesTheExpectedDigitOfAWrongOne) {
  EXPECT_EQ(upu::s10Problem("RR123456784CH"), "'RR123456784CH' has S10 check digit 4, expected 5");
  EXPECT_EQ(upu::s10Problem("CP000000085CN"), "'CP000000085CN' has S10 check digit 5, expected 0");
}

TEST(upuS10, RefusesAnotherShape) {
  for (const char* id : {"RR12345678CH", "rr123456785CH", "RR123456785C", "R1123456785CH", "RR1234567850CH", ""})
    EXPECT_EQ(upu::s10Problem(id), "'" + std::string(id) +
                                       "' is not a UPU S10 item identifier: 2 letters, 8 digits, a check digit "
                                       "and 2 letters expected")
        << id;
}

// ---------------------------------------------------------------- descriptor and settings

TEST_F(upuPostPlugin, DescribesItself) {
  EXPECT_EQ(descriptor_->abi_major, kAbiMajor);
  EXPECT_STREQ(descriptor_->toolchain, kToolchain);
  EXPECT_EQ(descriptor_->kind, PluginKind::Partner);
  EXPECT_STREQ(descriptor_->name, "upu_post");
  EXPECT_STREQ(descriptor_->version, "1.0.0");
  auto plugin = make();
  ASSERT_TRUE(plugin);
  EXPECT_EQ(plugin->contentTypes(),
            (std::vector<std::string>{"application/vnd.swhub.upu-post+xml", "application/xml", "text/xml"}));
}

TEST_F(upuPostPlugin, SettingsSchemaReportsEveryError) {
  Value s = Value::map();
  s.set("operator_name", Value::string(""));
  s.set("max_items", Value::integer(0));
  s.set("max_depth", Value::integer(65));
  s.set("max_itemz", Value::integer(5));
  const Errors errors = descriptor_->settings_schema().validate(s, "partners.demo-post.settings");
  EXPECT_EQ(errors, (Errors{
                        {"partners.demo-post.settings.operator_name", "must not be empty"},
                        {"partners.demo-post.settings.max_items", "0 is out of range [1, 100000]"},
                        {"partners.demo-post.settings.max_depth", "65 is out of range [4, 64]"},
                        {"partners.demo-post.settings.max_itemz",
                         "unknown key 'max_itemz'; allowed keys: max_depth, max_items, operator_id, operator_name, "
                         "revenue_element; "
                         "did you mean 'max_items'?"},
                        {"partners.demo-post.settings.operator_id",
                         "required key missing: id of the posting operator (UPU operator code): the carrier's id"},
                    }))
      << formatErrors(errors);
}

TEST_F(upuPostPlugin, FactoryRefusesBadSettingsWithTheSameErrors) {
  Value s = settings();
  s.set("max_depth", Value::integer(3));
  auto result = descriptor_->partner_factory(InstanceContext{"demo-post", "partners.demo-post.settings", s, ""});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.errors(), (Errors{{"partners.demo-post.settings.max_depth", "3 is out of range [4, 64]"}}));
}

// ---------------------------------------------------------------- decoding and mapping

TEST_F(upuPostPlugin, DecodesEveryItemIntoOneConsignment) {
  auto plugin = make();
  auto out = decodeAll(*plugin, kMessage);
  ASSERT_EQ(out.size(), 3u);
  for (const auto& d : out)
    ASSERT_TRUE(std::holds_alternative<DecodedFiling>(d)) << formatErrors(std::get<Errors>(d));

  const auto& first = std::get<DecodedFiling>(out[0]);
  EXPECT_EQ(first.location, "/postalItems/item[1]");
  const Consignment& c = first.consignment;
  EXPECT_EQ(c.reference, "RR123456785CH");
  EXPECT_EQ(c.filing, FilingKind::PreArrival);
  ASSERT_TRUE(c.parties.seller && c.parties.buyer && c.parties.carrier);
  EXPECT_EQ(*c.parties.seller, (Party{"Uhren & Mehr AG", "CHE-123.456.789", "", "", "Bahnhofstrasse 1, 8001 Zurich", "CH", ""}));
  EXPECT_EQ(*c.parties.buyer, (Party{"Ana Silva", "", "", "", "Rua Augusta 10, 1100-053 Lisboa", "PT", ""}));
  EXPECT_EQ(*c.parties.carrier, (Party{"Swiss Post", "CHA", "", "", "", "", "business"}));
  EXPECT_FALSE(c.parties.declarant);
  EXPECT_EQ(c.transport, (Transport{TransportMode::Post, "CHZRHAPTLISAAUN60001", "CHZRHAPTLISAAUN60001001100075",
                                    "CH", "PT", "2026-11-29T08:00:00Z"}));
  EXPECT_EQ(c.fiscal, Fiscal{});
  ASSERT_EQ(c.items.size(), 3u);
  const Item& strap = c.items[0];
  EXPECT_EQ(strap.sequence, 1);
  EXPECT_EQ(strap.description, "Watch strap, leather");
  EXPECT_EQ(strap.hs, "911390");
  EXPECT_EQ(strap.quantity, 2);
  EXPECT_EQ(strap.unit, "pce");
  EXPECT_EQ(strap.net_kg, 0.08);
  EXPECT_EQ(strap.gross_kg, std::nullopt);
  EXPECT_EQ(strap.value.toString(), "59.80");
  EXPECT_EQ(strap.currency, "CHF");
  EXPECT_EQ(strap.origin, "CH");
  EXPECT_EQ(strap.nature, Nature::Sale);
  EXPECT_EQ(strap.documents, (std::vector<Document>{{"invoice", "INV-2026-0042", std::nullopt}}));
  EXPECT_EQ(c.items[1].value.toString(), "12.60");
  EXPECT_EQ(c.items[1].sequence, 2);
  EXPECT_EQ(c.items[2].currency, "EUR");  // a line's own currency wins over the item's
  EXPECT_EQ(c.items[2].hs, "61091000");
  EXPECT_EQ(c.items[2].origin, "BD");

  const Consignment& gift = std::get<DecodedFiling>(out[1]).consignment;
  EXPECT_EQ(std::get<DecodedFiling>(out[1]).location, "/postalItems/item[2]");
  EXPECT_EQ(gift.reference, "EE123456785XX");
  EXPECT_EQ(gift.parties.buyer->address, "Porto");
  EXPECT_EQ(gift.items.at(0).nature, Nature::Gift);
  EXPECT_EQ(gift.items.at(0).value.toString(), "30.00");
  EXPECT_EQ(gift.transport.conveyance, "");
  EXPECT_EQ(gift.transport.departure, "DE");

  const Consignment& docs = std::get<DecodedFiling>(out[2]).consignment;
  EXPECT_EQ(docs.reference, "CP000000080CN");
  EXPECT_EQ(docs.items.at(0).nature, Nature::Documents);
  EXPECT_EQ(docs.items.at(0).currency, "CNY");
}

TEST_F(upuPostPlugin, MapsEveryCategoryToItsNature) {
  const std::pair<const char*, Nature> cases[] = {
      {"gift", Nature::Gift},      {"documents", Nature::Documents},   {"commercial-sample", Nature::Sample},
      {"returned-goods", Nature::Return}, {"sale-of-goods", Nature::Sale}, {"other", Nature::Other}};
  auto plugin = make();
  for (const auto& [category, nature] : cases) {
    auto out = decodeAll(*plugin, replaced(kMessage, "<category>gift</category>",
                                           std::string("<category>") + category + "</category>"));
    ASSERT_EQ(out.size(), 3u);
    ASSERT_TRUE(std::holds_alternative<DecodedFiling>(out[1])) << category;
    EXPECT_EQ(std::get<DecodedFiling>(out[1]).consignment.items.at(0).nature, nature) << category;
  }
}

TEST_F(upuPostPlugin, FilingIsPreLoadingWhenTheMessageSaysSo) {
  auto plugin = make();
  auto out = decodeAll(*plugin, replaced(kMessage, "<postalItems xmlns=\"urn:swhub:partner:upu-post:1\">",
                                         "<postalItems xmlns=\"urn:swhub:partner:upu-post:1\">\n"
                                         "  <filing>pre-loading</filing>"));
  ASSERT_EQ(out.size(), 3u);
  for (const auto& d : out) EXPECT_EQ(std::get<DecodedFiling>(d).consignment.filing, FilingKind::PreLoading);
}

TEST_F(upuPostPlugin, IossMeansTaxCollectedAtSale) {
  auto plugin = make();
  auto out = decodeAll(*plugin, replaced(kMessage, "<totalValue>30.00</totalValue>",
                                         "<totalValue>30.00</totalValue><ioss>IM2760000742</ioss>"));
  const Fiscal& f = std::get<DecodedFiling>(out.at(1)).consignment.fiscal;
  EXPECT_EQ(f.model, CollectionModel::Vendor);
  EXPECT_TRUE(f.collected_at_sale);
  EXPECT_EQ(f.registration, "IM2760000742");
}

// ---------------------------------------------------------------- malformed input

TEST_F(upuPostPlugin, WrongCheckDigitNamesTheExpectedOne) {
  const std::string body = replaced(kMessage, "RR123456785CH", "RR123456784CH");
  EXPECT_EQ(firstItemErrors(body),
            (Errors{{"/postalItems/item[1]/itemId",
                     "'RR123456784CH' has S10 check digit 4, expected 5" + after(body, "<itemId>")}}));
  EXPECT_EQ(after(body, "<itemId>"), " (line 4, column 13)");
}

TEST_F(upuPostPlugin, ItemIdOfAnotherShapeIsASchemaError) {
  const std::string body = replaced(kMessage, "RR123456785CH", "RR12345678CH");
  // The schema's pattern says it; the S10 check does not repeat it.
  EXPECT_EQ(firstItemErrors(body),
            (Errors{{"/postalItems/item[1]/itemId",
                     "value 'RR12345678CH' does not match regular expression facet '[A-Z]{2}[0-9]{9}[A-Z]{2}'" +
                         after(body, "RR12345678CH</itemId>")}}));
}

TEST_F(upuPostPlugin, BadHsCodeOfTheSecondLine) {
  const std::string body = replaced(kMessage, "<hsCode>180632</hsCode>", "<hsCode>1806</hsCode>");
  const Errors errors = firstItemErrors(body);
  ASSERT_EQ(errors.size(), 1u) << formatErrors(errors);
  EXPECT_EQ(errors[0].path, "/postalItems/item[1]/content[2]/hsCode");
  EXPECT_EQ(errors[0].message, "value '1806' does not match regular expression facet '[0-9]{6,10}'" +
                                   after(body, "<hsCode>1806</hsCode>"));
}

TEST_F(upuPostPlugin, HsChapterThatDoesNotExist) {
  const std::string body = replaced(kMessage, "<hsCode>180632</hsCode>", "<hsCode>771000</hsCode>");
  EXPECT_EQ(firstItemErrors(body),
            (Errors{{"/postalItems/item[1]/content[2]/hsCode",
                     "'771000' is not an HS code: chapter 77 does not exist" + after(body, "<hsCode>", 2)}}));
}

TEST_F(upuPostPlugin, MissingHsCodeIsRequiredForClearance) {
  const std::string body = replaced(kMessage, "<hsCode>180632</hsCode>", "");
  EXPECT_EQ(firstItemErrors(body),
            (Errors{{"/postalItems/item[1]/content[2]/hsCode",
                     "missing: required for customs clearance" + after(body, "<content>", 2)}}));
}

TEST_F(upuPostPlugin, UnknownCountryIsReportedOnce) {
  // The addressee's country is also the destination: one error, not two.
  const std::string body = replaced(kMessage, "<country>PT</country>", "<country>ZZ</country>");
  EXPECT_EQ(firstItemErrors(body),
            (Errors{{"/postalItems/item[1]/addressee/country",
                     "'ZZ' is not an ISO 3166-1 alpha-2 country code" + after(body, "<country>", 2)}}));
}

TEST_F(upuPostPlugin, UnknownCurrencyOfTheItemNamesTheItemsCurrency) {
  const std::string body = replaced(kMessage, "<currency>CHF</currency>", "<currency>CHX</currency>");
  EXPECT_EQ(firstItemErrors(body),
            (Errors{{"/postalItems/item[1]/currency",
                     "'CHX' is not an ISO 4217 currency code" + after(body, "<currency>")}}));
}

TEST_F(upuPostPlugin, TotalValueMustBeTheSumOfTheLines) {
  // Every line in the item's currency: 59.80 + 12.60 + 25.00 = 97.40.
  std::string body = replaced(kMessage, "<currency>EUR</currency>\n", "");
  body = replaced(body, "<totalValue>97.40</totalValue>", "<totalValue>99.40</totalValue>");
  EXPECT_EQ(firstItemErrors(body),
            (Errors{{"/postalItems/item[1]/totalValue",
                     "total value 99.40 CHF is not the sum of the content values, 97.40" +
                         after(body, "<totalValue>")}}));
}

TEST_F(upuPostPlugin, GrossWeightMustHoldTheNetWeights) {
  const std::string body = replaced(kMessage, "<grossWeight>0.75</grossWeight>", "<grossWeight>0.5</grossWeight>");
  EXPECT_EQ(firstItemErrors(body),
            (Errors{{"/postalItems/item[1]/grossWeight",
                     "gross weight 0.5 kg is less than the net weights of the contents, 0.58 kg" +
                         after(body, "<grossWeight>")}}));
}

TEST_F(upuPostPlugin, UnknownCategoryIsASchemaError) {
  const std::string body = replaced(kMessage, "<category>sale-of-goods</category>", "<category>present</category>");
  const Errors errors = firstItemErrors(body);
  ASSERT_EQ(errors.size(), 1u) << formatErrors(errors);
  EXPECT_EQ(errors[0].path, "/postalItems/item[1]/category");
  EXPECT_EQ(errors[0].message, "value 'present' not in enumeration" + after(body, "<category>present</category>"));
}

TEST_F(upuPostPlugin, NegativeValueIsASchemaError) {
  const std::string body = replaced(kMessage, "<value>12.60</value>", "<value>-12.60</value>");
  EXPECT_EQ(firstItemErrors(body),
            (Errors{{"/postalItems/item[1]/content[2]/value",
                     "value '-12.60' must be greater than or equal to minInclusive facet value '0'" +
                         after(body, "-12.60</value>")}}));
}

// Xerces checks an element's children when it reads the element's end tag.
const std::string kItemModel =
    "'(itemId,category,currency,sender,addressee,content+,totalValue?,postage?,grossWeight?,licence?,certificate?,"
    "invoice?,ioss?,dispatchId?,receptacleId?,expectedArrival?)'";

TEST_F(upuPostPlugin, MissingAddresseeIsReportedAtTheItem) {
  const std::string body = replaced(kMessage,
                                    "<addressee><name>Tiago Weber</name><city>Porto</city><country>PT</country></addressee>",
                                    "");
  auto plugin = make();
  auto out = decodeAll(*plugin, body);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<DecodedFiling>(out[0]));
  EXPECT_TRUE(std::holds_alternative<DecodedFiling>(out[2]));
  EXPECT_EQ(std::get<Errors>(out[1]),
            (Errors{{"/postalItems/item[2]", "element 'content' is not allowed for content model " + kItemModel +
                                                 after(body, "</item>", 2)}}));
}

TEST_F(upuPostPlugin, UnknownElementIsReportedAtItsOwnPath) {
  const std::string body = replaced(kMessage, "<postage>18.50</postage>", "<stamp>18.50</stamp>");
  const Errors errors = firstItemErrors(body);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors[0].path, "/postalItems/item[1]/stamp") << formatErrors(errors);
  EXPECT_EQ(errors, (Errors{{"/postalItems/item[1]/stamp",
                             "no declaration found for element 'stamp'" + after(body, "<stamp>")},
                            {"/postalItems/item[1]",
                             "element 'stamp' is not allowed for content model " + kItemModel +
                                 after(body, "</item>")}}));
}

TEST_F(upuPostPlugin, NotWellFormedStopsWithItsPosition) {
  const std::string body = replaced(kMessage, "</quantity>\n      <netWeight>0.15", "</quantty>\n      <netWeight>0.15");
  auto plugin = make();
  auto out = decodeAll(*plugin, body);
  ASSERT_EQ(out.size(), 2u);  // item 1, then the errors of item 2; item 3 is never read
  EXPECT_TRUE(std::holds_alternative<DecodedFiling>(out[0]));
  const Errors errors = std::get<Errors>(out[1]);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors, (Errors{{"/postalItems/item[2]/content[1]/quantity",
                             "expected end of tag 'quantity'" + after(body, "<quantity>1</", 2)}}));
}

// The plugin validates against its own grammar: a schema hint is ignored, even one that is not
// namespace-location pairs (xerces alone stops the parse at such a hint).
TEST_F(upuPostPlugin, AMalformedSchemaLocationIsIgnored) {
  const std::string body = replaced(kMessage, "<postalItems xmlns=\"urn:swhub:partner:upu-post:1\">",
                                    "<postalItems xmlns=\"urn:swhub:partner:upu-post:1\" "
                                    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                                    "xsi:schemaLocation=\"postal-item.xsd\">");
  auto plugin = make();
  const auto out = decodeAll(*plugin, body);
  ASSERT_EQ(out.size(), 3u);
  for (const auto& decoded : out) {
    const auto* errors = std::get_if<Errors>(&decoded);
    EXPECT_EQ(errors, nullptr) << formatErrors(*errors);
  }
}

TEST_F(upuPostPlugin, DoctypeIsRefused) {
  const std::string body = replaced(kMessage, "<postalItems ",
                                    "<!DOCTYPE postalItems [<!ENTITY x \"boom\">]>\n<postalItems ");
  EXPECT_EQ(onlyErrors(body), (Errors{{"", "DOCTYPE is not allowed: DTDs and entities are refused (line 2, column 23)"}}));
}

TEST_F(upuPostPlugin, ExternalDoctypeIsRefusedBeforeAnythingIsFetched) {
  const std::string body = replaced(kMessage, "<postalItems ",
                                    "<!DOCTYPE postalItems SYSTEM \"http://127.0.0.1:9/x.dtd\">\n<postalItems ");
  EXPECT_EQ(onlyErrors(body), (Errors{{"", "DOCTYPE is not allowed: DTDs and entities are refused" +
                                                after(body, "x.dtd\"")}}));
}

TEST_F(upuPostPlugin, WrongRootNamespaceIsAnError) {
  const std::string body = replaced(kMessage, "urn:swhub:partner:upu-post:1", "urn:example:other");
  EXPECT_EQ(onlyErrors(body),
            (Errors{{"/postalItems", "the root element must be 'postalItems' in namespace "
                                     "'urn:swhub:partner:upu-post:1', found 'postalItems' in namespace "
                                     "'urn:example:other'" + after(body, "urn:example:other\">")}}));
}

TEST_F(upuPostPlugin, MaxItemsBoundsTheMessage) {
  auto plugin = make(settings(2));
  auto out = decodeAll(*plugin, kMessage);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<DecodedFiling>(out[1]));
  EXPECT_EQ(std::get<Errors>(out[2]),
            (Errors{{"/postalItems/item[3]", "more than 2 items: at most 2 per message" + after(kMessage, "<item>", 3)}}));
}

TEST_F(upuPostPlugin, MaxDepthBoundsTheNesting) {
  auto plugin = make(settings(0, 4));
  EXPECT_EQ(decodeAll(*plugin, kMessage).size(), 3u);  // the format is 4 levels deep
  const std::string body = replaced(kMessage, "<city>Zurich</city>", "<city><x><y>Zurich</y></x></city>");
  auto out = decodeAll(*plugin, body);
  ASSERT_EQ(out.size(), 1u);
  const Errors errors = std::get<Errors>(out[0]);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors.back(), (Error{"/postalItems/item[1]/sender/city",
                                  "nesting deeper than 4 levels" + after(body, "<x>")}))
      << formatErrors(errors);
}

TEST_F(upuPostPlugin, EmptyInputIsAnError) {
  EXPECT_EQ(onlyErrors(""), (Errors{{"", "invalid document structure (line 1, column 1)"}}));
}

// Produces a message that never ends: a root element followed by endless whitespace.
class EndlessSource : public ByteSource {
 public:
  std::size_t read(char* buffer, std::size_t size) override {
    std::size_t n = 0;
    for (; n < size && pos_ < kHead.size(); ++n) buffer[n] = kHead[pos_++];
    std::memset(buffer + n, ' ', size - n);
    total_ += size;
    return size;
  }
  std::size_t total() const { return total_; }

 private:
  const std::string kHead = "<postalItems xmlns=\"urn:swhub:partner:upu-post:1\">";
  std::size_t pos_ = 0;
  std::size_t total_ = 0;
};

TEST_F(upuPostPlugin, SizeBoundsTheMessage) {
  auto plugin = make();
  EndlessSource source;
  auto out = swhub::testing::decodeAll(*plugin, MessageContext{"demo-post", kType, {}, kReceivedAt}, source);
  ASSERT_EQ(out.size(), 1u);
  const Errors errors = std::get<Errors>(out[0]);
  ASSERT_FALSE(errors.empty());
  EXPECT_EQ(errors.back().message.rfind("the message exceeds 67108864 bytes", 0), 0u) << formatErrors(errors);
  EXPECT_LT(source.total(), 67108864u + 1024u * 1024u);
}

TEST_F(upuPostPlugin, HandsItemsOverOneAtATime) {
  const auto first = kMessage.find("  <item>");
  const auto last = kMessage.find("</postalItems>");
  const std::string items = kMessage.substr(first, last - first);
  std::string body = kMessage.substr(0, first);
  for (int i = 0; i < 300; ++i) body += items;
  body += "</postalItems>\n";
  auto plugin = make();
  StringSource source(body);  // consumed() shows that the decoder does not read the whole message first
  const MessageContext context{"demo-post", kType, {}, kReceivedAt};
  auto decoder = plugin->open(context, source);
  auto one = decoder->next();
  ASSERT_TRUE(one && std::holds_alternative<DecodedFiling>(*one));
  EXPECT_LT(source.consumed(), body.size() / 4) << "the first item came only after " << source.consumed() << " bytes";
  std::size_t filings = 1;
  while (auto next = decoder->next()) filings += std::holds_alternative<DecodedFiling>(*next) ? 1 : 0;
  EXPECT_EQ(filings, 900u);
  EXPECT_EQ(source.consumed(), body.size());
}

// ---------------------------------------------------------------- encoding responses

namespace {

// Validates a document against schemas/partners/upu_post/item-response.xsd (the file in the tree).
class ResponseSchema {
 public:
  ResponseSchema() {
    using namespace xercesc;
    XMLPlatformUtils::Initialize();
    pool_ = std::make_unique<XMLGrammarPoolImpl>(XMLPlatformUtils::fgMemoryManager);
    std::unique_ptr<SAX2XMLReader> loader(XMLReaderFactory::createXMLReader(XMLPlatformUtils::fgMemoryManager, pool_.get()));
    loader->setFeature(XMLUni::fgXercesSchema, true);
    loader->setFeature(XMLUni::fgXercesSchemaFullChecking, true);
    Collector collector;
    loader->setErrorHandler(&collector);
    const std::string path = SWHUB_SOURCE_ROOT "/schemas/partners/upu_post/item-response.xsd";
    XMLCh* xpath = XMLString::transcode(path.c_str());
    LocalFileInputSource source(xpath);
    XMLString::release(&xpath);
    EXPECT_NE(loader->loadGrammar(source, Grammar::SchemaGrammarType, true), nullptr);
    EXPECT_EQ(collector.errors, "");
  }
  ~ResponseSchema() {
    pool_.reset();
    xercesc::XMLPlatformUtils::Terminate();
  }

  // "" when valid, else every error on its own line.
  std::string check(const std::string& xml) const {
    using namespace xercesc;
    std::unique_ptr<SAX2XMLReader> reader(XMLReaderFactory::createXMLReader(XMLPlatformUtils::fgMemoryManager, pool_.get()));
    reader->setFeature(XMLUni::fgSAX2CoreValidation, true);
    reader->setFeature(XMLUni::fgXercesDynamic, false);
    reader->setFeature(XMLUni::fgXercesSchema, true);
    reader->setFeature(XMLUni::fgXercesUseCachedGrammarInParse, true);
    reader->setFeature(XMLUni::fgXercesLoadSchema, false);
    Collector collector;
    reader->setErrorHandler(&collector);
    MemBufInputSource source(reinterpret_cast<const XMLByte*>(xml.data()), xml.size(), "response", false);
    try {
      reader->parse(source);
    } catch (const SAXParseException&) {
    }
    return collector.errors;
  }

 private:
  struct Collector : xercesc::DefaultHandler {
    std::string errors;
    void error(const xercesc::SAXParseException& e) override { add(e); }
    void fatalError(const xercesc::SAXParseException& e) override { add(e); }
    void add(const xercesc::SAXParseException& e) {
      char* text = xercesc::XMLString::transcode(e.getMessage());
      errors += "line " + std::to_string(e.getLineNumber()) + ": " + text + "\n";
      xercesc::XMLString::release(&text);
    }
  };
  std::unique_ptr<xercesc::XMLGrammarPool> pool_;
};

Notification notification(std::string event, std::string state, std::string reason = "") {
  return Notification{"N-" + event + "-" + state, "C-2026-000017", "RR123456785CH", std::move(event),
                      std::move(state), std::move(reason), "2026-11-29T08:00:00Z", {}};
}

std::string statusOf(const std::string& body) {
  const auto open = body.find("<status>");
  const auto close = body.find("</status>");
  return open == std::string::npos ? "" : body.substr(open + 8, close - open - 8);
}

}  // namespace

class upuPostEncode : public upuPostPlugin {
 protected:
  ResponseSchema schema_;
};

TEST_F(upuPostEncode, EncodesOneResponseExactly) {
  auto plugin = make();
  Notification n = notification("held", "held", "Invoice & licence needed <CITES>");
  n.details = {{"duties", "12.50"}};
  auto encoded = plugin->encode({n});
  ASSERT_TRUE(encoded) << formatErrors(encoded.errors());
  EXPECT_EQ(encoded.value().content_type, "application/vnd.swhub.upu-post+xml");
  EXPECT_EQ(encoded.value().body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<itemResponses xmlns=\"urn:swhub:partner:upu-post:1\">\n"
            "  <response>\n"
            "    <itemId>RR123456785CH</itemId>\n"
            "    <status>held</status>\n"
            "    <reason>Invoice &amp; licence needed &lt;CITES&gt;</reason>\n"
            "    <caseId>C-2026-000017</caseId>\n"
            "    <at>2026-11-29T08:00:00Z</at>\n"
            "    <deliveryId>N-held-held</deliveryId>\n"
            "    <detail key=\"duties\">12.50</detail>\n"
            "  </response>\n"
            "</itemResponses>\n");
  EXPECT_EQ(schema_.check(encoded.value().body), "");
}

TEST_F(upuPostEncode, MapsEveryEventAndStateToAStatusTheSchemaAccepts) {
  const std::tuple<const char*, const char*, const char*> cases[] = {
      {"accepted", "accepted", "accepted"},
      {"accepted", "under-assessment", "accepted"},
      {"assessment-started", "under-assessment", "accepted"},
      {"rejected", "rejected", "rejected"},
      {"held", "held", "held"},
      {"info-requested", "info-requested", "info-requested"},
      {"cleared", "cleared", "cleared"},
      {"released", "released", "released"},
      {"do-not-load", "held", "do-not-load"},  // the event wins over the state
      {"do-not-load", "rejected", "do-not-load"},
      {"cancelled", "cancelled", "cancelled"},
      {"returned", "returned", "returned"},
      {"refunded", "refunded", "refunded"},
      {"released", "", "released"},  // no state: the event says it
  };
  auto plugin = make();
  for (const auto& [event, state, status] : cases) {
    auto encoded = plugin->encode({notification(event, state, "a reason")});
    ASSERT_TRUE(encoded) << event << "/" << state << ": " << formatErrors(encoded.errors());
    EXPECT_EQ(statusOf(encoded.value().body), status) << event << "/" << state;
    EXPECT_EQ(schema_.check(encoded.value().body), "") << event << "/" << state;
  }
}

TEST_F(upuPostEncode, ABatchIsOneDocumentInOrder) {
  auto plugin = make();
  Notification second = notification("do-not-load", "held", "Security: do not load");
  second.reference = "EE123456785XX";
  second.case_id = "";
  auto encoded = plugin->encode({notification("accepted", "under-assessment"), second,
                                 notification("released", "released")});
  ASSERT_TRUE(encoded);
  const std::string& body = encoded.value().body;
  EXPECT_EQ(schema_.check(body), "");
  std::size_t responses = 0;
  for (auto at = body.find("<response>"); at != std::string::npos; at = body.find("<response>", at + 1)) ++responses;
  EXPECT_EQ(responses, 3u);
  const auto accepted = body.find("<status>accepted</status>");
  const auto dnl = body.find("<itemId>EE123456785XX</itemId>\n    <status>do-not-load</status>\n"
                             "    <reason>Security: do not load</reason>\n    <at>");
  const auto released = body.find("<status>released</status>");
  EXPECT_LT(accepted, dnl);
  EXPECT_LT(dnl, released);
  EXPECT_NE(released, std::string::npos);
}

TEST_F(upuPostEncode, ControlCharactersAndBadUtf8StillMakeAValidDocument) {
  auto plugin = make();
  auto encoded = plugin->encode({notification("held", "held", std::string("bad\x01 byte \xff end"))});
  ASSERT_TRUE(encoded);
  EXPECT_NE(encoded.value().body.find("<reason>bad\xEF\xBF\xBD byte \xEF\xBF\xBD end</reason>"), std::string::npos);
  EXPECT_EQ(schema_.check(encoded.value().body), "");
}

TEST_F(upuPostEncode, RefusesWhatThePostCouldNotRead) {
  auto plugin = make();
  Notification n = notification("assessed", "pondering");
  n.reference = "";
  n.at = "yesterday";
  auto encoded = plugin->encode({notification("held", "held"), n});
  ASSERT_FALSE(encoded);
  EXPECT_EQ(encoded.errors(),
            (Errors{{"/1/reference", "must not be empty: it is the item id"},
                    {"/1/state", "state 'pondering' with event 'assessed' has no upu_post status; one of: accepted, "
                                 "rejected, held, info-requested, cleared, released, do-not-load, cancelled, "
                                 "returned, refunded, under-assessment"},
                    {"/1/at", "'yesterday' is not an RFC 3339 UTC timestamp like 2026-11-29T08:00:00Z"}}));
  EXPECT_FALSE(plugin->encode({}));
}

// What is due and why (issue 9): the details as before, then the <revenue> element of
// item-response.xsd 1.1, which the tree's XSD accepts.
TEST_F(upuPostEncode, EncodesWhatIsDueAndWhyInTheRevenueElement) {
  auto plugin = make();
  Notification vendor = vendorCollected("N-42", "RR123456785CH");
  auto encoded = plugin->encode({vendor});
  ASSERT_TRUE(encoded) << formatErrors(encoded.errors());
  EXPECT_EQ(encoded.value().body,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<itemResponses xmlns=\"urn:swhub:partner:upu-post:1\">\n"
            "  <response>\n"
            "    <itemId>RR123456785CH</itemId>\n"
            "    <status>released</status>\n"
            "    <caseId>C-2026-000778</caseId>\n"
            "    <at>2026-11-29T08:11:00Z</at>\n"
            "    <deliveryId>N-42</deliveryId>\n"
            "    <detail key=\"previous_state\">cleared</detail>\n"
            "    <detail key=\"revenue_due\">0.00</detail>\n"
            "    <detail key=\"revenue_currency\">EUR</detail>\n"
            "    <detail key=\"revenue_settled\">true</detail>\n"
            "    <detail key=\"revenue_model\">vendor</detail>\n"
            "    <detail key=\"revenue_line\">{&quot;tax&quot;:&quot;vat&quot;,&quot;item&quot;:1,&quot;base&quot;:"
            "&quot;45.00&quot;,&quot;rate&quot;:&quot;23&quot;,&quot;amount&quot;:&quot;10.35&quot;,&quot;currency"
            "&quot;:&quot;EUR&quot;,&quot;why&quot;:&quot;VAT 23 % collected at sale under IM9990000001&quot;,"
            "&quot;collected_at_sale&quot;:true}</detail>\n"
            "    <detail key=\"revenue_paid\">0.00</detail>\n"
            "    <revenue>\n"
            "      <model>vendor</model>\n"
            "      <due>0.00</due>\n"
            "      <paid>0.00</paid>\n"
            "      <currency>EUR</currency>\n"
            "      <settled>true</settled>\n"
            "      <line>\n"
            "        <tax>vat</tax>\n"
            "        <item>1</item>\n"
            "        <base>45.00</base>\n"
            "        <rate>23</rate>\n"
            "        <amount>10.35</amount>\n"
            "        <currency>EUR</currency>\n"
            "        <why>VAT 23 % collected at sale under IM9990000001</why>\n"
            "        <collectedAtSale>true</collectedAtSale>\n"
            "      </line>\n"
            "    </revenue>\n"
            "  </response>\n"
            "</itemResponses>\n");
  EXPECT_EQ(schema_.check(encoded.value().body), "");

  auto fallback = plugin->encode({consumerFallback("N-41", "RR123456785CH"), notification("held", "held")});
  ASSERT_TRUE(fallback) << formatErrors(fallback.errors());
  const std::string& body = fallback.value().body;
  EXPECT_EQ(schema_.check(body), "");
  EXPECT_NE(body.find("    <revenue>\n"
                      "      <model>consumer</model>\n"
                      "      <modelReason>vendor model refused: registration 'x' is malformed (expected "
                      "^IM[0-9]{10}$); the consumer pays</modelReason>\n"
                      "      <due>16.34</due>\n"
                      "      <paid>0.00</paid>\n"
                      "      <currency>EUR</currency>\n"
                      "      <settled>false</settled>\n"
                      "      <line>\n"
                      "        <tax>duty</tax>\n"
                      "        <base>1</base>\n"
                      "        <amount>3.00</amount>\n"
                      "        <currency>EUR</currency>\n"
                      "        <why>EU temporary low-value duty, 1 classification</why>\n"
                      "        <collectedAtSale>false</collectedAtSale>\n"
                      "      </line>\n"
                      "      <line>\n"
                      "        <tax>vat</tax>\n"
                      "        <item>1</item>\n"
                      "        <base>48.00</base>\n"
                      "        <rate>23</rate>\n"
                      "        <amount>11.04</amount>\n"
                      "        <currency>EUR</currency>\n"
                      "        <why>VAT 23 % on the item's value and duty</why>\n"
                      "        <collectedAtSale>false</collectedAtSale>\n"
                      "      </line>\n"
                      "      <line>\n"
                      "        <tax>vat</tax>\n"
                      "        <item>2</item>\n"),
            std::string::npos)
      << body;
  // Only the notification with revenue gets the element.
  EXPECT_EQ(body.find("<revenue>", body.find("<deliveryId>N-held-held</deliveryId>")), std::string::npos);
}

TEST_F(upuPostEncode, LeavesTheRevenueElementOutWhenSetOffForA10Validator) {
  Value off = settings();
  off.set("revenue_element", Value::boolean(false));
  auto plugin = make(std::move(off));
  ASSERT_TRUE(plugin);
  auto encoded = plugin->encode({consumerFallback("N-41", "RR123456785CH")});
  ASSERT_TRUE(encoded);
  EXPECT_EQ(encoded.value().body.find("<revenue>"), std::string::npos);
  EXPECT_NE(encoded.value().body.find("<detail key=\"revenue_line\">"), std::string::npos);
  EXPECT_EQ(schema_.check(encoded.value().body), "");
}

TEST_F(upuPostEncode, RefusesARevenueLineItCannotRead) {
  auto plugin = make();
  Notification n = notification("released", "released");
  n.details = {{"revenue_due", "1.00"}, {"revenue_line", R"({"tax":"vat","amount":"1.00","currency":"euro"})"}};
  auto encoded = plugin->encode({n});
  ASSERT_FALSE(encoded);
  EXPECT_EQ(encoded.errors(),
            (Errors{{"/0/details/1", "revenue_line: currency: 'euro' is not an ISO 4217 currency code"}}));
}

// ---------------------------------------------------------------- the README's examples

namespace {
// The n-th (1-based) ```xml block of plugins/partners/upu_post/README.md.
std::string readmeXml(int nth) {
  std::ifstream in(SWHUB_SOURCE_ROOT "/plugins/partners/upu_post/README.md");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t at = 0;
  for (int i = 0; i < nth; ++i) {
    at = text.find("```xml\n", at);
    if (at == std::string::npos) return "";
    at += 7;
  }
  return text.substr(at, text.find("```", at) - at);
}
}  // namespace

TEST_F(upuPostEncode, ReadmeExamplesAreValid) {
  auto plugin = make();
  auto out = decodeAll(*plugin, readmeXml(1));
  ASSERT_EQ(out.size(), 2u);
  for (const auto& d : out) EXPECT_TRUE(std::holds_alternative<DecodedFiling>(d)) << formatErrors(std::get<Errors>(d));
  const std::string response = readmeXml(2);
  ASSERT_FALSE(response.empty());
  EXPECT_EQ(schema_.check(response), "");
  const std::string revenue = readmeXml(3);
  ASSERT_NE(revenue.find("<revenue>"), std::string::npos);
  EXPECT_EQ(schema_.check(revenue), "");
}
