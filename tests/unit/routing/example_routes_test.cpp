// The routes of config/hub.yaml compile and send goods where the quick start says.
#include <gtest/gtest.h>

#include <filesystem>

#include "route_test_util.hpp"

namespace swhub::routing {
namespace {

using testing::consignment;
using testing::item;
using Names = std::vector<std::string>;

std::shared_ptr<const RouteTable> exampleTable() {
  const sdk::Value document = config::parseYamlFile(
      (std::filesystem::path(SWHUB_SOURCE_ROOT) / "config" / "hub.yaml").string());
  const sdk::Value* routes = document.find("routes");
  EXPECT_NE(routes, nullptr);
  auto result = RouteTable::compile(routes ? *routes : sdk::Value());
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : sdk::formatErrors(result.errors()));
  return result.ok() ? result.value() : std::make_shared<const RouteTable>();
}

TEST(routing_example, ExampleRoutesCompile) {
  EXPECT_EQ(exampleTable()->routes().size(), 4u);
}

TEST(routing_example, HighValueGoesToProductSafetyOnceItsCategoryIsKnown) {
  sdk::Consignment c = consignment({item(1, "711319")});  // jewellery: customs only by its heading
  EXPECT_EQ(exampleTable()->route(c).agencies, (Names{"customs"}));  // category not known yet
  c.derived.category = 3;
  EXPECT_EQ(exampleTable()->route(c).agencies, (Names{"customs"}));
  c.derived.category = 4;
  EXPECT_EQ(exampleTable()->route(c).agencies, (Names{"customs", "product-safety"}));
}

TEST(routing_example, FoodToyAndElectronicsGoToTheirAgencies) {
  const RoutingDecision d = exampleTable()->route(consignment({
      item(1, "090111"),   // coffee
      item(2, "950300"),   // toy
      item(3, "851830"),   // headphones
      item(4, "852852"),   // monitor
      item(5, "610910"),   // T-shirt: customs only
  }));
  EXPECT_EQ(d.agencies, (Names{"customs", "food-safety", "product-safety"}));
  EXPECT_EQ(d.itemsByAgency, (std::map<std::string, std::vector<int>>{
                                 {"customs", {1, 2, 3, 4, 5}},
                                 {"food-safety", {1}},
                                 {"product-safety", {2, 3, 4}}}));
  EXPECT_EQ(d.routes.size(), 3u);
}

TEST(routing_example, CancellationGoesToCustomsOnly) {
  const RoutingDecision d = exampleTable()->route(consignment({}, sdk::FilingKind::Cancellation));
  EXPECT_EQ(d.agencies, Names{"customs"});
  EXPECT_EQ(d.routes, Names{"every-filing-to-customs"});
}

}  // namespace
}  // namespace swhub::routing
