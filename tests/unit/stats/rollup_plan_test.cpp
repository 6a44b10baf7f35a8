// What each kind of batch adds to the rollups: filings, cases and items; decisions with their
// outcomes, reason codes and times; releases; revenue; agency scopes; the state gauge.

#include <gtest/gtest.h>

#include <map>

#include "case_life.hpp"
#include "instants.hpp"
#include "release/case_status.hpp"
#include "stats/rollup_plan.hpp"
#include "stats/stats_report.hpp"

namespace swhub::stats {
namespace {

using journal::CaseEvent;
using journal::CaseRecord;
using journal::WriteBatch;
using swhub::testing::at;

// The life of case_life.hpp, the stored case kept as a journal would.
class PlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    source_.caseOf = [this](const std::string& id) -> std::optional<CaseRecord> {
      if (id != stored_.id) return std::nullopt;
      return stored_;
    };
    source_.eventsOf = [this](const std::string&) { return storedEvents_; };
  }

  // Plans `batch`, then "commits" it: its case and events become the stored ones.
  void commit(WriteBatch batch) {
    planRollups(batch, source_);
    for (const auto& c : batch.new_cases) stored_ = c;
    for (const auto& u : batch.case_updates) {
      if (!u.status_json.empty()) stored_.status_json = u.status_json;
    }
    storedEvents_.insert(storedEvents_.end(), batch.events.begin(), batch.events.end());
    deltas_.insert(deltas_.end(), batch.stats.begin(), batch.stats.end());
  }

  // The sums of `scope` over every hour (not the running totals), or the running totals.
  RollupSums sums(const std::string& scope, bool totals = false) const {
    std::vector<journal::StatDelta> picked;
    for (const auto& d : deltas_) {
      if (d.scope == scope && (d.hour == journal::kAllTimeHour) == totals) picked.push_back(d);
    }
    return indexSums(picked);
  }

  static std::int64_t count(const RollupSums& s, const std::string& family, const std::string& key1,
                            const std::string& key2 = "") {
    auto f = s.find(family);
    if (f == s.end()) return 0;
    auto k = f->second.find(key1);
    if (k == f->second.end()) return 0;
    auto v = k->second.find(key2);
    return v == k->second.end() ? 0 : v->second;
  }

  void fileAndDecideAndRelease() {
    for (auto& batch : test_support::caseLife()) commit(std::move(batch));
  }

  CaseRecord stored_;
  std::vector<CaseEvent> storedEvents_;
  CaseSource source_;
  std::vector<journal::StatDelta> deltas_;
};

TEST_F(PlanTest, filingsCasesAndItemsByPartnerKindAndCategory) {
  fileAndDecideAndRelease();
  const auto s = sums("");
  EXPECT_EQ(count(s, "filings", ""), 2);
  EXPECT_EQ(count(s, "filings.partner", "demo-post"), 2);
  EXPECT_EQ(count(s, "filings.kind", "pre-arrival"), 1);
  EXPECT_EQ(count(s, "filings.kind", "arrival"), 1);
  EXPECT_EQ(count(s, "cases_filed", ""), 1);
  EXPECT_EQ(count(s, "cases_filed.kind", "pre-arrival"), 1);
  EXPECT_EQ(count(s, "cases_filed.category", "3"), 1);
  EXPECT_EQ(count(s, "items", ""), 2);
  EXPECT_EQ(count(s, "items.partner", "demo-post"), 2);
}

// The count is the consignment's own items: arrays inside an item, and "items" keys elsewhere,
// add nothing.
TEST_F(PlanTest, itemsAreTheConsignmentsTopLevelItemsOnly) {
  auto life = test_support::caseLife();
  ASSERT_FALSE(life.front().new_cases.empty());
  life.front().new_cases.front().consignment_json =
      R"({"parties":{"seller":{"id":"S","items":[1,2,3,4]}},)"
      R"("items":[{"hs":"6109","documents":[{"a":[1,2]},{"b":{}}]},{"hs":"4202","x":{"items":[{},{}]}},{"hs":"9503"}],)"
      R"("extra":{"items":[{}]},"more":[[{"items":[{}]}]]})";
  for (auto& batch : life) commit(std::move(batch));
  EXPECT_EQ(count(sums(""), "items", ""), 3);
}

