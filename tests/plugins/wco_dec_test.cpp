// Loads the built wco_dec plugin as the hub does and drives it with the UK CDS test corpus
// (SWHUB_CORPUS_DIR/wco-dms; every test here skips without it). Expected values are read from each
// XML file by this test's own DOM walk, following the mapping rules of
// plugins/partners/wco_dec/README.md, never from the plugin. What the plugin does without the
// XSDs is tested in wco_dec_schema_folder_test.cpp, without the corpus.

#include <gtest/gtest.h>

#include <xercesc/dom/DOM.hpp>
#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/parsers/XercesDOMParser.hpp>
#include <xercesc/sax/HandlerBase.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/TransService.hpp>
#include <xercesc/util/XMLString.hpp>

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include "corpus.hpp"
#include "plugin_test_support.hpp"
#include "revenue_notifications.hpp"
#include "swhub/sdk/plugin.hpp"

using namespace swhub::sdk;
using namespace swhub::testing;
namespace fs = std::filesystem;
using namespace xercesc;

namespace {

const fs::path kCorpus = dmsCorpus();
const fs::path kSchemas = dmsSchemas();

std::vector<fs::path> filesIn(const fs::path& folder) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.is_regular_file()) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

// ------------------------------------------------------------ the test's own XML reading

std::string utf8(const XMLCh* text) {
  if (text == nullptr) return {};
  TranscodeToStr out(text, XMLString::stringLen(text), "UTF-8");
  return std::string(reinterpret_cast<const char*>(out.str()), out.length());
}

