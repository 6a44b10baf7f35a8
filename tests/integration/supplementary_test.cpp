// Supplementary declarations through a real hub (issue 12, item 2): a broker under simplified
// procedures files a simplified declaration (UK CDS type C) under its deferment account, the hub
// releases it, the broker files the supplementary declaration (type Y) completing it with a higher
// statistical value, the statement shows the revenue difference as an adjustment, a final
// supplementary declaration (type Q) closes the month, and the reconciliation checks the month
// against it: matching, then with a simplified declaration that no supplementary completes. The DMS
// messages are the HMRC corpus's TT_IM014a (SWHUB_CORPUS_DIR; skipped without it), edited in memory.
// Figures by hand from config/jurisdictions/gb-2026.yaml: commodity 07032000 has no duty (tariff
// default 0), VAT 20 % of the value: 1000.00 GBP -> 200.00, 1200.00 GBP -> 240.00.
//
// And a proven return of an account-model case (issue 12, item 4): its credit on the statement.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "common/ids.hpp"
#include "corpus.hpp"
#include "hub_process.hpp"
#include "receiver.hpp"
#include "test_json.hpp"

namespace swhub::testing {
namespace {

using Poco::JSON::Object;

const std::map<std::string, std::string> kDms = {{"Authorization", "Bearer broker-token"},
                                                 {"Content-Type", "application/xml"}};
const std::map<std::string, std::string> kJson = {{"Authorization", "Bearer broker-token"},
                                                  {"Content-Type", "application/vnd.swhub.consignment+json"}};
const std::map<std::string, std::string> kOther = {{"Authorization", "Bearer other-token"},
                                                   {"Content-Type", "application/xml"}};
const std::map<std::string, std::string> kAdmin = {{"Authorization", "Bearer admin-token"}};
const std::string kAccount = "1108654";  // TT_IM014a's deferment account (DAN, DE 2/6)

std::string config() {
  return "hub:\n"
         "  listen: 127.0.0.1:0\n"
         "  journal: sqlite:journal.db\n"
         "  plugin_dir: " + std::string(SWHUB_PLUGIN_DIR) + "\n"
         "  returns: {window_days: 30, proof_document_types: [export-proof]}\n"
         "plugins:\n"
         "  customs: {library: swhub_customs.so}\n"
         "  wco_dec: {library: swhub_wco_dec.so}\n"
         "partners:\n"
         "  broker:\n"
         "    kind: broker\n"
         "    plugin: wco_dec\n"
         "    settings: {schema_dir: " + dmsSchemas().string() + "}\n"
         "    account: \"" + kAccount + "\"\n"
         "    credentials: {tokens: [broker-token]}\n"
         "  other:\n"
         "    kind: broker\n"
         "    plugin: wco_dec\n"
         "    settings: {schema_dir: " + dmsSchemas().string() + "}\n"
         "    credentials: {tokens: [other-token]}\n"
         "agencies:\n"
         "  customs:\n"
         "    plugin: customs\n"
         "    settings:\n"
         "      revenue: {jurisdiction_file: " + std::string(SWHUB_SOURCE_ROOT) + "/config/jurisdictions/gb-2026.yaml}\n"
         "    credentials: {tokens: [customs-token]}\n"
         "admins:\n"
         "  admin: {credentials: {tokens: [admin-token]}}\n"
         "routes:\n"
         "  - name: every-filing-to-customs\n"
         "    require: [customs]\n";
}

std::string corpusDeclaration() { return readFile(dmsCorpus() / "declarations/TT_IM014a_TT_IM014a.xml"); }

std::string swapped(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::string withReference(const std::string& xml, const std::string& reference) {
  return swapped(xml, "<FunctionalReferenceID>TT_IM14a_v2.1_2306_01</FunctionalReferenceID>",
                 "<FunctionalReferenceID>" + reference + "</FunctionalReferenceID>");
}

// A simplified declaration (type C) of the corpus goods, 1000 GBP.
std::string simplified(const std::string& reference) {
  return withReference(swapped(corpusDeclaration(), "<TypeCode>IMY</TypeCode>", "<TypeCode>IMC</TypeCode>"), reference);
}

// The supplementary declaration (type Y) completing `completes` (a case id or LRN), 1200 GBP.
std::string supplementary(const std::string& reference, const std::string& completes) {
  std::string xml = withReference(corpusDeclaration(), reference);
  xml = swapped(xml, "<ID>20GBCDS123456789R1</ID>", "<ID>" + completes + "</ID>");
  return swapped(xml, ">1000</StatisticalValueAmount>", ">1200</StatisticalValueAmount>");
}

// The final supplementary declaration (type Q) of `period` ("YYYY-MM"): type Y `y` finalised/due,
// VAT total `vat` GBP.
std::string finalSupplementary(const std::string& reference, const std::string& period, const std::string& y,
                               const std::string& vat) {
  std::string xml = withReference(swapped(corpusDeclaration(), "<TypeCode>IMY</TypeCode>", "<TypeCode>IMQ</TypeCode>"),
                                  reference);
  xml = swapped(xml, "<ID>0GB553202734852-12345</ID>", "<ID>" + period.substr(0, 4) + period.substr(5, 2) + "</ID>");
  xml = swapped(xml, "<TypeCode>DCR</TypeCode>", "<TypeCode>FSD</TypeCode>");
  xml = swapped(xml, "<StatementCode>00500</StatementCode>", "<StatementCode>FINSY</StatementCode>");
  xml = swapped(xml, "<StatementDescription>IMPORTER</StatementDescription>",
                "<StatementDescription>" + y + "</StatementDescription>");
  xml = swapped(xml, "</AdditionalInformation>",
                "</AdditionalInformation><AdditionalInformation><StatementCode>FINSZ</StatementCode>"
                "<StatementDescription>0/0</StatementDescription></AdditionalInformation>"
                "<AdditionalInformation><StatementCode>FINSL</StatementCode>"
                "<StatementDescription>0</StatementDescription></AdditionalInformation>");
  xml = swapped(xml, "<TypeCode>A00</TypeCode>", "<TypeCode>B00</TypeCode>");
  return swapped(xml, "<MethodCode>E</MethodCode>",
                 "<MethodCode>E</MethodCode><TaxAssessedAmount currencyID=\"GBP\">" + vat + "</TaxAssessedAmount>");
}

class Supplementary : public ::testing::Test {
 protected:
  void SetUp() override {
    SWHUB_REQUIRE_DMS_CORPUS();
    writeFile(dir_.file("hub.yaml"), config());
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{"serve", "--config", dir_.file("hub.yaml")});
    period_ = common::rfc3339(std::chrono::system_clock::now()).substr(0, 7);
  }

  Object::Ptr get(const std::string& path) const {
    const auto r = request(hub_->address(), "GET", path, "", kAdmin);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return parse(r.body);
  }

  std::string state(const std::string& id) const { return get("/v1/cases/" + id)->getValue<std::string>("state"); }

  // Files and waits for `until`; the case id.
  std::string file(const std::map<std::string, std::string>& who, const std::string& body, const std::string& until) {
    const auto r = request(hub_->address(), "POST", "/v1/messages", body, who);
    EXPECT_EQ(r.status, 202) << r.body;
    if (r.status != 202) return "";
    const std::string id = parse(r.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
    EXPECT_TRUE(eventually([&] { return state(id) == until; })) << id << " never became " << until << ": "
                                                                 << request(hub_->address(), "GET", "/v1/cases/" + id,
                                                                            "", kAdmin).body;
    return id;
  }

  // The first error of a refused filing: "path: message".
  std::string refusal(const std::map<std::string, std::string>& who, const std::string& body) {
    const auto r = request(hub_->address(), "POST", "/v1/messages", body, who);
    EXPECT_EQ(r.status, 400) << r.body;
    auto errors = parse(r.body)->getArray("errors");
    if (!errors || errors->size() == 0) return "";
    auto e = errors->getObject(0);
    return e->getValue<std::string>("path") + ": " + e->getValue<std::string>("message");
  }

  Object::Ptr statement() const { return get("/v1/accounts/" + kAccount + "/statements/" + period_); }
  Object::Ptr reconciliation() const {
    return get("/v1/accounts/" + kAccount + "/statements/" + period_ + "?reconcile=true");
  }

  // The differences of the final supplementary check (the month's statement is a draft: its own
  // differences, not issued and items on no statement yet, are the statement tests').
  static std::vector<std::string> kinds(const Object::Ptr& reconciliation) {
    std::vector<std::string> out;
    auto list = reconciliation->getArray("differences");
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto d = list->getObject(static_cast<unsigned>(i));
      const std::string kind = d->getValue<std::string>("kind");
      if (kind.rfind("supplementary-", 0) != 0 && kind.rfind("final-supplementary", 0) != 0) continue;
      out.push_back(kind + " " + d->getValue<std::string>("detail"));
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<HubProcess> hub_;
  std::string period_;
};

}  // namespace

TEST_F(Supplementary, ASupplementaryCompletesItsSimplifiedDeclarationAndTheFinalOneClosesTheMonth) {
  const std::string simple = file(kDms, simplified("SIMPLE-1"), "released");
  ASSERT_FALSE(simple.empty());

  // Refused, naming the previous document: a case the hub does not know, and another filer's.
  const std::string sde = "/MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/PreviousDocument[1]/ID";
  EXPECT_EQ(refusal(kDms, supplementary("SUPP-0", "C-NOSUCHCASE")),
            sde + ": previous document Y-SDE 'C-NOSUCHCASE' names no case of partner 'broker' (a supplementary "
                  "declaration completes its filer's own declarations, named by the hub's case id or the filer's "
                  "reference)");
  EXPECT_EQ(refusal(kOther, supplementary("SUPP-0", simple)),
            sde + ": previous document Y-SDE '" + simple + "' names no case of partner 'other' (a supplementary "
                  "declaration completes its filer's own declarations, named by the hub's case id or the filer's "
                  "reference)");

  // Completed by its supplementary declaration, named by the hub's case id (the MRN it answered).
  const std::string supp = file(kDms, supplementary("SUPP-1", simple), "released");
  ASSERT_FALSE(supp.empty());
  auto simpleView = get("/v1/cases/" + simple)->getObject("supplementary");
  ASSERT_TRUE(simpleView);
  EXPECT_EQ(simpleView->getValue<std::string>("type"), "C");
  EXPECT_TRUE(simpleView->getValue<bool>("simplified"));
  EXPECT_EQ(simpleView->getValue<std::string>("completed_by"), supp);
  auto suppView = get("/v1/cases/" + supp)->getObject("supplementary");
  ASSERT_TRUE(suppView);
  EXPECT_EQ(suppView->getValue<std::string>("type"), "Y");
  EXPECT_EQ(suppView->getArray("completes")->getElement<std::string>(0), simple);
  const auto trace = request(hub_->address(), "GET", "/v1/admin/cases/" + simple + "/trace", "", kAdmin);
  EXPECT_NE(trace.body.find("\"supplemented\""), std::string::npos) << trace.body;
  // Once: a second supplementary of the same declaration is refused.
  EXPECT_EQ(refusal(kDms, supplementary("SUPP-2", "SIMPLE-1")),
            sde + ": previous document Y-SDE 'SIMPLE-1': case " + simple +
                " is completed already by supplementary declaration " + supp);

  // The statement: the simplified declaration's VAT, the supplementary with no lines of its own,
  // and the difference as an adjustment of the completed case.
  auto s = statement();
  ASSERT_EQ(s->getArray("items")->size(), 2u) << s->getArray("items")->size();
  auto adjustments = s->getArray("adjustments");
  ASSERT_EQ(adjustments->size(), 1u);
  auto a = adjustments->getObject(0);
  EXPECT_EQ(a->getValue<std::string>("case_id"), supp);
  EXPECT_EQ(a->getObject("corrects")->getValue<std::string>("case_id"), simple);
  EXPECT_EQ(a->getValue<std::string>("tax"), "vat");
  EXPECT_EQ(a->getValue<std::string>("accounted"), "200.00");
  EXPECT_EQ(a->getValue<std::string>("now"), "240.00");
  EXPECT_EQ(a->getValue<std::string>("amount"), "40.00");
  auto due = s->getArray("due")->getObject(0);
  EXPECT_EQ(due->getValue<std::string>("amount"), "240.00");

  // The final supplementary declaration closes the month, once.
  const auto q = request(hub_->address(), "POST", "/v1/messages", finalSupplementary("FSD-1", period_, "1/1", "240.00"), kDms);
  ASSERT_EQ(q.status, 202) << q.body;
  const std::string qId = parse(q.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
  auto closes = get("/v1/cases/" + qId)->getObject("supplementary")->getObject("closes");
  ASSERT_TRUE(closes);
  EXPECT_EQ(closes->getValue<std::string>("account"), kAccount);
  EXPECT_EQ(closes->getValue<std::string>("period"), period_);
  EXPECT_EQ(get("/v1/cases/" + qId)->getObject("consignment")->getArray("items")->size(), 0u);
  EXPECT_EQ(refusal(kDms, finalSupplementary("FSD-2", period_, "1/1", "240.00")),
            "/MetaData/Declaration: period " + period_ + " of account " + kAccount +
                " is closed already by final supplementary declaration " + qId);

  // Matching: the month against its final supplementary declaration.
  auto r = reconciliation();
  EXPECT_EQ(kinds(r), std::vector<std::string>{});
  auto check = r->getObject("final_supplementary");
  ASSERT_TRUE(check);
  EXPECT_EQ(check->getValue<std::string>("case_id"), qId);
  auto y = check->getArray("counts")->getObject(0);
  EXPECT_EQ(y->getValue<std::string>("type"), "Y");
  EXPECT_EQ(y->getObject("journal")->getValue<int>("finalised"), 1);
  EXPECT_EQ(y->getObject("journal")->getValue<int>("due"), 1);
  std::string totals;
  for (std::size_t i = 0; i < check->getArray("totals")->size(); ++i) {
    auto t = check->getArray("totals")->getObject(static_cast<unsigned>(i));
    totals += t->getValue<std::string>("tax") + " " + t->getValue<std::string>("reported") + "/" +
              t->getValue<std::string>("accounted") + " " + t->getValue<std::string>("currency") + "; ";
  }
  EXPECT_EQ(totals, "duty 0.00/0.00 GBP; vat 240.00/240.00 GBP; ");

  // A second simplified declaration that no supplementary completes: reported.
  const std::string missing = file(kDms, simplified("SIMPLE-2"), "released");
  r = reconciliation();
  const auto found = kinds(r);
  ASSERT_EQ(found.size(), 2u) << found.size();
  EXPECT_EQ(found[0].rfind("supplementary-missing simplified declaration SIMPLE-2 (type C) released ", 0), 0u) << found[0];
  EXPECT_NE(found[0].find(" has no supplementary declaration (type Y due)"), std::string::npos) << found[0];
  EXPECT_EQ(found[1], "final-supplementary-count type Y: reported 1/1 (finalised/due), the journal holds 1/2");
  // The same through the CLI, with exit status 1 (differences).
  const auto [status, out] = runSwhub({"statement", "--config", dir_.file("hub.yaml"), "--account", kAccount, "--period",
                                       period_, "--reconcile"});
  EXPECT_EQ(status, 1) << out;
  EXPECT_NE(out.find("\"final-supplementary-count\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"supplementary-missing\""), std::string::npos) << out;
}

// Issue 12 item 4: an account-model return is credited on the account's statement. Two T-shirts
// (610910: 12 % duty in gb-2026.yaml) worth 300.00 GBP: duty 36.00, VAT 20 % of 336.00 = 67.20.
// One goes back with proof of export: half of each line, duty 18.00 and VAT 33.60, is credited.
TEST_F(Supplementary, AProvenReturnOfAnAccountCaseIsACreditOnTheStatement) {
  const std::string item =
      R"({"sequence":1,"description":"Cotton T-shirt","hs":"610910","quantity":2,"unit":"pce","net_kg":0.5,)"
      R"("value":300.00,"currency":"GBP","origin":"CN","nature":"sale","documents":[]})";
  const std::string inbound =
      R"({"reference":"ACC-1","filing":"declaration",)"
      R"("parties":{"seller":{"name":"Textile Export Co","country":"CN","id":"CN-TEX-1"},)"
      R"("buyer":{"name":"Wlalon Ltd","country":"GB","id":"GB553202734852"}},)"
      R"("transport":{"mode":"air","departure":"CN","destination":"GB"},)"
      R"("fiscal":{"model":"account"},"items":[)" + item + "]}";
  const std::string id = file(kJson, inbound, "released");
  ASSERT_FALSE(id.empty());
  const std::string back =
      R"({"reference":"ACC-1","filing":"return","items":[{"sequence":1,"description":"Cotton T-shirt","hs":"610910",)"
      R"("quantity":1,"unit":"pce","value":150.00,"currency":"GBP","origin":"CN","nature":"return",)"
      R"("documents":[{"type":"export-proof","id":"EX-GB-1"}]}]})";
  const auto r = request(hub_->address(), "POST", "/v1/messages", back, kJson);
  ASSERT_EQ(r.status, 202) << r.body;
  ASSERT_TRUE(eventually([&] { return state(id) == "returned"; })) << get("/v1/cases/" + id)->getValue<std::string>("state");
  auto returned = get("/v1/cases/" + id)->getArray("returns")->getObject(0);
  ASSERT_TRUE(returned->getObject("credit"));
  EXPECT_EQ(returned->getObject("credit")->getValue<std::string>("amount"), "51.60");

  auto s = statement();
  auto adjustments = s->getArray("adjustments");
  std::vector<std::string> credits;
  for (std::size_t i = 0; i < adjustments->size(); ++i) {
    auto a = adjustments->getObject(static_cast<unsigned>(i));
    credits.push_back(a->getValue<std::string>("tax") + " " + a->getValue<std::string>("accounted") + " -> " +
                      a->getValue<std::string>("now") + " = " + a->getValue<std::string>("amount"));
  }
  EXPECT_EQ(credits, (std::vector<std::string>{"duty 36.00 -> 18.00 = -18.00", "vat 67.20 -> 33.60 = -33.60"}));
  EXPECT_EQ(s->getArray("due")->getObject(0)->getValue<std::string>("amount"), "51.60");
}

}  // namespace swhub::testing
