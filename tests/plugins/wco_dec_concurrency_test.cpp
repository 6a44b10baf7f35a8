// Many threads decode declarations and encode responses through one wco_dec instance at once,
// from the instance's very first message on: valid declarations of the corpus, its invalid ones
// and declarations with a schema or content-model error. Each thread checks every result exactly
// (reference, item count, error texts). A fresh instance per round makes its first uses race again.

#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "corpus.hpp"
#include "plugin_test_support.hpp"
#include "swhub/sdk/plugin.hpp"

using namespace swhub::sdk;
using namespace swhub::testing;
namespace fs = std::filesystem;

namespace {

const fs::path kCorpus = dmsCorpus();
constexpr int kThreads = 6;
constexpr int kRounds = 3;              // fresh instances per test (each compiles the DMS XSDs)
constexpr int kMessagesPerThread = 12;  // every case at least once per thread and round

struct Case {
  std::string name;
  std::string body;
  std::vector<std::string> expected;
};

// The MDG envelope of two invalid corpus files: refused at its root, at line and column `at`.
std::string wrongRoot(const std::string& at) {
  return "/submitDeclarationRequest: root element 'submitDeclarationRequest' in namespace "
         "'http://uk/gov/hmrc/mdg/declarationmanagement/submitdeclaration/request/schema/v1' is not md:MetaData of "
         "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2 (line " + at + ")";
}

const std::string kGoodsMeasure = "/MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/Commodity/GoodsMeasure";

std::vector<Case> cases() {
  auto declaration = [](const char* file) { return readFile(kCorpus / "declarations" / file); };
  auto invalid = [](const char* file) { return readFile(kCorpus / "invalid" / file); };
  std::vector<Case> out;
  out.push_back({"TT_IM002b", declaration("TT_IM002b_TT_IM002a.xml"),
                 {"facts Z completes 1", "filing /MetaData/Declaration TT_IM02a_EIDR_1511_004 items=1"}});
  out.push_back({"TT_IM068a", declaration("TT_IM068a_TT_IM068a.xml"), {"filing /MetaData/Declaration U.7849431R66ZB items=1"}});
  out.push_back({"TT_IM150a", declaration("TT_IM150a_Step1_TT_IM150a.xml"),
                 {"filing /MetaData/Declaration 7844388ABM4F items=2"}});
  out.push_back({"TT_IM184a", declaration("TT_IM184a_Step1_TT_IM184a.xml"),
                 {"facts Z completes 1", "filing /MetaData/Declaration U.7847344SQRMK items=4"}});
  out.push_back({"invalid TT_IM084a", invalid("TT_IM084a_TT_IM084a.xml"),
                 {"errors | /MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]: '--' sequence is illegal in "
                  "comment (line 164, column 10)"}});
  out.push_back({"invalid TT_IM112a", invalid("TT_IM112a_TT_IM112a.xml"), {"errors | " + wrongRoot("1, column 699")}});
  out.push_back({"invalid TT_IM192a", invalid("TT_IM192a_Step1_TT_IM192a.xml"), {"errors | " + wrongRoot("2, column 645")}});
  out.push_back({"invalid TT_IM222a", invalid("TT_IM222a_Step1_TT_IM222a.xml"),
                 {"errors | /mdMetaData: root element 'mdMetaData' in namespace 'urnwcodatamodelWCODEC-DMS2' is not "
                  "md:MetaData of urn:wco:datamodel:WCO:DocumentMetaData-DMS:2 (line 2, column 367)"}});
  // A facet of a simple type, and an element the content model does not allow.
  out.push_back({"TypeCode IMZZZ",
                 replaced(declaration("TT_IM002b_TT_IM002a.xml"), "<TypeCode>IMZ</TypeCode>", "<TypeCode>IMZZZ</TypeCode>"),
                 {"errors | /MetaData/Declaration/TypeCode: value 'IMZZZ' has length '5' which exceeds maxLength facet "
                  "value '3' (line 45, column 29)"}});
  std::string renamed = replaced(declaration("TT_IM002b_TT_IM002a.xml"), "<NetNetWeightMeasure>", "<NetWeight>");
  renamed = replaced(renamed, "</NetNetWeightMeasure>", "</NetWeight>");
  out.push_back({"NetWeight", renamed,
                 {"errors | " + kGoodsMeasure + "/NetWeight: no declaration found for element 'NetWeight' (line 311, "
                  "column 18) | " + kGoodsMeasure + ": element 'NetWeight' is not allowed for content model "
                  "'(GrossMassMeasure?,NetNetWeightMeasure?,TariffQuantity?)' (line 312, column 22)"}});
  // Valid for the schema, refused by the canonical checks after mapping.
  out.push_back({"Origin QQ",
                 replaced(declaration("TT_IM002b_TT_IM002a.xml"), "<CountryCode>BR</CountryCode>", "<CountryCode>QQ</CountryCode>"),
                 {"errors | /MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/Origin[1]/CountryCode: 'QQ' "
                  "is not an ISO 3166-1 alpha-2 country code (canonical /consignment/items/item[1]/origin)"}});
  return out;
}

class wcoDecConcurrency : public PluginTest {
 protected:
  wcoDecConcurrency() : PluginTest("wco_dec") {}

