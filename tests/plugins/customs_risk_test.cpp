// Risk management of the `customs` agency (plugins/agencies/customs/README.md "Risk
// management"), through the loaded plugin: every condition (hit, miss and edges), thresholds,
// do-not-load, trusted traders, journal knowledge of the parties, random selection, and the
// confidentiality of the decision's reason.

#include <cmath>
#include <functional>
#include <set>

#include "customs_plugin_support.hpp"

using namespace swhub::testing;
using namespace swhub::testing::customs_plugin;

namespace {

// Tables every condition reads; one profile `p` (weight 50) with the `when` under test.
std::string riskWith(const std::string& when, int weight = 50, const std::string& extra = "") {
  return kRevenue + R"(
risk:
  thresholds: {inspect: 40, hold: 70, do_not_load: 90}
  value_norms:
    - {hs_prefix: "7113", min_per_kg: "2000", currency: EUR, name: jewellery}
    - {hs_prefix: "711319", min_per_kg: "3000", currency: EUR, name: gold jewellery}
    - {hs_prefix: "8517", min_per_kg: "120", currency: USD, name: phones}
  vague_descriptions: {min_share: "0.5"}
  filing_deadlines: {air: 4h, sea: 24h, road: 1h, post: 2h}
  required_documents: [{hs_prefix: "93", types: [licence, permit]}]
  watchlists: [{name: high-risk, ids: [CN-WATCHLIST-1, XX-OTHER]}, {name: other, ids: [NOBODY]}]
)" + extra + "  profiles:\n    - {name: p, when: " +
         when + ", weight: " + std::to_string(weight) + ", reason_code: RISK-P, reason: profile p}\n";
}

using Edit = std::function<void(AssessmentRequest&)>;

struct ConditionCase {
  const char* name;
  const char* when;
  Edit edit;
  const char* expected;  // "yes", "no", or "unknown" (RISK-NOT-ASSESSED)
};

Item& first(AssessmentRequest& r) { return r.consignment.items.front(); }

class customsRisk : public CustomsPluginTest {
 protected:
  // "yes" when profile p added its weight, "unknown" when it could not be judged, else "no".
  std::string verdict(const char* when, const Edit& edit) const {
    auto plugin = make(riskWith(when));
    if (!plugin) return "no plugin";
    AssessmentRequest r = request(consignment({item(1)}));
    edit(r);
    const Findings f = assessed(*plugin, r).findings;
    for (const RiskReason& reason : f.risk_reasons) {
      if (reason.code == "RISK-P") return "yes";
      if (reason.code == "RISK-NOT-ASSESSED") return "unknown";
    }
    return "no";
  }

  void run(const std::vector<ConditionCase>& cases) const {
    for (const ConditionCase& c : cases) EXPECT_EQ(verdict(c.when, c.edit), c.expected) << c.name;
  }
};

const Edit kAsFiled = [](AssessmentRequest&) {};

}  // namespace

// ---------------------------------------------------------------- conditions over canonical fields

TEST_F(customsRisk, HsOriginNatureAndRouteConditions) {
  run({
      {"hs prefix hit", "{hs_prefix: [\"8518\", \"7113\"]}", kAsFiled, "yes"},
      {"hs prefix miss", "{hs_prefix: [\"7113\"]}", kAsFiled, "no"},
      {"hs prefix on the second item", "{hs_prefix: [\"7113\"]}",
       [](AssessmentRequest& r) { r.consignment.items.push_back(item(2, "711319", "500")); }, "yes"},
      {"origin hit", "{origins: [CN, HK]}", kAsFiled, "yes"},
      {"origin miss", "{origins: [TR]}", kAsFiled, "no"},
      {"nature hit", "{natures: [gift]}", [](AssessmentRequest& r) { first(r).nature = Nature::Gift; }, "yes"},
      {"nature miss", "{natures: [gift]}", kAsFiled, "no"},
      {"item conditions hold on one same item, not across items", "{hs_prefix: [\"7113\"], origins: [TR]}",
       [](AssessmentRequest& r) {
         Item tr = item(2, "610910", "10");
         tr.origin = "TR";
         r.consignment.items.push_back(item(3, "711319", "500"));
         r.consignment.items.push_back(tr);
       },
       "no"},
      {"departure hit", "{departures: [CN]}", kAsFiled, "yes"},
      {"departure miss", "{departures: [HK]}", kAsFiled, "no"},
      {"destination hit", "{destinations: [PT, ES]}", kAsFiled, "yes"},
      {"destination miss", "{destinations: [ES]}", kAsFiled, "no"},
      {"transport mode hit", "{transport_modes: [air, post]}", kAsFiled, "yes"},
      {"transport mode miss", "{transport_modes: [sea]}", kAsFiled, "no"},
      {"no transport mode is no match", "{transport_modes: [air]}",
       [](AssessmentRequest& r) { r.consignment.transport.mode.reset(); }, "no"},
      {"filing kind hit", "{filings: [pre-arrival]}", kAsFiled, "yes"},
      {"filing kind miss", "{filings: [pre-loading]}", kAsFiled, "no"},
      {"every condition of a profile must hold", "{departures: [CN], transport_modes: [sea]}", kAsFiled, "no"},
  });
}

