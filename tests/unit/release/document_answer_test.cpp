// A supporting document answers a request for information (README "Supporting documents"): the
// items whose decision stands at request-info are pending again for their agency, the case is
// under assessment again unless another agency stops it, and the agency's next decision replaces
// the request.
#include <gtest/gtest.h>

#include "instants.hpp"
#include "release/case_status.hpp"

namespace swhub::release {
namespace {

using common::CaseState;

DecisionRecord decision(const std::string& word, const std::string& at, std::vector<int> items = {}) {
  return DecisionRecord{*common::parseDecision(word), "because", std::move(items), swhub::testing::at(at),
                        swhub::testing::at(at), "api", "", "", "", {}};
}

CaseStatus twoAgencies() {
  CaseStatus s;
  s.agencies["customs"] = AgencyStatus{"external", {1, 2}, {}, {}};
  s.agencies["food-safety"] = AgencyStatus{"plugin", {1}, {}, {}};
  return s;
}

const Instant kNow = swhub::testing::at("2026-11-28T11:00:00Z");

TEST(release_document_answer, ARequestForInformationAnsweredIsPendingAgain) {
  CaseStatus s = twoAgencies();
  applyDecision(s, "customs", decision("request-info", "2026-11-28T10:00:00Z"));
  applyDecision(s, "food-safety", decision("clear", "2026-11-28T10:00:00Z"));
  ASSERT_EQ(deriveState(s), CaseState::InfoRequested);
  EXPECT_EQ(answerRequests(s, kNow), (std::vector<std::string>{"customs"}));
  EXPECT_EQ(agencyOutcome(s.agencies.at("customs")), std::nullopt);
  EXPECT_EQ(deriveState(s), CaseState::UnderAssessment);
  // Answered once: a second document answers nothing more.
  EXPECT_TRUE(answerRequests(s, kNow).empty());
  // The agency's next decision replaces the request.
  applyDecision(s, "customs", decision("clear", "2026-11-28T12:00:00Z"));
  EXPECT_EQ(deriveState(s), CaseState::Cleared);
}

TEST(release_document_answer, AnotherAgencysHoldStillHoldsTheCase) {
  CaseStatus s = twoAgencies();
  applyDecision(s, "customs", decision("request-info", "2026-11-28T10:00:00Z"));
  applyDecision(s, "food-safety", decision("hold", "2026-11-28T10:00:00Z"));
  EXPECT_EQ(answerRequests(s, kNow), (std::vector<std::string>{"customs"}));
  EXPECT_EQ(deriveState(s), CaseState::Held);
}

TEST(release_document_answer, OnlyTheItemsAskedAboutArePendingAgain) {
  CaseStatus s = twoAgencies();
  applyDecision(s, "customs", decision("clear", "2026-11-28T10:00:00Z", {1}));
  applyDecision(s, "customs", decision("request-info", "2026-11-28T10:00:00Z", {2}));
  answerRequests(s, kNow);
  EXPECT_EQ(s.agencies.at("customs").byItem.at(1).answered_at, std::nullopt);
  EXPECT_EQ(s.agencies.at("customs").byItem.at(2).answered_at, kNow);
}

TEST(release_document_answer, NothingIsAnsweredOnAReleasedOrCancelledCaseOrWithoutARequest) {
  CaseStatus s = twoAgencies();
  applyDecision(s, "customs", decision("hold", "2026-11-28T10:00:00Z"));
  EXPECT_TRUE(answerRequests(s, kNow).empty());
  applyDecision(s, "customs", decision("request-info", "2026-11-28T10:30:00Z"));
  s.cancelled = true;
  EXPECT_TRUE(answerRequests(s, kNow).empty());
}

TEST(release_document_answer, TheAnswerIsKeptInTheStatusJson) {
  CaseStatus s = twoAgencies();
  applyDecision(s, "customs", decision("request-info", "2026-11-28T10:00:00Z"));
  answerRequests(s, kNow);
  const CaseStatus read = CaseStatus::fromJson(s.toJson());
  EXPECT_EQ(read.agencies.at("customs").byItem.at(1).answered_at, kNow);
  EXPECT_EQ(deriveState(read), CaseState::UnderAssessment);
  EXPECT_NE(s.toJson().find("\"answered_at\":\"2026-11-28T11:00:00"), std::string::npos) << s.toJson();
}

}  // namespace
}  // namespace swhub::release
