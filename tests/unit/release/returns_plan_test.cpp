// The return path of the coordinator on a real journal (issue 12 item 4): a paid, released case
// goes back; two returns of its last unit planned at once refund once, because the journal
// refuses the second plan as stale and, planned again, it is held; a late return is held too.

#include <gtest/gtest.h>

#include "instants.hpp"
#include "../model/examples.hpp"
#include "journal/journal.hpp"
#include "release/case_status.hpp"
#include "release/coordinator.hpp"
#include "routing/route_table.hpp"
#include "temp_dir.hpp"

namespace swhub::release {
namespace {

using swhub::testing::TempDir;
using Status = journal::CommitResult::Status;

sdk::Decimal dec(const std::string& text) { return *sdk::Decimal::parse(text); }

class ReturnsPlan : public ::testing::Test {
 protected:
  void SetUp() override {
    journal_ = journal::openJournal("sqlite:" + dir_.file("journal.db"));
    auto routes = routing::RouteTable::compile(sdk::Value::list({sdk::Value::map(
        {{"name", sdk::Value::string("all")}, {"require", sdk::Value::list({sdk::Value::string("customs")})}})}));
    ASSERT_TRUE(routes.ok()) << sdk::formatErrors(routes.errors());
    Directory directory;
    directory.agencies["customs"] = {true, false};
    directory.partners["demo-shop"] = {nullptr, false, "canonical"};
    directory.partners["demo-pay"] = {nullptr, false, "payment"};
    coordinator_ = std::make_unique<Coordinator>(*journal_, directory, routes.take());
  }

  // The DESIGN.md headphones (45.00 EUR), declared, assessed 3.00 duty + 11.04 VAT, paid: released
  // at `releasedAt`.
  void releasedCase(const std::string& releasedAt) {
    sdk::Consignment c = test::designConsignment();
    c.case_id = "C-1";
    c.partner = "demo-shop";
    c.filing = sdk::FilingKind::Declaration;
    journal::WriteBatch filed;
    coordinator_->planNewCase(filed, c, "M-1", common::Actor::partner("demo-shop"), swhub::testing::at("2026-11-28T09:00:00.000Z"));
    ASSERT_EQ(journal_->commit(std::move(filed)).status, Status::Committed);

    sdk::Findings findings;
    findings.revenue_assessed = true;
    findings.model = sdk::CollectionModel::Consumer;
    findings.revenue = {{"duty", 1, dec("45.00"), dec("3"), dec("3.00"), "EUR", "duty", false},
                        {"vat", 1, dec("48.00"), dec("23"), dec("11.04"), "EUR", "VAT", false}};
    findings.due = dec("14.04");
    findings.currency = "EUR";
    DecisionRecord clear{common::Decision::Clear, "no customs concern", {}, swhub::testing::at("2026-11-28T09:00:01.000Z"), swhub::testing::at("2026-11-28T09:00:01.000Z"),
                         "plugin", "", "", "", {}};
    const auto assessed = coordinator_->recordAssessment({"customs", "C-1", common::Actor::plugin("customs"), {clear}, findings, std::nullopt});
    ASSERT_EQ(assessed.state, common::CaseState::Cleared);

    sdk::HubEvent paid{sdk::HubEvent::Kind::PaymentConfirmed, "C-1", "", "pi_1", dec("14.04"), "EUR",
                       "2026-11-28T09:59:00Z", ""};
    journal::WriteBatch payment;
    auto planned = coordinator_->planEvent(payment, *journal_->getCase("C-1"), paid, "M-2", common::Actor::partner("demo-pay"),
                                           swhub::testing::at(releasedAt), "");
    ASSERT_TRUE(planned.ok());
    ASSERT_EQ(planned.value(), common::CaseState::Released);
    ASSERT_EQ(journal_->commit(std::move(payment)).status, Status::Committed);
  }

  static sdk::Consignment returnOfTheHeadphones() {
    sdk::Consignment r = test::designConsignment();
    r.case_id = "C-1";
    r.reference.clear();
    r.filing = sdk::FilingKind::Return;
    r.items.front().documents = {{"export-proof", "EX-1", std::nullopt}};
    return r;
  }

  sdk::Result<common::CaseState> planReturn(journal::WriteBatch& batch, const journal::CaseRecord& record,
                                            const std::string& message, const std::string& now) {
    return coordinator_->planFollowUp(batch, record, returnOfTheHeadphones(), message, common::Actor::partner("demo-shop"),
                                      swhub::testing::at(now), "");
  }

