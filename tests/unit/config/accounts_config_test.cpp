// hub.accounts and partners.<id>.account: read into HubConfig, and every error with its dotted path.
#include <gtest/gtest.h>

#include "config/config.hpp"

namespace swhub::config {
namespace {

using sdk::Errors;

constexpr const char* kBase = R"(
hub:
  listen: 127.0.0.1:8080
  journal: sqlite:var/j.db
  accounts: ACCOUNTS
plugins:
  canonical: {library: swhub_canonical.so}
partners:
  p1: {kind: broker, plugin: canonical, account: ACC1, credentials: {tokens: [t1]}}
  p2: {kind: other, plugin: canonical, account: ACC2, credentials: {tokens: [t2]}}
  p3: {kind: other, plugin: canonical, credentials: {tokens: [t3]}}
agencies:
  customs: {credentials: {tokens: [t9]}}
routes:
  - {name: all, require: [customs]}
)";

std::string yamlWith(const std::string& accounts, const std::string& acc1 = "ACC1", const std::string& acc2 = "ACC2") {
  std::string yaml = kBase;
  yaml.replace(yaml.find("ACCOUNTS"), 8, accounts);
  yaml.replace(yaml.find("account: ACC1"), 13, "account: " + acc1);
  yaml.replace(yaml.find("account: ACC2"), 13, "account: " + acc2);
  return yaml;
}

Errors errorsOf(const std::string& yaml) {
  try {
    buildConfig(parseYamlString(yaml), "/etc/swhub/hub.yaml");
  } catch (const ConfigError& e) {
    return e.errors();
  }
  return {};
}

TEST(config_accounts, ReadsTheAccountsAndTheirTerms) {
  const HubConfig c = buildConfig(parseYamlString(yamlWith("{time_zone: Europe/Lisbon, payment_due_days: 20}")), "/x/hub.yaml");
  EXPECT_EQ(c.accounts.time_zone, "Europe/Lisbon");
  EXPECT_EQ(c.accounts.payment_due_days, 20);
  ASSERT_EQ(c.partners.size(), 3u);
  EXPECT_EQ(c.partners[0].account, "ACC1");
  EXPECT_EQ(c.partners[1].account, "ACC2");
  EXPECT_EQ(c.partners[2].account, "");
  const HubConfig defaults = buildConfig(parseYamlString(yamlWith("{}")), "/x/hub.yaml");
  EXPECT_EQ(defaults.accounts.time_zone, "UTC");
  EXPECT_EQ(defaults.accounts.payment_due_days, 15);
}

TEST(config_accounts, EveryErrorWithItsPath) {
  EXPECT_EQ(errorsOf(yamlWith("{time_zone: Europe/Lisbonn}")),
            (Errors{{"hub.accounts.time_zone",
                     "unknown time zone 'Europe/Lisbonn' (no /usr/share/zoneinfo/Europe/Lisbonn; is tzdata installed?)"}}));
  EXPECT_EQ(errorsOf(yamlWith("{payment_due_days: 400}")),
            (Errors{{"hub.accounts.payment_due_days", "400 is out of range [0, 366]"}}));
  EXPECT_EQ(errorsOf(yamlWith("{}", "\"a b\"")),
            (Errors{{"partners.p1.account", "'a b' is not an account id (1-64 letters, digits, '-', '_' or '.')"}}));
  EXPECT_EQ(errorsOf(yamlWith("{}", "ACC1", "ACC1")),
            (Errors{{"partners.p2.account", "account 'ACC1' is also partners.p1.account: one partner per account"}}));
}

}  // namespace
}  // namespace swhub::config
