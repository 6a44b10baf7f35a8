#pragma once
// Shared by the tests of the loadable `customs` agency (customs_plugin_test.cpp,
// customs_risk_test.cpp): the built swhub_customs.so loaded as the hub loads it, instances built
// by its factory from settings written in YAML (read by the hub's own reader, as hub.yaml is),
// with the example config's config/jurisdictions/pt-eu-2026.yaml as the jurisdiction file, requests
// and one-line summaries of what comes back.

#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "plugin_test_support.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::sdk {
// A mismatched revenue line prints as its fields rather than its bytes.
inline void PrintTo(const RevenueLine& l, std::ostream* out) {
  *out << l.tax << "#" << (l.item ? std::to_string(*l.item) : "-") << " base " << l.base.toString() << " rate "
       << (l.rate ? l.rate->toString() : "-") << " amount " << l.amount.toString() << " " << l.currency
       << (l.collected_at_sale ? " collected at sale" : "") << ": " << l.why;
}
}  // namespace swhub::sdk

namespace swhub::testing::customs_plugin {

using namespace swhub::sdk;

inline const std::string kPath = "agencies.customs.settings";
// The folder of the jurisdiction fixtures: the config_dir the tests' instances are built with.
inline const std::string kFixtureDir = std::string(SWHUB_SOURCE_ROOT) + "/config/jurisdictions";
inline const std::string kRevenue = "revenue: {jurisdiction_file: pt-eu-2026.yaml}\n";
// When the hub received the filings of the tests, unless a test says otherwise.
inline const std::string kReceivedAt = "2026-12-06T10:00:00.000Z";

inline Value yaml(const std::string& text) { return config::parseYamlString(text, "settings"); }
inline Decimal dec(const char* text) { return *Decimal::parse(text); }

inline Item item(int sequence, std::string hs = "851830", const char* value = "45", std::string currency = "EUR") {
  Item i;
  i.sequence = sequence;
  i.description = "Bluetooth headphones";
  i.hs = std::move(hs);
  i.quantity = 1;
  i.unit = "pce";
  i.net_kg = 0.25;
  i.gross_kg = 0.4;
  i.value = dec(value);
  i.currency = std::move(currency);
  i.origin = "CN";
  return i;
}

inline Consignment consignment(std::vector<Item> items, CollectionModel model = CollectionModel::Consumer) {
  Consignment c;
  c.case_id = "C-1";
  c.reference = "LRN-1";
  c.partner = "demo-post";
  c.filing = FilingKind::PreArrival;
  c.parties.seller = Party{"Gadget Export Ltd", "CN-SELLER-7", "", "", "", "CN", "business"};
  c.parties.buyer = Party{"Ana Silva", "PT-BUYER-1", "", "", "Rua Augusta 10, Lisboa", "PT", "person"};
  c.transport.mode = TransportMode::Air;
  c.transport.departure = "CN";
  c.transport.destination = "PT";
  c.transport.arrival = "2026-12-07T08:00:00Z";
  c.items = std::move(items);
  c.fiscal.model = model;
  return c;
}

// Parties as the hub profiles them: both seen before, never held.
inline std::vector<PartyProfile> knownParties() {
  return {{"seller", "CN-SELLER-7", 12, 0, false}, {"buyer", "PT-BUYER-1", 3, 0, false}};
}

inline AssessmentRequest request(Consignment c, std::vector<PartyProfile> parties = knownParties(),
                                 std::string receivedAt = kReceivedAt) {
  return AssessmentRequest{std::move(c), std::move(parties), "customs", std::move(receivedAt)};
}

// "hold 70 CUS-RISK-HOLD: selected for a customs check" (the score when there is one).
inline std::string describe(const Decision& d) {
  std::string out = d.decision;
  if (d.risk_score) out += " " + std::to_string(*d.risk_score);
  for (std::size_t i = 0; i < d.reason_codes.size(); ++i) out += (i ? "," : " ") + d.reason_codes[i];
  return out + ": " + d.reason;
}

inline std::string describe(const Assessment& a) {
  std::string out;
  for (const Decision& d : a.decisions) out += (out.empty() ? "" : "\n") + describe(d);
  return out;
}

// "RISK-WATCHLIST 70; RISK-RANDOM 40": the risk reasons' codes and weights.
inline std::string reasons(const Findings& f) {
  std::string out;
  for (const RiskReason& r : f.risk_reasons) out += (out.empty() ? "" : "; ") + r.code + " " + std::to_string(r.weight);
  return out;
}

class CustomsPluginTest : public PluginTest {
 protected:
  CustomsPluginTest() : PluginTest("customs") {}

  Result<std::unique_ptr<AgencyPlugin>> buildFrom(Value settings, std::string configDir = kFixtureDir) const {
    return descriptor_->agency_factory(InstanceContext{"customs", kPath, std::move(settings), std::move(configDir)});
  }
  Result<std::unique_ptr<AgencyPlugin>> build(const std::string& settings, std::string configDir = kFixtureDir) const {
    return buildFrom(yaml(settings), std::move(configDir));
  }
  std::unique_ptr<AgencyPlugin> make(const std::string& settings) const { return made(build(settings)); }

  // The factory's errors for `settings` (none when it built an instance).
  Errors errorsOf(const std::string& settings, std::string configDir = kFixtureDir) const {
    auto result = build(settings, std::move(configDir));
    return result ? Errors{} : result.errors();
  }

  static CaseAssessment assessed(const AgencyPlugin& plugin, const AssessmentRequest& r) {
    auto result = plugin.assessCase(r);
    EXPECT_TRUE(result) << formatErrors(result.errors());
    return result ? result.take() : CaseAssessment{};
  }
};

}  // namespace swhub::testing::customs_plugin
