// Statistics on a real hub (issue 14 item 1): filings from two partners, decisions with reason
// codes by three agencies through the API and a plugin, releases; GET /v1/admin/stats counts
// them exactly, puts release times in the right bucket and sums revenue as the case views do;
// GET /v1/agency/stats shows one agency its own figures only; /metrics has the same series.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cmath>
#include <map>

#include "common/instant.hpp"
#include "hub_process.hpp"
#include "receiver.hpp"
#include "swhub/sdk/model.hpp"
#include "test_json.hpp"

namespace swhub::testing {
namespace {

using Poco::JSON::Object;

std::string configText(bool externalCustoms) {
  std::string yaml = exampleConfigText();
  if (externalCustoms) yaml = withExternalCustoms(yaml);
  replaceOnce(yaml, "  max_queued: 256\n", "  max_queued: 256\n  plugin_dir: " + std::string(SWHUB_PLUGIN_DIR) + "\n");
  return yaml;
}

std::string filing(const std::string& reference, const std::string& items) {
  return R"({"reference":")" + reference + R"(","filing":"pre-arrival",)"
         R"("parties":{"seller":{"name":"Shop","country":"CN","id":"CN-S1"},"buyer":{"name":"Ana","country":"PT"}},)"
         R"("fiscal":{"model":"consumer","collected_at_sale":false,"registration":null},)"
         R"("items":[)" + items + "]}";
}

std::string item(int seq, const std::string& hs, const std::string& description, double value = 20.0) {
  char amount[32];
  std::snprintf(amount, sizeof amount, "%.2f", value);
  return R"({"sequence":)" + std::to_string(seq) + R"(,"description":")" + description + R"(","hs":")" + hs +
         R"(","quantity":1,"unit":"pce","value":)" + amount +
         R"(,"currency":"EUR","origin":"CN","nature":"sale","documents":[]})";
}

const std::string kCoffee = item(1, "090121", "Roasted coffee beans");
const std::string kToy = item(2, "950300", "Wooden toy train");

std::int64_t bucketBoundMs(std::int64_t ms) {
  const int bucket = ms <= 1 ? 0 : static_cast<int>(std::ceil(4.0 * std::log2(static_cast<double>(ms)) - 1e-9));
  return static_cast<std::int64_t>(std::ceil(std::exp2(bucket / 4.0) - 1e-9));
}

class Stats : public ::testing::Test {
 protected:
  void startHub(bool externalCustoms) {
    writeFile(dir_.file("hub.yaml"), configText(externalCustoms));
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{
        "serve", "--config", dir_.file("hub.yaml"), "--listen", "127.0.0.1:0", "--journal",
        "sqlite:" + dir_.file("journal.db")});
  }

  HttpResponse as(const std::string& token, const std::string& method, const std::string& path,
                  const std::string& body = "") {
    return requestAs(hub_->address(), token, method, path, body);
  }

  std::string file(const std::string& partner, const std::string& body) {
    const auto r = as("demo-" + partner + "-token", "POST", "/v1/messages", body);
    EXPECT_EQ(r.status, 202) << r.body;
    if (r.status != 202) return "";
    return parse(r.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
  }

  void arrive(const std::string& partner, const std::string& reference) {
    const auto r = as("demo-" + partner + "-token", "POST", "/v1/messages",
                      R"({"reference":")" + reference + R"(","filing":"arrival"})");
    ASSERT_EQ(r.status, 202) << r.body;
  }

  void decide(const std::string& agency, const std::string& caseId, const std::string& decision,
              const std::string& codes = "") {
    const auto r = as("demo-" + agency + "-token", "POST", "/v1/agency/decisions",
                      R"({"case_id":")" + caseId + R"(","decision":")" + decision + R"(","reason":"test",)" +
                          (codes.empty() ? "" : R"("reason_codes":[)" + codes + "],") +
                          R"("decided_at":")" + nowText() + "\"}");
    ASSERT_EQ(r.status, 200) << r.body;
  }

  static std::string nowText() { return common::toString(common::nowInstant()); }

  Object::Ptr caseView(const std::string& caseId) {
    const auto r = as("demo-admin-token", "GET", "/v1/cases/" + caseId);
    EXPECT_EQ(r.status, 200) << r.body;
    return parse(r.body);
  }

  std::string outcome(const std::string& caseId, const std::string& agency) {
    auto decisions = caseView(caseId)->getObject("decisions");
    return decisions->has(agency) ? decisions->getObject(agency)->getValue<std::string>("outcome") : "not-routed";
  }

  // From the trace: the milliseconds from filing to release.
  std::int64_t releaseMs(const std::string& caseId) {
    const auto trace = parse(as("demo-admin-token", "GET", "/v1/admin/cases/" + caseId + "/trace").body);
    auto events = trace->getArray("events");
    std::optional<common::Instant> filed, released;
    for (std::size_t i = 0; i < events->size(); ++i) {
      auto e = events->getObject(static_cast<unsigned>(i));
      const auto at = common::parseInstant(e->getValue<std::string>("at"));
      if (!filed) filed = at;
      if (e->getValue<std::string>("kind") == "transition" && e->has("to") && e->getValue<std::string>("to") == "released") {
        released = at;
      }
    }
    EXPECT_TRUE(filed && released) << caseId;
    if (!filed || !released) return -1;
    return std::chrono::duration_cast<std::chrono::milliseconds>(*released - *filed).count();
  }

  Object::Ptr stats(const std::string& token, const std::string& path) {
    const auto r = as(token, "GET", path);
    EXPECT_EQ(r.status, 200) << r.body;
    return parse(r.body);
  }

  static int count(const Object::Ptr& o, const std::string& key) { return o->has(key) ? o->getValue<int>(key) : 0; }

  TempDir dir_;
  std::unique_ptr<HubProcess> hub_;
};