std::string trimmed(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::vector<DOMElement*> kids(const DOMElement* parent, const std::string& name) {
  std::vector<DOMElement*> out;
  if (parent == nullptr) return out;
  for (DOMElement* c = parent->getFirstElementChild(); c != nullptr; c = c->getNextElementSibling())
    if (utf8(c->getLocalName()) == name) out.push_back(c);
  return out;
}

// "A/B/C" through first children.
DOMElement* at(const DOMElement* from, const std::string& path) {
  const DOMElement* node = from;
  std::size_t start = 0;
  while (node != nullptr && start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto found = kids(node, path.substr(start, slash - start));
    node = found.empty() ? nullptr : found.front();
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return const_cast<DOMElement*>(node);
}

std::string text(const DOMElement* from, const std::string& path) {
  const DOMElement* e = at(from, path);
  return e == nullptr ? std::string() : trimmed(utf8(e->getTextContent()));
}

// Parses without validation (no DTD, no entity, no schema): a plain DOM for reading values.
class Dom {
 public:
  explicit Dom(const std::string& xml) {
    parser_.setDoNamespaces(true);
    parser_.setLoadExternalDTD(false);
    parser_.setDisableDefaultEntityResolution(true);
    parser_.setValidationScheme(XercesDOMParser::Val_Never);
    MemBufInputSource source(reinterpret_cast<const XMLByte*>(xml.data()), xml.size(), "test", false);
    parser_.parse(source);
  }
  DOMElement* root() { return parser_.getDocument()->getDocumentElement(); }

 private:
  XercesDOMParser parser_;
};

// Validates a document against the RES XSDs, independently of the plugin.
class CollectingHandler : public HandlerBase {
 public:
  void error(const SAXParseException& e) override { add(e); }
  void fatalError(const SAXParseException& e) override { add(e); }
  std::vector<std::string> errors;

 private:
  void add(const SAXParseException& e) {
    errors.push_back("line " + std::to_string(e.getLineNumber()) + ": " + utf8(e.getMessage()));
  }
};

std::vector<std::string> validateRes(const std::string& xml) {
  XercesDOMParser parser;
  CollectingHandler handler;
  parser.setErrorHandler(&handler);
  parser.setDoNamespaces(true);
  parser.setDoSchema(true);
  parser.setValidationScheme(XercesDOMParser::Val_Always);
  parser.setValidationConstraintFatal(false);
  parser.setLoadExternalDTD(false);
  parser.loadGrammar((kSchemas / "notification/DocumentMetaData_2_DMS.xsd").c_str(), Grammar::SchemaGrammarType, true);
  parser.loadGrammar((kSchemas / "notification/WCO_RES_2_DMS.xsd").c_str(), Grammar::SchemaGrammarType, true);
  parser.useCachedGrammarInParse(true);
  MemBufInputSource source(reinterpret_cast<const XMLByte*>(xml.data()), xml.size(), "res", false);
  parser.parse(source);
  return handler.errors;
}

// ------------------------------------------------------------ expected values (README "Mapping")

std::string iso(const std::string& code) {
  static const std::map<std::string, std::string> kUkCodes = {{"XI", "GB"}, {"ZU", "GB"}, {"ZN", "NO"}};
  auto it = kUkCodes.find(code);
  return it == kUkCodes.end() ? code : it->second;
}

struct ExpectedItem {
  std::string hs;
  std::string description;
  std::string origin;
  std::string value;  // Decimal::toString form
  std::string currency;
  std::vector<std::string> documents;  // "CategoryCode+TypeCode ID"
};

std::string decimal(const std::string& text) { return Decimal::parse(text).value().toString(); }

std::vector<ExpectedItem> expectedItems(DOMElement* declaration) {
  DOMElement* shipment = at(declaration, "GoodsShipment");
  const auto items = kids(shipment, "GovernmentAgencyGoodsItem");
  std::vector<ExpectedItem> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    DOMElement* item = items[i];
    ExpectedItem e;
    std::string tsp, trc;
    for (DOMElement* c : kids(at(item, "Commodity"), "Classification")) {
      const std::string type = text(c, "IdentificationTypeCode");
      if (type == "TSP" && tsp.empty()) tsp = text(c, "ID");
      if (type == "TRC" && trc.empty()) trc = text(c, "ID");
    }
    e.hs = tsp.size() == 8 && trc.size() == 2 ? tsp + trc : tsp;
    e.description = text(item, "Commodity/Description");

    std::string origin;
    for (DOMElement* o : kids(item, "Origin"))
      if (text(o, "TypeCode") == "1") origin = text(o, "CountryCode");
    if (origin.empty() && !kids(item, "Origin").empty()) origin = text(kids(item, "Origin").front(), "CountryCode");
    if (origin.empty()) origin = text(item, "ExportCountry/ID");
    if (origin.empty()) origin = text(shipment, "ExportCountry/ID");
    if (origin.empty()) origin = text(declaration, "Exporter/Address/CountryCode");
    e.origin = iso(origin);

    DOMElement* amount = at(item, "Commodity/InvoiceLine/ItemChargeAmount");
    if (amount == nullptr) amount = at(item, "CustomsValueAmount");
    if (amount == nullptr) amount = at(item, "StatisticalValueAmount");
    if (amount != nullptr) {
      e.value = decimal(trimmed(utf8(amount->getTextContent())));
      e.currency = utf8(amount->getAttribute(u"currencyID"));
    } else if (DOMElement* invoice = at(declaration, "InvoiceAmount")) {
      const auto total = Decimal::parse(trimmed(utf8(invoice->getTextContent()))).value().units();
      const auto n = static_cast<std::int64_t>(items.size());
      const auto share = total / n;
      e.value = Decimal::fromUnits(i == 0 ? total - share * (n - 1) : share).toString();
      e.currency = utf8(invoice->getAttribute(u"currencyID"));
    } else {
      e.value = "0.00";
    }
    if (e.currency.empty()) e.currency = "GBP";
    for (DOMElement* d : kids(item, "AdditionalDocument"))
      e.documents.push_back(text(d, "CategoryCode") + text(d, "TypeCode") + " " + text(d, "ID"));
    out.push_back(std::move(e));
  }
  return out;
}

std::string expectedFiling(const std::string& typeCode) {
  const char additional = typeCode.size() >= 3 ? typeCode[2] : ' ';
  if (additional == 'Y' || additional == 'Z') return "supplementary";
  if (std::string("DEFK").find(additional) == std::string::npos) return "declaration";
  return typeCode.rfind("EX", 0) == 0 ? "pre-loading" : "pre-arrival";
}

std::string describe(const Decoded& d) {
  if (const auto* e = std::get_if<Errors>(&d)) return formatErrors(*e);
  return "a filing";
}

// ------------------------------------------------------------ fixture

class wcoDecPlugin : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ::unsetenv("SWHUB_WCO_DEC_SCHEMA_DIR");  // the settings below name the folder
    XMLPlatformUtils::Initialize();
    library_ = new PluginLibrary("wco_dec");
    descriptor_ = &library_->descriptor();
    if (!haveDmsCorpus()) return;  // every test skips
    auto made = make(defaultSettings());
    ASSERT_TRUE(made) << formatErrors(made.errors());
    plugin_ = made.take().release();
  }
  static void TearDownTestSuite() {
    delete plugin_;
    plugin_ = nullptr;
    delete library_;
    library_ = nullptr;
    XMLPlatformUtils::Terminate();
  }

  void SetUp() override { SWHUB_REQUIRE_DMS_CORPUS(); }

  static Value defaultSettings() {
    Value settings = Value::map();
    settings.set("schema_dir", Value::string(kSchemas.string()));
    return settings;
  }

  static Result<std::unique_ptr<PartnerPlugin>> make(Value settings) {
    return buildPartner(*descriptor_, "demo-broker", std::move(settings));
  }

  static std::vector<Decoded> decodeAll(const PartnerPlugin& plugin, const std::string& body) {
    return swhub::testing::decodeAll(plugin, MessageContext{"demo-broker", "application/xml", {}, kReceivedAt}, body);
  }

  static Notification notification(std::string event, std::string state) {
    return Notification{"N-01JDX3TESTNOTIFICATION00001", "C-01JDX3CASE0000000000000001", "LRN-TT-IM002a",
                        std::move(event), std::move(state), "", "2026-11-29T08:00:00.123Z", {}};
  }

  static PluginLibrary* library_;
  static const Descriptor* descriptor_;
  static PartnerPlugin* plugin_;
};