TEST_F(customsRisk, ValueBelowTheNormOfItsHeading) {
  const char* when = "{below_value_norm: true}";
  auto jewel = [](const char* value, std::optional<double> netKg, std::optional<double> grossKg,
                  const char* currency = "EUR", const char* hs = "711311") {
    return [=](AssessmentRequest& r) {
      Item i = item(1, hs, value, currency);
      i.net_kg = netKg;
      i.gross_kg = grossKg;
      r.consignment.items = {i};
    };
  };
  run({
      {"999.99 EUR for 0.5 kg of 7113 (norm 2000/kg): below", when, jewel("999.99", 0.5, 0.6), "yes"},
      {"1000 EUR for 0.5 kg: exactly at the norm, not below", when, jewel("1000", 0.5, 0.6), "no"},
      {"200 EUR for 0.1 kg: exactly at the norm (no binary rounding)", when, jewel("200", 0.1, 0.2), "no"},
      {"199.99 EUR for 0.1 kg: below", when, jewel("199.99", 0.1, 0.2), "yes"},
      {"gross weight when no net weight", when, jewel("999.99", std::nullopt, 0.5), "yes"},
      {"net weight wins over gross", when, jewel("999.99", 0.4, 0.5), "no"},
      {"no weight: the condition is not met", when, jewel("1", std::nullopt, std::nullopt), "no"},
      {"a zero weight is no weight", when, jewel("1", 0.0, std::nullopt), "no"},
      {"longest prefix: 711319 has its own norm of 3000/kg", when, jewel("1400", 0.5, 0.6, "EUR", "711319"), "yes"},
      {"no norm for the heading", when, jewel("1", 0.5, 0.6, "EUR", "851830"), "no"},
      {"item in CNY: 8399 CNY at 8.4 is 999.88 EUR for 0.5 kg", when, jewel("8399", 0.5, 0.6, "CNY"), "yes"},
      {"item in CNY: 8400 CNY is 1000.00 EUR, at the norm", when, jewel("8400", 0.5, 0.6, "CNY"), "no"},
      {"norm in USD: 120 USD at 1.2 is 100 EUR/kg; 49.99 EUR for 0.5 kg", when,
       jewel("49.99", 0.5, 0.6, "EUR", "851712"), "yes"},
      {"norm in USD: 50 EUR for 0.5 kg is at it", when, jewel("50", 0.5, 0.6, "EUR", "851712"), "no"},
      {"no rate for the item's currency: cannot be judged", when, jewel("1", 0.5, 0.6, "JPY"), "unknown"},
  });
}

TEST_F(customsRisk, VagueDescriptionsAreWholeWordsAndAShareOfTheWords) {
  const char* when = "{vague_description: true}";
  auto described = [](const char* text) { return [=](AssessmentRequest& r) { first(r).description = text; }; };
  run({
      {"one vague word", when, described("gift"), "yes"},
      {"case does not matter", when, described("GIFT"), "yes"},
      {"a default plural", when, described("Samples"), "yes"},
      {"half of the words (min_share 0.5)", when, described("gift box"), "yes"},
      {"ignored words do not count: gift, kids", when, described("a gift for the kids"), "yes"},
      {"two of three words", when, described("phone accessories and parts"), "yes"},
      {"one of three words", when, described("leather wallet gift"), "no"},
      {"whole words only", when, described("giftware"), "no"},
      {"punctuation separates words", when, described("parts/accessories"), "yes"},
      {"a precise description", when, described("Bluetooth headphones"), "no"},
      {"an empty description says nothing", when, described(""), "yes"},
      {"numbers only say nothing", when, described("123 - 45"), "yes"},
  });
}

