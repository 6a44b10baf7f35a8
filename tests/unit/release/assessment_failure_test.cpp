// An in-process agency plugin that fails (its call timed out, it was busy, it answered an invalid
// decision, it returned errors) is retried with backoff, every failed attempt a plugin-failed
// event on the case; after the last attempt the hub holds the case for that agency with the
// reason (PLUGIN-FAILED) rather than dropping the assessment as a dead letter.

#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <thread>

#include "instants.hpp"
#include "temp_dir.hpp"
#include "../model/examples.hpp"
#include "journal/journal.hpp"
#include "plugin/plugin_failure.hpp"
#include "release/assessment_worker.hpp"
#include "release/case_status.hpp"
#include "release/coordinator.hpp"
#include "routing/route_table.hpp"

namespace swhub::release {
namespace {

using swhub::testing::TempDir;
using namespace std::chrono_literals;

// Answers what it was given: a failure of the call, or a decision word.
class ScriptedPlugin : public sdk::AgencyPlugin {
 public:
  sdk::Result<sdk::Assessment> assess(const sdk::AssessmentRequest&) const noexcept override {
    ++calls;
    if (failure) return sdk::Errors{plugin::failureError(*failure)};
    sdk::Decision d;
    d.decision = decision;
    d.reason = "scripted";
    return sdk::Assessment{false, {d}};
  }
  std::optional<plugin::Failure> failure;
  std::string decision = "clear";
  mutable int calls = 0;
};

struct OneAgencyHub {
  TempDir dir;
  std::unique_ptr<journal::Journal> journal = journal::openJournal("sqlite:" + dir.file("journal.db"));
  std::unique_ptr<Coordinator> coordinator;

  OneAgencyHub() {
    auto routes = routing::RouteTable::compile(sdk::Value::list({sdk::Value::map(
        {{"name", sdk::Value::string("all")}, {"require", sdk::Value::list({sdk::Value::string("customs")})}})}));
    EXPECT_TRUE(routes.ok()) << sdk::formatErrors(routes.errors());
    Directory directory;
    directory.agencies["customs"] = {true, false};
    coordinator = std::make_unique<Coordinator>(*journal, directory, routes.take());
    sdk::Consignment c = test::designConsignment();
    c.case_id = "C-1";
    c.partner = "demo-shop";
    c.filing = sdk::FilingKind::Declaration;
    journal::WriteBatch batch;
    coordinator->planNewCase(batch, c, "M-1", common::Actor::partner("demo-shop"), swhub::testing::at("2026-11-28T10:00:00.000Z"));
    EXPECT_EQ(journal->commit(std::move(batch)).status, journal::CommitResult::Status::Committed);
  }

  std::vector<journal::CaseEvent> failures() {
    std::vector<journal::CaseEvent> out;
    for (auto& e : journal->caseEvents("C-1")) {
      if (e.kind == "plugin-failed") out.push_back(std::move(e));
    }
    return out;
  }
};

// Runs the worker until `attempts` assessments were made (each due after its short backoff).
void runAttempts(AssessmentWorker& worker, int attempts) {
  int made = 0;
  for (auto until = std::chrono::steady_clock::now() + 10s; made < attempts && std::chrono::steady_clock::now() < until;) {
    made += static_cast<int>(worker.runOnce());
    if (made < attempts) std::this_thread::sleep_for(2ms);
  }
  ASSERT_EQ(made, attempts);
}

TEST(release_assessment_failure, AFailingPluginIsRetriedThenTheCaseIsHeldForItsAgencyWithTheReason) {
  OneAgencyHub hub;
  ScriptedPlugin plugin;
  plugin.failure = plugin::Failure{"faulty_agency", plugin::FailureKind::TimedOut, "assess", "no answer within 300 ms"};
  AssessmentWorker worker(*hub.journal, *hub.coordinator, {{"customs", {&plugin, false, "faulty_agency"}}}, "assess");
  worker.setRetry({3, 1ms, 4ms});
  std::vector<plugin::Failure> counted;
  worker.onPluginFailure([&](const plugin::Failure& f) { counted.push_back(f); });
  runAttempts(worker, 3);
  EXPECT_EQ(worker.runOnce(), 0u);  // nothing more: the case is held, the assessment done
  EXPECT_EQ(plugin.calls, 3);
  ASSERT_EQ(counted.size(), 3u);
  EXPECT_EQ(counted[0].plugin, "faulty_agency");
  EXPECT_EQ(counted[0].kind, plugin::FailureKind::TimedOut);

  const std::string failure = "plugin 'faulty_agency' did not answer in time during assess: no answer within 300 ms";
  const auto events = hub.failures();
  ASSERT_EQ(events.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i].actor, common::Actor::hub());
    auto detail = Poco::JSON::Parser().parse(events[i].detail_json).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(detail->getValue<std::string>("agency"), "customs");
    EXPECT_EQ(detail->getValue<std::string>("plugin"), "faulty_agency");
    EXPECT_EQ(detail->getValue<std::string>("call"), "assess");
    EXPECT_EQ(detail->getValue<std::string>("kind"), "timed-out");
    EXPECT_EQ(detail->getValue<std::string>("message"), failure);
    EXPECT_EQ(detail->getValue<int>("attempt"), i + 1);
  }

