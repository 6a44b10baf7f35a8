#pragma once
// Shared by the tests of the customs agency's revenue core (customs_*_test.cpp): settings written
// in YAML (read by the hub's own YAML reader, as hub.yaml is), the example config's jurisdictions
// (config/jurisdictions/), and small builders of consignments and of a one-line summary of an
// assessment.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "money.hpp"
#include "revenue_engine.hpp"
#include "revenue_settings.hpp"

namespace swhub::testing::customs {

using namespace swhub::sdk;
using namespace swhub::plugins::customs;

inline const std::string kPath = "agencies.customs.settings";

// Settings in YAML, read by the hub's own reader (config/yaml_value.cpp), as hub.yaml is.
inline Value yaml(const std::string& text) { return config::parseYamlString(text, "settings"); }

// Schema first, then compilation: what the plugin's factory will do.
inline Errors settingsErrors(const Value& settings) {
  Errors errors = settingsSchema().validate(settings, kPath);
  if (!errors.empty()) return errors;
  auto compiled = compileSettings(settings, kPath);
  return compiled ? Errors{} : compiled.errors();
}

inline RevenueEngine engineFrom(const Value& settings) {
  const Errors errors = settingsErrors(settings);
  EXPECT_TRUE(errors.empty()) << formatErrors(errors);
  return RevenueEngine(compileSettings(settings, kPath).take());
}

// The example config's jurisdictions, as the customs agency reads them (`jurisdiction_file`).
inline const std::string kJurisdictions = std::string(SWHUB_SOURCE_ROOT) + "/config/jurisdictions/";

inline Value jurisdiction(const std::string& file) { return config::parseYamlFile(kJurisdictions + file); }

inline const RevenueEngine& portugal() {
  static const RevenueEngine engine = engineFrom(jurisdiction("pt-eu-2026.yaml"));
  return engine;
}

inline const RevenueEngine& unitedStates() {
  static const RevenueEngine engine = engineFrom(jurisdiction("us-2026.yaml"));
  return engine;
}

inline const RevenueEngine& australia() {
  static const RevenueEngine engine = engineFrom(jurisdiction("au-2026.yaml"));
  return engine;
}

inline const RevenueEngine& greatBritain() {
  static const RevenueEngine engine = engineFrom(jurisdiction("gb-2026.yaml"));
  return engine;
}

inline const RevenueEngine& canada() {
  static const RevenueEngine engine = engineFrom(jurisdiction("ca-2026.yaml"));
  return engine;
}

inline Date day(const char* text) { return *Date::parse(text); }
inline Decimal dec(const char* text) { return *Decimal::parse(text); }

inline Item item(int sequence, std::string hs, const char* value, std::string currency = "EUR") {
  Item i;
  i.sequence = sequence;
  i.description = "goods";
  i.hs = std::move(hs);
  i.quantity = 1;
  i.unit = "pce";
  i.value = dec(value);
  i.currency = std::move(currency);
  i.origin = "CN";
  return i;
}

inline Item from(Item i, std::string origin) {
  i.origin = std::move(origin);
  return i;
}

inline Consignment consignment(std::vector<Item> items, CollectionModel model = CollectionModel::Consumer) {
  Consignment c;
  c.case_id = "C-1";
  c.reference = "LRN-1";
  c.partner = "demo-post";
  c.items = std::move(items);
  c.fiscal.model = model;
  return c;
}

// Carried from `departure` by `mode`.
inline Consignment shipped(Consignment c, std::string departure, std::optional<TransportMode> mode) {
  c.transport.departure = std::move(departure);
  c.transport.mode = mode;
  return c;
}

inline Consignment vendorSale(std::vector<Item> items, std::string registration, const char* collected) {
  Consignment c = consignment(std::move(items), CollectionModel::Vendor);
  c.fiscal.collected_at_sale = true;
  c.fiscal.registration = std::move(registration);
  c.fiscal.tax_collected = dec(collected);
  c.fiscal.tax_currency = "EUR";
  return c;
}

// One token per line: "duty#1 3.00", "vat#1 48.00x23=11.04", "vat#- ..." (no item), "*" when
// collected at sale; then "due D cat N model M".
inline std::string summary(const Assessment& a) {
  if (!a.ok()) return a.error;
  std::string out;
  for (const RevenueLine& l : a.lines) {
    out += l.tax + "#" + (l.item ? std::to_string(*l.item) : "-") + " ";
    if (l.rate) out += l.base.toString() + "x" + l.rate->toString() + "=";
    out += l.amount.toString() + (l.collected_at_sale ? "*" : "") + "; ";
  }
  return out + "due " + a.due.toString() + " cat " + std::to_string(a.category) + " model " +
         std::string(toString(a.model));
}

}  // namespace swhub::testing::customs
