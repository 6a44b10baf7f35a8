// Customs decides on its own (issue 9): a day of mixed, realistic traffic through a real hub with
// the example config, whose `customs` agency is the in-process customs plugin. Every category,
// revenue line and release below is computed by hand in the comments, under a jurisdiction written
// here (the EU rules of 2026 without their dates, so that the figures never depend on the day the
// test runs; config/jurisdictions/ is tested with its dates by the plugin's own tests).
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <set>
#include <string>
#include <vector>

#include "hub_process.hpp"
#include "test_json.hpp"
#include "payment_signature.hpp"
#include "receiver.hpp"

namespace swhub::testing {
namespace {

using Poco::JSON::Object;

// Portugal under the EU rules as they stand in 2026 (VAT 23 %, no VAT threshold, the temporary
// 3 EUR duty per distinct 6-digit classification in consignments up to 150 EUR instead of the
// tariff, the tariff above), undated; USD at 1.25 per EUR, no rate for JPY.
const char* kJurisdiction = R"yaml(jurisdiction:
  id: PT
  currency: EUR
  rounding: {mode: half-up, decimals: 2}
  low_value: [{amount: "150", currency: EUR}]
  vat:
    - standard: "23"
      reduced: [{hs_prefix: "4901", rate: "6", name: "reduced (books)"}]
  charges:
    - name: EU temporary low-value duty
      tax: duty
      per: classification
      classification_digits: 6
      amount: "3"
      currency: EUR
      max_value: {amount: "150", currency: EUR}
      replaces_tariff: true
      in_vat_base: true
tariff:
  default: "0"
  rates:
    - {hs_prefix: "7113", rate: "2.5", name: "jewellery of precious metal"}
    - {hs_prefix: "6109", rate: "12", name: "T-shirts, knitted"}
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

const std::string kPaySecret = "demo-pay-hmac-secret-0123456789";  // config/hub.yaml, demo-pay

// One item of a canonical filing.
struct Line {
  Line(std::string hs, std::string description, std::string value, std::string currency = "EUR",
       std::string origin = "CN", std::string nature = "sale", double net_kg = 0.5)
      : hs(std::move(hs)), description(std::move(description)), value(std::move(value)),
        currency(std::move(currency)), origin(std::move(origin)), nature(std::move(nature)), net_kg(net_kg) {}
  std::string hs, description, value, currency, origin, nature;
  double net_kg;
};

struct Filing {
  // `kind` "declaration": goods presented, release needs the decisions and the revenue only.
  Filing(std::string reference, std::string kind, std::string seller, std::string model, std::vector<Line> items,
         std::string fiscal_extra = "")
      : reference(std::move(reference)), kind(std::move(kind)), seller(std::move(seller)), model(std::move(model)),
        items(std::move(items)), fiscal_extra(std::move(fiscal_extra)) {}
  std::string reference, kind, seller, model;
  std::vector<Line> items;
  std::string fiscal_extra;  // more fields of `fiscal`
  std::string arrival = "2030-01-01T08:00:00Z";
};

std::string json(const Filing& f) {
  std::string items;
  int seq = 0;
  for (const auto& i : f.items) {
    if (!items.empty()) items += ",";
    items += R"({"sequence":)" + std::to_string(++seq) + R"(,"description":")" + i.description + R"(","hs":")" + i.hs +
             R"(","quantity":1,"unit":"pce","net_kg":)" + std::to_string(i.net_kg) + R"(,"value":)" + i.value +
             R"(,"currency":")" + i.currency + R"(","origin":")" + i.origin + R"(","nature":")" + i.nature +
             R"(","documents":[]})";
  }
  return R"({"reference":")" + f.reference + R"(","filing":")" + f.kind +
         R"(","parties":{"seller":{"name":"Seller","country":"CN","id":")" + f.seller +
         R"("},"buyer":{"name":"Ana Silva","country":"PT","id":"PT-BUYER-1"}},)"
         R"("transport":{"mode":"air","departure":"CN","destination":"PT","arrival":")" + f.arrival + R"("},)"
         R"("fiscal":{"model":")" + f.model + "\"" + f.fiscal_extra + R"(},"items":[)" + items + "]}";
}

