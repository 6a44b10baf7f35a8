// RouteTable::compile: what it builds, and every error with its exact text and dotted path.
#include <gtest/gtest.h>

#include "route_test_util.hpp"

namespace swhub::routing {
namespace {

using sdk::Errors;
using testing::compileErrors;
using testing::table;

TEST(routing_compile, BuildsEveryConditionOfARoute) {
  const auto t = table(R"(
- name: food-to-food-safety
  match:
    filings: [pre-arrival, declaration]
    partners: [demo-post]
    categories: [2, 3]
    hs_prefix: ["02", "0304"]
    origins: [CN, VN]
    value: {min: 0, max: 150.5}
  require: [food-safety]
  notify: [demo-market]
)");
  ASSERT_EQ(t->routes().size(), 1u);
  const Route& r = t->routes()[0];
  EXPECT_EQ(r.name, "food-to-food-safety");
  EXPECT_EQ(r.filings, (std::set{sdk::FilingKind::PreArrival, sdk::FilingKind::Declaration}));
  EXPECT_EQ(r.partners, std::set<std::string>{"demo-post"});
  EXPECT_EQ(r.categories, (std::set{2, 3}));
  EXPECT_EQ(r.hsPrefixes, (std::vector<std::string>{"02", "0304"}));
  EXPECT_EQ(r.origins, (std::set<std::string>{"CN", "VN"}));
  EXPECT_EQ(r.valueMin, sdk::Decimal::parse("0"));
  EXPECT_EQ(r.valueMax, sdk::Decimal::parse("150.5"));
  EXPECT_EQ(r.require, std::vector<std::string>{"food-safety"});
  EXPECT_EQ(r.notify, std::vector<std::string>{"demo-market"});
}

TEST(routing_compile, AbsentOrEmptyMatchSetsNoCondition) {
  const auto t = table("[{name: a, require: [customs]}, {name: b, match: {}, require: [customs]}]");
  ASSERT_EQ(t->routes().size(), 2u);
  for (const Route& r : t->routes()) {
    EXPECT_TRUE(r.filings.empty() && r.partners.empty() && r.categories.empty() &&
                r.hsPrefixes.empty() && r.origins.empty() && !r.valueMin && !r.valueMax)
        << r.name;
  }
}

TEST(routing_compile, NullRoutesIsAnEmptyTable) {
  auto result = RouteTable::compile(sdk::Value());
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.value()->routes().empty());
}

TEST(routing_compile, UnquotedDigitsKeepTheirLeadingZero) {
  // The hub's YAML reader keeps a plain scalar's text, so 0201 stays "0201".
  EXPECT_EQ(table("[{name: a, match: {hs_prefix: [0201]}, require: [x]}]")->routes()[0].hsPrefixes,
            std::vector<std::string>{"0201"});
}

TEST(routing_compile, HsPrefixMustBeDigits) {
  EXPECT_EQ(compileErrors(R"([{name: a, match: {hs_prefix: ["8x", 0x85, 85.1]}, require: [x]}])"),
            (Errors{{"routes[0].match.hs_prefix[0]", "'8x' is not an HS prefix: 2 to 10 digits expected"},
                    {"routes[0].match.hs_prefix[1]", "'0x85' is not an HS prefix: 2 to 10 digits expected"},
                    {"routes[0].match.hs_prefix[2]", "'85.1' is not an HS prefix: 2 to 10 digits expected"}}));
}

TEST(routing_compile, HsPrefixMustHaveTwoToTenDigits) {
  EXPECT_EQ(compileErrors(R"([{name: a, match: {hs_prefix: ["8", "12345678901"]}, require: [x]}])"),
            (Errors{{"routes[0].match.hs_prefix[0]", "'8' is not an HS prefix: 2 to 10 digits expected"},
                    {"routes[0].match.hs_prefix[1]",
                     "'12345678901' is not an HS prefix: 2 to 10 digits expected"}}));
}

TEST(routing_compile, OriginMustBeAnIsoCountryCode) {
  EXPECT_EQ(compileErrors("[{name: a, match: {origins: [CN, XX, cn]}, require: [x]}]"),
            (Errors{{"routes[0].match.origins[1]", "'XX' is not an ISO 3166-1 alpha-2 country code"},
                    {"routes[0].match.origins[2]", "'cn' is not an ISO 3166-1 alpha-2 country code"}}));
}

TEST(routing_compile, ValueMinMustNotExceedMax) {
  EXPECT_EQ(compileErrors("[{name: a, match: {value: {min: 200, max: 100.5}}, require: [x]}]"),
            (Errors{{"routes[0].match.value", "min 200 is greater than max 100.5"}}));
}

TEST(routing_compile, ValueWithMoreThanFourFractionDigitsIsRefused) {
  EXPECT_EQ(compileErrors("[{name: a, match: {value: {min: 0.00001}}, require: [x]}]"),
            (Errors{{"routes[0].match.value.min",
                     "'0.00001' is not an amount: a decimal with at most 4 fraction digits expected"}}));
}

TEST(routing_compile, NegativeValueIsOutOfRange) {
  EXPECT_EQ(compileErrors("[{name: a, match: {value: {max: -1}}, require: [x]}]"),
            (Errors{{"routes[0].match.value.max", "-1 is out of range [0, 99999999999999]"}}));
}

TEST(routing_compile, DuplicateNameNamesTheFirst) {
  EXPECT_EQ(compileErrors("[{name: a, require: [x]}, {name: b, require: [x]}, {name: a, require: [y]}]"),
            (Errors{{"routes[2].name", "duplicate route name 'a'; first defined at routes[0]"}}));
}

TEST(routing_compile, UnknownFilingKindListsTheAllowedOnes) {
  EXPECT_EQ(compileErrors("[{name: a, match: {filings: [pre-arival]}, require: [x]}]"),
            (Errors{{"routes[0].match.filings[0]",
                     "'pre-arival' is not one of: pre-loading, pre-arrival, declaration, amendment, "
                     "cancellation, arrival, return, supplementary, final-supplementary; did you mean 'pre-arrival'?"}}));
}

TEST(routing_compile, CategoryMustBeOneToFour) {
  EXPECT_EQ(compileErrors("[{name: a, match: {categories: [0, 4, 5]}, require: [x]}]"),
            (Errors{{"routes[0].match.categories[0]", "0 is out of range [1, 4]"},
                    {"routes[0].match.categories[2]", "5 is out of range [1, 4]"}}));
}

TEST(routing_compile, UnknownMatchKeySuggestsTheNearest) {
  EXPECT_EQ(compileErrors(R"([{name: a, match: {hs_prefixes: ["85"]}, require: [x]}])"),
            (Errors{{"routes[0].match.hs_prefixes",
                     "unknown key 'hs_prefixes'; allowed keys: categories, filings, hs_prefix, "
                     "origins, partners, value; did you mean 'hs_prefix'?"}}));
}

TEST(routing_compile, StandsOnItsOwnAgainstAMalformedTree) {
  EXPECT_EQ(compileErrors("{a: 1}"), (Errors{{"routes", "expected list, got map"}}));
  EXPECT_EQ(compileErrors("[just-a-name, {match: [85], require: x}]"),
            (Errors{{"routes[0]", "expected map, got string"},
                    {"routes[1].match", "expected map, got list"},
                    {"routes[1].require", "expected list, got string"},
                    {"routes[1].name", "required key missing: the route's name"}}));
}

TEST(routing_compile, PathPrefixesEveryError) {
  auto result = RouteTable::compile(config::parseYamlString("[{name: a, match: {origins: [XX]}, require: [x]}]"),
                                    "reload.routes");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.errors(), (Errors{{"reload.routes[0].match.origins[0]",
                                      "'XX' is not an ISO 3166-1 alpha-2 country code"}}));
}

TEST(routing_compile, ReportsEveryErrorInRouteOrder) {
  EXPECT_EQ(compileErrors(R"(
- name: a
  match:
    filings: [declaraton]
    hs_prefix: ["8x"]
    origins: [ZZ]
    value: {min: 10, max: 5}
  require: [x]
- name: b
  match: {categories: [9]}
  require: []
- name: a
  require: [y]
)"),
            (Errors{{"routes[0].match.filings[0]",
                     "'declaraton' is not one of: pre-loading, pre-arrival, declaration, amendment, "
                     "cancellation, arrival, return, supplementary, final-supplementary; did you mean 'declaration'?"},
                    {"routes[0].match.hs_prefix[0]", "'8x' is not an HS prefix: 2 to 10 digits expected"},
                    {"routes[0].match.origins[0]", "'ZZ' is not an ISO 3166-1 alpha-2 country code"},
                    {"routes[0].match.value", "min 10 is greater than max 5"},
                    {"routes[1].match.categories[0]", "9 is out of range [1, 4]"},
                    {"routes[1].require", "expected at least 1 item(s), got 0"},
                    {"routes[2].name", "duplicate route name 'a'; first defined at routes[0]"}}));
}

}  // namespace
}  // namespace swhub::routing
