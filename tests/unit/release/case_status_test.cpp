// The release rules: a case is released when every required agency cleared, revenue is settled
// and the goods arrived; decisions are ordered by their own timestamps and never applied twice.
#include <gtest/gtest.h>

#include "release/case_status.hpp"
#include "instants.hpp"

namespace swhub::release {
namespace {

DecisionRecord decision(const std::string& word, const std::string& at, std::vector<int> items = {}) {
  return DecisionRecord{*common::parseDecision(word), "because", std::move(items), swhub::testing::at(at),
                        swhub::testing::at(at), "api", "", "", "", {}};
}

CaseStatus twoAgencies() {
  CaseStatus s;
  s.agencies["customs"] = AgencyStatus{"external", {1, 2}, {}, {}};
  s.agencies["food-safety"] = AgencyStatus{"plugin", {1}, {}, {}};
  s.arrived = false;
  return s;
}

TEST(release_status, UnderAssessmentUntilEveryAgencyDecided) {
  CaseStatus s = twoAgencies();
  EXPECT_EQ(deriveState(s), common::CaseState::UnderAssessment);
  applyDecision(s, "customs", decision("clear", "2026-11-28T10:00:00Z"));
  EXPECT_EQ(deriveState(s), common::CaseState::UnderAssessment);
  applyDecision(s, "food-safety", decision("clear", "2026-11-28T10:00:00Z"));
  EXPECT_EQ(deriveState(s), common::CaseState::Cleared);
}

TEST(release_status, ReleasedOnlyWithArrivalAndRevenue) {
  CaseStatus s = twoAgencies();
  applyDecision(s, "customs", decision("clear", "2026-11-28T10:00:00Z"));
  applyDecision(s, "food-safety", decision("clear", "2026-11-28T10:00:00Z"));
  s.arrived = true;
  s.revenueSettled = false;
  EXPECT_EQ(deriveState(s), common::CaseState::Cleared);
  s.revenueSettled = true;
  EXPECT_EQ(deriveState(s), common::CaseState::Released);
}

TEST(release_status, AHoldOnOneItemHoldsTheCaseWhileOtherItemsAreUndecided) {
  CaseStatus s = twoAgencies();
  applyDecision(s, "customs", decision("hold", "2026-11-28T10:00:00Z", {2}));
  EXPECT_EQ(agencyOutcome(s.agencies.at("customs")), common::Decision::Hold);
  EXPECT_EQ(deriveState(s), common::CaseState::Held);
}

TEST(release_status, PerItemClearancesClearTheAgencyOnlyWhenEveryItemIsCleared) {
  CaseStatus s = twoAgencies();
  applyDecision(s, "customs", decision("clear", "2026-11-28T10:00:00Z", {1}));
  EXPECT_EQ(agencyOutcome(s.agencies.at("customs")), std::optional<common::Decision>());
  applyDecision(s, "customs", decision("clear", "2026-11-28T10:01:00Z", {2}));
  EXPECT_EQ(agencyOutcome(s.agencies.at("customs")), common::Decision::Clear);
}

TEST(release_status, ALateDecisionIsRecordedButDoesNotOverrideANewerOne) {
  CaseStatus s = twoAgencies();
  EXPECT_EQ(applyDecision(s, "customs", decision("hold", "2026-11-28T10:00:00Z")), DecisionEffect::Applied);
  EXPECT_EQ(applyDecision(s, "customs", decision("clear", "2026-11-28T09:00:00Z")), DecisionEffect::Late);
  EXPECT_EQ(agencyOutcome(s.agencies.at("customs")), common::Decision::Hold);
  EXPECT_EQ(s.agencies.at("customs").history.size(), 2u);
}

// "10:00:00Z" sorts after "10:00:00.500Z" as text ('Z' > '.') but is half a second before it.
TEST(release_status, DecisionsAreOrderedByInstantsNotByTheirText) {
  CaseStatus s = twoAgencies();
  EXPECT_EQ(applyDecision(s, "customs", decision("hold", "2026-11-28T10:00:00.500Z")), DecisionEffect::Applied);
  EXPECT_EQ(applyDecision(s, "customs", decision("clear", "2026-11-28T10:00:00Z")), DecisionEffect::Late);
  EXPECT_EQ(agencyOutcome(s.agencies.at("customs")), common::Decision::Hold);
  // A later instant written with a longer fraction still wins.
  EXPECT_EQ(applyDecision(s, "customs", decision("clear", "2026-11-28T10:00:00.5000001Z")), DecisionEffect::Applied);
  EXPECT_EQ(agencyOutcome(s.agencies.at("customs")), common::Decision::Clear);
  // And across a minute whose text is shorter: 10:00:59.9Z is before 10:01:00Z.
  EXPECT_EQ(applyDecision(s, "food-safety", decision("hold", "2026-11-28T10:01:00Z")), DecisionEffect::Applied);
  EXPECT_EQ(applyDecision(s, "food-safety", decision("clear", "2026-11-28T10:00:59.9Z")), DecisionEffect::Late);
  EXPECT_EQ(agencyOutcome(s.agencies.at("food-safety")), common::Decision::Hold);
}

TEST(release_status, ReasonCodesAreKeptPerItemAndInTheHistory) {
  CaseStatus s = twoAgencies();
  DecisionRecord held = decision("hold", "2026-11-28T10:00:00.000Z", {1});
  held.reason_codes = {"FS-VET"};
  ASSERT_EQ(applyDecision(s, "food-safety", held), DecisionEffect::Applied);
  EXPECT_EQ(s.agencies.at("food-safety").byItem.at(1).reason_codes, std::vector<std::string>{"FS-VET"});
  const CaseStatus back = CaseStatus::fromJson(s.toJson());
  EXPECT_EQ(back.agencies.at("food-safety").byItem.at(1).reason_codes, std::vector<std::string>{"FS-VET"});
  EXPECT_EQ(back.agencies.at("food-safety").history.at(0).reason_codes, std::vector<std::string>{"FS-VET"});
}

TEST(release_status, PaymentsSurviveAJsonRoundTrip) {
  CaseStatus s;
  s.payments = {{"pi_1", "14.85", "EUR", "10.00", "", ""}, {"pi_2", "1.00", "EUR", "", "", ""}};
  EXPECT_EQ(CaseStatus::fromJson(s.toJson()).payments, s.payments);
}

TEST(release_status, ARepeatedDecisionIsNeverAppliedTwice) {
  CaseStatus s = twoAgencies();
  EXPECT_EQ(applyDecision(s, "customs", decision("hold", "2026-11-28T10:00:00Z")), DecisionEffect::Applied);
  EXPECT_EQ(applyDecision(s, "customs", decision("hold", "2026-11-28T10:00:00Z")), DecisionEffect::Duplicate);
  EXPECT_EQ(s.agencies.at("customs").history.size(), 1u);
}

TEST(release_status, AReleasedOrCancelledCaseNeverMovesAgain) {
  CaseStatus s = twoAgencies();
  s.released = true;
  EXPECT_EQ(applyDecision(s, "customs", decision("hold", "2026-11-28T10:00:00Z")), DecisionEffect::AfterRelease);
  EXPECT_EQ(deriveState(s), common::CaseState::Released);
  s.released = false;
  s.cancelled = true;
  EXPECT_EQ(deriveState(s), common::CaseState::Cancelled);
}

TEST(release_status, RejectWinsOverHoldAndRequestInfoIsItsOwnState) {
  CaseStatus s = twoAgencies();
  applyDecision(s, "food-safety", decision("request-info", "2026-11-28T10:00:00Z"));
  applyDecision(s, "customs", decision("clear", "2026-11-28T10:00:00Z"));
  EXPECT_EQ(deriveState(s), common::CaseState::InfoRequested);
  applyDecision(s, "customs", decision("reject", "2026-11-28T10:05:00Z"));
  EXPECT_EQ(deriveState(s), common::CaseState::Rejected);
}

TEST(release_status, DoNotLoadStopsTheGoodsAsAHold) {
  CaseStatus s = twoAgencies();
  applyDecision(s, "customs", decision("do-not-load", "2026-11-28T10:00:00Z"));
  EXPECT_EQ(agencyOutcome(s.agencies.at("customs")), common::Decision::DoNotLoad);
  EXPECT_EQ(deriveState(s), common::CaseState::Held);
}

TEST(release_status, AConsignmentWithoutAgenciesIsClearedAtOnce) {
  CaseStatus s;
  EXPECT_EQ(deriveState(s), common::CaseState::Cleared);
  s.arrived = true;
  EXPECT_EQ(deriveState(s), common::CaseState::Released);
}

TEST(release_status, SurvivesAJsonRoundTrip) {
  CaseStatus s = twoAgencies();
  applyDecision(s, "customs", decision("hold", "2026-11-28T10:00:00Z", {2}));
  s.routes = {"every-filing-to-customs"};
  s.notify = {"demo-market"};
  s.arrived = true;
  s.revenueSettled = false;
  const CaseStatus back = CaseStatus::fromJson(s.toJson());
  EXPECT_EQ(back.toJson(), s.toJson());
  EXPECT_EQ(deriveState(back), common::CaseState::Held);
  EXPECT_EQ(back.agencies.at("customs").byItem.at(2).decision, common::Decision::Hold);
}

TEST(release_status, DecisionWordsAreAClosedSet) {
  EXPECT_EQ(common::parseDecision("inspect"), Decision::Inspect);
  EXPECT_FALSE(common::parseDecision("approve").has_value());
  EXPECT_EQ(notADecision("approve"), "'approve' is not one of: clear, hold, inspect, request-info, reject, do-not-load");
}

}  // namespace
}  // namespace swhub::release