PluginLibrary* wcoDecPlugin::library_ = nullptr;
const Descriptor* wcoDecPlugin::descriptor_ = nullptr;
PartnerPlugin* wcoDecPlugin::plugin_ = nullptr;

}  // namespace

// DescribesItself and the settings errors are in wco_dec_schema_folder_test.cpp: no corpus needed.

// Every declaration of the corpus is accepted and mapped as the XML says. C21 simplified
// declarations (types J and K) may leave out the commodity code, the description or the origin: mapped as
// absent (""), never made up.
TEST_F(wcoDecPlugin, MapsEveryCorpusDeclaration) {
  const auto files = filesIn(kCorpus / "declarations");
  ASSERT_EQ(files.size(), 107u);
  int accepted = 0;
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const std::string xml = readFile(file);
    Dom dom(xml);
    DOMElement* declaration = at(dom.root(), "Declaration");
    ASSERT_NE(declaration, nullptr);
    const auto expected = expectedItems(declaration);
    auto out = decodeAll(*plugin_, xml);
    // Simplified (B, C, E, F, J, K) and supplementary (Y, Z) declarations come with their facts first.
    const std::string type = text(declaration, "TypeCode");
    const bool declares = type.size() >= 3 && std::string("BCEFJKYZ").find(type[2]) != std::string::npos;
    ASSERT_EQ(out.size(), declares ? 2u : 1u) << describe(out[0]);
    if (declares) {
      ASSERT_TRUE(std::holds_alternative<DeclarationFacts>(out[0])) << describe(out[0]);
      const auto& facts = std::get<DeclarationFacts>(out[0]);
      EXPECT_EQ(facts.additional_type, type.substr(2));
      EXPECT_EQ(facts.simplified, type[2] != 'Y' && type[2] != 'Z');
      EXPECT_EQ(facts.completes.empty(), type[2] != 'Y' && type[2] != 'Z');
    }
    ASSERT_TRUE(std::holds_alternative<DecodedFiling>(out.back())) << describe(out.back());
    ++accepted;
    const Consignment& c = std::get<DecodedFiling>(out.back()).consignment;
    EXPECT_EQ(c.reference, text(declaration, "FunctionalReferenceID"));
    EXPECT_EQ(toString(c.filing), expectedFiling(text(declaration, "TypeCode")));
    EXPECT_EQ(c.parties.declarant ? c.parties.declarant->id : "", text(declaration, "Declarant/ID"));
    EXPECT_EQ(c.parties.buyer ? c.parties.buyer->id : "", text(declaration, "GoodsShipment/Importer/ID"));
    if (DOMElement* exporter = at(declaration, "Exporter")) {
      ASSERT_TRUE(c.parties.seller);
      EXPECT_EQ(c.parties.seller->name, text(exporter, "Name"));
      EXPECT_EQ(c.parties.seller->id, text(exporter, "ID"));
    }
    ASSERT_EQ(c.items.size(), expected.size());
    const auto items = kids(at(declaration, "GoodsShipment"), "GovernmentAgencyGoodsItem");
    for (std::size_t i = 0; i < expected.size(); ++i) {
      SCOPED_TRACE("item " + std::to_string(i + 1));
      const Item& got = c.items[i];
      EXPECT_EQ(std::to_string(got.sequence), text(items[i], "SequenceNumeric"));
      EXPECT_EQ(got.hs, expected[i].hs);
      EXPECT_EQ(got.description, expected[i].description);
      EXPECT_EQ(got.origin, expected[i].origin);
      EXPECT_EQ(got.value.toString(), expected[i].value);
      EXPECT_EQ(got.currency, expected[i].currency);
      std::vector<std::string> documents;
      for (const auto& d : got.documents) documents.push_back(d.type + " " + d.id);
      EXPECT_EQ(documents, expected[i].documents);
      const std::string net = text(items[i], "Commodity/GoodsMeasure/NetNetWeightMeasure");
      if (!net.empty()) {
        ASSERT_TRUE(got.net_kg);
        EXPECT_DOUBLE_EQ(*got.net_kg, std::stod(net));
      }
    }
  }
  // The C21 (types J and K) declarations without commodity code are the only exceptions.
  EXPECT_EQ(accepted, 107);
}

