// Supplementary declarations on statements and in the reconciliation (README "Supplementary
// declarations"), and account-model return credits (README "Returns and refunds"), with figures by
// hand.
#include <gtest/gtest.h>

#include "accounts/reconcile.hpp"
#include "statement_fixture.hpp"

namespace swhub::accounts {
namespace {

using testing::Ledger;

void link(Ledger& ledger, journal::DeclarationLink l) {
  journal::WriteBatch batch;
  batch.declaration_links.push_back(std::move(l));
  ASSERT_EQ(ledger.journal().commit(std::move(batch)).status, journal::CommitResult::Status::Committed);
}

void simplified(Ledger& ledger, const std::string& id) {
  link(ledger, {id, "simplified", "C", "", "", "", "{}", swhub::testing::at("2026-11-01T00:00:00.000Z")});
}

void completes(Ledger& ledger, const std::string& supplementary, const std::string& completed) {
  link(ledger, {supplementary, "supplementary", "Y", completed, "", "", "{}", swhub::testing::at("2026-11-01T00:00:00.000Z")});
}

void closes(Ledger& ledger, const std::string& id, const std::string& period, const std::string& facts) {
  link(ledger, {id, "final-supplementary", "Q", "", "ACC-1", period, facts, swhub::testing::at("2026-12-02T00:00:00.000Z")});
}

std::vector<std::string> adjustments(const Statement& s) {
  std::vector<std::string> out;
  for (const auto& a : s.adjustments) {
    out.push_back(a.caseId + " corrects " + a.corrects + "/" + (a.correctsCase.empty() ? a.caseId : a.correctsCase) +
                  " " + a.tax + " " + a.accounted.toString() + " -> " + a.now.toString() + " = " + a.amount.toString());
  }
  return out;
}

std::vector<std::string> kinds(const Reconciliation& r) {
  std::vector<std::string> out;
  for (const auto& d : r.differences) out.push_back(d.kind + (d.caseId.empty() ? "" : " " + d.caseId));
  return out;
}

TEST(accounts_supplementary, ASupplementaryInTheSameMonthAdjustsTheCaseItCompletes) {
  Ledger ledger;
  ledger.release("C-S", "2026-11-03T10:00:00.000Z", {{"vat", 1, "200.00"}});
  simplified(ledger, "C-S");
  ledger.release("C-Y", "2026-11-20T10:00:00.000Z", {{"vat", 1, "240.00"}, {"duty", 1, "5.00"}});
  completes(ledger, "C-Y", "C-S");
  const auto s = ledger.ask("2026-11", "2026-12-02T09:00:00.000Z").view();
  ASSERT_EQ(s.entries.size(), 2u);
  EXPECT_EQ(s.entries[1].caseId, "C-Y");
  EXPECT_TRUE(s.entries[1].lines.empty());
  EXPECT_EQ(s.entries[1].completes, std::vector<std::string>{"C-S"});
  EXPECT_EQ(adjustments(s), (std::vector<std::string>{"C-Y corrects ST-ACC-1-2026-11/C-S duty 0.00 -> 5.00 = 5.00",
                                                      "C-Y corrects ST-ACC-1-2026-11/C-S vat 200.00 -> 240.00 = 40.00"}));
  // 200.00 + 5.00 + 40.00: what the supplementary declaration says is owed.
  ASSERT_EQ(s.due.size(), 1u);
  EXPECT_EQ(s.due[0].amount.toString(), "245.00");
}

TEST(accounts_supplementary, ASupplementaryAfterTheCompletedCaseWasAccountedCorrectsThatStatement) {
  Ledger ledger;
  ledger.release("C-S", "2026-10-30T10:00:00.000Z", {{"vat", 1, "200.00"}});
  ledger.ask("2026-10", "2026-11-02T09:00:00.000Z");
  ledger.release("C-Y", "2026-11-05T10:00:00.000Z", {{"vat", 1, "190.00"}});
  completes(ledger, "C-Y", "C-S");
  const auto s = ledger.ask("2026-11", "2026-12-02T09:00:00.000Z").view();
  EXPECT_EQ(adjustments(s), (std::vector<std::string>{"C-Y corrects ST-ACC-1-2026-10/C-S vat 200.00 -> 190.00 = -10.00"}));
  EXPECT_EQ(s.due[0].amount.toString(), "-10.00");
  // Nothing more on December's: the difference was accounted.
  EXPECT_TRUE(ledger.ask("2026-12", "2027-01-02T09:00:00.000Z").view().adjustments.empty());
  EXPECT_TRUE(reconcile(ledger.journal(), ledger.book(), "ACC-1", {2026, 11}).differences.empty())
      << toJson(reconcile(ledger.journal(), ledger.book(), "ACC-1", {2026, 11}));
}

TEST(accounts_supplementary, TheMonthIsCheckedAgainstItsFinalSupplementary) {
  struct Row {
    const char* name;
    std::string facts;  // what the Q reports; "" = no Q
    bool missing;       // a second simplified declaration with no supplementary
    std::vector<std::string> kinds;
  };
  const std::string matching = R"({"counts":[{"type":"Y","finalised":1,"due":1},{"type":"Z","finalised":0,"due":0}],)"
                               R"("totals":[{"tax":"vat","amount":"240.00","currency":"EUR"}]})";
  const std::vector<Row> rows = {
      {"matching", matching, false, {}},
      {"no final supplementary", "", false, {"final-supplementary-missing"}},
      {"a supplementary missing", matching, true, {"supplementary-missing C-S2", "final-supplementary-count C-Q"}},
      {"another total",
       R"({"counts":[{"type":"Y","finalised":1,"due":1},{"type":"Z","finalised":0,"due":0}],)"
       R"("totals":[{"tax":"vat","amount":"200.00","currency":"EUR"}]})",
       false,
       {"final-supplementary-total C-Q"}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.name);
    Ledger ledger;
    ledger.release("C-S", "2026-11-03T10:00:00.000Z", {{"vat", 1, "200.00"}});
    simplified(ledger, "C-S");
    ledger.release("C-Y", "2026-11-20T10:00:00.000Z", {{"vat", 1, "240.00"}});
    completes(ledger, "C-Y", "C-S");
    if (row.missing) {
      ledger.release("C-S2", "2026-11-21T10:00:00.000Z", {{"vat", 1, "20.00"}});
      simplified(ledger, "C-S2");
    }
    if (!row.facts.empty()) closes(ledger, "C-Q", "2026-11", row.facts);
    ledger.ask("2026-11", "2026-12-02T09:00:00.000Z");
    const auto r = reconcile(ledger.journal(), ledger.book(), "ACC-1", {2026, 11});
    EXPECT_EQ(kinds(r), row.kinds) << toJson(r);
    ASSERT_TRUE(r.finalSupplementary);
    if (row.missing) {
      EXPECT_EQ(r.differences[0].detail, "simplified declaration REF-C-S2 (type C) released 2026-11-21T10:00:00.000Z "
                                         "has no supplementary declaration (type Y due)");
      EXPECT_EQ(r.differences[1].detail, "type Y: reported 1/1 (finalised/due), the journal holds 1/2");
    }
  }
}

TEST(accounts_supplementary, AMonthWithoutSimplifiedDeclarationsHasNothingToCheck) {
  Ledger ledger;
  ledger.release("C-1", "2026-11-03T10:00:00.000Z", {{"vat", 1, "11.04"}});
  ledger.ask("2026-11", "2026-12-02T09:00:00.000Z");
  const auto r = reconcile(ledger.journal(), ledger.book(), "ACC-1", {2026, 11});
  EXPECT_TRUE(r.reconciled());
  EXPECT_FALSE(r.finalSupplementary);
}

// A return that credits half of each line of an item: 2 units imported, 1 back.
std::string returnedStatus(const std::string& filedAt) {
  auto status = release::CaseStatus::fromJson(testing::statusJson("account", {{"duty", 1, "36.00"}, {"vat", 1, "67.20"}}));
  release::ReturnRecord r;
  r.id = "R-1";
  r.filed_at = swhub::testing::at(filedAt);
  r.state = release::ReturnState::Returned;
  r.items = {{1, "610910", 1, "150.00", "EUR"}};
  r.refund = {{0, "duty", 1, "36.00", "1/2", "18.00", "EUR", "36.00 x 1/2 = 18.00"},
              {1, "vat", 1, "67.20", "1/2", "33.60", "EUR", "67.20 x 1/2 = 33.60"}};
  r.credited = "51.60";
  r.currency = "EUR";
  status.returns.push_back(r);
  return status.toJson();
}

TEST(accounts_credit, AProvenReturnOfAnAccountCaseIsACreditOnTheNextStatement) {
  Ledger ledger;
  ledger.release("C-1", "2026-11-03T10:00:00.000Z", {{"duty", 1, "36.00"}, {"vat", 1, "67.20"}});
  ledger.ask("2026-11", "2026-12-02T09:00:00.000Z");
  journal::WriteBatch batch;
  batch.case_updates.push_back({"C-1", 1, common::CaseState::Returned, "", "",
                                swhub::testing::at("2026-12-05T10:00:00.000Z"), returnedStatus("2026-12-05T10:00:00.000Z")});
  ASSERT_EQ(ledger.journal().commit(std::move(batch)).status, journal::CommitResult::Status::Committed);
  const auto dec = ledger.ask("2026-12", "2027-01-02T09:00:00.000Z").view();
  EXPECT_EQ(adjustments(dec), (std::vector<std::string>{"C-1 corrects ST-ACC-1-2026-11/C-1 duty 36.00 -> 18.00 = -18.00",
                                                        "C-1 corrects ST-ACC-1-2026-11/C-1 vat 67.20 -> 33.60 = -33.60"}));
  EXPECT_EQ(dec.due[0].amount.toString(), "-51.60");
  EXPECT_EQ(dec.adjustments[0].why, "return R-1 credit (51.60 EUR)");
}

TEST(accounts_credit, AReturnBeforeTheCaseWasAccountedIsCreditedBesideItsItem) {
  Ledger ledger;
  ledger.release("C-1", "2026-11-03T10:00:00.000Z", {{"duty", 1, "36.00"}, {"vat", 1, "67.20"}});
  journal::WriteBatch batch;
  batch.case_updates.push_back({"C-1", 1, common::CaseState::Returned, "", "",
                                swhub::testing::at("2026-11-05T10:00:00.000Z"), returnedStatus("2026-11-05T10:00:00.000Z")});
  ASSERT_EQ(ledger.journal().commit(std::move(batch)).status, journal::CommitResult::Status::Committed);
  const auto nov = ledger.ask("2026-11", "2026-12-02T09:00:00.000Z").view();
  ASSERT_EQ(nov.entries.size(), 1u);
  EXPECT_EQ(nov.entries[0].lines.size(), 2u);  // as assessed
  EXPECT_EQ(adjustments(nov), (std::vector<std::string>{"C-1 corrects ST-ACC-1-2026-11/C-1 duty 36.00 -> 18.00 = -18.00",
                                                        "C-1 corrects ST-ACC-1-2026-11/C-1 vat 67.20 -> 33.60 = -33.60"}));
  EXPECT_EQ(nov.due[0].amount.toString(), "51.60");
  // Credited once: nothing on December's.
  EXPECT_TRUE(ledger.ask("2026-12", "2027-01-02T09:00:00.000Z").view().adjustments.empty());
}

}  // namespace
}  // namespace swhub::accounts
