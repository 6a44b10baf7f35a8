// The Stats JSON from rollup sums: the shape schemas/openapi.yaml documents.

#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include "instants.hpp"
#include "stats/stats_report.hpp"

namespace swhub::stats {
namespace {

using swhub::testing::at;

Poco::JSON::Object::Ptr render(const std::vector<journal::StatDelta>& deltas, bool admin) {
  StatsWindow window{journal::hourOf(at("2026-12-01T00:00:00Z")), journal::hourOf(at("2026-12-02T00:00:00Z"))};
  std::vector<journal::StatDelta> hourly;  // the window's hours, not the running totals
  for (const auto& d : deltas) {
    if (d.hour != journal::kAllTimeHour && d.scope.rfind("day/", 0) != 0) hourly.push_back(d);
  }
  const auto sums = indexSums(journal::mergeStatDeltas(hourly));
  const RollupSums states = indexSums({{journal::kAllTimeHour, "", "cases_state", "held", "", 2},
                                       {journal::kAllTimeHour, "", "cases_state", "accepted", "", 0}});
  std::string out;
  {
    model::ObjectWriter o(out);
    writeStats(o, window, sums, admin ? &states : nullptr);
  }
  return Poco::JSON::Parser().parse(out).extract<Poco::JSON::Object::Ptr>();
}

TEST(stats_report, everyMemberInTheDocumentedShape) {
  std::vector<journal::StatDelta> d;
  journal::addCount(d, 1, "", "filings", "", "", 3);
  journal::addCount(d, 1, "", "filings.partner", "demo-post", "", 3);
  journal::addCount(d, 1, "", "filings.kind", "pre-arrival", "", 3);
  journal::addCount(d, 1, "", "cases_filed.category", "2", "");
  journal::addCount(d, 1, "", "outcomes", "hold", "", 2);
  journal::addCount(d, 1, "", "outcomes.reason", "hold", "FS-VET", 2);
  journal::addCount(d, 1, "", "decisions.agency", "customs", "hold", 2);
  journal::addCount(d, 1, "", "assessed", "", "EUR", 117000);
  journal::addCount(d, 1, "", "assessed.tax", "vat", "EUR", 92000);
  journal::addCount(d, 1, "", "dead_letters.recipient", "demo-express", "");
  journal::addLatency(d, 1, "", "release_ms.partner", "demo-post", 1000);
  const auto o = render(d, true);
  EXPECT_EQ(o->getObject("window")->getValue<std::string>("from"), "2026-12-01T00:00:00.000Z");
  EXPECT_EQ(o->getObject("window")->getValue<std::string>("to"), "2026-12-02T00:00:00.000Z");
  EXPECT_EQ(o->getObject("window")->getValue<std::string>("granularity"), "hour");
  EXPECT_EQ(o->getObject("filings")->getValue<int>("total"), 3);
  EXPECT_EQ(o->getObject("filings")->getObject("by_partner")->getValue<int>("demo-post"), 3);
  EXPECT_EQ(o->getObject("filings")->getObject("by_kind")->getValue<int>("pre-arrival"), 3);
  EXPECT_EQ(o->getObject("cases_filed")->getValue<int>("total"), 0);
  EXPECT_EQ(o->getObject("cases_filed")->getObject("by_category")->getValue<int>("2"), 1);
  const auto release = o->getObject("times")->getObject("filing_to_release");
  EXPECT_EQ(release->getObject("all")->getValue<int>("count"), 0);  // only by partner was counted here
  const auto post = release->getObject("by_partner")->getObject("demo-post");
  EXPECT_EQ(post->getValue<int>("count"), 1);
  EXPECT_EQ(post->getValue<int>("p50_ms"), 1024);
  EXPECT_EQ(post->getValue<int>("p99_ms"), 1024);
  EXPECT_EQ(o->getObject("outcomes")->getObject("hold")->getValue<int>("decisions"), 2);
  EXPECT_EQ(o->getObject("outcomes")->getObject("hold")->getObject("reasons")->getValue<int>("FS-VET"), 2);
  EXPECT_EQ(o->getObject("decisions_by_agency")->getObject("customs")->getValue<int>("hold"), 2);
  const auto assessed = o->getObject("revenue")->getObject("assessed");
  EXPECT_EQ(assessed->getObject("total")->getValue<std::string>("EUR"), "11.70");
  EXPECT_EQ(assessed->getObject("by_tax")->getObject("vat")->getValue<std::string>("EUR"), "9.20");
  EXPECT_EQ(o->getObject("revenue")->getObject("collected")->getObject("total")->size(), 0u);
  EXPECT_EQ(o->getObject("delivery")->getObject("dead_letters")->getObject("by_recipient")->getValue<int>("demo-express"), 1);
  EXPECT_TRUE(o->getObject("delivery")->getObject("latency")->has("by_recipient"));
  EXPECT_EQ(o->getObject("cases_by_state")->getValue<int>("held"), 2);
  EXPECT_FALSE(o->getObject("cases_by_state")->has("accepted"));  // none now
}

TEST(stats_report, anAgencysViewHasNoStateCounts) {
  EXPECT_FALSE(render({}, false)->has("cases_by_state"));
  EXPECT_TRUE(render({}, true)->has("cases_by_state"));
}

}  // namespace
}  // namespace swhub::stats