TEST_F(customsRisk, VagueWordsAndShareAreConfigurable) {
  auto plugin = make(kRevenue + R"(
risk:
  thresholds: {inspect: 40, hold: 70}
  vague_descriptions: {words: [Stuff], ignore: [some]}
  profiles: [{name: p, when: {vague_description: true}, weight: 50, reason_code: RISK-P, reason: vague}]
)");
  ASSERT_TRUE(plugin);
  auto score = [&](const char* text) {
    AssessmentRequest r = request(consignment({item(1)}));
    first(r).description = text;
    return *assessed(*plugin, r).findings.risk_score;
  };
  EXPECT_EQ(score("some stuff"), 50);  // configured word, configured ignore list
  EXPECT_EQ(score("gift"), 0);         // the defaults are replaced
  EXPECT_EQ(score("stuff box"), 0);    // default share 1: only vague words
}

TEST_F(customsRisk, DocumentsMissing) {
  const char* when = "{documents_missing: true}";
  auto arms = [](std::vector<Document> docs) {
    return [=](AssessmentRequest& r) {
      Item i = item(1, "930200", "300");
      i.documents = docs;
      r.consignment.items = {i};
    };
  };
  run({
      {"no documents", when, arms({}), "yes"},
      {"one of the two required", when, arms({{"licence", "L-1", {}}}), "yes"},
      {"both required", when, arms({{"licence", "L-1", {}}, {"permit", "P-1", {}}}), "no"},
      {"a heading that requires nothing", when, kAsFiled, "no"},
  });
}

// ---------------------------------------------------------------- parties: watchlists and the journal

TEST_F(customsRisk, WatchlistsNewPartiesAndHistoryOfHolds) {
  auto seller = [](const char* id) { return [=](AssessmentRequest& r) { r.consignment.parties.seller->id = id; }; };
  auto profiles = [](std::vector<PartyProfile> p) { return [=](AssessmentRequest& r) { r.parties = p; }; };
  run({
      {"seller on the watchlist", "{on_watchlist: [high-risk]}", seller("CN-WATCHLIST-1"), "yes"},
      {"buyer on the watchlist", "{on_watchlist: [high-risk]}",
       [](AssessmentRequest& r) { r.consignment.parties.buyer->id = "XX-OTHER"; }, "yes"},
      {"on another watchlist", "{on_watchlist: [other]}", seller("CN-WATCHLIST-1"), "no"},
      {"ids match exactly", "{on_watchlist: [high-risk]}", seller("cn-watchlist-1"), "no"},
      {"seller never seen", "{new_party: [seller]}",
       profiles({{"seller", "CN-SELLER-7", 0, 0, false}, {"buyer", "PT-BUYER-1", 3, 0, false}}), "yes"},
      {"seller seen once", "{new_party: [seller]}",
       profiles({{"seller", "CN-SELLER-7", 1, 0, false}, {"buyer", "PT-BUYER-1", 0, 0, false}}), "no"},
      {"buyer never seen, either role", "{new_party: [seller, buyer]}",
       profiles({{"seller", "CN-SELLER-7", 1, 0, false}, {"buyer", "PT-BUYER-1", 0, 0, false}}), "yes"},
      {"no profile (a party without an id): not judged new", "{new_party: [seller, buyer]}", profiles({}), "no"},
      {"held twice, at least 2", "{held_before: {at_least: 2}}",
       profiles({{"seller", "CN-SELLER-7", 10, 2, false}}), "yes"},
      {"held once, at least 2", "{held_before: {at_least: 2}}",
       profiles({{"seller", "CN-SELLER-7", 10, 1, false}}), "no"},
      {"held by default means once", "{held_before: {}}", profiles({{"buyer", "PT-BUYER-1", 4, 1, false}}), "yes"},
      {"share exactly at 0.5", "{held_before: {share_at_least: \"0.5\"}}",
       profiles({{"buyer", "PT-BUYER-1", 4, 2, false}}), "yes"},
      {"share just below 0.5", "{held_before: {share_at_least: \"0.5\"}}",
       profiles({{"buyer", "PT-BUYER-1", 5, 2, false}}), "no"},
      {"only the roles asked for", "{held_before: {roles: [seller]}}",
       profiles({{"buyer", "PT-BUYER-1", 5, 5, false}}), "no"},
  });
}

