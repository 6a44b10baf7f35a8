// What a DMS declaration declares beyond its goods (plugins/partners/wco_dec/README.md
// "Supplementary declarations"): each additional declaration type's facts, and each refusal naming
// the element. Built from the HMRC corpus (SWHUB_CORPUS_DIR/wco-dms; every test skips without it),
// edited in memory: a supplementary declaration under SDP (TT_IM014a, type Y), one of an entry in
// the declarant's records (TT_IM002b, type Z), a simplified declaration (TT_IM050a, type C), and
// TT_IM014a turned into a final supplementary declaration (type Q).

#include <gtest/gtest.h>

#include <xercesc/util/PlatformUtils.hpp>

#include <stdlib.h>

#include "corpus.hpp"
#include "plugin_test_support.hpp"
#include "swhub/sdk/plugin.hpp"

using namespace swhub::sdk;
using namespace swhub::testing;

namespace {

const std::string kReceived = "2026-12-02T08:00:00.000Z";

class wcoDecSupplementary : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ::unsetenv("SWHUB_WCO_DEC_SCHEMA_DIR");
    xercesc::XMLPlatformUtils::Initialize();
    library_ = new PluginLibrary("wco_dec");
    if (!haveDmsCorpus()) return;
    Value settings = Value::map();
    settings.set("schema_dir", Value::string(dmsSchemas().string()));
    auto made = buildPartner(library_->descriptor(), "demo-broker", std::move(settings));
    ASSERT_TRUE(made) << formatErrors(made.errors());
    plugin_ = made.take().release();
  }
  static void TearDownTestSuite() {
    delete plugin_;
    plugin_ = nullptr;
    delete library_;
    library_ = nullptr;
    xercesc::XMLPlatformUtils::Terminate();
  }
  void SetUp() override { SWHUB_REQUIRE_DMS_CORPUS(); }

  static std::string corpus(const std::string& name) { return readFile(dmsCorpus() / "declarations" / name); }
  static std::vector<Decoded> decode(const std::string& xml) {
    return decodeAll(*plugin_, MessageContext{"demo-broker", "application/xml", {}, kReceived}, xml);
  }
  // The facts and the filing of a declaration that declares some; a test failure otherwise.
  static std::pair<DeclarationFacts, Consignment> declared(const std::string& xml) {
    auto out = decode(xml);
    if (out.size() != 2 || !std::holds_alternative<DeclarationFacts>(out[0]) ||
        !std::holds_alternative<DecodedFiling>(out[1])) {
      ADD_FAILURE() << "expected facts and a filing, got " << out.size() << " piece(s)"
                    << (out.empty() || !std::holds_alternative<Errors>(out[0])
                            ? std::string()
                            : ": " + formatErrors(std::get<Errors>(out[0])));
      return {};
    }
    return {std::get<DeclarationFacts>(out[0]), std::get<DecodedFiling>(out[1]).consignment};
  }
  static Errors errorsOf(const std::string& xml) {
    auto out = decode(xml);
    if (out.size() != 1 || !std::holds_alternative<Errors>(out[0])) {
      ADD_FAILURE() << "expected errors only";
      return {};
    }
    return std::get<Errors>(out[0]);
  }

  // TT_IM014a as a final supplementary declaration of November 2026: FSD 202611 in place of the
  // DUCR, AI FINSY 1/2, FINSZ 0/0 and FINSL 0 in place of the importer statement, and the duty
  // line's total 12.50 GBP.
  static std::string finalSupplementary() {
    std::string xml = replaced(corpus("TT_IM014a_TT_IM014a.xml"), "<TypeCode>IMY</TypeCode>", "<TypeCode>IMQ</TypeCode>");
    xml = replaced(xml, "<ID>0GB553202734852-12345</ID>", "<ID>202611</ID>");
    xml = replaced(xml, "<TypeCode>DCR</TypeCode>", "<TypeCode>FSD</TypeCode>");
    xml = replaced(xml, "<StatementCode>00500</StatementCode>", "<StatementCode>FINSY</StatementCode>");
    xml = replaced(xml, "<StatementDescription>IMPORTER</StatementDescription>",
                   "<StatementDescription>1/2</StatementDescription>");
    xml = replaced(xml, "</AdditionalInformation>",
                   "</AdditionalInformation><AdditionalInformation><StatementCode>FINSZ</StatementCode>"
                   "<StatementDescription>0/0</StatementDescription></AdditionalInformation>"
                   "<AdditionalInformation><StatementCode>FINSL</StatementCode>"
                   "<StatementDescription>0</StatementDescription></AdditionalInformation>");
    return replaced(xml, "<MethodCode>E</MethodCode>",
                    "<MethodCode>E</MethodCode><TaxAssessedAmount currencyID=\"GBP\">12.50</TaxAssessedAmount>");
  }

  static PluginLibrary* library_;
  static PartnerPlugin* plugin_;
};

