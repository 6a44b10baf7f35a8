// RouteTable::route: which agencies decide on which items, per condition.
#include <gtest/gtest.h>

#include "route_test_util.hpp"

namespace swhub::routing {
namespace {

using testing::consignment;
using testing::item;
using testing::table;
using Items = std::map<std::string, std::vector<int>>;
using Names = std::vector<std::string>;

constexpr const char* kCustomsAndFood = R"(
- name: every-filing-to-customs
  require: [customs]
- name: food-to-food-safety
  match: {hs_prefix: ["02", "0304"]}
  require: [food-safety]
)";

TEST(routing_match, EveryFilingGoesToCustoms) {
  const RoutingDecision d = table("[{name: all, require: [customs]}]")
                                ->route(consignment({item(1, "851830"), item(2, "020110")}));
  EXPECT_EQ(d.agencies, Names{"customs"});
  EXPECT_EQ(d.itemsByAgency, (Items{{"customs", {1, 2}}}));
  EXPECT_EQ(d.routes, Names{"all"});
  EXPECT_EQ(d.notify, Names{});
}

TEST(routing_match, FoodSafetyDecidesOnlyOnTheFoodItems) {
  const RoutingDecision d = table(kCustomsAndFood)->route(
      consignment({item(1, "851830"), item(2, "020110"), item(3, "030441"), item(4, "030211")}));
  EXPECT_EQ(d.agencies, (Names{"customs", "food-safety"}));
  EXPECT_EQ(d.itemsByAgency, (Items{{"customs", {1, 2, 3, 4}}, {"food-safety", {2, 3}}}));
  EXPECT_EQ(d.routes, (Names{"every-filing-to-customs", "food-to-food-safety"}));
}

TEST(routing_match, RouteWithoutAMatchingItemIsNotListed) {
  const RoutingDecision d = table(kCustomsAndFood)->route(consignment({item(1, "851830")}));
  EXPECT_EQ(d.agencies, Names{"customs"});
  EXPECT_EQ(d.routes, Names{"every-filing-to-customs"});
  EXPECT_FALSE(d.itemsByAgency.contains("food-safety"));
}

TEST(routing_match, SeveralRoutesUniteTheirAgenciesAndNotifications) {
  const auto t = table(R"(
- name: toys
  match: {hs_prefix: ["9503"]}
  require: [product-safety, customs]
  notify: [demo-market]
- name: electrical
  match: {hs_prefix: ["8518"]}
  require: [product-safety]
  notify: [demo-broker, demo-market]
- name: food
  match: {hs_prefix: ["02"]}
  require: [food-safety]
)");
  const RoutingDecision d = t->route(consignment({item(1, "851830"), item(2, "950300"), item(3, "020110")}));
  EXPECT_EQ(d.agencies, (Names{"customs", "food-safety", "product-safety"}));
  EXPECT_EQ(d.itemsByAgency,
            (Items{{"customs", {2}}, {"food-safety", {3}}, {"product-safety", {1, 2}}}));
  EXPECT_EQ(d.routes, (Names{"toys", "electrical", "food"}));
  EXPECT_EQ(d.notify, (Names{"demo-broker", "demo-market"}));
}

TEST(routing_match, OriginMatchesPerItem) {
  const RoutingDecision d = table("[{name: a, match: {origins: [CN, VN]}, require: [customs]}]")
                                ->route(consignment({item(1, "851830", "10", "VN"),
                                                     item(2, "851830", "10", "US"),
                                                     item(3, "851830", "10", "CN")}));
  EXPECT_EQ(d.itemsByAgency, (Items{{"customs", {1, 3}}}));
}

TEST(routing_match, ValueRangeIncludesBothBounds) {
  const RoutingDecision d =
      table("[{name: a, match: {value: {min: 22, max: 150}}, require: [customs]}]")
          ->route(consignment({item(1, "851830", "21.9999"), item(2, "851830", "22"),
                               item(3, "851830", "150"), item(4, "851830", "150.0001")}));
  EXPECT_EQ(d.itemsByAgency, (Items{{"customs", {2, 3}}}));
}

TEST(routing_match, ValueWithOnlyAMinimumHasNoUpperBound) {
  const RoutingDecision d = table("[{name: a, match: {value: {min: 150}}, require: [customs]}]")
                                ->route(consignment({item(1, "851830", "149.99"),
                                                     item(2, "851830", "1000000")}));
  EXPECT_EQ(d.itemsByAgency, (Items{{"customs", {2}}}));
}

TEST(routing_match, FilingKindMustBeListed) {
  const auto t = table("[{name: a, match: {filings: [pre-loading, declaration]}, require: [customs]}]");
  EXPECT_EQ(t->route(consignment({item(1, "851830")}, sdk::FilingKind::Declaration)).agencies,
            Names{"customs"});
  EXPECT_EQ(t->route(consignment({item(1, "851830")}, sdk::FilingKind::PreArrival)).agencies, Names{});
}

TEST(routing_match, PartnerMustBeListed) {
  const auto t = table("[{name: a, match: {partners: [demo-express]}, require: [customs]}]");
  EXPECT_EQ(t->route(consignment({item(1, "851830")}, sdk::FilingKind::PreArrival, "demo-express")).routes,
            Names{"a"});
  EXPECT_EQ(t->route(consignment({item(1, "851830")}, sdk::FilingKind::PreArrival, "demo-post")).routes,
            Names{});
}

TEST(routing_match, CategoryMatchesOnceKnown) {
  const auto t = table("[{name: high-value, match: {categories: [4]}, require: [customs]}]");
  sdk::Consignment c = consignment({item(1, "851830")});
  EXPECT_EQ(t->route(c).routes, Names{});  // unknown category: no match
  c.derived.category = 3;
  EXPECT_EQ(t->route(c).routes, Names{});
  c.derived.category = 4;
  EXPECT_EQ(t->route(c).routes, Names{"high-value"});
}

TEST(routing_match, ConsignmentWithoutItemsMatchesRoutesWithoutItemConditions) {
  const auto t = table(R"(
- name: customs
  match: {filings: [cancellation]}
  require: [customs]
- name: food
  match: {hs_prefix: ["02"]}
  require: [food-safety]
- name: cheap
  match: {value: {max: 150}}
  require: [revenue]
)");
  const RoutingDecision d = t->route(consignment({}, sdk::FilingKind::Cancellation));
  EXPECT_EQ(d.agencies, Names{"customs"});
  EXPECT_EQ(d.itemsByAgency, (Items{{"customs", {}}}));
  EXPECT_EQ(d.routes, Names{"customs"});
}

TEST(routing_match, EmptyTableRoutesNowhere) {
  const RoutingDecision d = RouteTable().route(consignment({item(1, "851830")}));
  EXPECT_TRUE(d.agencies.empty() && d.itemsByAgency.empty() && d.routes.empty() && d.notify.empty());
}

}  // namespace
}  // namespace swhub::routing
