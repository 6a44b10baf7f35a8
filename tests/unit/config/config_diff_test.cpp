// A reload swaps routes only: everything else that differs is named by its dotted path.
#include <gtest/gtest.h>

#include "config/config.hpp"
#include "config/config_diff.hpp"

namespace swhub::config {
namespace {

sdk::Value yaml(const std::string& text) { return parseYamlString(text); }

TEST(config_diff, TheSameDocumentWrittenOtherwiseHasNoDifference) {
  const auto a = yaml("hub: {listen: '127.0.0.1:8080', threads: 8}\nagencies: {customs: {name: C}}\n");
  const auto b = yaml("agencies:\n  customs:\n    name: C\nhub:\n  threads: 8\n  listen: '127.0.0.1:8080'\n");
  EXPECT_TRUE(differences(a, b).empty());
  EXPECT_TRUE(needsRestart(a, b).empty());
}

TEST(config_diff, NamesWhatWasAddedRemovedAndChanged) {
  const auto a = yaml("agencies: {customs: {name: C, credentials: {tokens: [t1]}}}\nhub: {threads: 8}\n");
  const auto b = yaml("agencies: {customs: {name: C, credentials: {tokens: [t1, t2]}}, plant-health: {name: P}}\n"
                      "hub: {threads: 16}\n");
  EXPECT_EQ(differences(a, b), (sdk::Errors{{"agencies.customs.credentials.tokens[1]", "added"},
                                            {"agencies.plant-health", "added"},
                                            {"hub.threads", "changed from '8' to '16'"}}));
  EXPECT_EQ(differences(b, a), (sdk::Errors{{"agencies.customs.credentials.tokens[1]", "removed"},
                                            {"agencies.plant-health", "removed"},
                                            {"hub.threads", "changed from '16' to '8'"}}));
}

TEST(config_diff, RoutesAloneNeedNoRestart) {
  const auto a = yaml("agencies: {customs: {name: C}}\nroutes: [{name: r1, require: [customs]}]\n");
  const auto b = yaml("agencies: {customs: {name: C}}\nroutes: [{name: r2, require: [customs]}, {name: r3}]\n");
  EXPECT_TRUE(needsRestart(a, b).empty());
  const auto c = yaml("agencies: {customs: {name: C}, plant-health: {name: P}}\n"
                      "routes: [{name: r1, require: [plant-health]}]\n");
  EXPECT_EQ(needsRestart(a, c),
            (sdk::Errors{{"agencies.plant-health", "added: only routes change on reload; this needs a restart"}}));
}

TEST(config_diff, ATypeChangeIsOneDifference) {
  EXPECT_EQ(differences(yaml("a: {b: 1}\n"), yaml("a: [1]\n")), (sdk::Errors{{"a", "changed from map to list"}}));
}

}  // namespace
}  // namespace swhub::config