// A case whose rows the planner cannot read (a journal edited by hand) is left out whole, even
// after some of its events were counted; the other cases of the batch still count.
TEST_F(PlanTest, aCaseThePlannerCannotReadIsLeftOutWholeAndTheOthersCount) {
  WriteBatch batch;
  const auto when = at("2026-12-01T10:00:00.000Z");
  for (const std::string id : {"C-good", "C-bad"}) {
    batch.new_cases.push_back({id, "demo-post", "REF-" + id, "pre-arrival", common::CaseState::Accepted, 1,
                               R"({"items":[{},{}]})", "M-1", when, when, "{}"});
    batch.events.push_back({0, id, when, common::Actor::hub(), "received", {}, {}, R"({"filing":"pre-arrival"})", "M-1"});
    batch.events.push_back({0, id, when, common::Actor::hub(), "transition", {}, common::CaseState::Accepted, "{}", "M-1"});
  }
  // An applied decision whose reason codes are not text: reading it throws, after the case's
  // filing and transition were counted.
  batch.events.push_back({0, "C-bad", when, common::Actor::agency("customs"), "decision", {}, {},
                          R"({"effect":"applied","agency":"customs","decision":"hold","reason_codes":[null]})", ""});
  planRollups(batch, source_);
  deltas_ = batch.stats;
  const auto s = sums("");
  EXPECT_EQ(count(s, "filings", ""), 1);
  EXPECT_EQ(count(s, "cases_filed", ""), 1);
  EXPECT_EQ(count(s, "items", ""), 2);
  EXPECT_EQ(count(s, "outcomes", "hold"), 0);
  EXPECT_EQ(count(sums("", true), "cases_state", "accepted"), 1);
}

TEST_F(PlanTest, appliedDecisionsCountWithTheirReasonCodesAndTimes) {
  fileAndDecideAndRelease();
  const auto s = sums("");
  EXPECT_EQ(count(s, "outcomes", "hold"), 1);
  EXPECT_EQ(count(s, "outcomes", "clear"), 1);  // the late clear of customs counts nothing
  EXPECT_EQ(count(s, "outcomes.reason", "hold", "FS-VET"), 1);
  EXPECT_EQ(count(s, "outcomes.reason", "hold", "X-1"), 1);
  EXPECT_EQ(count(s, "outcomes.reason", "clear", "none"), 1);
  EXPECT_EQ(count(s, "decisions.agency", "customs", "hold"), 1);
  EXPECT_EQ(count(s, "decisions.agency", "food", "clear"), 1);
  // 30 min = 1800000 ms and 1 h 45 min = 6300000 ms after filing.
  EXPECT_EQ(percentileMs(s.at("decision_ms.agency").at("customs"), 0.5),
            static_cast<std::int64_t>(std::ceil(journal::latencyBucketBoundMs(journal::latencyBucket(1800000)))));
  EXPECT_EQ(count(s, "decision_ms.agency", "food", "sum"), 6300000);
  EXPECT_EQ(count(s, "decision_ms.partner", "demo-post", "sum"), 1800000 + 6300000);
}