TEST_F(wcoDecPlugin, RejectsEveryInvalidDeclarationNamingTheElement) {
  const auto files = filesIn(kCorpus / "invalid");
  ASSERT_EQ(files.size(), 4u);
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const std::string xml = readFile(file);
    auto out = decodeAll(*plugin_, xml);
    ASSERT_EQ(out.size(), 1u);
    const auto* errors = std::get_if<Errors>(&out[0]);
    ASSERT_NE(errors, nullptr) << "an invalid declaration was accepted";
    ASSERT_FALSE(errors->empty());
    for (const auto& e : *errors) {
      // The path ends in the element at fault (or the one open around a malformed part), and
      // that element is in the file at or before the line given.
      ASSERT_EQ(e.path.rfind("/", 0), 0u) << formatError(e);
      std::string element = e.path.substr(e.path.rfind('/') + 1);
      element = element.substr(0, element.find('['));
      const auto lineAt = e.message.find("(line ");
      ASSERT_NE(lineAt, std::string::npos) << formatError(e);
      const int line = std::stoi(e.message.substr(lineAt + 6));
      std::istringstream lines(xml);
      std::string row, window;
      for (int n = 1; std::getline(lines, row) && n <= line; ++n) window += row;
      EXPECT_NE(window.find(element), std::string::npos) << formatError(e) << "\nnot open at line " << line;
    }
  }
}

TEST_F(wcoDecPlugin, SchemaErrorsNameTheElementAndItsPath) {
  std::string xml = readFile(kCorpus / "declarations/TT_IM002b_TT_IM002a.xml");
  const std::string good = "<TypeCode>IMZ</TypeCode>";
  xml.replace(xml.find(good), good.size(), "<TypeCode>IMZZZ</TypeCode>");
  auto out = decodeAll(*plugin_, xml);
  const auto* errors = std::get_if<Errors>(&out.at(0));
  ASSERT_NE(errors, nullptr);
  EXPECT_EQ(errors->at(0).path, "/MetaData/Declaration/TypeCode");
  EXPECT_NE(errors->at(0).message.find("(line "), std::string::npos);

  xml = readFile(kCorpus / "declarations/TT_IM002b_TT_IM002a.xml");
  xml.replace(xml.find("<NetNetWeightMeasure>"), 21, "<NetWeight>");
  xml.replace(xml.find("</NetNetWeightMeasure>"), 22, "</NetWeight>");
  out = decodeAll(*plugin_, xml);
  errors = std::get_if<Errors>(&out.at(0));
  ASSERT_NE(errors, nullptr);
  EXPECT_EQ(errors->at(0).path,
            "/MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/Commodity/GoodsMeasure/NetWeight");
}

TEST_F(wcoDecPlugin, CanonicalChecksReportTheDmsElement) {
  std::string xml = readFile(kCorpus / "declarations/TT_IM002b_TT_IM002a.xml");
  const std::string origin = "<CountryCode>BR</CountryCode>";
  xml.replace(xml.find(origin), origin.size(), "<CountryCode>QQ</CountryCode>");  // schema: a2 only
  auto out = decodeAll(*plugin_, xml);
  const auto* errors = std::get_if<Errors>(&out.at(0));
  ASSERT_NE(errors, nullptr);
  ASSERT_EQ(errors->size(), 1u) << formatErrors(*errors);
  EXPECT_EQ(errors->at(0).path, "/MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/Origin[1]/CountryCode");
  EXPECT_EQ(errors->at(0).message,
            "'QQ' is not an ISO 3166-1 alpha-2 country code (canonical /consignment/items/item[1]/origin)");
}

