// Returns and refunds through a real hub (issue 12 item 4): a consumer-model parcel pays duty and
// VAT, is released, and goes back in two returns; each return proven by a document of export
// gives back its share of what was paid, tells the filer (its notifications pushed to a receiver)
// and instructs the payment provider that settled the case (pushed to another receiver). A return
// that does not match, or a second return of the same items, is held and refunds nothing.
//
// Figures, by hand (jurisdiction below: VAT 23 % on value and duty; duty 12 % on T-shirts, 3 % on
// handbags; rounding half up to 0.01):
//   item 1, 3 T-shirts 610910, 60.00: duty 60.00 x 12 % = 7.20; VAT (60.00 + 7.20) x 23 % = 15.456 -> 15.46
//   item 2, a handbag 420221,  45.00: duty 45.00 x 3 % = 1.35;  VAT (45.00 + 1.35) x 23 % = 10.6605 -> 10.66
//   due 7.20 + 15.46 + 1.35 + 10.66 = 34.67, paid by the consumer (pi_ret_1).
//   return 1, 1 T-shirt: 7.20 x 1/3 = 2.40; 15.46 x 1/3 = 5.1533 -> 5.15; refund 7.55
//   return 2, 2 T-shirts and the handbag: 7.20 - 2.40 = 4.80; 15.46 - 5.15 = 10.31; 1.35; 10.66;
//            refund 27.12; 7.55 + 27.12 = 34.67, all that was paid.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

#include "hub_process.hpp"
#include "payment_signature.hpp"
#include "receiver.hpp"
#include "test_json.hpp"

namespace swhub::testing {
namespace {

using Poco::JSON::Object;

const char* kJurisdiction = R"yaml(jurisdiction:
  id: PT
  currency: EUR
  rounding: {mode: half-up, decimals: 2}
  low_value: [{amount: "150", currency: EUR}]
  vat:
    - standard: "23"
tariff:
  default: "0"
  rates:
    - {hs_prefix: "6109", rate: "12", name: "T-shirts, knitted"}
    - {hs_prefix: "4202", rate: "3", name: "handbags"}
currency_rates:
  - {date: "2020-01-01", source: test, rates: {USD: "1.2500"}}
collection:
  accepted: [vendor, intermediary, consumer, account]
  vendor:
    registration_format: "^IM[0-9]{10}$"
    registry: [IM9990000001]
    ceiling: {amount: "150", currency: EUR}
    tolerance: {amount: "0.50", percent: "1"}
)yaml";

const std::string kPaySecret = "returns-test-hmac-secret-0123456789";

std::string item(int sequence, const std::string& hs, const std::string& description, double quantity,
                 const std::string& value, const std::string& documents = "[]") {
  return R"({"sequence":)" + std::to_string(sequence) + R"(,"description":")" + description + R"(","hs":")" + hs +
         R"(","quantity":)" + std::to_string(quantity) + R"(,"unit":"pce","net_kg":0.5,"value":)" + value +
         R"(,"currency":"EUR","origin":"CN","nature":"sale","documents":)" + documents + "}";
}

const std::string kProof = R"([{"type":"export-proof","id":"EX-PT-2026-0042"}])";

std::string declaration(const std::string& reference, const std::string& model) {
  return R"({"reference":")" + reference + R"(","filing":"declaration",)"
         R"("parties":{"seller":{"name":"Textile Export Co","country":"CN","id":"CN-TEX-1"},)"
         R"("buyer":{"name":"Ana Silva","country":"PT","id":"PT-BUYER-1"}},)"
         R"("transport":{"mode":"air","departure":"CN","destination":"PT"},)"
         R"("fiscal":{"model":")" + model + R"("},"items":[)" +
         item(1, "610910", "Cotton T-shirt", 3, "60.00") + "," + item(2, "420221", "Leather handbag", 1, "45.00") +
         "]}";
}

std::string returnFiling(const std::string& reference, const std::vector<std::string>& items) {
  std::string list;
  for (const auto& i : items) list += (list.empty() ? "" : ",") + i;
  return R"({"reference":")" + reference + R"(","filing":"return","items":[)" + list + "]}";
}

