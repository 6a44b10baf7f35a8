#pragma once
// The revenue settings of the customs agency (jurisdiction, tariff, exchange rates, collection
// models), validated by settingsSchema() and compiled once by compileSettings() into plain
// values that the engine only reads. Immutable after compilation: safe from any thread.

#include <cstddef>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "money.hpp"
#include "swhub/sdk/model.hpp"
#include "swhub/sdk/schema.hpp"
#include "swhub/sdk/status.hpp"
#include "swhub/sdk/value.hpp"

namespace swhub::plugins::customs {

// When a dated rule is in force: from (inclusive) until (exclusive); absent bounds are open.
struct Validity {
  std::optional<Date> from;
  std::optional<Date> until;

  bool inForce(Date day) const { return (!from || *from <= day) && (!until || day < *until); }
  bool overlaps(const Validity& other) const;
  std::string describe() const;  // "from 2026-07-01 until 2028-07-01", "" when always
};

struct Money {
  sdk::Decimal amount;
  std::string currency;  // ISO 4217
};

// Which consignments a threshold is for; an empty list does not restrict. Every listed
// condition must hold: every item's origin is in `origins` (so a consignment of mixed origins
// matches only when all of them are listed), `transport.departure` is in `shipped_from`, and
// `transport.mode` is in `modes` (an unknown departure or mode never matches).
struct Scope {
  std::vector<std::string> origins;       // ISO 3166-1 alpha-2
  std::vector<std::string> shipped_from;  // ISO 3166-1 alpha-2
  std::vector<sdk::TransportMode> modes;

  bool open() const { return origins.empty() && shipped_from.empty() && modes.empty(); }
  bool matches(const sdk::Consignment& consignment) const;
  // True when no consignment can match both: some condition listed by both has no value in common.
  bool disjoint(const Scope& other) const;
  std::string describe() const;  // "origins US, MX; shipped from US; modes air, road"
};

// A threshold or ceiling and when it is in force. `path` names it in errors and traces.
struct DatedMoney {
  Money money;
  Validity when;
  Scope scope;  // open: the fallback for every consignment no scoped entry matches
  std::string path;
};

struct PrefixRate {
  std::string hs_prefix;
  sdk::Decimal percent;
  std::string name;                  // "reduced", a tariff heading's label, ...
  std::vector<std::string> origins;  // tariff only: the rate applies to items of these origins; empty: any
};

// Longest-prefix lookup over HS prefixes (sorted longest first at compilation). At equal
// prefixes a rate for the item's origin wins over the rate for any origin.
class PrefixTable {
 public:
  void add(PrefixRate rate) { rates_.push_back(std::move(rate)); }
  void sortLongestFirst();
  // nullptr when no prefix matches; `origin` "" matches only the rates for any origin.
  const PrefixRate* find(const std::string& hs, const std::string& origin = {}) const;
  bool empty() const { return rates_.empty(); }

 private:
  std::vector<PrefixRate> rates_;
};

struct VatRates {
  sdk::Decimal standard;
  PrefixTable reduced;  // longest prefix wins
  Validity when;
  std::string basis;  // the legal basis of its lines ("" = none given)
};

enum class ChargeBasis { Item, Classification, Consignment };

// A fixed amount per item, per distinct tariff classification or per consignment.
struct Charge {
  std::string name;
  std::string tax;  // the line's `tax`: "duty", "charge", "handling", ...
  ChargeBasis per = ChargeBasis::Consignment;
  std::size_t classification_digits = 6;  // per classification: the HS digits that tell them apart
  Money amount;
  std::optional<Money> max_value;  // applies only to consignments worth at most this
  Validity when;
  bool replaces_tariff = false;  // when it applies, no ad valorem tariff duty is computed
  bool in_vat_base = false;      // VAT is due on it (EU: customs duties are in the VAT base)
  std::string basis;             // the legal basis of its lines ("" = none given)
  std::string path;
};

struct Vendor {
  std::regex registration_format;
  std::string registration_format_text;
  std::vector<std::string> registry;  // sorted
  std::optional<Money> ceiling;
  sdk::Decimal tolerance_amount;   // in the jurisdiction's currency
  sdk::Decimal tolerance_percent;  // of the tax computed; the larger of the two is allowed
};

struct Settings {
  std::string jurisdiction;
  std::string currency;
  std::string tax_name = "vat";  // the word of the VAT/GST lines: vat, gst or hst
  Rounding rounding;
  // At most one open entry and one entry per disjoint scope in force on a day: the scoped entry
  // that matches the consignment applies, else the open one.
  std::vector<DatedMoney> low_value;      // category 4 above the one in force
  std::vector<DatedMoney> duty_threshold;  // no tariff duty at or below the one in force
  std::vector<DatedMoney> tax_threshold;   // no VAT at or below the one in force
  std::vector<VatRates> vat;
  std::vector<Charge> charges;
  PrefixTable tariff;
  sdk::Decimal tariff_default;
  std::string tariff_basis;  // the legal basis of the tariff's duty lines ("" = none given)
  // Exchange rates by currency, then by the date from which each is in force.
  std::map<std::string, std::map<Date, Rate>> rates;
  std::vector<sdk::CollectionModel> accepted_models;
  std::optional<Vendor> vendor;  // absent: the vendor model is never accepted
};

sdk::Schema settingsSchema();

// The entry of `list` in force on `day` for `consignment`: the scoped one it matches, else the
// open one; nullptr when none.
const DatedMoney* inForce(const std::vector<DatedMoney>& list, Date day, const sdk::Consignment& consignment);

// Compiles settings that settingsSchema() accepted; semantic errors name their dotted path
// under `path` ("agencies.customs.settings.tariff.rates[2].hs_prefix: ...").
sdk::Result<Settings> compileSettings(const sdk::Value& settings, const std::string& path);

}  // namespace swhub::plugins::customs