class CustomsDay : public ::testing::Test {
 protected:
  void SetUp() override {
    writeFile(dir_.file("jurisdiction.yaml"), kJurisdiction);
    std::string yaml = readFile(exampleConfig());
    replaceOnce(yaml, "  max_queued: 256\n", "  max_queued: 256\n  plugin_dir: " + std::string(SWHUB_PLUGIN_DIR) + "\n");
    replaceOnce(yaml, "jurisdiction_file: jurisdictions/pt-eu-2026.yaml", "jurisdiction_file: jurisdiction.yaml");
    replaceOnce(yaml, "nomenclature: tariff/", "nomenclature: " + std::string(SWHUB_SOURCE_ROOT) + "/config/tariff/");
    // The hub draws case ids at random: compliance sampling would inspect a random 2 % of them.
    replaceOnce(yaml, R"(random: {rate: "0.02")", R"(random: {rate: "0")");
    writeFile(dir_.file("hub.yaml"), yaml);
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{
        "serve", "--config", dir_.file("hub.yaml"), "--listen", "127.0.0.1:0", "--journal",
        "sqlite:" + dir_.file("journal.db")});
  }

  HttpResponse as(const std::string& token, const std::string& method, const std::string& path,
                  const std::string& body = "", std::map<std::string, std::string> headers = {}) {
    headers["Authorization"] = "Bearer " + token;
    if (!body.empty() && !headers.count("Content-Type")) headers["Content-Type"] = "application/json";
    return request(hub_->address(), method, path, body, headers);
  }

  // Files as demo-shop (canonical JSON); returns the case id.
  std::string file(const Filing& f, const std::string& token = "demo-shop-token") {
    const auto r = as(token, "POST", "/v1/messages", json(f), {{"Content-Type", "application/vnd.swhub.consignment+json"}});
    EXPECT_EQ(r.status, 202) << r.body;
    if (r.status != 202) return "";
    return parse(r.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
  }

  Object::Ptr view(const std::string& caseId, const std::string& token = "demo-admin-token") {
    const auto r = as(token, "GET", "/v1/cases/" + caseId);
    EXPECT_EQ(r.status, 200) << r.body;
    return parse(r.body);
  }

  // Waits until customs has decided on the case; returns the admin's view.
  Object::Ptr assessed(const std::string& caseId) {
    EXPECT_TRUE(eventually([&] {
      auto decisions = view(caseId)->getObject("decisions");
      return decisions->getObject("customs")->getValue<std::string>("outcome") != "pending";
    })) << caseId;
    return view(caseId);
  }

  HttpResponse pay(const std::string& caseId, const std::string& transaction, const std::string& amount) {
    const std::string event = R"({"type":"payment.confirmed","transaction_id":")" + transaction + R"(","amount":")" +
                              amount + R"(","currency":"EUR","case_id":")" + caseId +
                              R"(","paid_at":"2026-12-06T10:00:00Z"})";
    return as("demo-pay-token", "POST", "/v1/messages", event,
              {{"Content-Type", "application/vnd.swhub.payment+json"},
               {"X-Swhub-Signature", paymentSignature(event, nowSeconds(), kPaySecret)}});
  }

  HttpResponse decide(const std::string& agency, const std::string& caseId, const std::string& decision,
                      const std::string& reason) {
    return as("demo-" + agency + "-token", "POST", "/v1/agency/decisions",
              R"({"case_id":")" + caseId + R"(","decision":")" + decision + R"(","reason":")" + reason +
                  R"(","decided_at":")" + nowRfc3339() + "\"}");
  }

  // Now, with milliseconds: an officer's decision comes after the plugin's of the same second.
  static std::string nowRfc3339() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    char text[40];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", std::gmtime(&seconds));
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03dZ", text, static_cast<int>(ms));
    return out;
  }

  TempDir dir_;
  std::unique_ptr<HubProcess> hub_;
};

// A revenue line as the case view shows it: "tax item base rate amount collected" with "-" for
// null ("duty 1 45.00 - 3.00 due").
std::vector<std::string> lines(const Object::Ptr& view) {
  std::vector<std::string> out;
  auto list = view->getObject("revenue")->getArray("lines");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto l = list->getObject(i);
    out.push_back(l->getValue<std::string>("tax") + " " + (l->isNull("item") ? "-" : l->get("item").toString()) + " " +
                  l->getValue<std::string>("base") + " " + (l->isNull("rate") ? "-" : l->getValue<std::string>("rate")) +
                  " " + l->getValue<std::string>("amount") + " " + l->getValue<std::string>("currency") + " " +
                  (l->getValue<bool>("collected_at_sale") ? "at-sale" : "due"));
  }
  return out;
}

std::string text(const Object::Ptr& o, const std::string& key) {
  return o->isNull(key) ? "null" : o->get(key).toString();
}