PluginLibrary* wcoDecSupplementary::library_ = nullptr;
PartnerPlugin* wcoDecSupplementary::plugin_ = nullptr;

const std::string kShipment = "/MetaData/Declaration/GoodsShipment";

}  // namespace

TEST_F(wcoDecSupplementary, TypeYCompletesTheSimplifiedDeclarationItsSdeNames) {
  const auto [facts, filing] = declared(corpus("TT_IM014a_TT_IM014a.xml"));
  EXPECT_EQ(filing.filing, FilingKind::Supplementary);
  EXPECT_EQ(filing.reference, "TT_IM14a_v2.1_2306_01");
  EXPECT_FALSE(filing.items.empty());  // a supplementary declaration carries the goods in full
  EXPECT_EQ(facts.additional_type, "Y");
  EXPECT_FALSE(facts.simplified);
  EXPECT_EQ(facts.completes, (std::vector<PreviousDocument>{
                                 {"Y", "SDE", "20GBCDS123456789R1",
                                  kShipment + "/GovernmentAgencyGoodsItem[1]/PreviousDocument[1]/ID"}}));
}

TEST_F(wcoDecSupplementary, TypeYWithoutSdeIsRefused) {
  const auto errors = errorsOf(replaced(corpus("TT_IM014a_TT_IM014a.xml"), "<TypeCode>SDE</TypeCode>",
                                        "<TypeCode>ZZZ</TypeCode>"));
  EXPECT_EQ(errors, (Errors{{kShipment + "/PreviousDocument",
                             "a supplementary declaration (type Y) names the simplified declaration it completes: "
                             "previous document Y-SDE (DE 2/1) with its MRN (the hub's case id) or LRN"}}));
}

TEST_F(wcoDecSupplementary, TypeZCompletesTheEntryItsDucrNames) {
  const auto [facts, filing] = declared(corpus("TT_IM002b_TT_IM002a.xml"));
  EXPECT_EQ(filing.filing, FilingKind::Supplementary);
  EXPECT_EQ(facts.additional_type, "Z");
  EXPECT_EQ(facts.completes, (std::vector<PreviousDocument>{
                                 {"Y", "DCR", "1GB553202734852-20221114", kShipment + "/PreviousDocument[1]/ID"}}));
}

TEST_F(wcoDecSupplementary, TypeZNeedsTheDateOfTheEntryInTheRecords) {
  const std::string xml = corpus("TT_IM002b_TT_IM002a.xml");
  EXPECT_EQ(errorsOf(replaced(xml, "<TypeCode>CLE</TypeCode>", "<TypeCode>ZZZ</TypeCode>")),
            (Errors{{kShipment + "/PreviousDocument",
                     "a supplementary declaration of an entry in the declarant's records (type Z) gives the date of "
                     "the entry: previous document Y-CLE (DE 2/1), yyyymmdd"}}));
  EXPECT_EQ(errorsOf(replaced(xml, "<ID>20221114</ID>", "<ID>20221340</ID>")),
            (Errors{{kShipment + "/PreviousDocument[2]/ID",
                     "'20221340' is not a date yyyymmdd (previous document Y-CLE)"}}));
}

