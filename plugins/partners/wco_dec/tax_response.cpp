#include "tax_response.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "res_text.hpp"

namespace swhub::plugins::wco_dec {

namespace {

constexpr std::size_t kMaxFunctionalReference = 35;  // Response/FunctionalReferenceID: an..35
constexpr std::size_t kMaxText = 512;                // AdditionalInformation/StatementDescription: an..512
constexpr std::size_t kMaxSequence = 99999;          // GovernmentAgencyGoodsItem/SequenceNumeric: n..5
constexpr const char* kTaxSuffix = "-TAX";           // its FunctionalReferenceID: the notification's id + this

void amount(std::string& out, const char* name, const std::string& value, const std::string& currency) {
  out += std::string("<") + name + " currencyID=\"" + currency + "\">" + value + "</" + name + ">";
}

// Pointers to the declaration (42A) and, for an item's line, the item (67A with its sequence).
void pointers(std::string& out, const std::optional<long long>& item) {
  out += "<Pointer><DocumentSectionCode>42A</DocumentSectionCode></Pointer>";
  if (item)
    out += "<Pointer><SequenceNumeric>" + std::to_string(*item) +
           "</SequenceNumeric><DocumentSectionCode>67A</DocumentSectionCode></Pointer>";
}

void statement(std::string& out, const std::string& text, const std::optional<long long>& item = std::nullopt) {
  out += "<AdditionalInformation>";
  leaf(out, "StatementDescription", clip(text, kMaxText));
  pointers(out, item);
  out += "</AdditionalInformation>";
}

// "vat 11.04 EUR (23 % of 48.00): VAT 23 % on the item's value and duty"
std::string lineText(const json::RevenueLine& l) {
  std::string text = l.tax + ' ' + l.amount + ' ' + l.currency;
  if (l.rate) text += " (" + *l.rate + " % of " + l.base + ')';
  if (l.collected_at_sale) text += ", collected at sale";
  if (!l.why.empty()) text += ": " + l.why;
  return text;
}

}  // namespace

std::string taxTypeCode(const std::string& tax) {
  // UK CDS Appendix 8, tax types for data element 4/3 (gov.uk "Tax types for data element 4/3 of
  // CDS"): A00 Customs duties, A20 Additional duties, A30 Definitive anti-dumping duties, A40
  // Definitive countervailing duties, B00 VAT. The EU's UCC data element 4/3 uses the same codes.
  static const std::map<std::string, std::string> kCodes = {
      {"duty", "A00"}, {"additional-duty", "A20"}, {"anti-dumping", "A30"}, {"countervailing", "A40"}, {"vat", "B00"}};
  const auto found = kCodes.find(tax);
  return found == kCodes.end() ? std::string() : found->second;
}

std::string dmsAmount(const std::string& decimal) {
  if (!json::isDecimalText(decimal)) return {};
  const auto dot = decimal.find('.');
  if (dot == std::string::npos || decimal.size() - dot - 1 <= 3) return decimal;
  const auto parsed = sdk::Decimal::parse(decimal);
  if (!parsed) return {};
  std::int64_t units = parsed->units();  // 1/10000
  units = (units >= 0 ? units + 5 : units - 5) / 10 * 10;
  return sdk::Decimal::fromUnits(units).toString();
}

sdk::Result<std::string> taxResponse(const sdk::Notification& n, const json::Revenue& r, const std::string& when,
                                     const std::string& at) {
  sdk::Errors problems;
  const std::string reference = n.id + kTaxSuffix;
  if (reference.size() > kMaxFunctionalReference)
    problems.push_back({at + "/id", "'" + n.id + "' is too long for the tax calculation response: its "
                                    "FunctionalReferenceID is the id and '-TAX', an..35"});
  // Every amount in the line's currency, as the DMS carries it.
  struct Amounts {
    std::string base, amount, payable;
  };
  std::vector<Amounts> amounts;
  std::optional<sdk::Decimal> assessed = sdk::Decimal();
  for (std::size_t i = 0; i < r.lines.size(); ++i) {
    const json::RevenueLine& l = r.lines[i];
    Amounts a{l.base.empty() ? "" : dmsAmount(l.base), dmsAmount(l.amount), ""};
    a.payable = l.collected_at_sale ? "0.00" : a.amount;
    if (a.amount.empty() || (!l.base.empty() && a.base.empty()))
      problems.push_back({at + "/revenue_line[" + std::to_string(i + 1) + "]", "an amount the DMS cannot carry (n..16,3)"});
    if (l.item && *l.item > static_cast<long long>(kMaxSequence))
      problems.push_back({at + "/revenue_line[" + std::to_string(i + 1) + "]/item",
                          std::to_string(*l.item) + " does not fit GovernmentAgencyGoodsItem/SequenceNumeric (n..5)"});
    const auto parsed = sdk::Decimal::parse(l.amount);
    if (assessed && parsed && (!r.currency || l.currency == *r.currency)) assessed = *assessed + *parsed;
    else assessed.reset();  // not one currency, or not exact: no total rather than a wrong one
    amounts.push_back(std::move(a));
  }
  const std::string due = r.due ? dmsAmount(*r.due) : "";
  if (r.due && due.empty()) problems.push_back({at + "/revenue_due", "'" + *r.due + "' is not an amount the DMS can carry"});
  if (!problems.empty()) return problems;

  std::string out = "<Response>";
  leaf(out, "FunctionCode", "13");
  leaf(out, "FunctionalReferenceID", reference);
  dateTime(out, "IssueDateTime", when);
  // No element of the RES holds a text per duty: what applied and why is an AdditionalInformation
  // pointing at the item (or the declaration, for a consignment's line).
  if (r.model) statement(out, "collection model: " + *r.model);
  if (r.model_reason) statement(out, *r.model_reason);
  for (const json::RevenueLine& l : r.lines) statement(out, lineText(l), l.item);
  out += "<Declaration>";
  if (!n.reference.empty()) leaf(out, "FunctionalReferenceID", n.reference);
  if (!n.case_id.empty()) leaf(out, "ID", n.case_id);
  // The aggregated debt: everything assessed, and what is to pay at the border (the due).
  if (r.currency && (assessed || !due.empty())) {
    out += "<DutyTaxFee><Payment>";
    if (assessed && !r.lines.empty()) amount(out, "TaxAssessedAmount", dmsAmount(assessed->toString()), *r.currency);
    if (!due.empty()) amount(out, "PaymentAmount", due, *r.currency);
    out += "</Payment></DutyTaxFee>";
  }
  // One DutyTaxFee per item line, under its item, items in ascending sequence, lines in order.
  std::map<long long, std::string> items;
  for (std::size_t i = 0; i < r.lines.size(); ++i) {
    const json::RevenueLine& l = r.lines[i];
    if (!l.item) continue;
    std::string& fee = items[*l.item];
    fee += "<DutyTaxFee>";
    if (l.rate && !amounts[i].base.empty()) amount(fee, "AdValoremTaxBaseAmount", amounts[i].base, l.currency);
    if (l.rate) leaf(fee, "TaxRateNumeric", *l.rate);
    if (const std::string code = taxTypeCode(l.tax); !code.empty()) leaf(fee, "TypeCode", code);
    fee += "<Payment>";
    amount(fee, "TaxAssessedAmount", amounts[i].amount, l.currency);
    amount(fee, "PaymentAmount", amounts[i].payable, l.currency);
    fee += "</Payment></DutyTaxFee>";
  }
  if (!items.empty()) {
    out += "<GoodsShipment>";
    for (const auto& [sequence, fees] : items) {
      out += "<GovernmentAgencyGoodsItem><SequenceNumeric>" + std::to_string(sequence) +
             "</SequenceNumeric><Commodity>" + fees + "</Commodity></GovernmentAgencyGoodsItem>";
    }
    out += "</GoodsShipment>";
  }
  out += "</Declaration></Response>";
  return out;
}

}  // namespace swhub::plugins::wco_dec