std::set<std::string> riskCodes(const Object::Ptr& view) {
  std::set<std::string> codes;
  if (view->isNull("risk")) return codes;
  auto reasons = view->getObject("risk")->getArray("reasons");
  for (std::size_t i = 0; i < reasons->size(); ++i) codes.insert(reasons->getObject(i)->getValue<std::string>("code"));
  return codes;
}

TEST_F(CustomsDay, CategoriesRevenueAndReleasesOfADayOfMixedTraffic) {
  // 1. A handbag, 45.00 EUR, consumer: category 3. Duty 3.00 (one classification, 420222) on item
  //    1; VAT 23 % of 45.00 + 3.00 = 48.00 -> 11.04. Due 14.04; released once paid.
  const std::string bag = file({"DAY-01", "declaration", "CN-SHOP-1", "consumer", {{"420222", "Leather handbag", "45.00"}}});
  // 2. Documents only: category 1, nothing to assess, released at once.
  const std::string docs = file({"DAY-02", "declaration", "CN-SHOP-1", "consumer",
                                 {{"490700", "Signed contract", "0.00", "EUR", "CN", "documents"}}});
  // 3. A gold necklace, 5,000.00 EUR, under the intermediary model (the case of issue 9): category
  //    4, so the tariff: 2.5 % of 5,000.00 = 125.00; VAT 23 % of 5,125.00 = 1,178.75; due 1,303.75,
  //    charged to the carrier's account. Category 4 routes it to product safety too.
  const std::string necklace = file({"DAY-03", "declaration", "IN-JEWEL-1", "intermediary",
                                     {{"711319", "Gold necklace 18 carat", "5000.00", "EUR", "IN", "sale", 0.05}}});
  // 4. A marketplace order under a valid IOSS-like registration, tax collected at sale 11.50 EUR
  //    (23 % of 50.00): vendor model. Two T-shirts (one classification, 610910) and a cap (650500):
  //    duty 3.00 on item 1 (base: both shirts, 40.00) and 3.00 on item 3; VAT 23 % of 23.00, 20.00 and 13.00 = 5.29, 4.60,
  //    2.99, collected at sale. The 6.00 duty is a customs debt at import, paid by the declarant
  //    for the IOSS holder (not through IOSS): due, but release does not wait for the consumer.
  const std::string ioss =
      file({"DAY-04", "declaration", "CN-SHOP-2", "vendor",
            {{"610910", "Cotton T-shirt", "20.00"}, {"610910", "Cotton T-shirt", "20.00"}, {"650500", "Knitted cap", "10.00"}},
            R"(,"collected_at_sale":true,"registration":"IM9990000001","tax_collected":11.50,"tax_currency":"EUR")"});
  // 5. Issue 9's marketplace order: registration "x", 0.01 EUR of tax on a 1,450.00 EUR phone. The
  //    vendor model is refused (malformed registration): the consumer pays. Category 4, tariff 0 %:
  //    duty 0.00; VAT 23 % of 1,450.00 = 333.50; due 333.50.
  const std::string phone =
      file({"DAY-05", "declaration", "CN-SHOP-3", "vendor", {{"851713", "Smartphone", "1450.00", "EUR", "CN", "sale", 0.2}},
            R"(,"collected_at_sale":true,"registration":"x","tax_collected":0.01,"tax_currency":"EUR")"});
  // 6. The example's watchlisted seller: held (watchlist 70 + new seller 15 = 85 >= 70).
  const std::string watched = file({"DAY-06", "declaration", "CN-WATCHLIST-1", "consumer", {{"420222", "Handbag", "30.00"}}});
  // 7. Valued in JPY, for which there is no rate: held, never released at zero.
  const std::string yen = file({"DAY-07", "declaration", "CN-SHOP-1", "consumer", {{"420222", "Handbag", "5000", "JPY"}}});
  // 8. 62.50 USD at 1.25 USD per EUR = 50.00 EUR: duty 3.00; VAT 23 % of 53.00 = 12.19; due 15.19.
  const std::string dollars = file({"DAY-08", "declaration", "CN-SHOP-1", "consumer", {{"420222", "Handbag", "62.50", "USD"}}});
  // 9. Under the account model (a guarantee): duty 3.00, VAT 23 % of 103.00 = 23.69, due 26.69,
  //    released at once.
  const std::string account = file({"DAY-09", "declaration", "CN-SHOP-1", "account", {{"420222", "Handbag", "100.00"}}});
  // 10. Pre-loading data (ICS2) from the watchlisted seller, described as "gift": watchlist 70 +
  //     vague 25 (+ not new any more: DAY-06 came first) = 95 >= 90: do not load.
  const std::string dnl = file({"DAY-10", "pre-loading", "CN-WATCHLIST-1", "consumer", {{"420222", "gift", "30.00"}}});

  // 1.
  auto v = assessed(bag);
  EXPECT_EQ(text(v, "category"), "3");
  EXPECT_EQ(lines(v), (std::vector<std::string>{"duty 1 45.00 - 3.00 EUR due", "vat 1 48.00 23.00 11.04 EUR due"}));
  auto revenue = v->getObject("revenue");
  EXPECT_EQ(text(revenue, "model"), "consumer");
  EXPECT_EQ(text(revenue, "due"), "14.04");
  EXPECT_EQ(text(revenue, "paid"), "0.00");
  EXPECT_EQ(text(revenue, "currency"), "EUR");
  EXPECT_FALSE(revenue->getValue<bool>("settled"));
  EXPECT_EQ(v->getValue<std::string>("state"), "cleared");  // cleared by customs; waits for payment
  EXPECT_EQ(riskCodes(v), (std::set<std::string>{"RISK-NEW-PARTY"}));
  ASSERT_EQ(pay(bag, "pi_day_01", "14.04").status, 202);
  EXPECT_EQ(view(bag)->getValue<std::string>("state"), "released");

  // 2.
  v = assessed(docs);
  EXPECT_EQ(text(v, "category"), "1");
  EXPECT_TRUE(lines(v).empty());
  EXPECT_EQ(v->getValue<std::string>("state"), "released");

  // 3.
  v = assessed(necklace);
  EXPECT_EQ(text(v, "category"), "4");
  EXPECT_EQ(lines(v), (std::vector<std::string>{"duty 1 5000.00 2.50 125.00 EUR due",
                                                "vat 1 5125.00 23.00 1178.75 EUR due"}));
  EXPECT_EQ(text(v->getObject("revenue"), "due"), "1303.75");
  EXPECT_EQ(text(v->getObject("revenue"), "model"), "intermediary");
  EXPECT_TRUE(v->getObject("revenue")->getValue<bool>("settled"));
  ASSERT_TRUE(v->getObject("decisions")->has("product-safety")) << "category 4 routes to product safety";
  EXPECT_EQ(v->getValue<std::string>("state"), "under-assessment");
  ASSERT_EQ(decide("product-safety", necklace, "clear", "no product safety concern").status, 200);
  EXPECT_EQ(view(necklace)->getValue<std::string>("state"), "released");

  // 4.
  v = assessed(ioss);
  EXPECT_EQ(text(v, "category"), "3");  // low value, dutiable
  EXPECT_EQ(lines(v), (std::vector<std::string>{"duty 1 40.00 - 3.00 EUR due", "duty 3 10.00 - 3.00 EUR due",
                                                "vat 1 23.00 23.00 5.29 EUR at-sale", "vat 2 20.00 23.00 4.60 EUR at-sale",
                                                "vat 3 13.00 23.00 2.99 EUR at-sale"}));
  EXPECT_EQ(text(v->getObject("revenue"), "model"), "vendor");
  EXPECT_EQ(text(v->getObject("revenue"), "due"), "6.00");
  EXPECT_TRUE(v->getObject("revenue")->getValue<bool>("settled"));
  EXPECT_EQ(v->getValue<std::string>("state"), "released");

  // 5.
  v = assessed(phone);
  EXPECT_EQ(text(v, "category"), "4");
  EXPECT_EQ(text(v->getObject("revenue"), "model"), "consumer");
  EXPECT_NE(text(v->getObject("revenue"), "model_reason").find("registration 'x' is malformed"), std::string::npos)
      << text(v->getObject("revenue"), "model_reason");
  EXPECT_EQ(lines(v), (std::vector<std::string>{"duty 1 1450.00 0.00 0.00 EUR due", "vat 1 1450.00 23.00 333.50 EUR due"}));
  EXPECT_EQ(text(v->getObject("revenue"), "due"), "333.50");
  ASSERT_EQ(decide("product-safety", phone, "clear", "CE marking checked").status, 200);
  EXPECT_EQ(view(phone)->getValue<std::string>("state"), "cleared");  // the consumer has not paid
  ASSERT_EQ(pay(phone, "pi_day_05", "333.50").status, 202);
  EXPECT_EQ(view(phone)->getValue<std::string>("state"), "released");

  // 6. Held; the filer is told it is held, not why (risk criteria are confidential).
  v = assessed(watched);
  EXPECT_EQ(v->getValue<std::string>("state"), "held");
  EXPECT_EQ(riskCodes(v), (std::set<std::string>{"RISK-WATCHLIST", "RISK-NEW-PARTY"}));
  EXPECT_EQ(v->getObject("risk")->getValue<int>("score"), 85);
  const auto mine = as("demo-shop-token", "GET", "/v1/cases/" + watched);
  EXPECT_FALSE(parse(mine.body)->has("risk"));
  EXPECT_EQ(mine.body.find("RISK-WATCHLIST"), std::string::npos) << mine.body;
  EXPECT_EQ(mine.body.find("RISK-NEW-PARTY"), std::string::npos) << mine.body;
  EXPECT_EQ(mine.body.find("watchlist"), std::string::npos) << mine.body;
  // An officer inspects the goods and clears them: the later decision stands, with its reason.
  ASSERT_EQ(decide("customs", watched, "clear", "inspected: goods as declared").status, 200);
  v = view(watched);
  EXPECT_EQ(v->getObject("decisions")->getObject("customs")->getValue<std::string>("reason"), "inspected: goods as declared");
  EXPECT_EQ(v->getValue<std::string>("state"), "cleared");  // 3.00 + 23 % of 33.00 = 10.59 to pay
  EXPECT_EQ(text(v->getObject("revenue"), "due"), "10.59");

  // 7.
  v = assessed(yen);
  EXPECT_EQ(v->getValue<std::string>("state"), "held");
  auto customs = v->getObject("decisions")->getObject("customs");
  EXPECT_NE(customs->getValue<std::string>("reason").find("no rate for JPY"), std::string::npos) << customs->getValue<std::string>("reason");
  EXPECT_FALSE(v->getObject("revenue")->getValue<bool>("assessed"));
  EXPECT_TRUE(lines(v).empty());

  // 8.
  v = assessed(dollars);
  EXPECT_EQ(lines(v), (std::vector<std::string>{"duty 1 50.00 - 3.00 EUR due", "vat 1 53.00 23.00 12.19 EUR due"}));
  EXPECT_EQ(text(v->getObject("revenue"), "due"), "15.19");
  ASSERT_EQ(pay(dollars, "pi_day_08", "15.19").status, 202);
  EXPECT_EQ(view(dollars)->getValue<std::string>("state"), "released");

  // 9.
  v = assessed(account);
  EXPECT_EQ(text(v->getObject("revenue"), "due"), "26.69");
  EXPECT_EQ(v->getValue<std::string>("state"), "released");

  // 10.
  v = assessed(dnl);
  EXPECT_EQ(v->getObject("decisions")->getObject("customs")->getValue<std::string>("outcome"), "do-not-load");
  EXPECT_EQ(riskCodes(v), (std::set<std::string>{"RISK-WATCHLIST", "RISK-VAGUE"}));
  EXPECT_EQ(v->getObject("risk")->getValue<int>("score"), 95);

  // What the filer was told about the handbag: what is due and why, in its own format (demo-shop
  // pulls the canonical notification JSON).
  const auto pulled = as("demo-shop-token", "GET", "/v1/notifications?limit=200");
  ASSERT_EQ(pulled.status, 200);
  EXPECT_NE(pulled.body.find("14.04"), std::string::npos) << pulled.body;
  EXPECT_NE(pulled.body.find(R"("revenue_line":[{"tax":"duty","item":1,"base":"45.00","rate":null,"amount":"3.00")"),
            std::string::npos)
      << pulled.body;
  EXPECT_EQ(pulled.body.find("RISK-WATCHLIST"), std::string::npos);
}

TEST_F(CustomsDay, ASellerSeenBeforeIsNoLongerNew) {
  const std::string first = file({"NEW-01", "declaration", "CN-FRESH-1", "consumer", {{"420222", "Handbag", "45.00"}}});
  EXPECT_EQ(riskCodes(assessed(first)), (std::set<std::string>{"RISK-NEW-PARTY"}));
  const std::string second = file({"NEW-02", "declaration", "CN-FRESH-1", "consumer", {{"420222", "Handbag", "45.00"}}});
  EXPECT_EQ(riskCodes(assessed(second)), (std::set<std::string>{}));
  EXPECT_EQ(assessed(second)->getObject("risk")->getValue<int>("score"), 0);
}

}  // namespace
}  // namespace swhub::testing