TEST_F(wcoDecPlugin, RefusesDoctypeAndExternalEntities) {
  const std::string xml = readFile(kCorpus / "declarations/TT_IM002b_TT_IM002a.xml");
  const std::string xxe =
      "<?xml version=\"1.0\"?>\n<!DOCTYPE md:MetaData [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n" + xml;
  auto out = decodeAll(*plugin_, xxe);
  const auto* errors = std::get_if<Errors>(&out.at(0));
  ASSERT_NE(errors, nullptr);
  EXPECT_NE(errors->at(0).message.find("DOCTYPE is not allowed"), std::string::npos) << formatErrors(*errors);

  const std::string external = "<!DOCTYPE md:MetaData SYSTEM \"http://203.0.113.1/dec.dtd\">\n" + xml;
  out = decodeAll(*plugin_, external);
  errors = std::get_if<Errors>(&out.at(0));
  ASSERT_NE(errors, nullptr);
  EXPECT_NE(errors->at(0).message.find("DOCTYPE is not allowed"), std::string::npos) << formatErrors(*errors);
}

TEST_F(wcoDecPlugin, IgnoresSchemaLocationHints) {
  std::string xml = readFile(kCorpus / "declarations/TT_IM002b_TT_IM002a.xml");
  const std::string hint = "../WCO_DEC_2_DMS.xsd";
  xml.replace(xml.find(hint), hint.size(), "http://203.0.113.1/evil.xsd");
  auto out = decodeAll(*plugin_, xml);
  EXPECT_TRUE(std::holds_alternative<DecodedFiling>(out.back())) << describe(out.back());
}

// HMRC's own published samples carry a one-token xsi:schemaLocation; the hub validates against its
// own grammar, so a hint is ignored, malformed or not, on the root or below it.
TEST_F(wcoDecPlugin, IgnoresAMalformedSchemaLocationHint) {
  const std::string xml = readFile(kCorpus / "declarations/TT_IM002b_TT_IM002a.xml");
  const std::string rootHint = "xsi:schemaLocation=\"urn:wco:datamodel:WCO:DocumentMetaData-DMS:2 ../DocumentMetaData_2_DMS.xsd \"";
  for (const std::string& hint : {std::string("xsi:schemaLocation=\"DocumentMetaData_2_DMS.xsd\""),
                                  std::string("xsi:schemaLocation=\"a b c\""),
                                  std::string("xsi:noNamespaceSchemaLocation=\"http://203.0.113.1/evil.xsd\"")}) {
    SCOPED_TRACE(hint);
    auto out = decodeAll(*plugin_, replaced(xml, rootHint, hint));
    ASSERT_EQ(out.size(), 2u);  // an IMZ: its facts, then its filing
    EXPECT_TRUE(std::holds_alternative<DecodedFiling>(out[1])) << describe(out[1]);
  }
  // The Declaration's own hint, one token too.
  auto out = decodeAll(*plugin_, replaced(xml, "urn:wco:datamodel:WCO:DEC-DMS:2 ../WCO_DEC_2_DMS.xsd", "WCO_DEC_2_DMS.xsd"));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<DecodedFiling>(out[1])) << describe(out[1]);
  // The grammar still judges the message beside a malformed hint.
  out = decodeAll(*plugin_, replaced(replaced(xml, rootHint, "xsi:schemaLocation=\"x\""), "<TypeCode>IMZ</TypeCode>",
                                     "<TypeCode>IMZZZ</TypeCode>"));
  const auto* errors = std::get_if<Errors>(&out.at(0));
  ASSERT_NE(errors, nullptr);
  EXPECT_EQ(errors->at(0).path, "/MetaData/Declaration/TypeCode");
}

TEST_F(wcoDecPlugin, BoundsSizeAndDepth) {
  const std::string xml = readFile(kCorpus / "declarations/TT_IM002b_TT_IM002a.xml");
  Value small = defaultSettings();
  small.set("max_bytes", Value::integer(2048));
  small.set("max_depth", Value::integer(8));
  auto plugin = make(std::move(small));
  ASSERT_TRUE(plugin) << formatErrors(plugin.errors());
  auto out = decodeAll(*plugin.value(), xml);
  const auto* errors = std::get_if<Errors>(&out.at(0));
  ASSERT_NE(errors, nullptr);
  EXPECT_NE(errors->at(0).message.find("exceeds the limit"), std::string::npos);

  std::string deep = "<a>";
  for (int i = 0; i < 10; ++i) deep = "<a>" + deep + "</a>";
  out = decodeAll(*plugin.value(), deep + "</a>");
  errors = std::get_if<Errors>(&out.at(0));
  ASSERT_NE(errors, nullptr);
}