  void SetUp() override {
    SWHUB_REQUIRE_DMS_CORPUS();
    ::unsetenv("SWHUB_WCO_DEC_SCHEMA_DIR");  // make() names the folder
    PluginTest::SetUp();
  }

  std::unique_ptr<PartnerPlugin> make() {
    Value settings = Value::map();
    settings.set("schema_dir", Value::string((kCorpus / "schemas").string()));
    return made(buildPartner(*descriptor_, "demo-broker", std::move(settings)));
  }

  // What a thread compares: summary() of each decoded piece, "items=N".
  static std::vector<std::string> decodeAll(const PartnerPlugin& plugin, const std::string& body) {
    return summaries(plugin, MessageContext{"demo-broker", "application/xml", {}, kReceivedAt}, body, "items");
  }

  // Encoding validates the response against the RES grammar (the instance's second pool).
  static std::string encodeAccepted(const PartnerPlugin& plugin, int n) {
    const std::string id = "N-" + std::to_string(n);
    auto encoded = plugin.encode({Notification{id, "C-01JDX3CASE0000000000000001", "LRN-TT-IM002a", "accepted",
                                               "accepted", "", "2026-11-29T08:00:00.123Z", {}}});
    if (!encoded) return "errors " + formatErrors(encoded.errors());
    const std::string& body = encoded.value().body;
    const bool ok = body.find("<FunctionCode>01</FunctionCode>") != std::string::npos &&
                    body.find("<FunctionalReferenceID>" + id + "</FunctionalReferenceID>") != std::string::npos;
    return ok ? "ok" : "unexpected body " + body;
  }
};

}  // namespace

// The expectations hold when one thread decodes: the concurrent test below compares against them.
TEST_F(wcoDecConcurrency, CasesDecodeAsExpectedOnOneThread) {
  auto plugin = make();
  ASSERT_TRUE(plugin);
  for (const Case& c : cases()) EXPECT_EQ(joined(decodeAll(*plugin, c.body)), joined(c.expected)) << c.name;
  EXPECT_EQ(encodeAccepted(*plugin, 1), "ok");
}

TEST_F(wcoDecConcurrency, ThreadsDecodeAndEncodeAtOnceFromTheFirstMessageOfAFreshInstance) {
  const std::vector<Case> all = cases();
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    auto plugin = make();
    ASSERT_TRUE(plugin);
    // The instance's first uses start together.
    race(kThreads, kMessagesPerThread, [&](int t, int i) -> std::string {
      // Every third step of every other thread encodes: responses are validated meanwhile.
      if (t % 2 == 1 && i % 3 == 0) {
        const std::string got = encodeAccepted(*plugin, t * 100 + i);
        return got == "ok" ? "" : "step " + std::to_string(i) + ": encode: " + got;
      }
      const Case& c = all[static_cast<std::size_t>(t * 2 + i) % all.size()];
      const auto got = decodeAll(*plugin, c.body);
      if (got == c.expected) return "";
      return "step " + std::to_string(i) + ", " + c.name + ": got" + joined(got) + "\nexpected" + joined(c.expected);
    });
  }
}