class Returns : public ::testing::Test {
 protected:
  void SetUp() override {
    writeFile(dir_.file("jurisdiction.yaml"), kJurisdiction);
    const std::string yaml =
        std::string("hub:\n  listen: \"127.0.0.1:0\"\n  journal: \"sqlite:journal.db\"\n") +
        "  plugin_dir: " + SWHUB_PLUGIN_DIR + "\n" +
        "  delivery: {retry_base_ms: 20, retry_cap_ms: 200}\n"
        "  returns: {window_days: 30, proof_document_types: [export-proof]}\n"
        "plugins:\n"
        "  customs: {library: swhub_customs.so}\n"
        "  payment: {library: swhub_payment.so}\n"
        "  http_webhook: {library: swhub_http_webhook.so}\n"
        "partners:\n"
        "  shop:\n    kind: other\n    plugin: canonical\n    credentials: {tokens: [shop-token]}\n"
        "    push: {adapter: http_webhook, settings: {url: \"" + shop_.url() + "\"}}\n"
        "  pay:\n    kind: payment\n    plugin: payment\n    settings: {secret: \"" + kPaySecret + "\"}\n"
        "    credentials: {tokens: [pay-token]}\n"
        "    push: {adapter: http_webhook, settings: {url: \"" + pay_.url() + "\"}}\n"
        "agencies:\n  customs:\n    name: Customs\n    plugin: customs\n"
        "    settings: {revenue: {jurisdiction_file: jurisdiction.yaml}}\n"
        "    credentials: {tokens: [customs-token]}\n"
        "admins:\n  admin:\n    credentials: {tokens: [admin-token]}\n"
        "routes:\n  - name: every-filing-to-customs\n    require: [customs]\n";
    writeFile(dir_.file("hub.yaml"), yaml);
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{"serve", "--config", dir_.file("hub.yaml")});
  }

  HttpResponse file(const std::string& body) {
    return request(hub_->address(), "POST", "/v1/messages", body,
                   {{"Authorization", "Bearer shop-token"}, {"Content-Type", "application/vnd.swhub.consignment+json"}});
  }

  std::string fileCase(const std::string& body) {
    const auto r = file(body);
    EXPECT_EQ(r.status, 202) << r.body;
    if (r.status != 202) return "";
    return parse(r.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
  }

  HttpResponse payEvent(const std::string& event) {
    return request(hub_->address(), "POST", "/v1/messages", event,
                   {{"Authorization", "Bearer pay-token"},
                    {"Content-Type", "application/vnd.swhub.payment+json"},
                    {"X-Swhub-Signature", paymentSignature(event, nowSeconds(), kPaySecret)}});
  }

  Object::Ptr view(const std::string& caseId) {
    const auto r = request(hub_->address(), "GET", "/v1/cases/" + caseId, "", {{"Authorization", "Bearer shop-token"}});
    EXPECT_EQ(r.status, 200) << r.body;
    return parse(r.body);
  }

  std::string state(const std::string& caseId) { return view(caseId)->getValue<std::string>("state"); }

  // Every pushed body that holds `what`.
  static std::vector<std::string> bodiesWith(const Receiver& receiver, const std::string& what) {
    std::vector<std::string> out;
    for (const auto& r : receiver.received()) {
      if (r.body.find(what) != std::string::npos) out.push_back(r.body);
    }
    return out;
  }

  // A consumer-model declaration, assessed by customs, paid in full: released.
  std::string releasedCase(const std::string& reference) {
    const std::string caseId = fileCase(declaration(reference, "consumer"));
    EXPECT_TRUE(eventually([&] { return state(caseId) == "cleared"; })) << view(caseId)->get("state").toString();
    EXPECT_EQ(view(caseId)->getObject("revenue")->getValue<std::string>("due"), "34.67");
    const auto paid = payEvent(R"({"type":"payment.confirmed","transaction_id":"pi_)" + reference +
                               R"(","amount":"34.67","currency":"EUR","case_id":")" + caseId +
                               R"(","paid_at":"2026-12-06T10:00:00Z"})");
    EXPECT_EQ(paid.status, 202) << paid.body;
    EXPECT_EQ(state(caseId), "released");
    return caseId;
  }

  Receiver shop_;
  Receiver pay_;
  TempDir dir_;
  std::unique_ptr<HubProcess> hub_;
};