  const auto stored = hub.journal->getCase("C-1");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->state, common::CaseState::Held);
  const CaseStatus status = CaseStatus::fromJson(stored->status_json);
  ASSERT_EQ(status.agencies.at("customs").history.size(), 1u);
  const auto& hold = status.agencies.at("customs").history[0];
  EXPECT_EQ(hold.decision, common::Decision::Hold);
  EXPECT_EQ(hold.reason, "the agency's plugin failed 3 times: " + failure);
  EXPECT_EQ(hold.reason_codes, (std::vector<std::string>{"PLUGIN-FAILED"}));
  EXPECT_EQ(hold.source, "hub");
  EXPECT_TRUE(hub.journal->deadLetters(0, 10).empty());
}

TEST(release_assessment_failure, AnInvalidDecisionIsAFailureOfThePluginAndEndsHeldNotDead) {
  OneAgencyHub hub;
  ScriptedPlugin plugin;
  plugin.decision = "maybe";
  AssessmentWorker worker(*hub.journal, *hub.coordinator, {{"customs", {&plugin, false, "faulty_agency"}}}, "assess");
  worker.setRetry({2, 1ms, 1ms});
  std::vector<plugin::Failure> counted;
  worker.onPluginFailure([&](const plugin::Failure& f) { counted.push_back(f); });
  runAttempts(worker, 2);
  ASSERT_EQ(counted.size(), 2u);
  EXPECT_EQ(counted[0].kind, plugin::FailureKind::Garbage);
  ASSERT_EQ(hub.failures().size(), 2u);
  const CaseStatus status = CaseStatus::fromJson(hub.journal->getCase("C-1")->status_json);
  const auto& hold = status.agencies.at("customs").history.at(0);
  EXPECT_EQ(hold.reason, "the agency's plugin failed 2 times: plugin 'faulty_agency' answered something unusable "
                         "during assess: an invalid decision: decision: 'maybe' is not one of: clear, hold, inspect, "
                         "request-info, reject, do-not-load");
  EXPECT_EQ(hold.reason_codes, (std::vector<std::string>{"PLUGIN-FAILED"}));
  EXPECT_TRUE(hub.journal->deadLetters(0, 10).empty());
}

TEST(release_assessment_failure, APluginThatAnswersOnTheNextAttemptDecidesAsUsual) {
  OneAgencyHub hub;
  ScriptedPlugin plugin;
  plugin.failure = plugin::Failure{"faulty_agency", plugin::FailureKind::Busy, "assess", "all 2 busy"};
  AssessmentWorker worker(*hub.journal, *hub.coordinator, {{"customs", {&plugin, false, "faulty_agency"}}}, "assess");
  worker.setRetry({5, 1ms, 1ms});
  runAttempts(worker, 1);
  plugin.failure.reset();
  runAttempts(worker, 1);
  EXPECT_EQ(hub.failures().size(), 1u);
  const CaseStatus status = CaseStatus::fromJson(hub.journal->getCase("C-1")->status_json);
  EXPECT_EQ(status.agencies.at("customs").history.at(0).decision, common::Decision::Clear);
  EXPECT_EQ(status.agencies.at("customs").history.at(0).source, "plugin");
}

}  // namespace
}  // namespace swhub::release