  std::size_t refundInstructions() {
    std::size_t n = 0;
    for (const auto& item : journal_->outboxForCase("C-1")) {
      if (item.recipient == "demo-pay" && item.body.find("refund-instructed") != std::string::npos) ++n;
    }
    return n;
  }

  TempDir dir_;
  std::unique_ptr<journal::Journal> journal_;
  std::unique_ptr<Coordinator> coordinator_;
};

TEST_F(ReturnsPlan, TwoReturnsOfTheLastUnitAtOnceRefundOnce) {
  releasedCase("2026-11-28T10:00:00.000Z");
  const auto snapshot = journal_->getCase("C-1");
  ASSERT_TRUE(snapshot);
  // Both planned on the same version of the case, as two messages filed at once are.
  journal::WriteBatch first, second;
  ASSERT_EQ(planReturn(first, *snapshot, "M-3", "2026-12-01T10:00:00.000Z").value(), common::CaseState::Refunded);
  ASSERT_EQ(planReturn(second, *snapshot, "M-4", "2026-12-01T10:00:00.000Z").value(), common::CaseState::Refunded);
  EXPECT_EQ(journal_->commit(std::move(first)).status, Status::Committed);
  EXPECT_EQ(journal_->commit(std::move(second)).status, Status::Stale);

  // Planned again on the case as it is now (what the intake pipeline does): held, nothing refunded.
  journal::WriteBatch again;
  ASSERT_EQ(planReturn(again, *journal_->getCase("C-1"), "M-4", "2026-12-01T10:00:00.000Z").value(), common::CaseState::Refunded);
  EXPECT_EQ(journal_->commit(std::move(again)).status, Status::Committed);

  const auto stored = journal_->getCase("C-1");
  EXPECT_EQ(stored->state, common::CaseState::Refunded);
  const CaseStatus status = CaseStatus::fromJson(stored->status_json);
  ASSERT_EQ(status.returns.size(), 2u);
  EXPECT_EQ(status.returns[0].state, ReturnState::Refunded);
  EXPECT_EQ(status.returns[0].refunded, "14.04");
  EXPECT_EQ(status.returns[0].instructions,
            (std::vector<RefundInstruction>{{"demo-pay", "pi_1", "14.04", "EUR"}}));
  EXPECT_EQ(status.returns[1].state, ReturnState::Held);
  EXPECT_EQ(status.returns[1].reason_codes, (std::vector<std::string>{"RET-ALREADY-RETURNED"}));
  EXPECT_EQ(status.payments.at(0).instructed, "14.04");
  EXPECT_EQ(refundInstructions(), 1u);
}

TEST_F(ReturnsPlan, AReturnAfterTheWindowIsHeldWithTheReason) {
  releasedCase("2026-11-28T10:00:00.000Z");
  journal::WriteBatch late;
  ASSERT_EQ(planReturn(late, *journal_->getCase("C-1"), "M-3", "2026-12-28T10:00:00.001Z").value(), common::CaseState::Released);
  ASSERT_EQ(journal_->commit(std::move(late)).status, Status::Committed);
  const CaseStatus status = CaseStatus::fromJson(journal_->getCase("C-1")->status_json);
  ASSERT_EQ(status.returns.size(), 1u);
  EXPECT_EQ(status.returns[0].state, ReturnState::Held);
  EXPECT_EQ(status.returns[0].reason,
            "return held, no refund: window: filed 2026-12-28T10:00:00.001Z, day 31, inbound released "
            "2026-11-28T10:00:00.000Z, returns within 30 days");
  EXPECT_EQ(status.returns[0].reason_codes, (std::vector<std::string>{"RET-LATE"}));
  EXPECT_EQ(refundInstructions(), 0u);

  // On the last day of the window the same return refunds.
  journal::WriteBatch inTime;
  ASSERT_EQ(planReturn(inTime, *journal_->getCase("C-1"), "M-4", "2026-12-28T10:00:00.000Z").value(), common::CaseState::Refunded);
  ASSERT_EQ(journal_->commit(std::move(inTime)).status, Status::Committed);
  EXPECT_EQ(refundInstructions(), 1u);
}

}  // namespace
}  // namespace swhub::release