TEST_F(Returns, AProvenReturnRefundsItsShareAndInstructsThePaymentProvider) {
  const std::string caseId = releasedCase("RET-1");

  // Return 1: one T-shirt of three, with its proof of export.
  const auto first = file(returnFiling("RET-1", {item(1, "610910", "Cotton T-shirt", 1, "20.00", kProof)}));
  ASSERT_EQ(first.status, 202) << first.body;
  EXPECT_EQ(parse(first.body)->getArray("cases")->getObject(0)->getValue<std::string>("state"), "refunded");
  auto v = view(caseId);
  EXPECT_EQ(v->getValue<std::string>("state"), "refunded");
  EXPECT_EQ(v->getObject("revenue")->getValue<std::string>("refunded"), "7.55");
  auto returns = v->getArray("returns");
  ASSERT_EQ(returns->size(), 1u);
  auto r1 = returns->getObject(0);
  EXPECT_EQ(r1->getValue<std::string>("state"), "refunded");
  EXPECT_EQ(r1->getObject("proof")->getValue<std::string>("id"), "EX-PT-2026-0042");
  auto refund = r1->getObject("refund");
  EXPECT_EQ(refund->getValue<std::string>("amount"), "7.55");
  auto lines = refund->getArray("lines");
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ(lines->getObject(0)->getValue<std::string>("why"), "7.20 x 1/3 = 2.40");
  EXPECT_EQ(lines->getObject(1)->getValue<std::string>("why"), "15.46 x 1/3 = 5.15 (rounded half up to 0.01)");
  auto instruction = refund->getArray("instructions")->getObject(0);
  EXPECT_EQ(instruction->getValue<std::string>("partner"), "pay");
  EXPECT_EQ(instruction->getValue<std::string>("transaction_id"), "pi_RET-1");
  EXPECT_EQ(instruction->getValue<std::string>("amount"), "7.55");
  const std::string returnId = r1->getValue<std::string>("return_id");

  // The filer is told returned, then refunded (its canonical JSON); the provider gets its instruction.
  EXPECT_TRUE(eventually([&] { return !bodiesWith(shop_, R"("event":"refunded")").empty(); }));
  EXPECT_EQ(bodiesWith(shop_, R"("event":"returned")").size(), 1u);
  const auto refunded = bodiesWith(shop_, R"("event":"refunded")");
  ASSERT_EQ(refunded.size(), 1u);
  EXPECT_NE(refunded[0].find(R"("refund_amount":"7.55")"), std::string::npos) << refunded[0];
  EXPECT_NE(refunded[0].find(R"("return_id":")" + returnId + "\""), std::string::npos) << refunded[0];
  EXPECT_NE(refunded[0].find("vat item 1: 15.46 x 1/3 = 5.15 (rounded half up to 0.01)"), std::string::npos)
      << refunded[0];
  EXPECT_TRUE(eventually([&] { return !bodiesWith(pay_, "refund-instructed").empty(); }));
  const auto instructed = bodiesWith(pay_, "refund-instructed");
  ASSERT_EQ(instructed.size(), 1u);
  EXPECT_NE(instructed[0].find(R"("refund":{"return_id":")" + returnId +
                               R"(","transaction_id":"pi_RET-1","amount":"7.55","currency":"EUR"})"),
            std::string::npos)
      << instructed[0];

  // The provider executes it and says so: the case stays refunded.
  const auto executed = payEvent(R"({"type":"refund.executed","transaction_id":"re_RET-1a","amount":"7.55",)"
                                 R"("currency":"EUR","case_id":")" + caseId +
                                 R"(","paid_at":"2026-12-06T11:00:00Z","refunded_transaction_id":"pi_RET-1"})");
  EXPECT_EQ(executed.status, 202) << executed.body;
  EXPECT_EQ(state(caseId), "refunded");

  // Return 2: the rest, first without proof (awaiting it), then the same again with it.
  const std::vector<std::string> rest = {item(1, "610910", "Cotton T-shirt", 2, "40.00"),
                                         item(2, "420221", "Leather handbag", 1, "45.00")};
  const auto unproven = file(returnFiling("RET-1", rest));
  ASSERT_EQ(unproven.status, 202) << unproven.body;
  v = view(caseId);
  EXPECT_EQ(v->getValue<std::string>("state"), "refunded");
  EXPECT_EQ(v->getArray("returns")->getObject(1)->getValue<std::string>("state"), "awaiting-proof");
  EXPECT_EQ(v->getObject("revenue")->getValue<std::string>("refunded"), "7.55");
  const auto proven = file(returnFiling("RET-1", {item(1, "610910", "Cotton T-shirt", 2, "40.00", kProof),
                                                  item(2, "420221", "Leather handbag", 1, "45.00")}));
  ASSERT_EQ(proven.status, 202) << proven.body;
  v = view(caseId);
  returns = v->getArray("returns");
  ASSERT_EQ(returns->size(), 2u);  // the second return completed, not a third one
  auto r2 = returns->getObject(1)->getObject("refund");
  EXPECT_EQ(r2->getValue<std::string>("amount"), "27.12");
  std::vector<std::string> whys;
  for (std::size_t i = 0; i < r2->getArray("lines")->size(); ++i) {
    whys.push_back(r2->getArray("lines")->getObject(i)->getValue<std::string>("why"));
  }
  // In the order customs assessed the lines: the duties, then the VAT.
  EXPECT_EQ(whys, (std::vector<std::string>{"7.20 - 2.40 refunded before = 4.80", "1.35 x 1/1 = 1.35",
                                            "15.46 - 5.15 refunded before = 10.31", "10.66 x 1/1 = 10.66"}));
  EXPECT_EQ(v->getObject("revenue")->getValue<std::string>("refunded"), "34.67");  // all that was paid
  EXPECT_TRUE(eventually([&] { return bodiesWith(pay_, "refund-instructed").size() == 2; }));

  // A third return of the handbag cannot refund it twice: held, with the reason.
  const auto again = file(returnFiling("RET-1", {item(2, "420221", "Leather handbag", 1, "45.00", kProof)}));
  ASSERT_EQ(again.status, 202) << again.body;
  v = view(caseId);
  EXPECT_EQ(v->getValue<std::string>("state"), "refunded");
  auto held = v->getArray("returns")->getObject(2);
  EXPECT_EQ(held->getValue<std::string>("state"), "held");
  EXPECT_EQ(held->getValue<std::string>("reason"),
            "return held, no refund: item 2 quantity: filed 1, inbound 0 left of 1 (1 returned by " +
                v->getArray("returns")->getObject(1)->getValue<std::string>("return_id") + ")");
  EXPECT_EQ(v->getObject("revenue")->getValue<std::string>("refunded"), "34.67");
  EXPECT_TRUE(eventually([&] { return !bodiesWith(shop_, R"("event":"return-held")").empty(); }));
  EXPECT_NE(bodiesWith(shop_, R"("event":"return-held")")[0].find("RET-ALREADY-RETURNED"), std::string::npos);

  // The trace shows every return with its arithmetic.
  const auto trace = request(hub_->address(), "GET", "/v1/admin/cases/" + caseId + "/trace", "",
                             {{"Authorization", "Bearer admin-token"}});
  ASSERT_EQ(trace.status, 200) << trace.body;
  EXPECT_NE(trace.body.find("15.46 x 1/3 = 5.15 (rounded half up to 0.01)"), std::string::npos);
  EXPECT_NE(trace.body.find("RET-ALREADY-RETURNED"), std::string::npos);
}

