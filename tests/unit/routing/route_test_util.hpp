#pragma once
// Helpers shared by the routing tests: a table from YAML text, consignments built in code.
#include <gtest/gtest.h>

#include <string>

#include "config/config.hpp"
#include "routing/route_table.hpp"

namespace swhub::routing::testing {

// The errors compile() reports for the `routes:` list written in `yaml` (a YAML list).
inline sdk::Errors compileErrors(const std::string& yaml) {
  auto result = RouteTable::compile(config::parseYamlString(yaml));
  if (result.ok()) return {};
  return result.errors();
}

// The table compiled from `yaml`; fails the test when it does not compile.
inline std::shared_ptr<const RouteTable> table(const std::string& yaml) {
  auto result = RouteTable::compile(config::parseYamlString(yaml));
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : sdk::formatErrors(result.errors()));
  return result.ok() ? result.value() : std::make_shared<const RouteTable>();
}

inline sdk::Item item(int sequence, std::string hs, const std::string& value = "10",
                      std::string origin = "CN") {
  sdk::Item it;
  it.sequence = sequence;
  it.description = "goods";
  it.hs = std::move(hs);
  it.quantity = 1;
  it.unit = "pce";
  it.value = *sdk::Decimal::parse(value);
  it.currency = "EUR";
  it.origin = std::move(origin);
  return it;
}

inline sdk::Consignment consignment(std::vector<sdk::Item> items,
                                    sdk::FilingKind filing = sdk::FilingKind::PreArrival,
                                    std::string partner = "demo-post") {
  sdk::Consignment c;
  c.reference = "LRN-1";
  c.partner = std::move(partner);
  c.filing = filing;
  c.items = std::move(items);
  return c;
}

}  // namespace swhub::routing::testing
