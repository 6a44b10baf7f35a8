// The estimator and its HTTP answers on fake agency plugins and a real route table: what is
// shown (category, revenue lines, each item's agencies with their licences and rules), what is
// never shown (an agency that scores risk: its decisions and findings), the second round on the
// category, and every refusal.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <future>
#include <mutex>
#include <thread>

#include "api/estimate_api.hpp"
#include "config/config.hpp"
#include "estimate/estimator.hpp"

namespace swhub::estimate {
namespace {

using Poco::JSON::Object;

// Customs-like: revenue lines (1.00 EUR VAT per item), category 4 above 150 EUR of goods, and a
// risk score that would hold every case: nothing of the risk may reach the estimate.
class FakeCustoms : public sdk::AgencyPlugin {
 public:
  bool fail = false;
  bool revenue = true;
  sdk::Result<sdk::Assessment> assess(const sdk::AssessmentRequest& r) const noexcept override {
    auto full = assessCase(r);
    if (!full.ok()) return full.errors();
    return full.value().assessment;
  }
  sdk::Result<sdk::CaseAssessment> assessCase(const sdk::AssessmentRequest& r) const noexcept override {
    if (fail) return sdk::Errors{{"", "plugin 'customs' did not answer in time during assess"}};
    sdk::CaseAssessment out;
    sdk::Decision d;
    d.decision = "hold";
    d.reason = "selected for a customs check";
    d.reason_codes = {"CUS-RISK-HOLD"};
    out.assessment.decisions.push_back(d);
    out.findings.risk_score = 80;
    out.findings.risk_reasons = {{"RISK-SECRET-PROFILE", 80, "seller on the secret watchlist"}};
    if (!revenue) return out;
    sdk::Decimal value;
    for (const auto& item : r.consignment.items) {
      value = value + item.value;
      out.findings.revenue.push_back({"vat", item.sequence, item.value, sdk::Decimal::parse("23"),
                                      *sdk::Decimal::parse("1.00"), "EUR", "standard rate: 23 %", false});
      out.findings.due = out.findings.due + *sdk::Decimal::parse("1.00");
    }
    out.findings.category = value > *sdk::Decimal::parse("150") ? 4 : 3;
    out.findings.revenue_assessed = true;
    out.findings.model = r.consignment.fiscal.model;
    out.findings.currency = "EUR";
    return out;
  }
};

// Rules-like: holds the dairy items for want of a certificate, clears the rest; remembers what it saw.
class FakeRules : public sdk::AgencyPlugin {
 public:
  mutable std::mutex mutex;
  mutable std::vector<sdk::AssessmentRequest> seen;
  sdk::Result<sdk::Assessment> assess(const sdk::AssessmentRequest& r) const noexcept override {
    {
      std::lock_guard lock(mutex);
      seen.push_back(r);
    }
    sdk::Assessment out;
    std::vector<int> dairy;
    for (const auto& item : r.consignment.items) {
      if (item.hs.rfind("04", 0) == 0) dairy.push_back(item.sequence);
    }
    if (!dairy.empty()) {
      out.decisions.push_back({"hold", "products of animal origin need a veterinary health certificate (C640)", dairy,
                               {"FS-VET"}, std::nullopt, std::nullopt, std::nullopt});
    }
    out.decisions.push_back({"clear", "no food safety concern", {}, {}, std::nullopt, std::nullopt, std::nullopt});
    return out;
  }
};

// Customs that waits in its assessment until the test lets it go (signalling that it is in).
class HeldCustoms : public FakeCustoms {
 public:
  mutable std::promise<void> entered;
  mutable std::once_flag once;
  std::shared_future<void> release;
  sdk::Result<sdk::CaseAssessment> assessCase(const sdk::AssessmentRequest& r) const noexcept override {
    std::call_once(once, [&] { entered.set_value(); });
    release.wait();
    return FakeCustoms::assessCase(r);
  }
};

const char* kRoutes = R"(
- name: every-filing-to-customs
  require: [customs]
- name: food
  match: {hs_prefix: ["04", "02"]}
  require: [food-safety]
- name: electrical
  match: {hs_prefix: ["8518"]}
  require: [product-safety]
- name: high-value
  match: {categories: [4]}
  require: [plant-health]
)";

class estimate_estimator : public ::testing::Test {
 protected:
  estimate_estimator() {
    auto table = routing::RouteTable::compile(config::parseYamlString(kRoutes));
    EXPECT_TRUE(table.ok()) << (table.ok() ? "" : sdk::formatErrors(table.errors()));
    routes_ = table.take();
  }

