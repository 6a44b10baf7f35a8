#pragma once
// What a notification says is due and why (the hub's revenue_* details), read once into a struct
// so that every partner format tells it from the same reading: a JSON `revenue` object
// (marketplace, express JSON), a CSV summary (express CSV), XML elements (upu_post, wco_dec).
//
// The details, in the hub's order: revenue_due, revenue_currency, revenue_settled, revenue_model,
// revenue_model_reason (only when the model applied differs from the one filed), one revenue_line
// per duty, tax or charge (a compact JSON object {tax, item, base, rate, amount, currency, why,
// collected_at_sale}), revenue_paid.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "swhub/sdk/model.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::plugins::json {

struct RevenueLine {
  std::string tax;                  // "duty", "vat", "excise", "charge", ...
  std::optional<long long> item;    // the item's sequence; none for the whole consignment
  std::string base;                 // decimal text as the hub wrote it; "" when not given
  std::optional<std::string> rate;  // percent, decimal text; none for a fixed amount
  std::string amount;               // decimal text
  std::string currency;             // ISO 4217
  std::string why;                  // the rule that applied, in a sentence
  bool collected_at_sale = false;   // the vendor collected it: not due at the border

  bool operator==(const RevenueLine&) const = default;
};

struct Revenue {
  std::optional<std::string> model;         // vendor | intermediary | consumer | account
  std::optional<std::string> model_reason;  // why the model applied differs from the one filed
  std::optional<std::string> due;           // decimal text
  std::optional<std::string> paid;          // decimal text
  std::optional<std::string> currency;
  std::optional<bool> settled;
  std::vector<RevenueLine> lines;

  bool operator==(const Revenue&) const = default;
};

// The notification's revenue; nullopt when it carries no revenue_* detail (nothing assessed).
// A revenue_line that is not such an object, or an amount that is not a plain decimal, is an
// error at "/details/<index of the detail>".
sdk::Result<std::optional<Revenue>> readRevenue(const sdk::Notification& notification);

// {"model","model_reason"?,"due","paid","currency","settled","lines":[{"tax","item","base","rate",
// "amount","currency","why","collected_at_sale"}]}: amounts as decimal strings, null when the
// hub did not say; model_reason only when given.
void appendRevenueObject(std::string& out, const Revenue& revenue);

// One line of text: "duty 3.00 EUR (EU temporary low-value duty, 1 classification); vat 11.04 EUR
// on item 1 (23 % of 48.00)", then the model's reason when there is one. "" without lines.
std::string revenueSummary(const Revenue& revenue);

// True for "12", "-0.50", "11.04": digits with an optional sign and fraction, nothing else.
bool isDecimalText(std::string_view text);

}  // namespace swhub::plugins::json
