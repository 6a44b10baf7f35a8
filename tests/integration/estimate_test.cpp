// The public landed-cost estimate on a real hub with the example config (issue 14, item 4): no
// identity needed; computed by the same agency plugins as the border, so that the estimate of
// goods and the assessment of the same goods filed are equal line for line (in process and under
// `isolation: process`); parameter errors, search words, an agency's rule and licence per item,
// the risk never shown, the rate limit, and an estimate that is switched off.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <functional>
#include <memory>
#include <string>

#include "hub_process.hpp"
#include "receiver.hpp"
#include "test_json.hpp"

namespace swhub::testing {
namespace {

using Poco::JSON::Object;

// Bluetooth headphones from China, a cotton T-shirt from Bangladesh priced in dollars and a French
// cheese, flown from China to Portugal; the buyer pays at the border.
const std::string kQuery =
    "/v1/public/estimate?destination=PT&model=consumer&departure=CN&mode=air"
    "&items%5B0%5D.description=Bluetooth%20headphones&items%5B0%5D.hs=851830&items%5B0%5D.value=48.00"
    "&items%5B0%5D.currency=EUR&items%5B0%5D.origin=CN"
    "&items[1].description=Cotton%20T-shirt&items[1].hs=610910&items[1].value=20.00&items[1].currency=USD"
    "&items[1].origin=BD"
    "&items[2].description=Comte%20cheese&items[2].hs=040690&items[2].value=12.50&items[2].currency=EUR"
    "&items[2].origin=FR";

// The same goods as a canonical filing.
std::string filing(const std::string& reference) {
  return R"({"reference":")" + reference + R"(","filing":"pre-arrival",)"
         R"("parties":{"seller":{"name":"Gadget Export Ltd","country":"CN","id":"CN91440300MA5"},)"
         R"("buyer":{"name":"Ana Silva","country":"PT"}},)"
         R"("transport":{"mode":"air","departure":"CN","destination":"PT","arrival":"2030-01-01T08:00:00Z"},)"
         R"("fiscal":{"model":"consumer","collected_at_sale":false},"items":[)"
         R"({"sequence":1,"description":"Bluetooth headphones","hs":"851830","quantity":1,"unit":"pce","value":48.00,"currency":"EUR","origin":"CN","nature":"sale","documents":[]},)"
         R"({"sequence":2,"description":"Cotton T-shirt","hs":"610910","quantity":1,"unit":"pce","value":20.00,"currency":"USD","origin":"BD","nature":"sale","documents":[]},)"
         R"({"sequence":3,"description":"Comte cheese","hs":"040690","quantity":1,"unit":"pce","value":12.50,"currency":"EUR","origin":"FR","nature":"sale","documents":[]}]})";
}

const std::map<std::string, std::string> kAdmin{{"Authorization", "Bearer demo-admin-token"}};

class Estimate : public ::testing::Test {
 protected:
  void start(const std::function<void(std::string&)>& edit = {}) {
    std::string yaml = exampleConfigText();
    replaceOnce(yaml, "  max_queued: 256\n", "  max_queued: 256\n  plugin_dir: " + std::string(SWHUB_PLUGIN_DIR) + "\n");
    if (edit) edit(yaml);
    writeFile(dir_.file("hub.yaml"), yaml);
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{"serve", "--config", dir_.file("hub.yaml"), "--listen",
                                                                 "127.0.0.1:0", "--journal", "sqlite:" + dir_.file("journal.db")});
  }

  HttpResponse get(const std::string& target, const std::map<std::string, std::string>& headers = {}) {
    return request(hub_->address(), "GET", target, "", headers);
  }

  // The estimate's lines and the case view's, each as one comparable text.
  static std::vector<std::string> linesOf(const Poco::JSON::Array::Ptr& lines) {
    std::vector<std::string> out;
    for (unsigned i = 0; i < lines->size(); ++i) {
      auto l = lines->getObject(i);
      out.push_back(l->getValue<std::string>("tax") + "|" + (l->isNull("item") ? "-" : l->get("item").toString()) + "|" +
                    l->getValue<std::string>("base") + "|" + (l->isNull("rate") ? "-" : l->getValue<std::string>("rate")) +
                    "|" + l->getValue<std::string>("amount") + "|" + l->getValue<std::string>("currency") + "|" +
                    l->getValue<std::string>("why") + "|" + (l->getValue<bool>("collected_at_sale") ? "at-sale" : "due"));
    }
    return out;
  }