  EstimateSources sources() {
    EstimateSources s;
    s.plugins["customs"] = {&customs_, true, "customs"};
    s.plugins["food-safety"] = {&rules_, false, "rules"};
    s.plugins["plant-health"] = {&plants_, false, "rules"};
    s.agencyNames = {{"customs", "Customs"}, {"food-safety", "Food Safety Authority"},
                     {"product-safety", "Product Safety Authority"}, {"plant-health", "Plant Health"}};
    s.routes = [this] { return routes_; };
    s.licences = std::make_shared<release::LicenceControl>(std::map<std::string, std::vector<release::LicenceRequirement>>{
        {"customs", {{"arms-import-licence", {"93"}, {"licence"}}}}});
    s.destinations = {"PT"};
    return s;
  }

  Estimator estimator() {
    return Estimator(sources(), HeadingSearch({{"851830", "Headphones and earphones", {"headphones"}},
                                               {"910211", "Wrist-watches with hands", {"watch"}},
                                               {"910212", "Wrist-watches with a digital display", {"watch"}},
                                               {"040690", "Cheese", {"cheese"}}}));
  }

  static EstimateQuery query(std::vector<ItemQuery> items) {
    EstimateQuery q;
    q.destination = "PT";
    q.items = std::move(items);
    return q;
  }
  static ItemQuery item(std::string hs, std::string value, std::string search = "") {
    ItemQuery i;
    i.hs = std::move(hs);
    i.search = std::move(search);
    i.value = *sdk::Decimal::parse(value);
    i.currency = "EUR";
    i.origin = "CN";
    return i;
  }

  static Object::Ptr parse(const std::string& body) { return Poco::JSON::Parser().parse(body).extract<Object::Ptr>(); }

  // The agencies listed for item `index` of the answer: id -> the object.
  static std::map<std::string, Object::Ptr> agenciesOf(const Object::Ptr& answer, unsigned index) {
    std::map<std::string, Object::Ptr> out;
    auto agencies = answer->getArray("items")->getObject(index)->getArray("agencies");
    for (unsigned i = 0; i < agencies->size(); ++i) out[agencies->getObject(i)->getValue<std::string>("agency")] = agencies->getObject(i);
    return out;
  }