TEST_F(PlanTest, releaseTimesFromFilingAndFromArrival) {
  fileAndDecideAndRelease();
  const auto s = sums("");
  EXPECT_EQ(count(s, "release_ms", "", "sum"), 7230000);  // 2 h 30 s
  EXPECT_EQ(count(s, "release_ms.partner", "demo-post", "sum"), 7230000);
  EXPECT_EQ(count(s, "release_ms.agency", "customs", "sum"), 7230000);
  EXPECT_EQ(count(s, "release_ms.agency", "food", "sum"), 7230000);
  EXPECT_EQ(count(s, "arrival_release_ms", "", "sum"), 30000);
  EXPECT_EQ(count(s, "arrival_release_ms.partner", "demo-post", "b" + std::to_string(journal::latencyBucket(30000))), 1);
}

TEST_F(PlanTest, revenueAssessedPerTaxAndModelAndCollected) {
  fileAndDecideAndRelease();
  const auto s = sums("");
  // Units of 1/10000: 9.20 + 2.50, the line collected at sale left out.
  EXPECT_EQ(count(s, "assessed", "", "EUR"), 117000);
  EXPECT_EQ(count(s, "assessed.tax", "vat", "EUR"), 92000);
  EXPECT_EQ(count(s, "assessed.tax", "duty", "EUR"), 25000);
  EXPECT_EQ(count(s, "assessed.model", "consumer", "EUR"), 117000);
  EXPECT_EQ(count(s, "collected.model", "consumer", "EUR"), 117000);
}

TEST_F(PlanTest, anAgencysScopeHoldsItsOwnFiguresOnly) {
  fileAndDecideAndRelease();
  const auto food = sums("agency:food");
  EXPECT_EQ(count(food, "cases_filed", ""), 1);  // routed to it
  EXPECT_EQ(count(food, "outcomes", "clear"), 1);
  EXPECT_EQ(count(food, "outcomes", "hold"), 0);  // customs' hold is not its figure
  EXPECT_EQ(food.count("decisions.agency") ? food.at("decisions.agency").count("customs") : 0u, 0u);
  EXPECT_EQ(food.at("release_ms.agency").count("customs"), 0u);
  EXPECT_EQ(count(food, "release_ms.agency", "food", "sum"), 7230000);
  EXPECT_EQ(count(food, "assessed", "", "EUR"), 0);  // customs assessed it
  const auto customs = sums("agency:customs");
  EXPECT_EQ(count(customs, "assessed", "", "EUR"), 117000);
  EXPECT_EQ(count(customs, "outcomes.reason", "hold", "FS-VET"), 1);
}

TEST_F(PlanTest, theStateGaugeFollowsTransitionsInTheRunningTotalsOnly) {
  fileAndDecideAndRelease();
  const auto totals = sums("", true);
  EXPECT_EQ(count(totals, "cases_state", "released"), 1);
  EXPECT_EQ(count(totals, "cases_state", "accepted"), 0);
  EXPECT_EQ(count(totals, "cases_state", "held"), 0);
  EXPECT_EQ(count(sums(""), "cases_state", "released"), 0);  // not a windowed figure
  EXPECT_EQ(count(totals, "filings", ""), 2);                // the running totals hold the rest too
}

TEST_F(PlanTest, eachFigureCountsInTheHourOfItsEvent) {
  fileAndDecideAndRelease();
  std::map<std::int64_t, std::int64_t> filingsByHour;
  for (const auto& d : deltas_) {
    if (d.scope.empty() && d.family == "filings" && d.hour != journal::kAllTimeHour) filingsByHour[d.hour] += d.value;
  }
  EXPECT_EQ(filingsByHour, (std::map<std::int64_t, std::int64_t>{{journal::hourOf(at("2026-12-01T10:00:00Z")), 1},
                                                                   {journal::hourOf(at("2026-12-01T12:00:00Z")), 1}}));
}

TEST_F(PlanTest, aCaseItCannotReadIsLeftOutWithoutFailingTheBatch) {
  auto batches = test_support::caseLife();
  batches[0].new_cases[0].status_json = "{not json";
  EXPECT_NO_THROW(planRollups(batches[0], source_));
  EXPECT_TRUE(batches[0].stats.empty());
}

}  // namespace
}  // namespace swhub::stats
