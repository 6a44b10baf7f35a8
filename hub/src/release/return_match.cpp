#include "release/return_match.hpp"

#include <algorithm>
#include <chrono>

#include "common/ids.hpp"
#include "model/text_util.hpp"

namespace swhub::release {
namespace {

using Units = std::int64_t;

// Quantities as exact units of 0.0001, like money: 0.1 + 0.2 is 0.3 here.
Units units(double quantity) { return sdk::Decimal::fromDouble(quantity).value_or(sdk::Decimal()).units(); }

std::string quantityText(Units u) {
  std::string s = sdk::Decimal::fromUnits(u).toString();
  // A quantity reads as filed: "1", "0.5" (money keeps its two fraction digits).
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

sdk::Decimal decimal(const std::string& text) {
  return sdk::Decimal::parse(text.empty() ? "0" : text).value_or(sdk::Decimal());
}

// amount x num / den rounded half away from zero to 0.01; `exact` says whether nothing was rounded.
sdk::Decimal shareOf(sdk::Decimal amount, Units num, Units den, bool& exact) {
  const __int128 n = static_cast<__int128>(amount.units()) * num;
  const __int128 cent = static_cast<__int128>(den) * 100;  // one cent of the result, in n's scale
  const bool negative = n < 0;
  const __int128 magnitude = negative ? -n : n;
  exact = magnitude % cent == 0;
  const __int128 cents = (2 * magnitude + cent) / (2 * cent);
  const auto result = static_cast<Units>(cents * 100);
  return sdk::Decimal::fromUnits(negative ? -result : result);
}

const sdk::Item* inboundItem(const sdk::Consignment& inbound, int sequence) {
  for (const auto& item : inbound.items) {
    if (item.sequence == sequence) return &item;
  }
  return nullptr;
}

// What the returns that count hold of `sequence`, and which returns they are.
Units returnedBefore(const std::vector<ReturnRecord>& earlier, int sequence, std::string* which = nullptr,
                     bool refundedOnly = false) {
  Units sum = 0;
  for (const auto& r : earlier) {
    if (!r.counts()) continue;
    // Only a refunded return gave its share back; the rest of a line is what the others left.
    if (refundedOnly && r.state != ReturnState::Refunded) continue;
    for (const auto& i : r.items) {
      if (i.item != sequence) continue;
      sum += units(i.quantity);
      if (which) *which += (which->empty() ? "" : ", ") + r.id;
    }
  }
  return sum;
}

void addCode(ReturnCheck& check, const char* code) {
  if (std::find(check.reason_codes.begin(), check.reason_codes.end(), code) == check.reason_codes.end()) {
    check.reason_codes.push_back(code);
  }
}

}  // namespace

std::vector<ReturnItem> returnItems(const sdk::Consignment& filed) {
  std::vector<ReturnItem> out;
  for (const auto& i : filed.items) out.push_back({i.sequence, i.hs, i.quantity, i.value.toString(), i.currency});
  return out;
}

std::optional<sdk::Document> proofOf(const sdk::Consignment& filed, const ReturnPolicy& policy) {
  for (const auto& item : filed.items) {
    for (const auto& d : item.documents) {
      if (std::find(policy.proof_types.begin(), policy.proof_types.end(), d.type) != policy.proof_types.end()) return d;
    }
  }
  return std::nullopt;
}

ReturnCheck checkReturn(const sdk::Consignment& inbound, const std::vector<ReturnRecord>& earlier,
                        const sdk::Consignment& filed, common::Instant windowStart, const std::string& startWord,
                        common::Instant filedAt, const ReturnPolicy& policy) {
  ReturnCheck check;
  check.items = returnItems(filed);
  check.proof = proofOf(filed, policy);
  {
    // Compared to the millisecond: one past the window's last instant is late.
    const auto elapsed = (filedAt - windowStart).count();
    constexpr long long kDay = 86400LL * 1000;
    if (elapsed > static_cast<long long>(policy.window_days) * kDay) {
      check.differences.push_back({0, "window", common::toString(filedAt) + ", day " + std::to_string(elapsed / kDay + 1),
                                   startWord + " " + common::toString(windowStart) + ", returns within " +
                                       std::to_string(policy.window_days) + " days"});
      addCode(check, kReturnLate);
    }
  }
  for (const auto& f : filed.items) {
    const sdk::Item* in = inboundItem(inbound, f.sequence);
    const std::string seq = std::to_string(f.sequence);
    if (in == nullptr) {
      check.differences.push_back({f.sequence, "sequence", seq, "no item " + seq});
      addCode(check, kReturnMismatch);
      continue;
    }
    // The HS subheading (6 digits) is the same everywhere; the national digits after it may differ.
    if (f.hs.substr(0, 6) != in->hs.substr(0, 6)) {
      check.differences.push_back({f.sequence, "hs", f.hs, in->hs});
      addCode(check, kReturnMismatch);
    }
    const Units imported = units(in->quantity), q = units(f.quantity);
    std::string which;
    const Units before = returnedBefore(earlier, f.sequence, &which);
    const Units left = imported - before;
    if (q > left) {
      const std::string inboundText =
          before == 0 ? quantityText(imported)
                      : quantityText(std::max<Units>(left, 0)) + " left of " + quantityText(imported) + " (" +
                            quantityText(before) + " returned by " + which + ")";
      check.differences.push_back({f.sequence, "quantity", quantityText(q), inboundText});
      addCode(check, left <= 0 ? kReturnAlreadyReturned : kReturnMismatch);
    }
    if (f.currency != in->currency) {
      check.differences.push_back({f.sequence, "currency", f.currency, in->currency});
      addCode(check, kReturnMismatch);
    } else if (imported > 0) {
      // The value of the quantity going back, as the inbound value's share, within a cent.
      bool exact = true;
      const sdk::Decimal expected = shareOf(in->value, q, imported, exact);
      const sdk::Decimal gap = f.value > expected ? f.value - expected : expected - f.value;
      if (gap > sdk::Decimal::fromUnits(100)) {
        const std::string inboundText = q == imported ? in->value.toString()
                                                      : expected.toString() + " (" + in->value.toString() + " x " +
                                                            quantityText(q) + "/" + quantityText(imported) + ")";
        check.differences.push_back({f.sequence, "value", f.value.toString(), inboundText});
        addCode(check, kReturnMismatch);
      }
    }
  }
  return check;
}

RefundPlan planRefund(const std::vector<sdk::RevenueLine>& lines, const sdk::Consignment& inbound,
                      const std::vector<ReturnRecord>& earlier, const std::vector<ReturnItem>& items) {
  RefundPlan plan;
  // The consignment's value, what this return takes back of it, and whether it empties the consignment.
  Units total = 0, valueNow = 0;
  bool consignmentComplete = true;
  for (const auto& in : inbound.items) {
    total += in.value.units();
    Units q = 0;
    for (const auto& r : items) {
      if (r.item == in.sequence) q += units(r.quantity);
    }
    const Units imported = units(in.quantity);
    if (returnedBefore(earlier, in.sequence, nullptr, true) + q < imported) consignmentComplete = false;
    if (q > 0 && imported > 0) {
      bool exact = true;
      valueNow += shareOf(in.value, q, imported, exact).units();
    }
  }
  for (std::size_t index = 0; index < lines.size(); ++index) {
    const sdk::RevenueLine& line = lines[index];
    if (line.collected_at_sale || line.amount <= sdk::Decimal()) continue;
    sdk::Decimal refundedBefore;
    for (const auto& r : earlier) {
      for (const auto& l : r.refund) {
        if (l.line == static_cast<int>(index)) refundedBefore = refundedBefore + decimal(l.refund);
      }
    }
    Units num = 0, den = 0;
    bool complete = false;
    std::string share;
    if (line.item) {
      const sdk::Item* in = inboundItem(inbound, *line.item);
      if (in == nullptr) continue;
      for (const auto& r : items) {
        if (r.item == *line.item) num += units(r.quantity);
      }
      if (num == 0) continue;
      den = units(in->quantity);
      complete = returnedBefore(earlier, *line.item, nullptr, true) + num >= den;
      share = quantityText(num) + "/" + quantityText(den);
    } else {
      if (valueNow == 0) continue;
      num = valueNow;
      den = total;
      complete = consignmentComplete;
      share = sdk::Decimal::fromUnits(num).toString() + "/" + sdk::Decimal::fromUnits(den).toString();
    }
    if (den <= 0) continue;
    RefundLine out{static_cast<int>(index), line.tax, line.item, line.amount.toString(), share, "", line.currency, ""};
    bool exact = true;
    const sdk::Decimal pro = shareOf(line.amount, num, den, exact);
    sdk::Decimal refund;
    if (complete && refundedBefore != sdk::Decimal()) {
      // The last share is what is left, so that the shares add up to the line to the cent.
      refund = line.amount - refundedBefore;
      out.why = line.amount.toString() + " - " + refundedBefore.toString() + " refunded before = " + refund.toString();
    } else if (complete) {
      refund = line.amount;
      out.why = line.amount.toString() + " x " + share + " = " + refund.toString();
    } else {
      refund = pro;
      out.why = line.amount.toString() + " x " + share + " = " + refund.toString() +
                (exact ? "" : " (rounded half up to 0.01)");
    }
    if (refund <= sdk::Decimal()) continue;
    out.refund = refund.toString();
    if (plan.currency.empty()) plan.currency = line.currency;
    plan.total = plan.total + refund;
    plan.lines.push_back(std::move(out));
  }
  return plan;
}

std::vector<sdk::RevenueLine> refundableLines(const CaseStatus& status) {
  if (!status.revenueLines.empty() || status.revenueDue.empty()) return status.revenueLines;
  sdk::RevenueLine due;
  due.tax = "due";
  due.amount = decimal(status.revenueDue);
  due.currency = status.revenueCurrency;
  due.why = "duties and taxes as the agency assessed them, without lines";
  return {due};
}

std::vector<RefundInstruction> instructRefund(sdk::Decimal total, const std::string& currency,
                                              const std::vector<PaymentRecord>& payments) {
  std::vector<RefundInstruction> out;
  for (const auto& p : payments) {
    if (total <= sdk::Decimal()) break;
    if (p.currency != currency) continue;
    const sdk::Decimal given = std::max(decimal(p.instructed), decimal(p.refunded));
    const sdk::Decimal left = decimal(p.amount) - given;
    if (left <= sdk::Decimal()) continue;
    const sdk::Decimal take = std::min(left, total);
    out.push_back({p.partner, p.transaction_id, take.toString(), p.currency});
    total = total - take;
  }
  return out;
}

}  // namespace swhub::release