TEST_F(wcoDecSupplementary, ASimplifiedDeclarationSaysSo) {
  const auto [facts, filing] = declared(corpus("TT_IM050a_TT_IM050a.xml"));
  EXPECT_EQ(filing.filing, FilingKind::Declaration);
  EXPECT_EQ(facts.additional_type, "C");
  EXPECT_TRUE(facts.simplified);
  EXPECT_TRUE(facts.completes.empty());
}

TEST_F(wcoDecSupplementary, AStandardDeclarationDeclaresNothingMore) {
  auto out = decode(corpus("TT_IM004a_TT_IM004a.xml"));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<DecodedFiling>(out[0]));
}

TEST_F(wcoDecSupplementary, TypeQClosesAMonthOfTheDeferredAccountWithItsCountsAndTotals) {
  const auto [facts, filing] = declared(finalSupplementary());
  EXPECT_EQ(filing.filing, FilingKind::FinalSupplementary);
  EXPECT_TRUE(filing.items.empty());  // its goods items only carry its reports
  EXPECT_EQ(facts.additional_type, "Q");
  EXPECT_EQ(facts.period, "2026-11");
  EXPECT_EQ(facts.account, "1108654");  // the header DAN (DE 2/6)
  EXPECT_EQ(facts.counts, (std::vector<SupplementaryCount>{{"Y", 1, 2}, {"Z", 0, 0}}));
  ASSERT_EQ(facts.totals.size(), 1u);
  EXPECT_EQ(facts.totals[0].tax, "duty");
  EXPECT_EQ(facts.totals[0].amount.toString(), "12.50");
  EXPECT_EQ(facts.totals[0].currency, "GBP");
}

TEST_F(wcoDecSupplementary, TypeQRefusalsNameTheElement) {
  const std::string q = finalSupplementary();
  EXPECT_EQ(errorsOf(replaced(q, "<TypeCode>FSD</TypeCode>", "<TypeCode>DCR</TypeCode>")),
            (Errors{{kShipment + "/PreviousDocument",
                     "a final supplementary declaration (type Q) names the month it closes: previous document FSD "
                     "(DE 2/1) at header level, ID yyyymm"}}));
  EXPECT_EQ(errorsOf(replaced(q, "<ID>202611</ID>", "<ID>202613</ID>")),
            (Errors{{kShipment + "/PreviousDocument[1]/ID", "'202613' is not a month yyyymm (previous document FSD)"}}));
  const auto counts = errorsOf(replaced(q, "<StatementDescription>1/2</StatementDescription>",
                                        "<StatementDescription>one of two</StatementDescription>"));
  ASSERT_EQ(counts.size(), 1u);
  EXPECT_EQ(counts[0].message, "'one of two' is not 'finalised/due' (two counts, e.g. 45/48) for FINSY");
  EXPECT_NE(counts[0].path.find("/AdditionalInformation[1]/StatementDescription"), std::string::npos) << counts[0].path;
  EXPECT_EQ(errorsOf(replaced(q, "<StatementCode>FINSZ</StatementCode>", "<StatementCode>00500</StatementCode>")),
            (Errors{{"/MetaData/Declaration/AdditionalInformation",
                     "a final supplementary declaration reports its type Z supplementary declarations: additional "
                     "information FINSZ (DE 2/2) 'finalised/due', nil returns too (0/0)"}}));
  EXPECT_EQ(errorsOf(replaced(q, "<TypeCode>A00</TypeCode>", "<TypeCode>A50</TypeCode>")).at(0).message,
            "'A50' is no tax type the hub reports (A00 duty, A20, A30, A40, B00 VAT)");
}