  FakeCustoms customs_;
  FakeRules rules_;
  FakeRules plants_;
  std::shared_ptr<const routing::RouteTable> routes_;
  const common::Instant now_ = *common::parseInstant("2026-12-06T10:00:00.000Z");
};

TEST_F(estimate_estimator, ShowsTheCategoryTheRevenueLinesAndTheirTotal) {
  const auto out = estimator().estimate(query({item("851830", "48.00"), item("040690", "12.00")}), now_);
  ASSERT_EQ(out.kind, EstimateOutcome::Kind::Estimated) << sdk::formatErrors(out.errors);
  const auto answer = parse(out.body);
  EXPECT_TRUE(answer->getValue<bool>("estimate"));
  EXPECT_NE(answer->getValue<std::string>("notice").find("An estimate, not a decision"), std::string::npos);
  EXPECT_EQ(answer->getValue<std::string>("assessed_on"), "2026-12-06");
  EXPECT_EQ(answer->getValue<int>("category"), 3);
  EXPECT_EQ(answer->getValue<std::string>("model"), "consumer");
  EXPECT_EQ(answer->getValue<std::string>("currency"), "EUR");
  auto lines = answer->getArray("lines");
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_EQ(lines->getObject(1)->getValue<int>("item"), 2);
  EXPECT_EQ(lines->getObject(1)->getValue<std::string>("why"), "standard rate: 23 %");
  EXPECT_EQ(answer->getValue<std::string>("total"), "2.00");
  EXPECT_EQ(answer->getValue<std::string>("due"), "2.00");
}

TEST_F(estimate_estimator, NeverShowsTheDecisionsOrFindingsOfAnAgencyThatScoresRisk) {
  const auto out = estimator().estimate(query({item("851830", "48.00")}), now_);
  ASSERT_EQ(out.kind, EstimateOutcome::Kind::Estimated);
  for (const std::string secret : {"risk", "RISK", "secret", "selected for a customs check", "CUS-RISK-HOLD", "80", "hold"}) {
    EXPECT_EQ(out.body.find(secret), std::string::npos) << secret << " in " << out.body;
  }
  auto agencies = agenciesOf(parse(out.body), 0);
  ASSERT_EQ(agencies.count("customs"), 1u);
  EXPECT_EQ(agencies["customs"]->getValue<std::string>("decides"), "automatically");
  EXPECT_EQ(agencies["customs"]->getArray("requirements")->size(), 0u);
}

TEST_F(estimate_estimator, ListsEachItemsAgenciesWithTheirRulesAndLicences) {
  const auto out = estimator().estimate(query({item("851830", "48.00"), item("040690", "12.00"), item("930320", "90.00")}), now_);
  ASSERT_EQ(out.kind, EstimateOutcome::Kind::Estimated) << sdk::formatErrors(out.errors);
  const auto answer = parse(out.body);
  auto headphones = agenciesOf(answer, 0);
  EXPECT_EQ(headphones.size(), 2u);
  EXPECT_EQ(headphones["product-safety"]->getValue<std::string>("name"), "Product Safety Authority");
  EXPECT_EQ(headphones["product-safety"]->getValue<std::string>("decides"), "by-an-officer");
  auto cheese = agenciesOf(answer, 1);
  ASSERT_EQ(cheese.count("food-safety"), 1u);
  auto rule = cheese["food-safety"]->getArray("requirements");
  ASSERT_EQ(rule->size(), 1u);
  EXPECT_EQ(rule->getObject(0)->getValue<std::string>("kind"), "rule");
  EXPECT_EQ(rule->getObject(0)->getValue<std::string>("decision"), "hold");
  EXPECT_EQ(rule->getObject(0)->getValue<std::string>("code"), "FS-VET");
  EXPECT_EQ(rule->getObject(0)->getValue<std::string>("text"), "products of animal origin need a veterinary health certificate (C640)");
  auto arms = agenciesOf(answer, 2);
  EXPECT_EQ(arms.size(), 1u);
  auto licence = arms["customs"]->getArray("requirements");
  ASSERT_EQ(licence->size(), 1u);
  EXPECT_EQ(licence->getObject(0)->getValue<std::string>("kind"), "licence");
  EXPECT_EQ(licence->getObject(0)->getArray("document_types")->getElement<std::string>(0), "licence");
  EXPECT_EQ(licence->getObject(0)->getValue<std::string>("text"),
            "a licence or certificate of type licence (arms-import-licence) registered with Customs, held by the importer, "
            "with quantity left");
  // The food agency saw its own item only, as at the border.
  ASSERT_EQ(rules_.seen.size(), 1u);
  ASSERT_EQ(rules_.seen[0].consignment.items.size(), 1u);
  EXPECT_EQ(rules_.seen[0].consignment.items[0].sequence, 2);
  EXPECT_EQ(rules_.seen[0].agency, "food-safety");
  EXPECT_EQ(rules_.seen[0].received_at, "2026-12-06T10:00:00.000Z");
}

TEST_F(estimate_estimator, TheCategoryRoutesTheGoodsToMoreAgenciesInASecondRound) {
  const auto out = estimator().estimate(query({item("851830", "200.00")}), now_);
  ASSERT_EQ(out.kind, EstimateOutcome::Kind::Estimated);
  EXPECT_EQ(parse(out.body)->getValue<int>("category"), 4);
  auto agencies = agenciesOf(parse(out.body), 0);
  ASSERT_EQ(agencies.count("plant-health"), 1u);
  EXPECT_EQ(agencies["plant-health"]->getValue<std::string>("decides"), "automatically");
  // It saw the goods as customs left them: category derived.
  ASSERT_EQ(plants_.seen.size(), 1u);
  EXPECT_EQ(plants_.seen[0].consignment.derived.category, 4);
  EXPECT_TRUE(rules_.seen.empty());
}

TEST_F(estimate_estimator, ASearchWordResolvesOrAnswersItsCandidatesOrIsNamed) {
  auto unique = estimator().estimate(query({item("", "48.00", "Headphones")}), now_);
  ASSERT_EQ(unique.kind, EstimateOutcome::Kind::Estimated);
  auto resolved = parse(unique.body)->getArray("items")->getObject(0);
  EXPECT_EQ(resolved->getValue<std::string>("hs"), "851830");
  EXPECT_EQ(resolved->getValue<std::string>("description"), "Headphones and earphones");
  EXPECT_EQ(resolved->getValue<std::string>("resolved_from"), "Headphones");

  auto ambiguous = estimator().estimate(query({item("851830", "1"), item("", "48.00", "watch")}), now_);
  ASSERT_EQ(ambiguous.kind, EstimateOutcome::Kind::Invalid);
  EXPECT_TRUE(ambiguous.ambiguous);
  ASSERT_EQ(ambiguous.errors.size(), 1u);
  EXPECT_EQ(ambiguous.errors[0].path, "items[1].search");
  EXPECT_EQ(ambiguous.errors[0].message,
            "'watch' fits 2 subheadings: 910211 (Wrist-watches with hands), 910212 (Wrist-watches with a digital "
            "display); ask again with one of them as items[1].hs");
  EXPECT_EQ(ambiguous.candidates,
            R"([{"path":"items[1].search","search":"watch","headings":[{"hs":"910211","description":"Wrist-watches with hands"},)"
            R"({"hs":"910212","description":"Wrist-watches with a digital display"}]}])");
  EXPECT_TRUE(rules_.seen.empty());  // nothing assessed on a guess

  auto unknown = estimator().estimate(query({item("", "48.00", "xyzzy"), item("", "1", "watch")}), now_);
  ASSERT_EQ(unknown.kind, EstimateOutcome::Kind::Invalid);
  EXPECT_FALSE(unknown.ambiguous);
  ASSERT_EQ(unknown.errors.size(), 2u);
  EXPECT_EQ(unknown.errors[0].path, "items[0].search");
  EXPECT_EQ(unknown.errors[0].message, "no subheading is known for 'xyzzy': try another word, or give the HS code as items[0].hs");
}

TEST_F(estimate_estimator, RefusesADestinationTheBorderDoesNotServe) {
  EstimateQuery q = query({item("851830", "48.00")});
  q.destination = "ES";
  auto out = estimator().estimate(q, now_);
  ASSERT_EQ(out.kind, EstimateOutcome::Kind::Invalid);
  EXPECT_EQ(sdk::formatErrors(out.errors), "destination: this hub estimates for goods bound for PT only, not ES\n");
}

TEST_F(estimate_estimator, AFailedPluginIsUnavailableAndNoRevenueIsNotAssessable) {
  customs_.fail = true;
  auto failed = estimator().estimate(query({item("851830", "48.00")}), now_);
  ASSERT_EQ(failed.kind, EstimateOutcome::Kind::Unavailable);
  EXPECT_EQ(sdk::formatErrors(failed.errors), "agencies.customs: the agency 'customs' could not assess the goods just now; try again\n");
  customs_.fail = false;
  customs_.revenue = false;
  auto none = estimator().estimate(query({item("851830", "48.00")}), now_);
  ASSERT_EQ(none.kind, EstimateOutcome::Kind::NotAssessable);
  EXPECT_EQ(sdk::formatErrors(none.errors),
            "items: no agency could assess duties and taxes on these goods on 2026-12-06 (a currency without an exchange "
            "rate in force, for instance)\n");
}

TEST_F(estimate_estimator, TheHttpAnswersAreProblemsNamingWhatToChange) {
  config::PublicEstimateConfig settings;
  settings.enabled = true;
  settings.per_minute = 60;
  settings.burst = 2;
  std::chrono::steady_clock::time_point now{};
  api::EstimateApi estimates(settings, std::make_unique<Estimator>(estimator()), [&] { return now; });
  const Parameters good = {{"destination", "PT"}, {"items[0].search", "headphones"}, {"items[0].value", "48.00"},
                           {"items[0].currency", "EUR"}, {"items[0].origin", "CN"}};
  auto ok = estimates.get("192.0.2.1", good);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.contentType, "application/json");

