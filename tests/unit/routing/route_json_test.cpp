// RouteTable::toJson: the shape GET /v1/admin/routes serves, in a stable order.
#include <gtest/gtest.h>

#include "route_test_util.hpp"

namespace swhub::routing {
namespace {

TEST(routing_json, ListsEveryRouteWithItsConditionsInYamlKeyOrder) {
  const auto t = testing::table(R"(
- name: all
  require: [customs]
- name: food
  match:
    value: {min: 0, max: 150.5}
    origins: [VN, CN]
    hs_prefix: ["0304", "02"]
    categories: [3, 2]
    partners: [demo-post]
    filings: [declaration, pre-arrival]
  require: [food-safety, customs]
  notify: [demo-market]
)");
  EXPECT_EQ(t->toJson(),
            R"({"routes":[)"
            R"({"name":"all","match":{},"require":["customs"],"notify":[]},)"
            R"({"name":"food","match":{"filings":["pre-arrival","declaration"],"partners":["demo-post"],)"
            R"("categories":[2,3],"hs_prefix":["0304","02"],"origins":["CN","VN"],)"
            R"("value":{"min":0,"max":150.5}},"require":["food-safety","customs"],"notify":["demo-market"]}]})");
}

TEST(routing_json, EmptyTableHasAnEmptyList) {
  EXPECT_EQ(RouteTable().toJson(), R"({"routes":[]})");
}

}  // namespace
}  // namespace swhub::routing
