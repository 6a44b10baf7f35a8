// Reconciliation of an account's period: every item released under the account model on exactly
// the period's statement, totals equal to the sums of the lines, and what was assessed in advance
// against what was accounted.
#include <gtest/gtest.h>

#include "accounts/reconcile.hpp"
#include "statement_fixture.hpp"

namespace swhub::accounts {
namespace {

using testing::Ledger;

std::vector<std::string> kinds(const Reconciliation& r) {
  std::vector<std::string> out;
  for (const auto& d : r.differences) out.push_back(d.kind + (d.caseId.empty() ? "" : " " + d.caseId));
  return out;
}

TEST(accounts_reconcile, AnIssuedPeriodReconciles) {
  Ledger ledger;
  ledger.release("C-1", "2026-11-03T10:00:00.000Z", {{"duty", 0, "3.00"}, {"vat", 1, "11.04"}});
  ledger.release("C-2", "2026-11-30T23:59:59.999Z", {{"vat", 1, "2.30"}});
  ledger.ask("2026-11", "2026-12-02T09:00:00.000Z");
  const auto r = reconcile(ledger.journal(), ledger.book(), "ACC-1", {2026, 11});
  EXPECT_TRUE(r.reconciled()) << toJson(r);
  EXPECT_EQ(r.released, 2);
  EXPECT_EQ(r.onStatement, 2);
  EXPECT_EQ(r.linesChecked, 3);
  EXPECT_EQ(toJson(r),
            R"({"account":"ACC-1","period":"2026-11","statement_id":"ST-ACC-1-2026-11","status":"reconciled",)"
            R"("items_released":2,"items_on_statement":2,"lines_checked":3,"differences":[]})");
}

TEST(accounts_reconcile, ANotIssuedPeriodAndAnItemOnNoStatementAreDifferences) {
  Ledger ledger;
  ledger.release("C-1", "2026-11-03T10:00:00.000Z", {{"vat", 1, "11.04"}});
  auto r = reconcile(ledger.journal(), ledger.book(), "ACC-1", {2026, 11});
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"not-issued", "not-on-statement C-1"}));
  ledger.ask("2026-11", "2026-12-02T09:00:00.000Z");
  // A release of November that the journal only holds after the statement was issued.
  ledger.release("C-late", "2026-11-29T10:00:00.000Z", {{"vat", 1, "1.00"}});
  r = reconcile(ledger.journal(), ledger.book(), "ACC-1", {2026, 11});
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"not-on-statement C-late"}));
  EXPECT_FALSE(r.reconciled());
}

TEST(accounts_reconcile, ARevenueChangedAfterReleaseIsListedOnceAccounted) {
  Ledger ledger;
  ledger.release("C-1", "2026-11-03T10:00:00.000Z", {{"vat", 1, "11.04"}});
  ledger.ask("2026-11", "2026-12-02T09:00:00.000Z");
  ledger.change("C-1", "2026-12-10T10:00:00.000Z", {{"vat", 1, "12.42"}});
  // Not accounted yet: November still matches what was assessed before release.
  EXPECT_TRUE(reconcile(ledger.journal(), ledger.book(), "ACC-1", {2026, 11}).reconciled());
  ledger.ask("2026-12", "2027-01-02T09:00:00.000Z");
  const auto r = reconcile(ledger.journal(), ledger.book(), "ACC-1", {2026, 11});
  ASSERT_EQ(kinds(r), (std::vector<std::string>{"revenue C-1"}));
  EXPECT_EQ(r.differences[0].detail, "assessed in advance 11.04 EUR, accounted 12.42 EUR");
  // December itself reconciles: its adjustment is in its totals.
  EXPECT_TRUE(reconcile(ledger.journal(), ledger.book(), "ACC-1", {2026, 12}).reconciled());
}

}  // namespace
}  // namespace swhub::accounts
