// The assessment worker runs an in-process agency plugin on a case and records its decisions as
// an external agency's would be: duties and taxes the plugin assesses become the case's revenue
// due (in the consignment's currency), and release then waits for payment.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

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
  EXPECT_EQ(coordinator.planNewCase(batch, parcel("C-1"), "M-1", "partner:demo-shop", "2026-11-28T10:00:00.000Z"),
            "under-assessment");
  ASSERT_EQ(journal->commit(std::move(batch)).status, journal::CommitResult::Status::Committed);

  RevenuePlugin plugin;
  AssessmentWorker worker(*journal, coordinator, {{"customs", &plugin}}, "assess");
  EXPECT_EQ(worker.runOnce(), 1u);
  EXPECT_EQ(plugin.seen, "LRN-2026-000123");

  const auto stored = journal->getCase("C-1");
  ASSERT_TRUE(stored);
  const CaseStatus status = CaseStatus::fromJson(stored->status_json);
  EXPECT_EQ(status.revenueDue, "15.60");
  EXPECT_EQ(status.revenueCurrency, "EUR");
  EXPECT_FALSE(status.revenueSettled);
  EXPECT_EQ(stored->state, "cleared");  // cleared by customs, not released: the consumer has not paid
  ASSERT_EQ(status.agencies.at("customs").history.size(), 1u);
  EXPECT_EQ(status.agencies.at("customs").history[0].duties, "12.50");
  EXPECT_EQ(status.agencies.at("customs").history[0].taxes, "3.10");
  EXPECT_EQ(status.agencies.at("customs").history[0].source, "plugin");
}

}  // namespace
}  // namespace swhub::release
