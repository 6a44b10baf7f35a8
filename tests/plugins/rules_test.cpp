// Loads the built `rules` agency plugin as the hub does and drives it through the SDK only.
// Settings are written in YAML (read by the hub's own YAML reader, as hub.yaml is) so that the
// tests read like the configuration an administrator writes.

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "config/config.hpp"
#include "plugin_test_support.hpp"
#include "swhub/sdk/plugin.hpp"

using namespace swhub::sdk;
using namespace swhub::testing;

namespace {

const std::string kPath = "agencies.food-safety.settings";

// Settings in YAML, read by the hub's own reader (config/yaml_value.cpp), as hub.yaml is.
Value yaml(const std::string& text) { return swhub::config::parseYamlString(text, "settings"); }

// One line per decision: "hold [1,3] VET-01,VET-02: reason".
std::string describe(const Assessment& assessment) {
  std::string out = assessment.pending ? "pending\n" : "";
  for (const auto& d : assessment.decisions) {
    out += d.decision + " [";
    for (std::size_t i = 0; i < d.items.size(); ++i) out += (i ? "," : "") + std::to_string(d.items[i]);
    out += "]";
    for (std::size_t i = 0; i < d.reason_codes.size(); ++i) out += (i ? "," : " ") + d.reason_codes[i];
    out += ": " + d.reason + "\n";
  }
  return out;
}

Item item(int sequence, std::string hs = "851830", std::string origin = "CN", std::string value = "45") {
  Item i;
  i.sequence = sequence;
  i.description = "goods";
  i.hs = std::move(hs);
  i.quantity = 1;
  i.unit = "pce";
  i.value = *Decimal::parse(value);
  i.currency = "EUR";
  i.origin = std::move(origin);
  return i;
}

Consignment consignment(std::vector<Item> items) {
  Consignment c;
  c.case_id = "C-1";
  c.reference = "LRN-1";
  c.partner = "demo-post";
  c.filing = FilingKind::PreArrival;
  c.parties.seller = Party{"Gadget Export Ltd", "CN91440300MA5", "", "", "", "CN", "business"};
  c.items = std::move(items);
  return c;
}

const char* const kFoodSafety = R"(
rules:
  - name: meat-needs-health-certificate
    when: {hs_prefix: ["02", "16"], origins: [BR, AR], documents_missing: [C640]}
    decision: hold
    reason: meat products need a veterinary health certificate (C640)
    reason_code: VET-01
  - name: dairy-needs-health-certificate
    when: {hs_prefix: ["04"], documents_missing: [C640]}
    decision: hold
    reason: meat products need a veterinary health certificate (C640)
    reason_code: VET-02
  - name: large-food-shipments
    when: {hs_prefix: ["02", "04", "16"], weight_above_kg: 10}
    decision: inspect
    reason: commercial quantity of food
default: {decision: clear, reason: no food safety concern, reason_code: FS-OK}
)";

class rulesPlugin : public PluginTest {
 protected:
  rulesPlugin() : PluginTest("rules") {}

  Errors validate(const std::string& settings) const {
    return descriptor_->settings_schema().validate(yaml(settings), kPath);
  }

  Result<std::unique_ptr<AgencyPlugin>> build(const std::string& settings) const {
    return descriptor_->agency_factory(InstanceContext{"food-safety", kPath, yaml(settings), ""});
  }

  std::unique_ptr<AgencyPlugin> make(const std::string& settings) const { return made(build(settings)); }

  static std::string assess(const AgencyPlugin& plugin, const Consignment& c) {
    auto result = plugin.assess(AssessmentRequest{c, {}, "food-safety", ""});
    return result ? describe(result.value()) : "errors: " + formatErrors(result.errors());
  }
};

