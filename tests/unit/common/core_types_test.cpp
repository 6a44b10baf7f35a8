// The core's typed values: every name maps to its value and back, no other text parses, decisions
// order by how much they stop the goods, and instants are compared as instants.
#include <gtest/gtest.h>

#include "common/actor.hpp"
#include "common/case_state.hpp"
#include "common/instant.hpp"

namespace swhub::common {
namespace {

TEST(common_core_types, EveryCaseStateAndDecisionNameRoundTrips) {
  for (const auto& [state, name] : kCaseStateNames) {
    EXPECT_EQ(toString(state), name);
    EXPECT_EQ(parseCaseState(name), state);
  }
  for (const auto& [decision, name] : kDecisionNames) {
    EXPECT_EQ(toString(decision), name);
    EXPECT_EQ(parseDecision(name), decision);
  }
  EXPECT_EQ(toString(CaseState::UnderAssessment), "under-assessment");
  EXPECT_EQ(toString(Decision::DoNotLoad), "do-not-load");
}

TEST(common_core_types, OtherSpellingsAreRefused) {
  for (const char* bad : {"", "Released", "released ", "under_assessment", "pending"}) {
    EXPECT_FALSE(parseCaseState(bad).has_value()) << bad;
  }
  for (const char* bad : {"", "CLEAR", "request_info", "release", "donotload"}) {
    EXPECT_FALSE(parseDecision(bad).has_value()) << bad;
  }
}

TEST(common_core_types, DecisionsAreOrderedByHowMuchTheyStopTheGoods) {
  EXPECT_LT(Decision::Clear, Decision::RequestInfo);
  EXPECT_LT(Decision::RequestInfo, Decision::Inspect);
  EXPECT_LT(Decision::Inspect, Decision::Hold);
  EXPECT_LT(Decision::Hold, Decision::DoNotLoad);
  EXPECT_LT(Decision::DoNotLoad, Decision::Reject);
  EXPECT_FALSE(stopsGoods(Decision::Clear));
  EXPECT_FALSE(stopsGoods(Decision::RequestInfo));
  EXPECT_TRUE(stopsGoods(Decision::Inspect));
  EXPECT_TRUE(stopsGoods(Decision::Reject));
}

TEST(common_core_types, ActorsRoundTripAndUnknownKindsAreRefused) {
  EXPECT_EQ(toString(Actor::hub()), "hub");
  EXPECT_EQ(toString(Actor::partner("demo-post")), "partner:demo-post");
  EXPECT_EQ(toString(Actor::plugin("rules@food-safety")), "plugin:rules@food-safety");
  for (const Actor& a : {Actor::hub(), Actor::partner("p"), Actor::agency("customs"), Actor::admin("ops"),
                         Actor::plugin("customs")}) {
    EXPECT_EQ(parseActor(toString(a)), a);
  }
  EXPECT_EQ(parseActor("agency:a:b"), Actor::agency("a:b"));  // the id is everything after the kind
  for (const char* bad : {"", "hub:x", "partner:", "partner", "robot:x", ":x"}) {
    EXPECT_FALSE(parseActor(bad).has_value()) << bad;
  }
}

TEST(common_core_types, InstantsAreMillisecondsComparedAsTimePoints) {
  const auto a = parseInstant("2026-11-28T10:00:00Z");
  const auto b = parseInstant("2026-11-28T10:00:00.500Z");
  ASSERT_TRUE(a && b);
  // As text "10:00:00Z" sorts after "10:00:00.500Z"; as instants it is before.
  EXPECT_LT(*a, *b);
  EXPECT_EQ(toString(*b), "2026-11-28T10:00:00.500Z");
  EXPECT_EQ(parseInstant("2026-11-28T10:00:00.5009Z"), b);  // cut to the millisecond
  EXPECT_EQ(parseInstant(toString(*b)), b);
  EXPECT_FALSE(parseInstant("2026-11-28T10:00:00+01:00").has_value());
  const auto now = nowInstant();
  EXPECT_EQ(parseInstant(toString(now)), now);
}

}  // namespace
}  // namespace swhub::common
