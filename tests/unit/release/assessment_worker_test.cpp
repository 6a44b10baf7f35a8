// The assessment worker runs an in-process agency plugin on a case and records its decisions as
// an external agency's would be: duties and taxes the plugin assesses become the case's revenue
// due (in the consignment's currency), and release then waits for payment.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "instants.hpp"
#include "temp_dir.hpp"
#include "../model/examples.hpp"
#include "journal/journal.hpp"
#include "release/assessment_worker.hpp"
#include "release/case_status.hpp"
#include "release/coordinator.hpp"
#include "routing/route_table.hpp"

namespace swhub::release {
namespace {

using swhub::testing::TempDir;

// Clears every case, assessing duties and taxes.
class RevenuePlugin : public sdk::AgencyPlugin {
 public:
  sdk::Result<sdk::Assessment> assess(const sdk::AssessmentRequest& request) const noexcept override {
    seen = request.consignment.reference;
    sdk::Assessment a;
    sdk::Decision d;
    d.decision = "clear";
    d.reason = "low risk";
    d.duties = sdk::Decimal::parse("12.50");
    d.taxes = sdk::Decimal::parse("3.10");
    a.decisions.push_back(d);
    return a;
  }
  mutable std::string seen;
};

// The DESIGN.md example (headphones, 45.00 EUR, consumer collection), filed as a declaration:
// goods presented, so release needs only the decisions and the revenue.
sdk::Consignment parcel(const std::string& caseId) {
  sdk::Consignment c = test::designConsignment();
  c.case_id = caseId;
  c.partner = "demo-shop";
  c.filing = sdk::FilingKind::Declaration;
  return c;
}

TEST(release_assessment, PluginDutiesBecomeTheCasesRevenueDueAndReleaseWaitsForPayment) {
  TempDir dir;
  auto journal = journal::openJournal("sqlite:" + dir.file("journal.db"));
  auto routes = routing::RouteTable::compile(sdk::Value::list({sdk::Value::map(
      {{"name", sdk::Value::string("all")}, {"require", sdk::Value::list({sdk::Value::string("customs")})}})}));
  ASSERT_TRUE(routes.ok()) << sdk::formatErrors(routes.errors());
  Directory directory;
  directory.agencies["customs"] = {true, false};
  Coordinator coordinator(*journal, directory, routes.take());
  journal::WriteBatch batch;
  EXPECT_EQ(coordinator.planNewCase(batch, parcel("C-1"), "M-1", common::Actor::partner("demo-shop"), swhub::testing::at("2026-11-28T10:00:00.000Z")),
            common::CaseState::UnderAssessment);
  ASSERT_EQ(journal->commit(std::move(batch)).status, journal::CommitResult::Status::Committed);

  RevenuePlugin plugin;
  AssessmentWorker worker(*journal, coordinator, {{"customs", {&plugin, false, ""}}}, "assess");
  EXPECT_EQ(worker.runOnce(), 1u);
  EXPECT_EQ(plugin.seen, "LRN-2026-000123");

  const auto stored = journal->getCase("C-1");
  ASSERT_TRUE(stored);
  const CaseStatus status = CaseStatus::fromJson(stored->status_json);
  EXPECT_EQ(status.revenueDue, "15.60");
  EXPECT_EQ(status.revenueCurrency, "EUR");
  EXPECT_FALSE(status.revenueSettled);
  EXPECT_EQ(stored->state, common::CaseState::Cleared);  // cleared by customs, not released: the consumer has not paid
  ASSERT_EQ(status.agencies.at("customs").history.size(), 1u);
  EXPECT_EQ(status.agencies.at("customs").history[0].duties, "12.50");
  EXPECT_EQ(status.agencies.at("customs").history[0].taxes, "3.10");
  EXPECT_EQ(status.agencies.at("customs").history[0].source, "plugin");
}

// An ABI 3.2 plugin: clears every case and derives a category, a risk score and revenue lines;
// it records what the hub told it of the parties and when the case was filed.
class FindingsPlugin : public sdk::AgencyPlugin {
 public:
  explicit FindingsPlugin(sdk::CollectionModel model) : model_(model) {}
  sdk::Result<sdk::Assessment> assess(const sdk::AssessmentRequest&) const noexcept override {
    return sdk::Errors{{"", "assess() called on a 3.2 plugin"}};
  }
  sdk::Result<sdk::CaseAssessment> assessCase(const sdk::AssessmentRequest& request) const noexcept override {
    parties = request.parties;
    receivedAt = request.received_at;
    sdk::CaseAssessment a;
    a.assessment.decisions.push_back({"clear", "no customs concern", {}, {"CUS-OK"}, 5, {}, {}});
    a.findings.category = 3;
    a.findings.risk_score = 5;
    a.findings.risk_reasons = {{"RISK-NEW-SELLER", 5, "seller never seen before"}};
    a.findings.revenue_assessed = true;
    a.findings.model = model_;
    a.findings.revenue = {
        {"duty", std::nullopt, sdk::Decimal::fromUnits(450000), std::nullopt, sdk::Decimal::fromUnits(30000), "EUR",
         "EU temporary low-value duty: 3 EUR per classification", false},
        {"vat", 1, sdk::Decimal::fromUnits(480000), sdk::Decimal::fromUnits(230000), sdk::Decimal::fromUnits(110400),
         "EUR", "VAT 23 %", false}};
    a.findings.due = sdk::Decimal::fromUnits(140400);
    a.findings.currency = "EUR";
    return a;
  }
  mutable std::vector<sdk::PartyProfile> parties;
  mutable std::string receivedAt;