TEST_F(Stats, countsReasonsAndReleaseTimesPerPartnerAndAgency) {
  startHub(true);
  // demo-shop: S1 (coffee and toy) released; S2 (toy) held by customs.
  const std::string s1 = file("shop", filing("ST-S1", kCoffee + "," + kToy));
  const std::string s2 = file("shop", filing("ST-S2", kToy));
  // demo-post, in the canonical format: P1 rejected by customs and held by product safety; P2 released.
  const std::string p1 = file("post", filing("ST-P1", kToy));
  const std::string p2 = file("post", filing("ST-P2", kToy));
  ASSERT_TRUE(eventually([&] { return outcome(s1, "food-safety") == "clear"; }));  // its plugin decides
  decide("customs", s1, "clear");
  decide("product-safety", s1, "clear");
  decide("customs", s2, "hold", R"("RISK-7")");
  decide("product-safety", s2, "clear");
  decide("customs", p1, "reject", R"("DOC-1","DOC-2")");
  decide("product-safety", p1, "hold", R"("PS-LABEL")");
  decide("customs", p2, "clear");
  decide("product-safety", p2, "clear");
  arrive("shop", "ST-S1");
  arrive("post", "ST-P2");
  ASSERT_EQ(caseView(s1)->getValue<std::string>("state"), "released");
  ASSERT_EQ(caseView(p2)->getValue<std::string>("state"), "released");

  const auto s = stats("demo-admin-token", "/v1/admin/stats");
  // The journal counts scripts read are still there.
  for (const char* key : {"messages", "cases", "commits", "batches", "outbox_pending", "journal_writable"}) {
    EXPECT_TRUE(s->has(key)) << key;
  }
  EXPECT_EQ(s->getValue<int>("cases"), 4);
  const auto filings = s->getObject("filings");
  EXPECT_EQ(filings->getValue<int>("total"), 6);
  EXPECT_EQ(count(filings->getObject("by_partner"), "demo-shop"), 3);
  EXPECT_EQ(count(filings->getObject("by_partner"), "demo-post"), 3);
  EXPECT_EQ(count(filings->getObject("by_kind"), "pre-arrival"), 4);
  EXPECT_EQ(count(filings->getObject("by_kind"), "arrival"), 2);
  const auto cases = s->getObject("cases_filed");
  EXPECT_EQ(cases->getValue<int>("total"), 4);
  EXPECT_EQ(count(cases->getObject("by_partner"), "demo-shop"), 2);
  EXPECT_EQ(count(cases->getObject("by_partner"), "demo-post"), 2);
  const auto items = s->getObject("items");
  EXPECT_EQ(items->getValue<int>("total"), 5);
  EXPECT_EQ(count(items->getObject("by_partner"), "demo-shop"), 3);

  const auto outcomes = s->getObject("outcomes");
  EXPECT_EQ(outcomes->getObject("clear")->getValue<int>("decisions"), 6);  // 2 customs, 3 product safety, 1 food
  EXPECT_EQ(count(outcomes->getObject("clear")->getObject("reasons"), "none"), 6);
  EXPECT_EQ(outcomes->getObject("hold")->getValue<int>("decisions"), 2);
  EXPECT_EQ(count(outcomes->getObject("hold")->getObject("reasons"), "RISK-7"), 1);
  EXPECT_EQ(count(outcomes->getObject("hold")->getObject("reasons"), "PS-LABEL"), 1);
  EXPECT_EQ(outcomes->getObject("reject")->getValue<int>("decisions"), 1);
  EXPECT_EQ(count(outcomes->getObject("reject")->getObject("reasons"), "DOC-1"), 1);
  EXPECT_EQ(count(outcomes->getObject("reject")->getObject("reasons"), "DOC-2"), 1);
  const auto byAgency = s->getObject("decisions_by_agency");
  EXPECT_EQ(count(byAgency->getObject("customs"), "clear"), 2);
  EXPECT_EQ(count(byAgency->getObject("customs"), "hold"), 1);
  EXPECT_EQ(count(byAgency->getObject("customs"), "reject"), 1);
  EXPECT_EQ(count(byAgency->getObject("product-safety"), "hold"), 1);
  EXPECT_EQ(count(byAgency->getObject("food-safety"), "clear"), 1);

  // Release times: each partner's one release, its percentile the bound of its bucket.
  const auto release = s->getObject("times")->getObject("filing_to_release");
  EXPECT_EQ(release->getObject("all")->getValue<int>("count"), 2);
  const auto shop = release->getObject("by_partner")->getObject("demo-shop");
  EXPECT_EQ(shop->getValue<int>("count"), 1);
  EXPECT_EQ(shop->getValue<std::int64_t>("p50_ms"), bucketBoundMs(releaseMs(s1)));
  EXPECT_EQ(shop->getValue<std::int64_t>("p99_ms"), bucketBoundMs(releaseMs(s1)));
  const auto post = release->getObject("by_partner")->getObject("demo-post");
  EXPECT_EQ(post->getValue<std::int64_t>("p90_ms"), bucketBoundMs(releaseMs(p2)));
  EXPECT_EQ(release->getObject("by_agency")->getObject("customs")->getValue<int>("count"), 2);
  EXPECT_EQ(release->getObject("by_agency")->getObject("food-safety")->getValue<int>("count"), 1);
  EXPECT_EQ(s->getObject("times")->getObject("arrival_to_release")->getObject("all")->getValue<int>("count"), 2);
  EXPECT_EQ(s->getObject("times")->getObject("filing_to_decision")->getObject("by_agency")->getObject("customs")->getValue<int>("count"), 4);
  const auto states = s->getObject("cases_by_state");
  EXPECT_EQ(count(states, "released"), 2);
  EXPECT_EQ(count(states, "held"), 1);
  EXPECT_EQ(count(states, "rejected"), 1);

  // One agency's view: the cases routed to it and its own decisions, nobody else's.
  const auto food = stats("demo-food-safety-token", "/v1/agency/stats");
  EXPECT_EQ(food->getObject("cases_filed")->getValue<int>("total"), 1);  // only S1 has coffee
  EXPECT_EQ(food->getObject("decisions_by_agency")->size(), 1u);
  EXPECT_EQ(count(food->getObject("decisions_by_agency")->getObject("food-safety"), "clear"), 1);
  EXPECT_FALSE(food->getObject("outcomes")->has("hold"));
  EXPECT_FALSE(food->has("cases_by_state"));
  EXPECT_FALSE(food->getObject("times")->getObject("filing_to_release")->getObject("by_agency")->has("customs"));
  const auto ps = stats("demo-product-safety-token", "/v1/agency/stats");
  EXPECT_EQ(ps->getObject("cases_filed")->getValue<int>("total"), 4);
  EXPECT_EQ(ps->getObject("outcomes")->getObject("hold")->getValue<int>("decisions"), 1);
  EXPECT_EQ(count(ps->getObject("outcomes")->getObject("hold")->getObject("reasons"), "RISK-7"), 0);  // customs'
  EXPECT_FALSE(ps->getObject("outcomes")->has("reject"));
  // Nobody else may ask for an agency's view.
  EXPECT_EQ(as("demo-shop-token", "GET", "/v1/agency/stats").status, 403);
  EXPECT_EQ(as("demo-admin-token", "GET", "/v1/agency/stats").status, 403);
  EXPECT_EQ(as("demo-customs-token", "GET", "/v1/admin/stats").status, 403);

  // The same on /metrics.
  const auto metrics = request(hub_->address(), "GET", "/metrics").body;
  for (const std::string line : {"swhub_cases{state=\"released\"} 2", "swhub_decisions_total{agency=\"customs\",outcome=\"reject\"} 1",
                                 "swhub_decision_reasons_total{outcome=\"hold\",reason=\"RISK-7\"} 1",
                                 "swhub_release_seconds_count{partner=\"demo-shop\"} 1",
                                 "swhub_decision_seconds_count{agency=\"product-safety\"} 4",
                                 "swhub_cases_filed_total{partner=\"demo-post\"} 2"}) {
    EXPECT_NE(metrics.find("\n" + line + "\n"), std::string::npos) << line;
  }

  // A window before any of it counts nothing; a restart keeps every figure.
  const auto before = stats("demo-admin-token", "/v1/admin/stats?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z");
  EXPECT_EQ(before->getObject("filings")->getValue<int>("total"), 0);
  EXPECT_EQ(before->getObject("window")->getValue<std::string>("from"), "2026-01-01T00:00:00.000Z");
  hub_.reset();
  startHub(true);
  EXPECT_EQ(stats("demo-admin-token", "/v1/admin/stats")->getObject("filings")->getValue<int>("total"), 6);
}

