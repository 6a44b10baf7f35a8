// hubSchema() on `routes[].match` and `notify`: every key, type and reference, with exact text.
// Semantic checks (HS prefix digits, country codes, min <= max, unique names) belong to
// routing::RouteTable::compile and are tested there.
#include <gtest/gtest.h>

#include "config/config.hpp"

namespace swhub::config {
namespace {

using sdk::Errors;

constexpr const char* kHead = R"(
hub: {listen: 127.0.0.1:8080, journal: sqlite:var/j.db}
plugins:
  canonical: {library: swhub_canonical.so}
partners:
  demo-post: {kind: postal, plugin: canonical, credentials: {tokens: [t1]}}
  demo-market: {kind: marketplace, plugin: canonical, credentials: {tokens: [t2]}}
agencies:
  customs: {credentials: {tokens: [t3]}}
  food-safety: {credentials: {tokens: [t4]}}
routes:
)";

// The errors of kHead followed by `routes` (YAML list items, indented by two spaces).
Errors routeErrors(const std::string& routes) {
  try {
    buildConfig(parseYamlString(kHead + routes), "/etc/swhub/hub.yaml");
  } catch (const ConfigError& e) {
    return e.errors();
  }
  return {};
}

TEST(config_routes, AcceptsEveryMatchKey) {
  EXPECT_EQ(routeErrors(R"(
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
)"),
            Errors{});
}

TEST(config_routes, EmptyOrPartialMatchIsAccepted) {
  EXPECT_EQ(routeErrors("  - {name: a, match: {}, require: [customs]}\n"
                        "  - {name: b, match: {value: {max: 22}}, require: [customs]}\n"),
            Errors{});
}

TEST(config_routes, UnknownMatchKeySuggestsTheNearest) {
  EXPECT_EQ(routeErrors("  - {name: a, match: {origin: [CN]}, require: [customs]}\n"),
            (Errors{{"routes[0].match.origin",
                     "unknown key 'origin'; allowed keys: categories, filings, hs_prefix, origins, "
                     "partners, value; did you mean 'origins'?"}}));
}

TEST(config_routes, MatchMustBeAMap) {
  EXPECT_EQ(routeErrors("  - {name: a, match: [CN], require: [customs]}\n"),
            (Errors{{"routes[0].match", "expected map, got list"}}));
}

TEST(config_routes, FilingKindIsAClosedSet) {
  EXPECT_EQ(routeErrors("  - {name: a, match: {filings: [pre-arival]}, require: [customs]}\n"),
            (Errors{{"routes[0].match.filings[0]",
                     "'pre-arival' is not one of: pre-loading, pre-arrival, declaration, "
                     "amendment, cancellation, arrival, return, supplementary, final-supplementary; did you mean 'pre-arrival'?"}}));
}

TEST(config_routes, MatchedPartnerMustBeDefined) {
  EXPECT_EQ(routeErrors("  - {name: a, match: {partners: [demo-pots]}, require: [customs]}\n"),
            (Errors{{"routes[0].match.partners[0]",
                     "unknown partner 'demo-pots'; defined: demo-market, demo-post; did you mean "
                     "'demo-post'?"}}));
}

TEST(config_routes, NotifiedPartnerMustBeDefined) {
  EXPECT_EQ(routeErrors("  - {name: a, require: [customs], notify: [demo-markt]}\n"),
            (Errors{{"routes[0].notify[0]",
                     "unknown partner 'demo-markt'; defined: demo-market, demo-post; did you mean "
                     "'demo-market'?"}}));
}

TEST(config_routes, CategoryIsOneToFour) {
  EXPECT_EQ(routeErrors("  - {name: a, match: {categories: [5, two]}, require: [customs]}\n"),
            (Errors{{"routes[0].match.categories[0]", "5 is out of range [1, 4]"},
                    {"routes[0].match.categories[1]", "expected integer, got string"}}));
}

TEST(config_routes, HsPrefixIsAListOfScalars) {
  EXPECT_EQ(routeErrors("  - {name: a, match: {hs_prefix: \"0201\"}, require: [customs]}\n"
                        "  - {name: b, match: {hs_prefix: [{a: 1}, \"\"]}, require: [customs]}\n"),
            (Errors{{"routes[0].match.hs_prefix", "expected list, got string"},
                    {"routes[1].match.hs_prefix[0]", "expected string, got map"},
                    {"routes[1].match.hs_prefix[1]", "must not be empty"}}));
}

TEST(config_routes, ValueBoundsAreNonNegativeNumbers) {
  EXPECT_EQ(routeErrors("  - {name: a, match: {value: {min: -1, max: \"150\", avg: 3}}, "
                        "require: [customs]}\n"),
            (Errors{{"routes[0].match.value.min", "-1 is out of range [0, 99999999999999]"},
                    {"routes[0].match.value.max", "expected number, got string"},
                    {"routes[0].match.value.avg",
                     "unknown key 'avg'; allowed keys: max, min"}}));
}

TEST(config_routes, DescribeExplainsEveryMatchKey) {
  const std::string outline = hubSchema().describe();
  for (const std::string key : {"      filings (list of string, optional): ",
                                "      partners (list of string, optional): ",
                                "      categories (list of integer, optional): ",
                                "      hs_prefix (list of string, optional): ",
                                "      origins (list of string, optional): ",
                                "      value (map, optional): ", "        min (number, optional): ",
                                "        max (number, optional): "}) {
    EXPECT_NE(outline.find(key), std::string::npos) << key << "\n" << outline;
  }
}

}  // namespace
}  // namespace swhub::config
