#pragma once
// The revenue core of the customs agency: duties, taxes and fixed charges of one consignment on
// one date, the collection model as applied, and the WCO Immediate Release category.

#include <optional>
#include <string>
#include <vector>

#include "money.hpp"
#include "revenue_settings.hpp"
#include "swhub/sdk/model.hpp"

namespace swhub::plugins::customs {

struct RevenueLine {
  std::string tax;                     // "duty", "vat", or a charge's tax word
  std::optional<int> item;             // the item's sequence; none for the consignment
  sdk::Decimal base;                   // what the rate applies to, in the jurisdiction's currency
  std::optional<sdk::Decimal> rate;    // percent; none for a fixed amount
  sdk::Decimal amount;                 // rounded by the jurisdiction's rule
  std::string currency;
  std::string why;
  bool collected_at_sale = false;      // paid to the vendor already: not part of `due`
};

struct Assessment {
  // Non-empty: revenue cannot be assessed ("cannot assess: no rate for USD on 2026-12-06");
  // nothing else is set. A filing is never assessed at zero for want of a rate.
  std::string error;

  std::vector<RevenueLine> lines;
  sdk::Decimal value;  // the consignment's intrinsic value in `currency`
  sdk::Decimal due;    // what is still to collect at the border
  std::string currency;
  sdk::CollectionModel model = sdk::CollectionModel::Consumer;           // as applied
  sdk::CollectionModel declared_model = sdk::CollectionModel::Consumer;  // as filed
  std::string model_reason;  // why the model applied differs from the one filed; "" otherwise
  int category = 0;          // WCO Immediate Release: 1 documents, 2, 3 low value, 4 high value
  std::vector<std::string> notes;  // exemptions that applied and why

  bool ok() const { return error.empty(); }
};

class RevenueEngine {
 public:
  explicit RevenueEngine(Settings settings) : settings_(std::move(settings)) {}

  // Pure: the same consignment and date always give the same assessment. Thread-safe.
  Assessment assess(const sdk::Consignment& consignment, Date filed) const;

  const Settings& settings() const { return settings_; }

 private:
  const Settings settings_;
};

}  // namespace swhub::plugins::customs