  Parameters watch = good;
  watch[1].second = "watch";
  auto ambiguous = estimates.get("192.0.2.1", watch);
  EXPECT_EQ(ambiguous.status, 400);
  EXPECT_EQ(ambiguous.contentType, "application/problem+json");
  auto problem = parse(ambiguous.body);
  EXPECT_EQ(problem->getValue<std::string>("type"), "urn:swhub:problem:ambiguous-search");
  EXPECT_EQ(problem->getArray("candidates")->getObject(0)->getArray("headings")->size(), 2u);
  EXPECT_EQ(problem->getArray("errors")->getObject(0)->getValue<std::string>("path"), "items[0].search");

  auto limited = estimates.get("192.0.2.1", good);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(parse(limited.body)->getValue<std::string>("type"), "urn:swhub:problem:too-many-estimates");
  ASSERT_EQ(limited.headers.size(), 1u);
  EXPECT_EQ(limited.headers[0], (std::pair<std::string, std::string>{"Retry-After", "1"}));
  now += std::chrono::seconds(1);
  EXPECT_EQ(estimates.get("192.0.2.1", good).status, 200);

  auto bad = estimates.post("192.0.2.2", R"({"destination":"PT","items":[{"hs":"85","value":"x","currency":"EUR","origin":"CN"}]})");
  EXPECT_EQ(bad.status, 400);
  auto invalid = parse(bad.body);
  EXPECT_EQ(invalid->getValue<std::string>("type"), "urn:swhub:problem:invalid-estimate");
  EXPECT_EQ(invalid->getArray("errors")->size(), 2u);
  EXPECT_FALSE(invalid->has("candidates"));