 private:
  sdk::CollectionModel model_;
};

struct FindingsHub {
  TempDir dir;
  std::unique_ptr<journal::Journal> journal = journal::openJournal("sqlite:" + dir.file("journal.db"));
  std::unique_ptr<Coordinator> coordinator;

  FindingsHub() {
    // customs on everything; product safety only for category 3 (low value, dutiable).
    auto routes = routing::RouteTable::compile(sdk::Value::list(
        {sdk::Value::map({{"name", sdk::Value::string("all")},
                          {"require", sdk::Value::list({sdk::Value::string("customs")})}}),
         sdk::Value::map({{"name", sdk::Value::string("dutiable")},
                          {"match", sdk::Value::map({{"categories", sdk::Value::list({sdk::Value::integer(3)})}})},
                          {"require", sdk::Value::list({sdk::Value::string("product-safety")})}})}));
    EXPECT_TRUE(routes.ok()) << sdk::formatErrors(routes.errors());
    Directory directory;
    directory.agencies["customs"] = {true, false};
    directory.agencies["product-safety"] = {false, false};
    coordinator = std::make_unique<Coordinator>(*journal, directory, routes.take());
  }

  void file(const std::string& caseId, const std::string& reference, sdk::CollectionModel model,
            const std::string& at = "2026-11-28T10:00:00.000Z") {
    sdk::Consignment c = parcel(caseId);
    c.reference = reference;
    c.fiscal.model = model;
    journal::WriteBatch batch;
    coordinator->planNewCase(batch, c, "M-" + caseId, common::Actor::partner("demo-shop"), swhub::testing::at(at));
    ASSERT_EQ(journal->commit(std::move(batch)).status, journal::CommitResult::Status::Committed);
  }
};

// Product safety's decision on C-1, as its API call gives it.
DecisionInput productSafety(const std::string& decision, const std::string& reason) {
  DecisionInput input;
  input.agency = "product-safety";
  input.caseId = "C-1";
  input.actor = common::Actor::agency("product-safety");
  input.decision.decision = *common::parseDecision(decision);
  input.decision.reason = reason;
  input.decision.decided_at = swhub::testing::at("2026-11-28T11:00:00.000Z");
  input.decision.received_at = input.decision.decided_at;
  input.decision.source = "api";
  return input;
}

TEST(release_assessment, FindingsBecomeTheCasesCategoryRiskRevenueAndDerivedPart) {
  FindingsHub hub;
  hub.file("C-1", "R-1", sdk::CollectionModel::Consumer);
  FindingsPlugin plugin(sdk::CollectionModel::Consumer);
  AssessmentWorker worker(*hub.journal, *hub.coordinator, {{"customs", {&plugin, true, ""}}}, "assess");
  EXPECT_EQ(worker.runOnce(), 1u);
  EXPECT_EQ(plugin.receivedAt, "2026-11-28T10:00:00.000Z");

  const auto stored = hub.journal->getCase("C-1");
  ASSERT_TRUE(stored);
  const CaseStatus status = CaseStatus::fromJson(stored->status_json);
  EXPECT_EQ(status.findingsBy, "customs");
  EXPECT_EQ(status.category, 3);
  EXPECT_EQ(status.riskScore, 5);
  ASSERT_EQ(status.riskReasons.size(), 1u);
  EXPECT_EQ(status.riskReasons[0].code, "RISK-NEW-SELLER");
  ASSERT_EQ(status.revenueLines.size(), 2u);
  EXPECT_FALSE(status.revenueLines[0].item);
  EXPECT_FALSE(status.revenueLines[0].rate);
  EXPECT_EQ(status.revenueLines[1].item, 1);
  EXPECT_EQ(status.revenueLines[1].rate, sdk::Decimal::fromUnits(230000));
  EXPECT_EQ(status.revenueDue, "14.04");
  EXPECT_EQ(status.revenueCurrency, "EUR");
  EXPECT_FALSE(status.revenueSettled);

  // The consignment's derived part: what an agency routed later reads in its task.
  EXPECT_NE(stored->consignment_json.find(R"("derived":{"category":3,"duties":3.00,"taxes":11.04,"revenue_currency":"EUR","risk_score":5,"reason_codes":["RISK-NEW-SELLER"]})"),
            std::string::npos)
      << stored->consignment_json;

  // Category 3 is now known: the category route adds product safety, with its task.
  ASSERT_EQ(status.agencies.count("product-safety"), 1u);
  EXPECT_EQ(status.agencies.at("product-safety").mode, "external");
  EXPECT_EQ(stored->state, common::CaseState::UnderAssessment);
  const auto tasks = hub.journal->outboxAfter("product-safety", journal::Channel::Task, 0, 10);
  ASSERT_EQ(tasks.size(), 1u);
  EXPECT_NE(tasks[0].body.find(R"("category":3)"), std::string::npos);

  // Product safety clears: cleared, not released, until the consumer pays.
  const DecisionInput clear = productSafety("clear", "ok");
  EXPECT_EQ(hub.coordinator->decide(clear).state, common::CaseState::Cleared);
}

TEST(release_assessment, UnderTheIntermediaryModelNothingWaitsForPayment) {
  FindingsHub hub;
  hub.file("C-1", "R-1", sdk::CollectionModel::Intermediary);
  FindingsPlugin plugin(sdk::CollectionModel::Intermediary);
  AssessmentWorker worker(*hub.journal, *hub.coordinator, {{"customs", {&plugin, true, ""}}}, "assess");
  EXPECT_EQ(worker.runOnce(), 1u);
  const DecisionInput clear = productSafety("clear", "ok");
  // Charged to the carrier's account: released with 14.04 EUR due from the intermediary.
  EXPECT_EQ(hub.coordinator->decide(clear).state, common::CaseState::Released);
  const CaseStatus status = CaseStatus::fromJson(hub.journal->getCase("C-1")->status_json);
  EXPECT_EQ(status.collection, "intermediary");
  EXPECT_EQ(status.revenueDue, "14.04");
  EXPECT_TRUE(status.revenueSettled);
}

TEST(release_assessment, ThePluginLearnsHowOftenTheSellerWasSeenAndHeld) {
  FindingsHub hub;
  FindingsPlugin plugin(sdk::CollectionModel::Consumer);
  AssessmentWorker worker(*hub.journal, *hub.coordinator, {{"customs", {&plugin, true, ""}}}, "assess");
  hub.file("C-1", "R-1", sdk::CollectionModel::Consumer);
  EXPECT_EQ(worker.runOnce(), 1u);
  // The seller (CN91440300MA5) is new; the buyer has no id, so no profile for it.
  ASSERT_EQ(plugin.parties.size(), 1u);
  EXPECT_EQ(plugin.parties[0].role, "seller");
  EXPECT_EQ(plugin.parties[0].id, "CN91440300MA5");
  EXPECT_EQ(plugin.parties[0].cases_seen, 0);

  // Hold the first case, then file two more: the third sees two cases, one of them held.
  const DecisionInput hold = productSafety("hold", "unsafe");
  EXPECT_EQ(hub.coordinator->decide(hold).state, common::CaseState::Held);
  hub.file("C-2", "R-2", sdk::CollectionModel::Consumer, "2026-11-28T10:00:02.000Z");
  EXPECT_EQ(worker.runOnce(), 1u);
  EXPECT_EQ(plugin.parties.at(0).cases_seen, 1);
  EXPECT_EQ(plugin.parties.at(0).cases_held, 1);
  hub.file("C-3", "R-3", sdk::CollectionModel::Consumer, "2026-11-28T10:00:03.000Z");
  EXPECT_EQ(worker.runOnce(), 1u);
  EXPECT_EQ(plugin.parties.at(0).cases_seen, 2);
  EXPECT_EQ(plugin.parties.at(0).cases_held, 1);
}

TEST(release_assessment, AnAmendmentClearsTheFindingsUntilAssessedAgain) {
  FindingsHub hub;
  hub.file("C-1", "R-1", sdk::CollectionModel::Consumer);
  FindingsPlugin plugin(sdk::CollectionModel::Consumer);
  AssessmentWorker worker(*hub.journal, *hub.coordinator, {{"customs", {&plugin, true, ""}}}, "assess");
  EXPECT_EQ(worker.runOnce(), 1u);
  auto record = hub.journal->getCase("C-1");
  sdk::Consignment amendment = parcel("C-1");
  amendment.filing = sdk::FilingKind::Amendment;
  journal::WriteBatch batch;
  ASSERT_TRUE(hub.coordinator->planFollowUp(batch, *record, amendment, "M-2", common::Actor::partner("demo-shop"),
                                            swhub::testing::at("2026-11-28T12:00:00.000Z"), "/").ok());
  ASSERT_EQ(hub.journal->commit(std::move(batch)).status, journal::CommitResult::Status::Committed);
  CaseStatus status = CaseStatus::fromJson(hub.journal->getCase("C-1")->status_json);
  EXPECT_FALSE(status.category);
  EXPECT_FALSE(status.revenueAssessed);
  EXPECT_EQ(status.agencies.count("product-safety"), 0u);  // no category yet: no category route
  EXPECT_EQ(worker.runOnce(), 1u);
  status = CaseStatus::fromJson(hub.journal->getCase("C-1")->status_json);
  EXPECT_EQ(status.category, 3);
  EXPECT_EQ(status.agencies.count("product-safety"), 1u);
}

}  // namespace
}  // namespace swhub::release