TEST_F(customsRisk, ReasonsSayWhatWasSeenForTheOfficer) {
  auto plugin = make(riskWith("{on_watchlist: [high-risk], new_party: [seller]}"));
  ASSERT_TRUE(plugin);
  AssessmentRequest r = request(consignment({item(1)}), {{"seller", "CN-WATCHLIST-1", 0, 0, false}});
  r.consignment.parties.seller->id = "CN-WATCHLIST-1";
  const Findings f = assessed(*plugin, r).findings;
  ASSERT_EQ(f.risk_reasons.size(), 1u);
  EXPECT_EQ(f.risk_reasons[0].detail,
            "profile p (seller CN-WATCHLIST-1 is on watchlist 'high-risk'; seller CN-WATCHLIST-1 never seen before)");
}

// ---------------------------------------------------------------- late filing (ICS2 style)

TEST_F(customsRisk, LateFilingForItsTransportMode) {
  const char* when = "{late_filing: true}";
  auto received = [](const char* at) { return [=](AssessmentRequest& r) { r.received_at = at; }; };
  auto by = [](TransportMode mode, const char* at) {
    return [=](AssessmentRequest& r) {
      r.consignment.transport.mode = mode;
      r.received_at = at;
    };
  };
  // Expected arrival 2026-12-07T08:00:00Z; air is due 4h before, road 1h.
  run({
      {"air, a day ahead", when, received("2026-12-06T08:00:00.000Z"), "no"},
      {"air, exactly 4h before: in time", when, received("2026-12-07T04:00:00.000Z"), "no"},
      {"air, 1 ms later: late", when, received("2026-12-07T04:00:00.001Z"), "yes"},
      {"air, after the arrival", when, received("2026-12-07T09:00:00Z"), "yes"},
      {"road, exactly 1h before: in time", when, by(TransportMode::Road, "2026-12-07T07:00:00.000Z"), "no"},
      {"road, 59 minutes before: late", when, by(TransportMode::Road, "2026-12-07T07:01:00.000Z"), "yes"},
      {"rail has no deadline", when, by(TransportMode::Rail, "2026-12-07T07:59:00.000Z"), "no"},
      {"no expected arrival: not assessable", when,
       [](AssessmentRequest& r) { r.consignment.transport.arrival.clear(); }, "unknown"},
      {"no transport mode: not assessable", when, [](AssessmentRequest& r) { r.consignment.transport.mode.reset(); },
       "unknown"},
  });
}

TEST_F(customsRisk, ANotAssessableConditionAddsNothingAndSaysWhy) {
  auto plugin = make(riskWith("{late_filing: true}"));
  ASSERT_TRUE(plugin);
  AssessmentRequest r = request(consignment({item(1)}));
  r.consignment.transport.arrival.clear();
  const Findings f = assessed(*plugin, r).findings;
  EXPECT_EQ(*f.risk_score, 0);
  ASSERT_EQ(f.risk_reasons.size(), 1u);
  EXPECT_EQ(f.risk_reasons[0].code, "RISK-NOT-ASSESSED");
  EXPECT_EQ(f.risk_reasons[0].weight, 0);
  EXPECT_EQ(f.risk_reasons[0].detail, "profile 'p' not assessed: no expected arrival (transport.arrival)");
}

TEST_F(customsRisk, ALateFilingSaysHowLate) {
  auto plugin = make(riskWith("{late_filing: true}"));
  ASSERT_TRUE(plugin);
  const Findings f = assessed(*plugin, request(consignment({item(1)}), knownParties(), "2026-12-07T06:30:00Z")).findings;
  ASSERT_EQ(f.risk_reasons.size(), 1u);
  EXPECT_EQ(f.risk_reasons[0].detail, "profile p (filed 1h30m before the expected arrival; due 4h before by air)");
}

// ---------------------------------------------------------------- thresholds and decisions

TEST_F(customsRisk, ThresholdsAtAndJustBelowEachLevel) {
  struct Level {
    int weight;
    FilingKind filing;
    const char* expected;
  };
  const std::vector<Level> levels = {
      {39, FilingKind::PreArrival, "clear 39 CUS-CLEAR"},
      {40, FilingKind::PreArrival, "inspect 40 CUS-RISK-INSPECT"},
      {69, FilingKind::PreArrival, "inspect 69 CUS-RISK-INSPECT"},
      {70, FilingKind::PreArrival, "hold 70 CUS-RISK-HOLD"},
      {89, FilingKind::PreLoading, "hold 89 CUS-RISK-HOLD"},
      {90, FilingKind::PreLoading, "do-not-load 90 CUS-DNL"},
      {90, FilingKind::PreArrival, "hold 90 CUS-RISK-HOLD"},
      {200, FilingKind::Declaration, "hold 200 CUS-RISK-HOLD"},
      {-20, FilingKind::PreArrival, "clear 0 CUS-CLEAR"},  // the score never goes below 0
  };
  for (const Level& l : levels) {
    auto plugin = make(riskWith("{origins: [CN]}", l.weight));
    ASSERT_TRUE(plugin);
    Consignment c = consignment({item(1)});
    c.filing = l.filing;
    const Decision d = assessed(*plugin, request(c)).assessment.decisions.at(0);
    const std::string line = describe(d);
    EXPECT_EQ(line.substr(0, line.find(':')), l.expected) << l.weight << " " << toString(l.filing);
  }
}