// One rule with the given `when` holding items, everything else cleared.
class rulesCondition : public rulesPlugin {
 protected:
  bool holds(const std::string& when, const Consignment& c) const {
    auto plugin = make("rules: [{name: r, when: " + when + ", decision: hold, reason: held}]\n"
                       "default: {decision: clear, reason: cleared}");
    if (!plugin) return false;
    const std::string out = assess(*plugin, c);
    EXPECT_TRUE(out == "hold [1]: held\n" || out == "clear [1]: cleared\n") << out;
    return out == "hold [1]: held\n";
  }
  bool holds(const std::string& when, const Item& i) const { return holds(when, consignment({i})); }
};

}  // namespace

// ---------------------------------------------------------------- descriptor and schema

TEST_F(rulesPlugin, DescribesItself) {
  EXPECT_EQ(descriptor_->abi_major, kAbiMajor);
  EXPECT_STREQ(descriptor_->toolchain, kToolchain);
  EXPECT_EQ(descriptor_->kind, PluginKind::Agency);
  EXPECT_STREQ(descriptor_->name, "rules");
  EXPECT_STREQ(descriptor_->version, "1.0.0");
  EXPECT_NE(descriptor_->agency_factory, nullptr);
  EXPECT_EQ(descriptor_->partner_factory, nullptr);
  EXPECT_TRUE(validate(kFoodSafety).empty()) << formatErrors(validate(kFoodSafety));
}

TEST_F(rulesPlugin, SchemaRefusesAnUnknownKeyWithASuggestion) {
  const Errors errors = validate(R"(
rules:
  - {name: r, when: {hs_prefx: ["02"]}, decision: hold, reason: held}
default: {decision: clear, reason: ok}
)");
  EXPECT_EQ(errors, (Errors{{kPath + ".rules[0].when.hs_prefx",
                             "unknown key 'hs_prefx'; allowed keys: documents_missing, documents_present, filings, "
                             "hs_prefix, natures, not_origins, origins, partners, seller_ids, value_above, "
                             "value_at_most, weight_above_kg; did you mean 'hs_prefix'?"}}))
      << formatErrors(errors);
}

TEST_F(rulesPlugin, SchemaRefusesAWrongDecisionSpelling) {
  const Errors errors = validate(R"(
rules:
  - {name: r, decision: holt, reason: held}
default: {decision: clear, reason: ok}
)");
  EXPECT_EQ(errors, (Errors{{kPath + ".rules[0].decision",
                             "'holt' is not one of: clear, hold, inspect, request-info, reject, do-not-load; "
                             "did you mean 'hold'?"}}))
      << formatErrors(errors);
}

TEST_F(rulesPlugin, SchemaRequiresADefault) {
  const Errors errors = validate("rules: []");
  EXPECT_EQ(errors, (Errors{{kPath + ".default", "required key missing: the decision for items that no rule matches"}}))
      << formatErrors(errors);
}

TEST_F(rulesPlugin, SchemaKnowsTheSdkSpellingsOfNaturesAndFilings) {
  const Errors errors = validate(R"(
rules:
  - {name: r, when: {natures: [gfit], filings: [prearrival]}, decision: hold, reason: held}
default: {decision: clear, reason: ok}
)");
  EXPECT_EQ(errors,
            (Errors{{kPath + ".rules[0].when.natures[0]",
                     "'gfit' is not one of: sale, gift, sample, return, documents, other; did you mean 'gift'?"},
                    {kPath + ".rules[0].when.filings[0]",
                     "'prearrival' is not one of: pre-loading, pre-arrival, declaration, amendment, cancellation, "
                     "arrival, return, supplementary, final-supplementary; did you mean 'pre-arrival'?"}}))
      << formatErrors(errors);
}

TEST_F(rulesPlugin, FactoryRefusesSettingsTheSchemaRefuses) {
  auto result = build("rules: []");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.errors(),
            (Errors{{kPath + ".default", "required key missing: the decision for items that no rule matches"}}));
}