TEST_F(wcoDecPlugin, EncodesEachFunctionCodeAsAValidResponse) {
  struct Case {
    std::string event, state, code;
  };
  const std::vector<Case> cases = {{"accepted", "accepted", "01"},        {"under-assessment", "under-assessment", "01"},
                                   {"rejected", "rejected", "03"},        {"hold", "held", "05"},
                                   {"inspect", "under-assessment", "05"}, {"cleared", "cleared", "09"},
                                   {"released", "released", "09"},       {"cancelled", "cancelled", "10"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.event + "/" + c.state);
    Notification n = notification(c.event, c.state);
    if (c.code == "03") {
      n.details = {{"previous_state", "received"},
                   {"error", "/MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[2]/Origin[1]/CountryCode: "
                             "'QQ' is not a country"},
                   {"error.2", "LRN already used"}};
    }
    if (c.code == "05") n.reason = "physical inspection at <Dover> & \"seal\" check";
    auto encoded = plugin_->encode({n});
    ASSERT_TRUE(encoded) << formatErrors(encoded.errors());
    const std::string& body = encoded.value().body;
    EXPECT_EQ(validateRes(body), std::vector<std::string>{}) << body;
    Dom dom(body);
    const auto responses = kids(dom.root(), "Response");
    ASSERT_EQ(responses.size(), 1u);
    EXPECT_EQ(text(responses[0], "FunctionCode"), c.code);
    EXPECT_EQ(text(responses[0], "FunctionalReferenceID"), n.id);
    EXPECT_EQ(text(responses[0], "IssueDateTime/DateTimeString"), "20261129080000Z");
    EXPECT_EQ(text(responses[0], "Declaration/FunctionalReferenceID"), n.reference);
    EXPECT_EQ(text(responses[0], "Declaration/ID"), n.case_id);
    if (c.code == "03") {
      const auto errors = kids(responses[0], "Error");
      ASSERT_EQ(errors.size(), 2u);
      EXPECT_EQ(text(errors[0], "Description"), n.details[1].second);
      const auto pointers = kids(errors[0], "Pointer");
      ASSERT_EQ(pointers.size(), 2u);
      EXPECT_EQ(text(pointers[1], "SequenceNumeric"), "2");
      EXPECT_EQ(text(errors[1], "Description"), "LRN already used");
      EXPECT_EQ(text(responses[0], "Declaration/RejectionDateTime/DateTimeString"), "20261129080000Z");
    }
    if (c.code == "05") {
      EXPECT_EQ(text(responses[0], "AdditionalInformation/StatementDescription"), n.reason);
    }
  }
}

TEST_F(wcoDecPlugin, EncodesABatchAsOneDocument) {
  std::vector<Notification> batch = {notification("accepted", "accepted"), notification("hold", "held"),
                                     notification("released", "released")};
  batch[1].id = "N-2";
  batch[2].id = "N-3";
  auto encoded = plugin_->encode(batch);
  ASSERT_TRUE(encoded) << formatErrors(encoded.errors());
  EXPECT_EQ(validateRes(encoded.value().body), std::vector<std::string>{});
  Dom dom(encoded.value().body);
  const auto responses = kids(dom.root(), "Response");
  ASSERT_EQ(responses.size(), 3u);
  EXPECT_EQ(text(responses[1], "FunctionalReferenceID"), "N-2");
  EXPECT_EQ(text(responses[2], "FunctionCode"), "09");
}

// The deciding agency's reason codes travel as StatementCode (an..17), one AdditionalInformation
// each, the first with the reason; the result still validates against the RES grammar.
TEST_F(wcoDecPlugin, CarriesReasonCodesAsStatementCodes) {
  Notification n = notification("hold", "held");
  n.reason = "products of animal origin need a veterinary health certificate (C640)";
  n.details = {{"reason_codes", "FS-VET,CU-A-CODE-LONGER-THAN-SEVENTEEN"}};
  auto encoded = plugin_->encode({n});
  ASSERT_TRUE(encoded) << formatErrors(encoded.errors());
  EXPECT_EQ(validateRes(encoded.value().body), std::vector<std::string>{}) << encoded.value().body;
  Dom dom(encoded.value().body);
  const auto info = kids(kids(dom.root(), "Response").at(0), "AdditionalInformation");
  ASSERT_EQ(info.size(), 2u) << encoded.value().body;
  EXPECT_EQ(text(info[0], "StatementCode"), "FS-VET");
  EXPECT_EQ(text(info[0], "StatementDescription"), n.reason);
  EXPECT_EQ(text(info[1], "StatementCode"), "CU-A-CODE-LONGER-");
  // Codes without a reason still go out.
  n.reason.clear();
  n.details = {{"reason_codes", "CU-RISK-7"}};
  encoded = plugin_->encode({n});
  ASSERT_TRUE(encoded) << formatErrors(encoded.errors());
  EXPECT_NE(encoded.value().body.find("<StatementCode>CU-RISK-7</StatementCode>"), std::string::npos);
}