TEST_F(customsRisk, WithoutDoNotLoadAPreLoadingFilingIsHeld) {
  auto plugin = make(kRevenue + R"(
risk:
  thresholds: {inspect: 40, hold: 70}
  profiles: [{name: p, when: {origins: [CN]}, weight: 500, reason_code: RISK-P, reason: p}]
)");
  ASSERT_TRUE(plugin);
  Consignment c = consignment({item(1)});
  c.filing = FilingKind::PreLoading;
  EXPECT_EQ(describe(assessed(*plugin, request(c)).assessment),
            "hold 500 CUS-RISK-HOLD: selected for a customs check");
}

TEST_F(customsRisk, TheFilerIsNeverToldTheProfile) {
  auto plugin = make(riskWith("{origins: [CN]}", 95));
  ASSERT_TRUE(plugin);
  Consignment c = consignment({item(1)});
  c.filing = FilingKind::PreLoading;
  const CaseAssessment out = assessed(*plugin, request(c));
  EXPECT_EQ(describe(out.assessment), "do-not-load 95 CUS-DNL: do not load: high-risk consignment (ICS2 referral)");
  EXPECT_EQ(reasons(out.findings), "RISK-P 95");  // the full reason is in the findings, for officers
  c.filing = FilingKind::PreArrival;
  EXPECT_EQ(describe(assessed(*plugin, request(c)).assessment), "hold 95 CUS-RISK-HOLD: selected for a customs check");
}

TEST_F(customsRisk, ProfilesAddUp) {
  auto plugin = make(kRevenue + R"(
risk:
  thresholds: {inspect: 40, hold: 70}
  profiles:
    - {name: a, when: {origins: [CN]}, weight: 25, reason_code: RISK-A, reason: a}
    - {name: b, when: {transport_modes: [air]}, weight: 20, reason_code: RISK-B, reason: b}
    - {name: c, when: {origins: [TR]}, weight: 30, reason_code: RISK-C, reason: c}
)");
  ASSERT_TRUE(plugin);
  const CaseAssessment out = assessed(*plugin, request(consignment({item(1)})));
  EXPECT_EQ(*out.findings.risk_score, 45);
  EXPECT_EQ(reasons(out.findings), "RISK-A 25; RISK-B 20");
  EXPECT_EQ(describe(out.assessment), "inspect 45 CUS-RISK-INSPECT: selected for a customs check");
}

// ---------------------------------------------------------------- trusted traders

TEST_F(customsRisk, TrustedTradersLowerTheScore) {
  const std::string settings = riskWith("{origins: [CN]}", 50, "  trusted: {ids: [PT-AEO-0001], weight: -30}\n");
  auto plugin = make(settings);
  ASSERT_TRUE(plugin);
  Consignment listed = consignment({item(1)});
  listed.parties.buyer->id = "PT-AEO-0001";
  CaseAssessment out = assessed(*plugin, request(listed));
  EXPECT_EQ(*out.findings.risk_score, 20);
  EXPECT_EQ(reasons(out.findings), "RISK-P 50; RISK-TRUSTED -30");
  EXPECT_EQ(out.findings.risk_reasons[1].detail, "trusted trader: buyer PT-AEO-0001 is listed as trusted");
  EXPECT_EQ(out.assessment.decisions.at(0).decision, "clear");

  // A party the hub marks trusted counts too; counted once however many are trusted.
  out = assessed(*plugin, request(listed, {{"seller", "CN-SELLER-7", 40, 0, true}}));
  EXPECT_EQ(reasons(out.findings), "RISK-P 50; RISK-TRUSTED -30");
  EXPECT_EQ(out.findings.risk_reasons[1].detail, "trusted trader: seller CN-SELLER-7 is marked trusted by the hub");

  // Untrusted: the profile alone.
  out = assessed(*plugin, request(consignment({item(1)})));
  EXPECT_EQ(*out.findings.risk_score, 50);
  EXPECT_EQ(out.assessment.decisions.at(0).decision, "inspect");
}

