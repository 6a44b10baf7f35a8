// Account statements over a real journal: which items a period holds (its edges in UTC and in a
// time zone), totals, drafts, issuing once and in order, and late changes as adjustments.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "statement_fixture.hpp"

namespace swhub::accounts {
namespace {

using testing::Ledger;
using testing::Line;

std::vector<std::string> caseIds(const Statement& s) {
  std::vector<std::string> ids;
  for (const auto& e : s.entries) ids.push_back(e.caseId);
  return ids;
}

std::string totalOf(const Statement& s, const std::string& tax) {
  for (const auto& t : s.totals) {
    if (t.tax == tax) return t.amount.toString() + " " + t.currency;
  }
  return "none";
}

TEST(accounts_statement, APeriodHoldsTheItemsReleasedInItsMonthToTheMillisecond) {
  struct Row {
    const char* zone;
    const char* releasedAt;
    const char* period;  // where the item belongs
  };
  const Row rows[] = {
      {"UTC", "2026-11-01T00:00:00.000Z", "2026-11"},
      {"UTC", "2026-11-30T23:59:59.999Z", "2026-11"},
      {"UTC", "2026-12-01T00:00:00.000Z", "2026-12"},
      {"UTC", "2026-10-31T23:59:59.999Z", "2026-10"},
      {"Asia/Tokyo", "2026-11-30T14:59:59.999Z", "2026-11"},
      {"Asia/Tokyo", "2026-11-30T15:00:00.000Z", "2026-12"},
      {"Europe/Lisbon", "2026-10-31T23:59:59.999Z", "2026-10"},
      {"Europe/Lisbon", "2026-09-30T22:59:59.999Z", "2026-09"},
      {"Europe/Lisbon", "2026-09-30T23:00:00.000Z", "2026-10"},
  };
  for (const auto& row : rows) {
    Ledger ledger(row.zone);
    ledger.release("C-1", row.releasedAt, {{"vat", 1, "10.00"}});
    for (const char* period : {"2026-09", "2026-10", "2026-11", "2026-12"}) {
      const auto out = ledger.ask(period, "2027-02-01T00:00:00.000Z");
      ASSERT_EQ(out.status, StatementBook::Outcome::Status::Ok);
      const bool expected = std::string(period) == row.period;
      EXPECT_EQ(out.view().entries.size(), expected ? 1u : 0u) << row.zone << " " << row.releasedAt << " in " << period;
    }
  }
}

TEST(accounts_statement, OnlyTheHoldersItemsUnderTheAccountModelWithTotalsPerTaxAndTheDueDate) {
  Ledger ledger;
  ledger.release("C-1", "2026-11-03T10:00:00.000Z", {{"duty", 0, "3.00"}, {"vat", 1, "11.04"}});
  ledger.release("C-2", "2026-11-20T10:00:00.000Z", {{"duty", 0, "3.00"}, {"vat", 1, "4.60"}, {"vat", 2, "2.30"}});
  ledger.release("C-3", "2026-11-21T10:00:00.000Z", {});  // nothing due: listed all the same
  ledger.release("C-consumer", "2026-11-05T10:00:00.000Z", {{"vat", 1, "5.00"}}, "consumer");
  ledger.release("C-other", "2026-11-05T10:00:00.000Z", {{"vat", 1, "5.00"}}, "account", "demo-shop");
  const auto out = ledger.ask("2026-11", "2026-12-02T09:00:00.000Z");
  ASSERT_EQ(out.status, StatementBook::Outcome::Status::Ok);
  const Statement s = out.view();
  EXPECT_EQ(caseIds(s), (std::vector<std::string>{"C-1", "C-2", "C-3"}));
  EXPECT_TRUE(s.issued);
  EXPECT_EQ(s.id, "ST-ACC-1-2026-11");
  EXPECT_EQ(s.holder, "demo-broker");
  EXPECT_EQ(s.paymentDue, "2026-12-15");
  EXPECT_EQ(totalOf(s, "duty"), "6.00 EUR");
  EXPECT_EQ(totalOf(s, "vat"), "17.94 EUR");
  ASSERT_EQ(s.due.size(), 1u);
  EXPECT_EQ(s.due[0].amount.toString(), "23.94");
  EXPECT_EQ(s.entries[1].lines.size(), 3u);
  EXPECT_NE(out.json.find(R"("status":"issued")"), std::string::npos) << out.json;
  EXPECT_NE(out.json.find(R"("due":[{"amount":"23.94","currency":"EUR"}])"), std::string::npos) << out.json;
}

TEST(accounts_statement, ADeferredAccountNamedByTheFilingMustBeTheHoldersAccount) {
  Ledger ledger;
  auto refs = [](const std::string& list) { return R"({"fiscal":{"model":"account","payment_refs":[)" + list + "]}}"; };
  ledger.release("C-own-dan", "2026-11-03T10:00:00.000Z", {{"vat", 1, "1.00"}}, "account", "demo-broker",
                 refs(R"("PAY-1","DAN ACC-1")"));
  ledger.release("C-client-dan", "2026-11-04T10:00:00.000Z", {{"vat", 1, "2.00"}}, "account", "demo-broker",
                 refs(R"("DAN 1234567")"));
  ledger.release("C-no-dan", "2026-11-05T10:00:00.000Z", {{"vat", 1, "4.00"}}, "account", "demo-broker",
                 refs(R"("PAY-2")"));
  const auto out = ledger.ask("2026-11", "2026-12-02T09:00:00.000Z");
  EXPECT_EQ(caseIds(out.view()), (std::vector<std::string>{"C-own-dan", "C-no-dan"}));
  EXPECT_EQ(totalOf(out.view(), "vat"), "5.00 EUR");
}

TEST(accounts_statement, APeriodNotEndedIsADraftAndNothingIsStored) {
  Ledger ledger;
  ledger.release("C-1", "2026-11-03T10:00:00.000Z", {{"vat", 1, "11.04"}});
  const auto out = ledger.ask("2026-11", "2026-11-30T23:59:59.999Z");
  EXPECT_FALSE(out.view().issued);
  EXPECT_NE(out.json.find(R"("status":"draft","time_zone":"UTC")"), std::string::npos) << out.json;
  EXPECT_NE(out.json.find(R"("issued_at":null)"), std::string::npos) << out.json;
  EXPECT_FALSE(ledger.journal().statement("ACC-1", "2026-11").has_value());
  // One millisecond later the month has ended: issued.
  EXPECT_TRUE(ledger.ask("2026-11", "2026-12-01T00:00:00.000Z").view().issued);
  EXPECT_TRUE(ledger.journal().statement("ACC-1", "2026-11").has_value());
}

TEST(accounts_statement, IssuedOnceThenServedByteForByteAndTheStoreRefusesChanges) {
  Ledger ledger;
  ledger.release("C-1", "2026-11-03T10:00:00.000Z", {{"vat", 1, "11.04"}});
  const auto first = ledger.ask("2026-11", "2026-12-02T09:00:00.000Z");
  // A case released in November that only now reaches the journal (it cannot, but the statement
  // must not move if it did), and a later ask: the same bytes.
  ledger.release("C-late", "2026-11-29T10:00:00.000Z", {{"vat", 1, "1.00"}});
  const auto again = ledger.ask("2026-11", "2027-03-01T00:00:00.000Z");
  EXPECT_EQ(again.json, first.json);
  EXPECT_EQ(again.view().issuedAt, "2026-12-02T09:00:00.000Z");

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(ledger.journalPath().c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_NE(sqlite3_exec(db, "UPDATE statement_lines SET amount = '0.00'", nullptr, nullptr, &error), SQLITE_OK);
  EXPECT_STREQ(error, "an issued statement never changes");
  sqlite3_free(error);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM statements", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

TEST(accounts_statement, EarlierClosedPeriodsAreIssuedFirstInOrder) {
  Ledger ledger;
  ledger.release("C-sep", "2026-09-10T10:00:00.000Z", {{"vat", 1, "1.00"}});
  ledger.release("C-nov", "2026-11-10T10:00:00.000Z", {{"vat", 1, "2.00"}});
  const auto dec = ledger.ask("2026-12", "2027-01-05T00:00:00.000Z");
  EXPECT_TRUE(dec.view().issued);
  for (const char* period : {"2026-09", "2026-10", "2026-11", "2026-12"}) {
    EXPECT_TRUE(ledger.journal().statement("ACC-1", period).has_value()) << period;
  }
  EXPECT_FALSE(ledger.journal().statement("ACC-1", "2026-08").has_value());

  EXPECT_EQ(ledger.journal().statementOfCase("C-sep"), "ST-ACC-1-2026-09");
  EXPECT_EQ(ledger.journal().statementOfCase("C-nov"), "ST-ACC-1-2026-11");
}

TEST(accounts_statement, AMonthLongBeforeTheFirstReleaseIsIssuedAloneWithNoRunAfterIt) {
  Ledger ledger;
  ledger.release("C-nov", "2026-11-10T10:00:00.000Z", {{"vat", 1, "2.00"}});
  EXPECT_TRUE(ledger.ask("2020-01", "2026-12-05T00:00:00.000Z").view().entries.empty());
  EXPECT_EQ(caseIds(ledger.ask("2026-11", "2026-12-05T00:00:00.000Z").view()), (std::vector<std::string>{"C-nov"}));
  EXPECT_FALSE(ledger.journal().statement("ACC-1", "2020-02").has_value());
  EXPECT_FALSE(ledger.journal().statement("ACC-1", "2026-10").has_value());
}

TEST(accounts_statement, ALateChangeIsAnAdjustmentOnTheNextStatementNamingWhatItCorrects) {
  struct Row {
    const char* name;
    std::vector<Line> before;
    std::vector<Line> after;
    std::string model;
    std::vector<std::string> adjustments;  // "tax item amount (accounted -> now)"
  };
  const std::vector<Row> rows = {
      {"re-assessed up", {{"vat", 1, "11.04"}}, {{"vat", 1, "12.42"}}, "account", {"vat 1 1.38 (11.04 -> 12.42)"}},
      {"re-assessed down", {{"vat", 1, "11.04"}, {"duty", 0, "3.00"}}, {{"vat", 1, "11.04"}}, "account",
       {"duty 0 -3.00 (3.00 -> 0.00)"}},
      {"a line added", {{"vat", 1, "11.04"}}, {{"vat", 1, "11.04"}, {"vat", 2, "0.50"}}, "account",
       {"vat 2 0.50 (0.00 -> 0.50)"}},
      {"no longer the account's", {{"vat", 1, "11.04"}}, {{"vat", 1, "11.04"}}, "consumer",
       {"vat 1 -11.04 (11.04 -> 0.00)"}},
      {"changed back and forth", {{"vat", 1, "11.04"}}, {{"vat", 1, "11.04"}}, "account", {}},
  };
  for (const auto& row : rows) {
    Ledger ledger;
    ledger.release("C-1", "2026-11-03T10:00:00.000Z", row.before);
    ledger.release("C-2", "2026-12-03T10:00:00.000Z", {{"vat", 1, "1.00"}});
    const auto nov = ledger.ask("2026-11", "2026-12-02T09:00:00.000Z");
    ledger.change("C-1", "2026-12-10T10:00:00.000Z", row.after, row.model);
    const auto dec = ledger.ask("2026-12", "2027-01-02T09:00:00.000Z");
    std::vector<std::string> got;
    for (const auto& a : dec.view().adjustments) {
      EXPECT_EQ(a.caseId, "C-1") << row.name;
      EXPECT_EQ(a.corrects, "ST-ACC-1-2026-11") << row.name;
      got.push_back(a.tax + " " + std::to_string(a.item) + " " + a.amount.toString() + " (" + a.accounted.toString() +
                    " -> " + a.now.toString() + ")");
    }
    EXPECT_EQ(got, row.adjustments) << row.name;
    EXPECT_EQ(caseIds(dec.view()), (std::vector<std::string>{"C-2"})) << row.name;
    // November's statement is as it was.
    EXPECT_EQ(ledger.ask("2026-11", "2027-01-02T09:00:00.000Z").json, nov.json) << row.name;
    // Once on December's statement, the correction is not repeated on January's.
    EXPECT_TRUE(ledger.ask("2027-01", "2027-02-02T09:00:00.000Z").view().adjustments.empty()) << row.name;
  }
}

TEST(accounts_statement, AdjustmentsCountInTheTotalsAndTheDraftShowsThemUntilIssued) {
  Ledger ledger;
  ledger.release("C-1", "2026-11-03T10:00:00.000Z", {{"vat", 1, "11.04"}, {"duty", 0, "3.00"}});
  ledger.ask("2026-11", "2026-12-02T09:00:00.000Z");
  ledger.change("C-1", "2026-12-10T10:00:00.000Z", {{"vat", 1, "13.80"}, {"duty", 0, "3.00"}});
  ledger.release("C-2", "2026-12-11T10:00:00.000Z", {{"vat", 1, "2.30"}});
  const auto draft = ledger.ask("2026-12", "2026-12-20T00:00:00.000Z");
  EXPECT_FALSE(draft.view().issued);
  ASSERT_EQ(draft.view().adjustments.size(), 1u);
  EXPECT_EQ(totalOf(draft.view(), "vat"), "5.06 EUR");  // 2.30 + 2.76
  const auto issued = ledger.ask("2026-12", "2027-01-01T00:00:00.000Z");
  EXPECT_EQ(totalOf(issued.view(), "vat"), "5.06 EUR");
  EXPECT_EQ(totalOf(issued.view(), "duty"), "none");
  EXPECT_NE(issued.json.find(R"("corrects":{"statement_id":"ST-ACC-1-2026-11","case_id":"C-1","tax":"vat","item":1})"),
            std::string::npos)
      << issued.json;
}

TEST(accounts_statement, TheCsvHasOneRowPerLineAdjustmentTotalAndDue) {
  Ledger ledger;
  ledger.release("C-1", "2026-11-03T10:00:00.000Z", {{"duty", 0, "3.00"}, {"vat", 1, "11.04"}});
  const auto out = ledger.ask("2026-11", "2026-12-02T09:00:00.000Z");
  EXPECT_EQ(toCsv(statementFromJson(out.json)),
            "statement_id,period,status,kind,case_id,reference,released_at,tax,item,base,rate,amount,currency,corrects,why\n"
            "ST-ACC-1-2026-11,2026-11,issued,item,C-1,REF-C-1,2026-11-03T10:00:00.000Z,duty,,3.00,,3.00,EUR,,duty of item 0\n"
            "ST-ACC-1-2026-11,2026-11,issued,item,C-1,REF-C-1,2026-11-03T10:00:00.000Z,vat,1,11.04,,11.04,EUR,,vat of item 1\n"
            "ST-ACC-1-2026-11,2026-11,issued,total,,,,duty,,,,3.00,EUR,,\n"
            "ST-ACC-1-2026-11,2026-11,issued,total,,,,vat,,,,11.04,EUR,,\n"
            "ST-ACC-1-2026-11,2026-11,issued,due,,,,,,,,14.04,EUR,,payment due 2026-12-15\n");
}

}  // namespace
}  // namespace swhub::accounts