// What is due and why (issue 9): after the status response, the DMS's own tax calculation
// response (13, DMSTAX): the aggregated debt on the declaration, one DutyTaxFee per item line in
// WCO_RES_2_DMS.xsd order, and what applied and why as AdditionalInformation; it validates.
TEST_F(wcoDecPlugin, FollowsAStatusWithTheTaxCalculationResponse) {
  const Notification base = notification("cleared", "cleared");
  Notification n = consumerFallback(base.id, base.reference);
  n.case_id = base.case_id;
  auto encoded = plugin_->encode({n});
  ASSERT_TRUE(encoded) << formatErrors(encoded.errors());
  const std::string& body = encoded.value().body;
  EXPECT_EQ(validateRes(body), std::vector<std::string>{}) << body;
  const std::string pointer42A = "<Pointer><DocumentSectionCode>42A</DocumentSectionCode></Pointer>";
  auto item = [](const char* seq) {
    return std::string("<Pointer><SequenceNumeric>") + seq +
           "</SequenceNumeric><DocumentSectionCode>67A</DocumentSectionCode></Pointer>";
  };
  const std::string tax =
      "<Response><FunctionCode>13</FunctionCode><FunctionalReferenceID>N-01JDX3TESTNOTIFICATION00001-TAX"
      "</FunctionalReferenceID><IssueDateTime><ds:DateTimeString formatCode=\"304\">20261129081000Z"
      "</ds:DateTimeString></IssueDateTime>"
      "<AdditionalInformation><StatementDescription>collection model: consumer</StatementDescription>" +
      pointer42A +
      "</AdditionalInformation><AdditionalInformation><StatementDescription>vendor model refused: registration 'x' "
      "is malformed (expected ^IM[0-9]{10}$); the consumer pays</StatementDescription>" +
      pointer42A +
      "</AdditionalInformation><AdditionalInformation><StatementDescription>duty 3.00 EUR: EU temporary low-value "
      "duty, 1 classification</StatementDescription>" +
      pointer42A +
      "</AdditionalInformation><AdditionalInformation><StatementDescription>vat 11.04 EUR (23 % of 48.00): VAT 23 % "
      "on the item's value and duty</StatementDescription>" +
      pointer42A + item("1") +
      "</AdditionalInformation><AdditionalInformation><StatementDescription>vat 2.30 EUR (23 % of 10.00): VAT 23 % "
      "on the item's value and duty</StatementDescription>" +
      pointer42A + item("2") +
      "</AdditionalInformation><Declaration><FunctionalReferenceID>LRN-TT-IM002a</FunctionalReferenceID>"
      "<ID>C-01JDX3CASE0000000000000001</ID><DutyTaxFee><Payment><TaxAssessedAmount currencyID=\"EUR\">16.34"
      "</TaxAssessedAmount><PaymentAmount currencyID=\"EUR\">16.34</PaymentAmount></Payment></DutyTaxFee>"
      "<GoodsShipment><GovernmentAgencyGoodsItem><SequenceNumeric>1</SequenceNumeric><Commodity><DutyTaxFee>"
      "<AdValoremTaxBaseAmount currencyID=\"EUR\">48.00</AdValoremTaxBaseAmount><TaxRateNumeric>23</TaxRateNumeric>"
      "<TypeCode>B00</TypeCode><Payment><TaxAssessedAmount currencyID=\"EUR\">11.04</TaxAssessedAmount>"
      "<PaymentAmount currencyID=\"EUR\">11.04</PaymentAmount></Payment></DutyTaxFee></Commodity>"
      "</GovernmentAgencyGoodsItem><GovernmentAgencyGoodsItem><SequenceNumeric>2</SequenceNumeric><Commodity>"
      "<DutyTaxFee><AdValoremTaxBaseAmount currencyID=\"EUR\">10.00</AdValoremTaxBaseAmount><TaxRateNumeric>23"
      "</TaxRateNumeric><TypeCode>B00</TypeCode><Payment><TaxAssessedAmount currencyID=\"EUR\">2.30"
      "</TaxAssessedAmount><PaymentAmount currencyID=\"EUR\">2.30</PaymentAmount></Payment></DutyTaxFee>"
      "</Commodity></GovernmentAgencyGoodsItem></GoodsShipment></Declaration></Response>";
  EXPECT_NE(body.find("<FunctionCode>09</FunctionCode>"), std::string::npos);
  EXPECT_NE(body.find("</Response>" + tax + "</md:MetaData>"), std::string::npos) << body;
  Dom dom(body);
  ASSERT_EQ(kids(dom.root(), "Response").size(), 2u);
}