TEST_F(customsRisk, WithoutTrustedSettingsTheHubsMarkChangesNothing) {
  auto plugin = make(riskWith("{origins: [CN]}", 50));
  ASSERT_TRUE(plugin);
  const CaseAssessment out = assessed(*plugin, request(consignment({item(1)}), {{"seller", "CN-SELLER-7", 40, 0, true}}));
  EXPECT_EQ(*out.findings.risk_score, 50);
}

// ---------------------------------------------------------------- random selection

namespace {

std::string randomSettings(const char* rate, const char* seed) {
  return kRevenue + "risk:\n  thresholds: {inspect: 40, hold: 70}\n  random: {rate: \"" + rate + "\", seed: \"" + seed +
         "\"}\n  profiles: [{name: p, when: {origins: [TR]}, weight: 25, reason_code: RISK-P, reason: p}]\n";
}

// The case ids C-0 ... C-(n-1) that the plugin selects at random.
std::set<std::string> selected(const AgencyPlugin& plugin, int n) {
  std::set<std::string> out;
  for (int i = 0; i < n; ++i) {
    Consignment c = consignment({item(1)});
    c.case_id = "C-" + std::to_string(i);
    auto result = plugin.assessCase(request(c));
    if (!result) continue;
    for (const RiskReason& r : result.value().findings.risk_reasons) {
      if (r.code == "RISK-RANDOM") out.insert(c.case_id);
    }
  }
  return out;
}

}  // namespace

TEST_F(customsRisk, RandomSelectionIsReproducibleFromTheSeedAndTheCaseId) {
  auto plugin = make(randomSettings("0.02", "swhub-example-2026"));
  auto again = make(randomSettings("0.02", "swhub-example-2026"));
  auto reseeded = make(randomSettings("0.02", "another-seed"));
  ASSERT_TRUE(plugin && again && reseeded);
  const std::set<std::string> first = selected(*plugin, 2000);
  EXPECT_EQ(first, selected(*again, 2000));  // another instance (a restart): the same draw
  EXPECT_EQ(first, selected(*plugin, 2000)); // the same instance again
  EXPECT_NE(first, selected(*reseeded, 2000));
  // Pinned: the draw is FNV-1a + SplitMix64, the same on every platform and build. A change of
  // this list is a change of the audit trail of past selections.
  std::vector<std::string> firstFive(first.begin(), first.end());
  firstFive.resize(std::min<std::size_t>(firstFive.size(), 5));
  EXPECT_EQ(firstFive, (std::vector<std::string>{"C-102", "C-1033", "C-1067", "C-1106", "C-1149"}));
}

TEST_F(customsRisk, RandomSelectionRateIsWithinFiveSigma) {
  for (const char* rate : {"0.02", "0.1"}) {
    auto plugin = make(randomSettings(rate, "rate-check"));
    ASSERT_TRUE(plugin);
    const int n = 10000;
    const double p = std::stod(rate);
    const double count = static_cast<double>(selected(*plugin, n).size());
    const double sigma = std::sqrt(n * p * (1 - p));
    EXPECT_LE(std::abs(count - n * p), 5 * sigma) << rate << ": " << count << " selected of " << n;
  }
}

TEST_F(customsRisk, RandomSelectionBringsTheCaseToInspectionAsItsOwnReason) {
  auto always = make(randomSettings("1", "s"));
  ASSERT_TRUE(always);
  CaseAssessment out = assessed(*always, request(consignment({item(1)})));
  EXPECT_EQ(reasons(out.findings), "RISK-RANDOM 40");
  EXPECT_EQ(out.findings.risk_reasons[0].detail, "selected at random for compliance measurement (rate 1.00)");
  EXPECT_EQ(describe(out.assessment), "inspect 40 CUS-RISK-INSPECT: selected for a customs check");

  // On top of a score: what is missing to reach inspect.
  Consignment turkish = consignment({item(1)});
  turkish.items[0].origin = "TR";
  out = assessed(*always, request(turkish));
  EXPECT_EQ(reasons(out.findings), "RISK-P 25; RISK-RANDOM 15");
  EXPECT_EQ(*out.findings.risk_score, 40);

  auto never = make(randomSettings("0", "s"));
  ASSERT_TRUE(never);
  EXPECT_EQ(reasons(assessed(*never, request(consignment({item(1)}))).findings), "");
}