TEST_F(Returns, AMismatchIsHeldWithEveryDifference) {
  const std::string caseId = releasedCase("RET-2");
  const auto r = file(returnFiling("RET-2", {item(1, "620520", "Cotton shirt", 4, "70.00", kProof)}));
  ASSERT_EQ(r.status, 202) << r.body;
  auto v = view(caseId);
  EXPECT_EQ(v->getValue<std::string>("state"), "released");
  auto held = v->getArray("returns")->getObject(0);
  EXPECT_EQ(held->getValue<std::string>("state"), "held");
  EXPECT_EQ(held->getValue<std::string>("reason"),
            "return held, no refund: item 1 hs: filed 620520, inbound 610910; item 1 quantity: filed 4, inbound 3; "
            "item 1 value: filed 70.00, inbound 80.00 (60.00 x 4/3)");
  auto differences = held->getArray("differences");
  ASSERT_EQ(differences->size(), 3u);
  EXPECT_EQ(differences->getObject(0)->getValue<std::string>("field"), "hs");
  EXPECT_EQ(differences->getObject(0)->getValue<std::string>("filed"), "620520");
  EXPECT_EQ(differences->getObject(0)->getValue<std::string>("inbound"), "610910");
  EXPECT_TRUE(held->isNull("refund"));
  EXPECT_EQ(v->getObject("revenue")->getValue<std::string>("refunded"), "0.00");
  EXPECT_TRUE(eventually([&] { return !bodiesWith(shop_, R"("event":"return-held")").empty(); }));
  EXPECT_TRUE(bodiesWith(pay_, "refund-instructed").empty());
}