TEST_F(rulesPlugin, FactoryReportsEverySemanticErrorWithItsPath) {
  auto result = build(R"(
rules:
  - name: meat
    when: {hs_prefix: ["02"], origins: [BR]}
    decision: hold
    reason: held
  - name: odd
    when:
      hs_prefix: ["x1", "9901", "0203"]
      origins: [br, XX, FR]
      not_origins: [FR]
      value_above: 150
      value_at_most: 22
      documents_missing: [C640]
      documents_present: [C640, N853]
    decision: hold
    reason: held
  - {name: meat, when: {value_above: 0.12345}, decision: hold, reason: held}
  - {name: everything, decision: inspect, reason: all}
  - {name: late, when: {origins: [CN]}, decision: hold, reason: held, reason_code: "FS VET,2"}
default: {decision: clear, reason: ok}
)");
  ASSERT_FALSE(result);
  const std::string r = kPath + ".rules";
  EXPECT_EQ(result.errors(),
            (Errors{{r + "[1].when.hs_prefix[0]", "'x1' is not an HS prefix: 2 to 10 digits expected"},
                    {r + "[1].when.hs_prefix[1]",
                     "'9901' is not an HS prefix: chapter 99 is not an HS chapter (01 to 97, 77 reserved)"},
                    {r + "[1].when.origins[0]", "'br' is not an ISO 3166-1 alpha-2 country code"},
                    {r + "[1].when.origins[1]", "'XX' is not an ISO 3166-1 alpha-2 country code"},
                    {r + "[1].when.not_origins[0]", "'FR' is also in origins: the rule could never match"},
                    {r + "[1].when.value_at_most", "22.00 is not above value_above 150.00: the rule could never match"},
                    {r + "[1].when.documents_present[0]",
                     "'C640' is also in documents_missing: the rule could never match"},
                    {r + "[2].name", "rule name 'meat' is already used by rules[0]"},
                    {r + "[2].when.value_above",
                     "'0.12345' is not a decimal amount: digits with at most 4 fraction digits expected"},
                    {r + "[4]", "rule 'late' could never match: rules[3] ('everything') has no conditions and "
                                "decides every item first"},
                    {r + "[4].reason_code",
                     "'FS VET,2' is not a reason code: 1 to 64 letters, digits, '-', '_' or '.'"}}))
      << formatErrors(result.errors());
}

// ---------------------------------------------------------------- conditions

TEST_F(rulesCondition, EmptyWhenAlwaysHolds) {
  EXPECT_TRUE(holds("{}", item(1)));
}

TEST_F(rulesCondition, HsPrefix) {
  EXPECT_TRUE(holds(R"({hs_prefix: ["02", "1601"]})", item(1, "160100")));
  EXPECT_TRUE(holds(R"({hs_prefix: ["02", "1601"]})", item(1, "020130")));
  EXPECT_FALSE(holds(R"({hs_prefix: ["02", "1601"]})", item(1, "160200")));
  EXPECT_FALSE(holds(R"({hs_prefix: ["02"]})", item(1, "851830")));
}

TEST_F(rulesCondition, HsPrefixWrittenUnquotedKeepsItsLeadingZero) {
  EXPECT_TRUE(holds("{hs_prefix: [02]}", item(1, "020130")));
}

TEST_F(rulesCondition, Origins) {
  EXPECT_TRUE(holds("{origins: [BR, AR]}", item(1, "020130", "AR")));
  EXPECT_FALSE(holds("{origins: [BR, AR]}", item(1, "020130", "CN")));
}

TEST_F(rulesCondition, NotOrigins) {
  EXPECT_TRUE(holds("{not_origins: [FR]}", item(1, "020130", "BR")));
  EXPECT_FALSE(holds("{not_origins: [FR]}", item(1, "020130", "FR")));
}

TEST_F(rulesCondition, ValueAboveIsStrict) {
  EXPECT_TRUE(holds("{value_above: 150}", item(1, "851830", "CN", "150.01")));
  EXPECT_FALSE(holds("{value_above: 150}", item(1, "851830", "CN", "150")));
}

TEST_F(rulesCondition, ValueAtMostIsInclusive) {
  EXPECT_TRUE(holds("{value_at_most: 22.5}", item(1, "851830", "CN", "22.50")));
  EXPECT_FALSE(holds("{value_at_most: 22.5}", item(1, "851830", "CN", "22.51")));
}

