// Returns and refunds (issue 12 item 4): how a return compares with its inbound case (full,
// partial, late, mismatched HS / quantity / value / currency, a second return of the same items),
// and the refund arithmetic in exact decimals, shown line by line.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "instants.hpp"
#include "release/case_status.hpp"
#include "release/return_match.hpp"

namespace swhub::release {
namespace {

sdk::Decimal dec(const std::string& text) { return *sdk::Decimal::parse(text); }

sdk::Item item(int sequence, const std::string& hs, double quantity, const std::string& value,
               const std::string& currency = "EUR") {
  sdk::Item i;
  i.sequence = sequence;
  i.description = "goods";
  i.hs = hs;
  i.quantity = quantity;
  i.unit = "pce";
  i.value = dec(value);
  i.currency = currency;
  i.origin = "CN";
  return i;
}

// Three T-shirts for 60.00 and one pair of headphones for 45.00.
sdk::Consignment inbound() {
  sdk::Consignment c;
  c.reference = "ORDER-1";
  c.items = {item(1, "610910", 3, "60.00"), item(2, "851830", 1, "45.00")};
  return c;
}

sdk::Consignment returnOf(std::vector<sdk::Item> items) {
  sdk::Consignment c;
  c.filing = sdk::FilingKind::Return;
  c.reference = "ORDER-1";
  c.items = std::move(items);
  return c;
}

ReturnRecord earlier(const std::string& id, ReturnState state, int sequence, double quantity) {
  ReturnRecord r;
  r.id = id;
  r.state = state;
  r.items = {{sequence, "851830", quantity, "45.00", "EUR"}};
  return r;
}

const common::Instant kReleased = swhub::testing::at("2026-11-01T10:00:00Z");

struct MatchCase {
  std::string name;
  std::vector<sdk::Item> items;
  std::string filedAt;
  std::vector<ReturnRecord> before;
  std::vector<ReturnDifference> differences;
  std::vector<std::string> codes;
};

TEST(release_returns, MatchingTable) {
  const std::vector<MatchCase> cases = {
      {"full return", {item(1, "610910", 3, "60.00"), item(2, "851830", 1, "45.00")}, "2026-11-10T10:00:00Z", {}, {}, {}},
      {"partial return: 1 of 3 at its share of the value", {item(1, "610910", 1, "20.00")}, "2026-11-10T10:00:00Z", {}, {}, {}},
      {"the national digits after the HS subheading may differ", {item(2, "85183000", 1, "45.00")},
       "2026-11-10T10:00:00Z", {}, {}, {}},
      {"a value within a cent of its share", {item(1, "610910", 1, "20.01")}, "2026-11-10T10:00:00Z", {}, {}, {}},
      {"on the last second of the window", {item(2, "851830", 1, "45.00")}, "2026-12-01T10:00:00Z", {}, {}, {}},
      {"late: one second after the window", {item(2, "851830", 1, "45.00")}, "2026-12-01T10:00:01Z", {},
       {{0, "window", "2026-12-01T10:00:01.000Z, day 31", "released 2026-11-01T10:00:00.000Z, returns within 30 days"}},
       {"RET-LATE"}},
      {"another HS subheading", {item(2, "851890", 1, "45.00")}, "2026-11-10T10:00:00Z", {},
       {{2, "hs", "851890", "851830"}}, {"RET-MISMATCH"}},
      {"more than was imported", {item(2, "851830", 2, "90.00")}, "2026-11-10T10:00:00Z", {},
       {{2, "quantity", "2", "1"}}, {"RET-MISMATCH"}},
      {"a value that is not the share returned", {item(1, "610910", 1, "25.00")}, "2026-11-10T10:00:00Z", {},
       {{1, "value", "25.00", "20.00 (60.00 x 1/3)"}}, {"RET-MISMATCH"}},
      {"another currency", {item(2, "851830", 1, "45.00", "USD")}, "2026-11-10T10:00:00Z", {},
       {{2, "currency", "USD", "EUR"}}, {"RET-MISMATCH"}},
      {"an item the case does not have", {item(9, "851830", 1, "45.00")}, "2026-11-10T10:00:00Z", {},
       {{9, "sequence", "9", "no item 9"}}, {"RET-MISMATCH"}},
      {"double return of the same item", {item(2, "851830", 1, "45.00")}, "2026-11-10T10:00:00Z",
       {earlier("R-1", ReturnState::Refunded, 2, 1)},
       {{2, "quantity", "1", "0 left of 1 (1 returned by R-1)"}}, {"RET-ALREADY-RETURNED"}},
      {"a return awaiting its proof holds its items too", {item(2, "851830", 1, "45.00")}, "2026-11-10T10:00:00Z",
       {earlier("R-1", ReturnState::AwaitingProof, 2, 1)},
       {{2, "quantity", "1", "0 left of 1 (1 returned by R-1)"}}, {"RET-ALREADY-RETURNED"}},
      {"a held return takes nothing back", {item(2, "851830", 1, "45.00")}, "2026-11-10T10:00:00Z",
       {earlier("R-1", ReturnState::Held, 2, 1)}, {}, {}},
      {"several differences at once", {item(1, "620520", 4, "70.00"), item(2, "851830", 1, "45.00")},
       "2026-12-05T10:00:00Z", {},
       {{0, "window", "2026-12-05T10:00:00.000Z, day 35", "released 2026-11-01T10:00:00.000Z, returns within 30 days"},
        {1, "hs", "620520", "610910"},
        {1, "quantity", "4", "3"},
        {1, "value", "70.00", "80.00 (60.00 x 4/3)"}},
       {"RET-LATE", "RET-MISMATCH"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const ReturnCheck check = checkReturn(inbound(), c.before, returnOf(c.items), kReleased, "released", swhub::testing::at(c.filedAt), {});
    EXPECT_EQ(check.differences, c.differences);
    EXPECT_EQ(check.reason_codes, c.codes);
    EXPECT_EQ(check.matches(), c.differences.empty());
  }
}

TEST(release_returns, PartialQuantitiesAddUpExactly) {
  // 0.1 kg and 0.2 kg of 0.3 kg returned in two returns: the second takes what is left, exactly.
  sdk::Consignment in;
  in.items = {item(1, "090111", 0.3, "30.00")};
  const auto first = checkReturn(in, {}, returnOf({item(1, "090111", 0.1, "10.00")}), kReleased, "released",
                                 swhub::testing::at("2026-11-02T10:00:00Z"), {});
  EXPECT_TRUE(first.matches());
  ReturnRecord r1;
  r1.id = "R-1";
  r1.state = ReturnState::Refunded;
  r1.items = first.items;
  const auto second = checkReturn(in, {r1}, returnOf({item(1, "090111", 0.2, "20.00")}), kReleased, "released",
                                  swhub::testing::at("2026-11-02T10:00:00Z"), {});
  EXPECT_TRUE(second.matches());
  const auto third = checkReturn(in, {r1}, returnOf({item(1, "090111", 0.3, "30.00")}), kReleased, "released",
                                 swhub::testing::at("2026-11-02T10:00:00Z"), {});
  ASSERT_EQ(third.differences.size(), 1u);
  EXPECT_EQ(third.differences[0].text(), "item 1 quantity: filed 0.3, inbound 0.2 left of 0.3 (0.1 returned by R-1)");
}

TEST(release_returns, ProofIsADocumentOfAConfiguredType) {
  ReturnPolicy policy;
  policy.proof_types = {"N830", "export-proof"};
  sdk::Item i = item(1, "610910", 1, "20.00");
  i.documents = {{"invoice", "INV-1", std::nullopt}, {"export-proof", "EX-2026-1", std::nullopt}};
  const auto proof = proofOf(returnOf({i}), policy);
  ASSERT_TRUE(proof);
  EXPECT_EQ(proof->id, "EX-2026-1");
  i.documents = {{"invoice", "INV-1", std::nullopt}};
  EXPECT_FALSE(proofOf(returnOf({i}), policy));
}

sdk::RevenueLine line(const std::string& tax, std::optional<int> item, const std::string& amount,
                      bool atSale = false) {
  sdk::RevenueLine l;
  l.tax = tax;
  l.item = item;
  l.amount = dec(amount);
  l.currency = "EUR";
  l.collected_at_sale = atSale;
  return l;
}

// Duty 12 % on the T-shirts (7.20) and VAT 23 % on value and duty ((60.00 + 7.20) x 23 % = 15.456
// -> 15.46); 3.00 duty and (45.00 + 3.00) x 23 % = 11.04 VAT on the headphones; a 2.00 charge on
// the whole consignment; and VAT a vendor collected at sale, which the hub never refunds.
std::vector<sdk::RevenueLine> lines() {
  return {line("duty", 1, "7.20"), line("vat", 1, "15.46"), line("duty", 2, "3.00"), line("vat", 2, "11.04"),
          line("handling", std::nullopt, "2.00"), line("vat", 2, "9.00", true)};
}

std::vector<std::string> whys(const RefundPlan& plan) {
  std::vector<std::string> out;
  for (const auto& l : plan.lines) {
    out.push_back(std::to_string(l.line) + " " + l.tax + " " + (l.item ? std::to_string(*l.item) : "-") + " " +
                  l.share + " " + l.refund + " | " + l.why);
  }
  return out;
}

ReturnRecord done(const std::string& id, std::vector<ReturnItem> items, const RefundPlan& plan) {
  ReturnRecord r;
  r.id = id;
  r.state = ReturnState::Refunded;
  r.items = std::move(items);
  r.refund = plan.lines;
  r.refunded = plan.total.toString();
  return r;
}

TEST(release_returns, FullReturnRefundsEveryLineNotCollectedAtSale) {
  const std::vector<ReturnItem> all = {{1, "610910", 3, "60.00", "EUR"}, {2, "851830", 1, "45.00", "EUR"}};
  const RefundPlan plan = planRefund(lines(), inbound(), {}, all);
  EXPECT_EQ(whys(plan), (std::vector<std::string>{
                            "0 duty 1 3/3 7.20 | 7.20 x 3/3 = 7.20",
                            "1 vat 1 3/3 15.46 | 15.46 x 3/3 = 15.46",
                            "2 duty 2 1/1 3.00 | 3.00 x 1/1 = 3.00",
                            "3 vat 2 1/1 11.04 | 11.04 x 1/1 = 11.04",
                            "4 handling - 105.00/105.00 2.00 | 2.00 x 105.00/105.00 = 2.00",
                        }));
  EXPECT_EQ(plan.total.toString(), "38.70");
  EXPECT_EQ(plan.currency, "EUR");
}

TEST(release_returns, PartialReturnsRefundTheirShareAndAddUpToTheCent) {
  // 1 T-shirt, then the 2 others, then the headphones: 7.93 + 15.87 + 14.90 = 38.70, the whole.
  const std::vector<ReturnItem> one = {{1, "610910", 1, "20.00", "EUR"}};
  const RefundPlan p1 = planRefund(lines(), inbound(), {}, one);
  EXPECT_EQ(whys(p1), (std::vector<std::string>{
                          "0 duty 1 1/3 2.40 | 7.20 x 1/3 = 2.40",
                          "1 vat 1 1/3 5.15 | 15.46 x 1/3 = 5.15 (rounded half up to 0.01)",
                          "4 handling - 20.00/105.00 0.38 | 2.00 x 20.00/105.00 = 0.38 (rounded half up to 0.01)",
                      }));
  EXPECT_EQ(p1.total.toString(), "7.93");

  const std::vector<ReturnItem> two = {{1, "610910", 2, "40.00", "EUR"}};
  const std::vector<ReturnRecord> after1 = {done("R-1", one, p1)};
  const RefundPlan p2 = planRefund(lines(), inbound(), after1, two);
  EXPECT_EQ(whys(p2), (std::vector<std::string>{
                          "0 duty 1 2/3 4.80 | 7.20 - 2.40 refunded before = 4.80",
                          "1 vat 1 2/3 10.31 | 15.46 - 5.15 refunded before = 10.31",
                          "4 handling - 40.00/105.00 0.76 | 2.00 x 40.00/105.00 = 0.76 (rounded half up to 0.01)",
                      }));
  EXPECT_EQ(p2.total.toString(), "15.87");

  const std::vector<ReturnItem> last = {{2, "851830", 1, "45.00", "EUR"}};
  const std::vector<ReturnRecord> after2 = {done("R-1", one, p1), done("R-2", two, p2)};
  const RefundPlan p3 = planRefund(lines(), inbound(), after2, last);
  EXPECT_EQ(whys(p3), (std::vector<std::string>{
                          "2 duty 2 1/1 3.00 | 3.00 x 1/1 = 3.00",
                          "3 vat 2 1/1 11.04 | 11.04 x 1/1 = 11.04",
                          "4 handling - 45.00/105.00 0.86 | 2.00 - 1.14 refunded before = 0.86",
                      }));
  EXPECT_EQ(p3.total.toString(), "14.90");
  EXPECT_EQ((p1.total + p2.total + p3.total).toString(), "38.70");
}

TEST(release_returns, AReturnThatWasNotRefundedGaveNothingBack) {
  // A return recorded as returned (nothing paid) does not count as refunded before.
  const std::vector<ReturnItem> one = {{1, "610910", 1, "20.00", "EUR"}};
  ReturnRecord r;
  r.id = "R-1";
  r.state = ReturnState::Returned;
  r.items = one;
  const RefundPlan p = planRefund(lines(), inbound(), {r}, one);
  EXPECT_EQ(p.total.toString(), "7.93");
}

TEST(release_returns, DutiesTypedWithoutLinesAreSharedAsOneLineOfTheConsignment) {
  CaseStatus s;
  s.revenueDue = "21.00";
  s.revenueCurrency = "EUR";
  const auto shared = refundableLines(s);
  ASSERT_EQ(shared.size(), 1u);
  EXPECT_FALSE(shared[0].item);
  // The handbag's 45.00 of the 105.00 consignment: 21.00 x 45.00/105.00 = 9.00.
  const RefundPlan plan = planRefund(shared, inbound(), {}, {{2, "851830", 1, "45.00", "EUR"}});
  EXPECT_EQ(whys(plan), (std::vector<std::string>{"0 due - 45.00/105.00 9.00 | 21.00 x 45.00/105.00 = 9.00"}));
  s.revenueLines = lines();
  EXPECT_EQ(refundableLines(s), lines());  // assessed lines stand as they are
}

TEST(release_returns, RefundInstructionsSplitOverWhatThePaymentsHaveLeft) {
  const std::vector<PaymentRecord> payments = {{"pi_1", "5.00", "EUR", "", "demo-pay", ""},
                                               {"pi_2", "33.70", "EUR", "", "demo-pay", "10.00"},
                                               {"pi_3", "50.00", "USD", "", "other-pay", ""}};
  EXPECT_EQ(instructRefund(dec("7.93"), "EUR", payments),
            (std::vector<RefundInstruction>{{"demo-pay", "pi_1", "5.00", "EUR"}, {"demo-pay", "pi_2", "2.93", "EUR"}}));
  // Never more than the payments have left (33.70 - 10.00 instructed before, plus 5.00).
  EXPECT_EQ(instructRefund(dec("100.00"), "EUR", payments),
            (std::vector<RefundInstruction>{{"demo-pay", "pi_1", "5.00", "EUR"}, {"demo-pay", "pi_2", "23.70", "EUR"}}));
  EXPECT_TRUE(instructRefund(dec("7.93"), "EUR", {}).empty());
}

TEST(release_returns, StatesAndTheirJson) {
  CaseStatus s;
  s.markReleased(swhub::testing::at("2026-11-01T10:00:00Z"));
  s.markReleased(swhub::testing::at("2026-11-02T10:00:00Z"));
  EXPECT_EQ(s.releasedAt, swhub::testing::at("2026-11-01T10:00:00Z"));
  EXPECT_EQ(deriveState(s), common::CaseState::Released);
  s.returns.push_back(earlier("R-1", ReturnState::Held, 2, 1));
  EXPECT_EQ(deriveState(s), common::CaseState::Released);  // a held return changes nothing
  s.returns.push_back(earlier("R-2", ReturnState::AwaitingProof, 2, 1));
  EXPECT_EQ(deriveState(s), common::CaseState::Released);
  s.returns.back().state = ReturnState::Returned;
  EXPECT_EQ(deriveState(s), common::CaseState::Returned);
  ReturnRecord refunded = earlier("R-3", ReturnState::Refunded, 1, 1);
  refunded.proof_type = "export-proof";
  refunded.proof_id = "EX-1";
  refunded.refund = {{1, "vat", 1, "15.46", "1/3", "5.15", "EUR", "15.46 x 1/3 = 5.15 (rounded half up to 0.01)"}};
  refunded.refunded = "5.15";
  refunded.currency = "EUR";
  refunded.instructions = {{"demo-pay", "pi_1", "5.15", "EUR"}};
  refunded.differences = {{1, "value", "1.00", "2.00"}};
  s.returns.push_back(refunded);
  s.payments = {{"pi_1", "38.70", "EUR", "", "demo-pay", "5.15"}};
  EXPECT_EQ(deriveState(s), common::CaseState::Refunded);
  const CaseStatus back = CaseStatus::fromJson(s.toJson());
  EXPECT_EQ(back.returns, s.returns);
  EXPECT_EQ(back.payments, s.payments);
  EXPECT_EQ(back.releasedAt, s.releasedAt);
}

}  // namespace
}  // namespace swhub::release