TEST_F(Stats, revenueAssessedSumsWhatTheCaseViewsShow) {
  startHub(false);  // customs' plugin assesses duties and taxes
  std::vector<std::string> ids;
  ids.push_back(file("shop", filing("RV-1", item(1, "851830", "Bluetooth headphones", 45.0))));
  ids.push_back(file("shop", filing("RV-2", item(1, "640399", "Leather shoes", 180.0))));
  ids.push_back(file("post", filing("RV-3", item(1, "950300", "Wooden toy train", 160.0))));
  std::map<std::string, sdk::Decimal> byTax;
  for (const auto& id : ids) {
    ASSERT_TRUE(eventually([&] { return caseView(id)->getObject("revenue")->getValue<bool>("assessed"); })) << id;
    auto lines = caseView(id)->getObject("revenue")->getArray("lines");
    for (std::size_t i = 0; i < lines->size(); ++i) {
      auto line = lines->getObject(static_cast<unsigned>(i));
      if (line->has("collected_at_sale") && line->getValue<bool>("collected_at_sale")) continue;
      ASSERT_EQ(line->getValue<std::string>("currency"), "EUR");
      byTax[line->getValue<std::string>("tax")] =
          byTax[line->getValue<std::string>("tax")] + *sdk::Decimal::parse(line->getValue<std::string>("amount"));
    }
  }
  ASSERT_FALSE(byTax.empty());
  const auto s = stats("demo-admin-token", "/v1/admin/stats");
  const auto assessed = s->getObject("revenue")->getObject("assessed");
  sdk::Decimal total;
  for (const auto& [tax, amount] : byTax) {
    EXPECT_EQ(assessed->getObject("by_tax")->getObject(tax)->getValue<std::string>("EUR"), amount.toString()) << tax;
    total = total + amount;
  }
  EXPECT_EQ(assessed->getObject("total")->getValue<std::string>("EUR"), total.toString());
  EXPECT_EQ(assessed->getObject("by_model")->getObject("consumer")->getValue<std::string>("EUR"), total.toString());
  EXPECT_EQ(count(s->getObject("cases_filed")->getObject("by_category"), "3") +
                count(s->getObject("cases_filed")->getObject("by_category"), "4") +
                count(s->getObject("cases_filed")->getObject("by_category"), "2"),
            3);
  // Customs assessed them: its view has the revenue, another agency's has none.
  const auto customs = stats("demo-customs-token", "/v1/agency/stats");
  EXPECT_EQ(customs->getObject("revenue")->getObject("assessed")->getObject("total")->getValue<std::string>("EUR"),
            total.toString());
  const auto ps = stats("demo-product-safety-token", "/v1/agency/stats");
  EXPECT_EQ(ps->getObject("revenue")->getObject("assessed")->getObject("total")->size(), 0u);
}

TEST_F(Stats, aBadWindowIsA400NamingTheParameter) {
  startHub(true);
  auto r = as("demo-admin-token", "GET", "/v1/admin/stats?from=yesterday");
  ASSERT_EQ(r.status, 400) << r.body;
  auto problem = parse(r.body);
  EXPECT_EQ(problem->getValue<std::string>("type"), "urn:swhub:problem:invalid-query");
  auto errors = problem->getArray("errors");
  ASSERT_EQ(errors->size(), 1u);
  EXPECT_EQ(errors->getObject(0)->getValue<std::string>("path"), "from");
  EXPECT_EQ(errors->getObject(0)->getValue<std::string>("message"),
            "'yesterday' is not an RFC 3339 UTC date-time such as 2026-12-06T00:00:00Z");
  r = as("demo-admin-token", "GET", "/v1/admin/stats?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(parse(r.body)->getArray("errors")->getObject(0)->getValue<std::string>("path"), "from");
  r = as("demo-customs-token", "GET", "/v1/agency/stats?to=tomorrow");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(parse(r.body)->getArray("errors")->getObject(0)->getValue<std::string>("path"), "to");
}

}  // namespace
}  // namespace swhub::testing