TEST_F(rulesCondition, WeightAboveUsesNetThenGross) {
  Item net = item(1);
  net.net_kg = 2.5;
  net.gross_kg = 1.0;  // net decides when present
  EXPECT_TRUE(holds("{weight_above_kg: 2}", net));
  Item gross = item(1);
  gross.gross_kg = 2.5;
  EXPECT_TRUE(holds("{weight_above_kg: 2}", gross));
  Item light = item(1);
  light.net_kg = 2.0;
  light.gross_kg = 3.0;
  EXPECT_FALSE(holds("{weight_above_kg: 2}", light));
  EXPECT_FALSE(holds("{weight_above_kg: 2}", item(1)));  // no weight: not known to exceed
}

TEST_F(rulesCondition, Natures) {
  Item gift = item(1);
  gift.nature = Nature::Gift;
  EXPECT_TRUE(holds("{natures: [sale, gift]}", gift));
  Item sample = item(1);
  sample.nature = Nature::Sample;
  EXPECT_FALSE(holds("{natures: [sale, gift]}", sample));
}

TEST_F(rulesCondition, Partners) {
  EXPECT_TRUE(holds("{partners: [demo-post]}", item(1)));
  EXPECT_FALSE(holds("{partners: [demo-express]}", item(1)));
}

TEST_F(rulesCondition, SellerIds) {
  EXPECT_TRUE(holds("{seller_ids: [CN91440300MA5]}", item(1)));
  EXPECT_FALSE(holds("{seller_ids: [CN123]}", item(1)));
  Consignment noSeller = consignment({item(1)});
  noSeller.parties.seller.reset();
  EXPECT_FALSE(holds("{seller_ids: [CN91440300MA5]}", noSeller));
}

TEST_F(rulesCondition, DocumentsMissingHoldsWhenAnyListedTypeIsAbsent) {
  Item with = item(1);
  with.documents = {Document{"C640", "VET-123", std::nullopt}};
  EXPECT_FALSE(holds("{documents_missing: [C640]}", with));
  EXPECT_TRUE(holds("{documents_missing: [C640]}", item(1)));
  EXPECT_TRUE(holds("{documents_missing: [C640, N853]}", with));
}

TEST_F(rulesCondition, DocumentsPresentHoldsWhenEveryListedTypeIsThere) {
  Item with = item(1);
  with.documents = {Document{"C640", "VET-123", std::nullopt}, Document{"N853", "CVED-9", 1.0}};
  EXPECT_TRUE(holds("{documents_present: [C640]}", with));
  EXPECT_TRUE(holds("{documents_present: [C640, N853]}", with));
  EXPECT_FALSE(holds("{documents_present: [C640]}", item(1)));
  Item one = item(1);
  one.documents = {Document{"C640", "VET-123", std::nullopt}};
  EXPECT_FALSE(holds("{documents_present: [C640, N853]}", one));
}

TEST_F(rulesCondition, Filings) {
  Consignment preLoading = consignment({item(1)});
  preLoading.filing = FilingKind::PreLoading;
  EXPECT_TRUE(holds("{filings: [pre-loading]}", preLoading));
  EXPECT_FALSE(holds("{filings: [pre-loading]}", consignment({item(1)})));
}

TEST_F(rulesCondition, EveryGivenConditionMustHold) {
  const std::string when = R"({hs_prefix: ["02"], origins: [BR], value_above: 10})";
  EXPECT_TRUE(holds(when, item(1, "020130", "BR", "11")));
  EXPECT_FALSE(holds(when, item(1, "020130", "BR", "10")));
  EXPECT_FALSE(holds(when, item(1, "020130", "AR", "11")));
  EXPECT_FALSE(holds(when, item(1, "030130", "BR", "11")));
}

// ---------------------------------------------------------------- decisions