TEST_F(Returns, NothingPaidMeansNoRefundInstructionButTheCaseIsReturned) {
  // The intermediary model: charged to the carrier's account, nothing paid through a provider.
  const std::string caseId = fileCase(declaration("RET-3", "intermediary"));
  ASSERT_TRUE(eventually([&] { return state(caseId) == "released"; }));
  const auto r = file(returnFiling("RET-3", {item(2, "420221", "Leather handbag", 1, "45.00", kProof)}));
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(parse(r.body)->getArray("cases")->getObject(0)->getValue<std::string>("state"), "returned");
  auto v = view(caseId);
  EXPECT_EQ(v->getValue<std::string>("state"), "returned");
  EXPECT_EQ(v->getArray("returns")->getObject(0)->getValue<std::string>("state"), "returned");
  EXPECT_EQ(v->getObject("revenue")->getValue<std::string>("refunded"), "0.00");
  EXPECT_TRUE(eventually([&] { return !bodiesWith(shop_, R"("event":"returned")").empty(); }));
  EXPECT_TRUE(bodiesWith(pay_, "refund-instructed").empty());
  // A returned case is not amended any more.
  const auto amended = file(R"({"reference":"RET-3","filing":"arrival"})");
  EXPECT_EQ(amended.status, 400) << amended.body;
  EXPECT_NE(amended.body.find("is returned: an arrival cannot change it"), std::string::npos) << amended.body;
}

TEST_F(Returns, AReturnOfNoCaseOrNoItemsOrACancelledCaseIsRefused) {
  const auto unknown = file(returnFiling("NOPE", {item(1, "610910", "Cotton T-shirt", 1, "20.00", kProof)}));
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_NE(unknown.body.find("no case of partner 'shop' with reference 'NOPE' for this return"), std::string::npos)
      << unknown.body;

  const std::string caseId = releasedCase("RET-4");
  const auto none = file(R"({"reference":"RET-4","filing":"return","items":[]})");
  EXPECT_EQ(none.status, 400) << none.body;
  EXPECT_NE(none.body.find("a return names the items going back (each by its inbound sequence, with its hs, "
                           "quantity and value): none given"),
            std::string::npos)
      << none.body;
  EXPECT_EQ(state(caseId), "released");

  const std::string cancelledId = fileCase(declaration("RET-5", "consumer"));
  const auto cancel = file(R"({"reference":"RET-5","filing":"cancellation"})");
  ASSERT_EQ(cancel.status, 202) << cancel.body;
  const auto r = file(returnFiling("RET-5", {item(1, "610910", "Cotton T-shirt", 1, "20.00", kProof)}));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("case " + cancelledId +
                        " is cancelled: a return needs a released case, or a cleared one whose goods are not yet "
                        "delivered"),
            std::string::npos)
      << r.body;
  EXPECT_TRUE(view(cancelledId)->getArray("returns")->size() == 0);
}

}  // namespace
}  // namespace swhub::testing