  settings.enabled = false;
  api::EstimateApi off(settings, std::make_unique<Estimator>(estimator()));
  auto disabled = off.get("192.0.2.1", good);
  EXPECT_EQ(disabled.status, 404);
  EXPECT_EQ(parse(disabled.body)->getValue<std::string>("type"), "urn:swhub:problem:estimate-disabled");
}

TEST_F(estimate_estimator, EstimatesBeyondMaxInProgressAreRefusedAtOnce) {
  HeldCustoms held;
  std::promise<void> go;
  held.release = go.get_future().share();
  EstimateSources s = sources();
  s.plugins["customs"] = {&held, true, "customs"};
  config::PublicEstimateConfig settings;
  settings.enabled = true;
  settings.max_in_progress = 1;
  api::EstimateApi estimates(settings, std::make_unique<Estimator>(std::move(s), HeadingSearch({})));
  const Parameters good = {{"destination", "PT"}, {"items[0].hs", "851830"}, {"items[0].value", "48.00"},
                           {"items[0].currency", "EUR"}, {"items[0].origin", "CN"}};
  auto first = std::async(std::launch::async, [&] { return estimates.get("192.0.2.1", good); });
  held.entered.get_future().wait();  // the first is being computed
  auto busy = estimates.get("192.0.2.2", good);
  EXPECT_EQ(busy.status, 503);
  EXPECT_EQ(parse(busy.body)->getValue<std::string>("type"), "urn:swhub:problem:estimate-busy");
  EXPECT_EQ(busy.headers, (std::vector<std::pair<std::string, std::string>>{{"Retry-After", "1"}}));
  go.set_value();
  EXPECT_EQ(first.get().status, 200);
  // Its place is given back.
  EXPECT_EQ(estimates.get("192.0.2.2", good).status, 200);
}

}  // namespace
}  // namespace swhub::estimate