TEST_F(wcoDecPlugin, TellsWhatTheVendorCollectedAtSaleAsNothingToPay) {
  const Notification base = notification("released", "released");
  Notification n = vendorCollected(base.id, base.reference);
  n.details.push_back({"revenue_line", R"({"tax":"excise","item":3,"base":"40.0005","rate":"10","amount":"4.00",)"
                                       R"("currency":"EUR","why":"excise 10 %","collected_at_sale":false})"});
  auto encoded = plugin_->encode({n, notification("hold", "held")});
  ASSERT_TRUE(encoded) << formatErrors(encoded.errors());
  const std::string& body = encoded.value().body;
  EXPECT_EQ(validateRes(body), std::vector<std::string>{}) << body;
  Dom dom(body);
  const auto responses = kids(dom.root(), "Response");
  ASSERT_EQ(responses.size(), 3u);  // released, its tax calculation, held (no revenue: no 13)
  EXPECT_EQ(text(responses[1], "FunctionCode"), "13");
  EXPECT_EQ(text(responses[2], "FunctionCode"), "05");
  // Assessed 10.35 + 4.00; to pay at the border: the due (0.00), the vendor's line 0.00.
  EXPECT_NE(body.find("<DutyTaxFee><Payment><TaxAssessedAmount currencyID=\"EUR\">14.35</TaxAssessedAmount>"
                      "<PaymentAmount currencyID=\"EUR\">0.00</PaymentAmount></Payment></DutyTaxFee>"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("<TypeCode>B00</TypeCode><Payment><TaxAssessedAmount currencyID=\"EUR\">10.35"
                      "</TaxAssessedAmount><PaymentAmount currencyID=\"EUR\">0.00</PaymentAmount>"),
            std::string::npos);
  // No CDS code for this tax name: no TypeCode; a base beyond n..16,3 is rounded to 3 decimals.
  EXPECT_NE(body.find("<SequenceNumeric>3</SequenceNumeric><Commodity><DutyTaxFee><AdValoremTaxBaseAmount "
                      "currencyID=\"EUR\">40.001</AdValoremTaxBaseAmount><TaxRateNumeric>10</TaxRateNumeric>"
                      "<Payment>"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("<StatementDescription>vat 10.35 EUR (23 % of 45.00), collected at sale: VAT 23 % collected "
                      "at sale under IM9990000001</StatementDescription>"),
            std::string::npos);
}

TEST_F(wcoDecPlugin, RefusesRevenueItCannotTell) {
  Notification n = notification("cleared", "cleared");
  n.details = {{"revenue_due", "a lot"}};
  auto encoded = plugin_->encode({n});
  ASSERT_FALSE(encoded);
  EXPECT_EQ(formatError(encoded.errors().at(0)), "/notifications[1]/details/0: revenue_due: 'a lot' is not a decimal");
  n.details = {{"revenue_due", "1.00"}};
  n.id = std::string(32, 'N');
  encoded = plugin_->encode({n});
  ASSERT_FALSE(encoded);
  EXPECT_EQ(encoded.errors().at(0).path, "/notifications[1]/id");
}

TEST_F(wcoDecPlugin, RefusesNotificationsWithoutAFunctionCode) {
  Notification n = notification("refunded", "refunded");
  auto encoded = plugin_->encode({notification("accepted", "accepted"), n});
  ASSERT_FALSE(encoded);
  ASSERT_EQ(encoded.errors().size(), 1u);
  EXPECT_EQ(formatError(encoded.errors()[0]), "/notifications[2]: no DMS function code for event 'refunded' in state 'refunded'");
  Notification longRef = notification("accepted", "accepted");
  longRef.reference = std::string(36, 'R');
  encoded = plugin_->encode({longRef});
  ASSERT_FALSE(encoded);
  EXPECT_EQ(encoded.errors().at(0).path, "/notifications[1]/reference");
  EXPECT_FALSE(plugin_->encode({}));
}