  // Files the goods as demo-shop and waits for customs' assessment; the admin's view of the case.
  Object::Ptr fileAndAssess(const std::string& reference) {
    const auto filed = request(hub_->address(), "POST", "/v1/messages", filing(reference),
                               {{"Authorization", "Bearer demo-shop-token"},
                                {"Content-Type", "application/vnd.swhub.consignment+json"},
                                {"Idempotency-Key", reference}});
    EXPECT_EQ(filed.status, 202) << filed.body;
    const std::string caseId = parse(filed.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
    Object::Ptr view;
    EXPECT_TRUE(eventually([&] {
      view = parse(request(hub_->address(), "GET", "/v1/cases/" + caseId, "", kAdmin).body);
      return view->getObject("revenue")->getValue<bool>("assessed");
    })) << caseId;
    return view;
  }

  // The agencies of item `index` of an estimate: id -> the object.
  static std::map<std::string, Object::Ptr> agenciesOf(const Object::Ptr& answer, unsigned index) {
    std::map<std::string, Object::Ptr> out;
    auto agencies = answer->getArray("items")->getObject(index)->getArray("agencies");
    for (unsigned i = 0; i < agencies->size(); ++i) out[agencies->getObject(i)->getValue<std::string>("agency")] = agencies->getObject(i);
    return out;
  }

  static std::vector<std::string> errorPaths(const std::string& body) {
    std::vector<std::string> out;
    auto errors = parse(body)->getArray("errors");
    for (unsigned i = 0; i < errors->size(); ++i) out.push_back(errors->getObject(i)->getValue<std::string>("path"));
    return out;
  }

  void expectEstimateEqualsAssessment() {
    const auto estimated = get(kQuery);
    ASSERT_EQ(estimated.status, 200) << estimated.body;
    const auto estimate = parse(estimated.body);
    const auto view = fileAndAssess("ESTIMATE-EQ-1");
    const auto revenue = view->getObject("revenue");
    // Line for line: tax, item, base, rate, amount, currency, the rule (why) and who collects it.
    const auto expected = linesOf(revenue->getArray("lines"));
    EXPECT_EQ(linesOf(estimate->getArray("lines")), expected);
    EXPECT_GE(expected.size(), 5u);  // 3 classification duties and 3 VAT lines under the 2026 rules
    EXPECT_EQ(estimate->getValue<std::string>("due"), revenue->getValue<std::string>("due"));
    EXPECT_EQ(estimate->getValue<std::string>("currency"), revenue->getValue<std::string>("currency"));
    EXPECT_EQ(estimate->getValue<std::string>("model"), revenue->getValue<std::string>("model"));
    EXPECT_EQ(estimate->getValue<int>("category"), view->getValue<int>("category"));
    EXPECT_EQ(estimate->getValue<std::string>("total"), revenue->getValue<std::string>("due"));  // consumer: all due
  }

  TempDir dir_;
  std::unique_ptr<HubProcess> hub_;
};

TEST_F(Estimate, EqualsTheAssessmentOfTheSameGoodsFiled) {
  start();
  expectEstimateEqualsAssessment();
}

TEST_F(Estimate, EqualsTheAssessmentWithTheCustomsPluginInItsOwnProcess) {
  start([](std::string& yaml) {
    replaceOnce(yaml, "customs: {library: swhub_customs.so}", "customs: {library: swhub_customs.so, isolation: process}");
  });
  expectEstimateEqualsAssessment();
}

TEST_F(Estimate, NeedsNoIdentityMakesNoCaseAndNeverShowsTheRisk) {
  start();
  for (const std::map<std::string, std::string>& headers :
       {std::map<std::string, std::string>{}, std::map<std::string, std::string>{{"Authorization", "Bearer wrong"}}}) {
    const auto answer = get(kQuery + "&items[3].hs=930320&items[3].value=90&items[3].currency=EUR&items[3].origin=IT", headers);
    ASSERT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(answer.headers.at("Content-Type"), "application/json");
    for (const std::string secret : {"risk", "RISK", "selected for a customs check", "CUS-", "watchlist"}) {
      EXPECT_EQ(answer.body.find(secret), std::string::npos) << secret << " in " << answer.body;
    }
    const auto estimate = parse(answer.body);
    EXPECT_TRUE(estimate->getValue<bool>("estimate"));
    // The headphones: customs, and product safety (an external system: not known in advance).
    auto headphones = agenciesOf(estimate, 0);
    ASSERT_EQ(headphones.size(), 2u);
    EXPECT_EQ(headphones["product-safety"]->getValue<std::string>("decides"), "by-an-officer");
    EXPECT_EQ(headphones["customs"]->getArray("requirements")->size(), 0u);
    // The cheese: food safety's rule asks for a veterinary health certificate.
    auto cheese = agenciesOf(estimate, 2);
    ASSERT_EQ(cheese.count("food-safety"), 1u);
    EXPECT_EQ(cheese["food-safety"]->getValue<std::string>("name"), "Food Safety Authority");
    auto rule = cheese["food-safety"]->getArray("requirements")->getObject(0);
    EXPECT_EQ(rule->getValue<std::string>("kind"), "rule");
    EXPECT_EQ(rule->getValue<std::string>("text"), "products of animal origin need a veterinary health certificate (C640)");
    EXPECT_EQ(rule->getValue<std::string>("code"), "FS-VET");
    EXPECT_EQ(agenciesOf(estimate, 0).count("food-safety"), 0u);
    // The shotgun: customs clears arms only against an import licence.
    auto shotgun = agenciesOf(estimate, 3);
    auto licence = shotgun["customs"]->getArray("requirements")->getObject(0);
    EXPECT_EQ(licence->getValue<std::string>("kind"), "licence");
    EXPECT_EQ(licence->getArray("document_types")->getElement<std::string>(0), "licence");
  }
  // Nothing journaled: no message, no case.
  const auto stats = parse(request(hub_->address(), "GET", "/v1/admin/stats", "", kAdmin).body);
  EXPECT_EQ(stats->getValue<int>("messages"), 0);
  EXPECT_EQ(stats->getValue<int>("cases"), 0);
}

TEST_F(Estimate, EveryBadParameterIsNamed) {
  start();
  const auto none = get("/v1/public/estimate");
  EXPECT_EQ(none.status, 400);
  EXPECT_EQ(none.headers.at("Content-Type"), "application/problem+json");
  EXPECT_EQ(parse(none.body)->getValue<std::string>("type"), "urn:swhub:problem:invalid-estimate");
  EXPECT_EQ(errorPaths(none.body), (std::vector<std::string>{"destination", "items"}));

  const auto bad = get("/v1/public/estimate?destination=ES&items[0].hs=85&items[0].value=ten&items[0].currency=EUR"
                       "&items[0].origin=CN&items[1].search=headphones&items[1].value=1&items[1].currency=EUR"
                       "&items[1].origin=CN&colour=red");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(errorPaths(bad.body), (std::vector<std::string>{"colour", "items[0].hs", "items[0].value"}));
  const auto elsewhere = get("/v1/public/estimate?destination=ES&items[0].hs=851830&items[0].value=1&items[0].currency=EUR"
                             "&items[0].origin=CN");
  EXPECT_EQ(elsewhere.status, 400);
  EXPECT_EQ(errorPaths(elsewhere.body), (std::vector<std::string>{"destination"}));

  // The JSON body: the same answer as the query string, the same paths in its errors.
  const std::string body =
      R"({"destination":"PT","departure":"CN","mode":"air","items":[)"
      R"({"description":"Bluetooth headphones","hs":"851830","value":"48.00","currency":"EUR","origin":"CN"},)"
      R"({"description":"Cotton T-shirt","hs":"610910","value":20,"currency":"USD","origin":"BD"},)"
      R"({"description":"Comte cheese","hs":"040690","value":12.5,"currency":"EUR","origin":"FR"}]})";
  const auto posted = request(hub_->address(), "POST", "/v1/public/estimate", body, {{"Content-Type", "application/json"}});
  ASSERT_EQ(posted.status, 200) << posted.body;
  const auto got = get(kQuery);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(linesOf(parse(posted.body)->getArray("lines")), linesOf(parse(got.body)->getArray("lines")));
  const auto notJson = request(hub_->address(), "POST", "/v1/public/estimate", "destination=PT");
  EXPECT_EQ(notJson.status, 400);
  EXPECT_EQ(errorPaths(notJson.body), (std::vector<std::string>{"body"}));
  EXPECT_EQ(request(hub_->address(), "PUT", "/v1/public/estimate", "{}").status, 405);
}

TEST_F(Estimate, ASearchWordResolvesOrAnswersTheCandidatesOrIsNamed) {
  start();
  const std::string rest = "&items[0].value=48&items[0].currency=EUR&items[0].origin=CN";
  const auto unique = get("/v1/public/estimate?destination=PT&items[0].search=headphones" + rest);
  ASSERT_EQ(unique.status, 200) << unique.body;
  auto item = parse(unique.body)->getArray("items")->getObject(0);
  EXPECT_EQ(item->getValue<std::string>("hs"), "851830");
  EXPECT_EQ(item->getValue<std::string>("resolved_from"), "headphones");

  const auto ambiguous = get("/v1/public/estimate?destination=PT&items[0].search=watch" + rest);
  EXPECT_EQ(ambiguous.status, 400);
  const auto problem = parse(ambiguous.body);
  EXPECT_EQ(problem->getValue<std::string>("type"), "urn:swhub:problem:ambiguous-search");
  EXPECT_EQ(errorPaths(ambiguous.body), (std::vector<std::string>{"items[0].search"}));
  auto candidates = problem->getArray("candidates")->getObject(0);
  EXPECT_EQ(candidates->getValue<std::string>("path"), "items[0].search");
  auto headings = candidates->getArray("headings");
  ASSERT_EQ(headings->size(), 3u);
  EXPECT_EQ(headings->getObject(0)->getValue<std::string>("hs"), "910211");

  const auto unknown = get("/v1/public/estimate?destination=PT&items[0].search=xyzzy" + rest);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(parse(unknown.body)->getValue<std::string>("type"), "urn:swhub:problem:invalid-estimate");
  EXPECT_EQ(errorPaths(unknown.body), (std::vector<std::string>{"items[0].search"}));
}

TEST_F(Estimate, OneAddressIsLimitedThenAllowedAgainOnceItsBucketRefills) {
  start([](std::string& yaml) {
    replaceOnce(yaml, "    per_minute: 30\n    burst: 10\n", "    per_minute: 600\n    burst: 2\n");  // one every 100 ms
  });
  const std::string target = "/v1/public/estimate?destination=PT&items[0].hs=851830&items[0].value=48&items[0].currency=EUR"
                             "&items[0].origin=CN";
  // Two at once; a third right after is refused with when to come back (unless 100 ms passed between).
  int limited = 0;
  HttpResponse refused;
  for (int i = 0; i < 5 && limited == 0; ++i) {
    auto answer = get(target);
    if (answer.status == 429) {
      ++limited;
      refused = answer;
    }
  }
  ASSERT_EQ(limited, 1);
  EXPECT_EQ(refused.headers.at("Retry-After"), "1");
  EXPECT_EQ(parse(refused.body)->getValue<std::string>("type"), "urn:swhub:problem:too-many-estimates");
  EXPECT_TRUE(eventually([&] { return get(target).status == 200; }, std::chrono::seconds(5)));
}

TEST_F(Estimate, IsNotFoundWhenSwitchedOff) {
  start([](std::string& yaml) { replaceOnce(yaml, "  public_estimate:\n    enabled: true\n", "  public_estimate:\n    enabled: false\n"); });
  const auto off = get(kQuery);
  EXPECT_EQ(off.status, 404);
  EXPECT_EQ(parse(off.body)->getValue<std::string>("type"), "urn:swhub:problem:estimate-disabled");
}

}  // namespace
}  // namespace swhub::testing