TEST_F(rulesPlugin, FirstMatchingRuleWins) {
  auto plugin = make(R"(
rules:
  - {name: first, when: {origins: [BR]}, decision: inspect, reason: first}
  - {name: second, when: {origins: [BR, AR]}, decision: reject, reason: second}
default: {decision: clear, reason: ok}
)");
  ASSERT_TRUE(plugin);
  EXPECT_EQ(assess(*plugin, consignment({item(1, "020130", "BR"), item(2, "020130", "AR")})),
            "inspect [1]: first\nreject [2]: second\n");
}

TEST_F(rulesPlugin, GroupsItemsIntoOneDecisionPerDecisionAndReason) {
  auto plugin = make(kFoodSafety);
  ASSERT_TRUE(plugin);
  Item certified = item(3, "020130", "BR");
  certified.documents = {Document{"C640", "VET-1", std::nullopt}};
  Item heavy = item(6, "160100", "FR");
  heavy.net_kg = 12;
  // Out of order on purpose: the sequences of every decision come back sorted.
  const Consignment c = consignment({item(5, "040610", "FR"), item(4, "851830", "CN"), certified, heavy,
                                     item(2, "020130", "AR"), item(1, "160100", "BR")});
  EXPECT_EQ(assess(*plugin, c),
            "hold [1,2,5] VET-01,VET-02: meat products need a veterinary health certificate (C640)\n"
            "inspect [6]: commercial quantity of food\n"
            "clear [3,4] FS-OK: no food safety concern\n");
}

TEST_F(rulesPlugin, DefaultDecidesItemsNoRuleMatches) {
  auto plugin = make(kFoodSafety);
  ASSERT_TRUE(plugin);
  EXPECT_EQ(assess(*plugin, consignment({item(1), item(2, "950300", "CN")})),
            "clear [1,2] FS-OK: no food safety concern\n");
}

TEST_F(rulesPlugin, AConsignmentWithoutItemsGetsTheDefaultForTheWholeCase) {
  auto plugin = make(kFoodSafety);
  ASSERT_TRUE(plugin);
  EXPECT_EQ(assess(*plugin, consignment({})), "clear [] FS-OK: no food safety concern\n");
}

TEST_F(rulesPlugin, DecidesAtOnce) {
  auto plugin = make(kFoodSafety);
  ASSERT_TRUE(plugin);
  auto result = plugin->assess(AssessmentRequest{consignment({item(1)}), {}, "food-safety", ""});
  ASSERT_TRUE(result);
  EXPECT_FALSE(result.value().pending);
  ASSERT_EQ(result.value().decisions.size(), 1u);
  EXPECT_FALSE(result.value().decisions[0].risk_score);
}

TEST_F(rulesPlugin, AssessesFromManyThreadsWithIdenticalResults) {
  auto plugin = make(kFoodSafety);
  ASSERT_TRUE(plugin);
  std::vector<Consignment> cases;
  for (int n = 0; n < 8; ++n) {
    std::vector<Item> items;
    for (int s = 1; s <= 6; ++s) {
      Item i = item(s, (s + n) % 3 == 0 ? "020130" : (s + n) % 3 == 1 ? "040610" : "851830",
                    (s * n) % 2 ? "BR" : "FR", std::to_string(10 * s));
      if ((s + n) % 4 == 0) i.documents = {Document{"C640", "VET", std::nullopt}};
      if ((s + n) % 5 == 0) i.net_kg = 20;
      items.push_back(i);
    }
    cases.push_back(consignment(std::move(items)));
  }
  std::vector<std::string> expected;
  for (const auto& c : cases) expected.push_back(assess(*plugin, c));

  std::vector<std::vector<std::string>> seen(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 500; ++round) {
        for (const auto& c : cases) seen[t].push_back(assess(*plugin, c));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) {
    ASSERT_EQ(seen[t].size(), 500 * cases.size());
    for (std::size_t i = 0; i < seen[t].size(); ++i) ASSERT_EQ(seen[t][i], expected[i % cases.size()]);
  }
}
