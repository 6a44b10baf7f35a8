// Origin-dependent rules of the customs agency's revenue core: thresholds scoped by the items'
// origins, the place of shipment and the transport mode (Canada under CUSMA), tariff rates by
// origin, and the settings errors of both. Figures are computed by hand in the comments.

#include "customs_test_support.hpp"

using namespace swhub::testing::customs;

namespace {

// A CUSMA-like jurisdiction by origin: 150/40 CAD for goods of the US or Mexico, 100 CAD of duty
// relief for Japan, 20 CAD for the rest (the open entries: the fallback); full declarations above
// 3,300 CAD, or 2,500 CAD for goods of Mexico.
const char* const kByOrigin = R"(
jurisdiction:
  id: XX
  currency: CAD
  low_value: [{amount: "3300", currency: CAD}, {amount: "2500", currency: CAD, origins: [MX]}]
  duty_threshold:
    - {amount: "20", currency: CAD}
    - {amount: "150", currency: CAD, origins: [US, MX]}
    - {amount: "100", currency: CAD, origins: [JP]}
  tax_threshold:
    - {amount: "20", currency: CAD}
    - {amount: "40", currency: CAD, origins: [US, MX]}
  vat: [{standard: "5"}]
tariff:
  default: "10"
  rates:
    - {hs_prefix: "61", rate: "18", name: "knitted apparel"}
    - {hs_prefix: "61", rate: "0", name: "knitted apparel, preference", origins: [US, MX]}
    - {hs_prefix: "6109", rate: "16", origins: [CN]}
currency_rates:
  - {date: "2026-01-01", rates: {USD: "0.75"}}
collection: {accepted: [consumer]}
)";

const RevenueEngine& byOrigin() {
  static const RevenueEngine engine = engineFrom(yaml(kByOrigin));
  return engine;
}

struct Case {
  const char* name;
  Consignment filing;
  const char* expected;
};

void run(const RevenueEngine& engine, const std::vector<Case>& cases) {
  for (const Case& c : cases) EXPECT_EQ(summary(engine.assess(c.filing, day("2026-12-06"))), c.expected) << c.name;
}

TEST(CustomsOrigin, ThresholdsByOriginAtAndAroundTheirEdges) {
  // Headphones (851830): 10 % by the default rate, 5 % VAT.
  run(byOrigin(), {
      {"US, exactly 40 CAD: neither duty nor tax", consignment({from(item(1, "851830", "40", "CAD"), "US")}),
       "due 0.00 cat 2 model consumer"},
      {"US, 40.01 CAD: tax (2.0005 -> 2.00), no duty up to 150",
       consignment({from(item(1, "851830", "40.01", "CAD"), "US")}), "vat#1 40.01x5.00=2.00; due 2.00 cat 3 model consumer"},
      {"US, exactly 150 CAD: still no duty", consignment({from(item(1, "851830", "150", "CAD"), "US")}),
       "vat#1 150.00x5.00=7.50; due 7.50 cat 3 model consumer"},
      {"US, 150.01 CAD: duty 15.001 -> 15.00, tax on 165.01 = 8.2505 -> 8.25",
       consignment({from(item(1, "851830", "150.01", "CAD"), "US")}),
       "duty#1 150.01x10.00=15.00; vat#1 165.01x5.00=8.25; due 23.25 cat 3 model consumer"},
      {"MX, 112.50 USD at 0.75 is exactly 150 CAD", consignment({from(item(1, "851830", "112.50", "USD"), "MX")}),
       "vat#1 150.00x5.00=7.50; due 7.50 cat 3 model consumer"},
      {"MX, 112.51 USD is 150.0133 -> 150.01 CAD: above", consignment({from(item(1, "851830", "112.51", "USD"), "MX")}),
       "duty#1 150.01x10.00=15.00; vat#1 165.01x5.00=8.25; due 23.25 cat 3 model consumer"},
      {"CN, exactly 20 CAD: the general relief", consignment({item(1, "851830", "20", "CAD")}),
       "due 0.00 cat 2 model consumer"},
      {"CN, 20.01 CAD: duty 2.001 -> 2.00, tax on 22.01 = 1.1005 -> 1.10",
       consignment({item(1, "851830", "20.01", "CAD")}),
       "duty#1 20.01x10.00=2.00; vat#1 22.01x5.00=1.10; due 3.10 cat 3 model consumer"},
      {"JP, exactly 100 CAD: its own duty relief, the general tax threshold",
       consignment({from(item(1, "851830", "100", "CAD"), "JP")}), "vat#1 100.00x5.00=5.00; due 5.00 cat 3 model consumer"},
      {"JP, 100.01 CAD: duty 10.001 -> 10.00, tax on 110.01 = 5.5005 -> 5.50",
       consignment({from(item(1, "851830", "100.01", "CAD"), "JP")}),
       "duty#1 100.01x10.00=10.00; vat#1 110.01x5.00=5.50; due 15.50 cat 3 model consumer"},
      {"MX, exactly 2,500 CAD: its own low-value boundary, category 3; duty 250.00, VAT on 2750 = 137.50",
       consignment({from(item(1, "851830", "2500", "CAD"), "MX")}),
       "duty#1 2500.00x10.00=250.00; vat#1 2750.00x5.00=137.50; due 387.50 cat 3 model consumer"},
      {"MX, 2,500.01 CAD: category 4 (duty 250.001 -> 250.00, VAT 137.5005 -> 137.50)",
       consignment({from(item(1, "851830", "2500.01", "CAD"), "MX")}),
       "duty#1 2500.01x10.00=250.00; vat#1 2750.01x5.00=137.50; due 387.50 cat 4 model consumer"},
      {"US, 2,500.01 CAD: the general 3,300 CAD, category 3",
       consignment({from(item(1, "851830", "2500.01", "CAD"), "US")}),
       "duty#1 2500.01x10.00=250.00; vat#1 2750.01x5.00=137.50; due 387.50 cat 3 model consumer"},
      {"no origin declared: the general rule", consignment({from(item(1, "851830", "40", "CAD"), "")}),
       "duty#1 40.00x10.00=4.00; vat#1 44.00x5.00=2.20; due 6.20 cat 3 model consumer"},
  });
}

TEST(CustomsOrigin, AMixedConsignmentGetsTheScopedThresholdOnlyWhenEveryOriginIsListed) {
  run(byOrigin(), {
      {"US and MX, 40 CAD in all: both listed, 40/150 apply",
       consignment({from(item(1, "851830", "20", "CAD"), "US"), from(item(2, "851830", "20", "CAD"), "MX")}),
       "due 0.00 cat 2 model consumer"},
      {"US and CN, 40 CAD in all: CN is not listed, the general 20 CAD applies to the whole consignment",
       consignment({from(item(1, "851830", "20", "CAD"), "US"), item(2, "851830", "20", "CAD")}),
       "duty#1 20.00x10.00=2.00; duty#2 20.00x10.00=2.00; vat#1 22.00x5.00=1.10; vat#2 22.00x5.00=1.10; "
       "due 6.20 cat 3 model consumer"},
      {"US and JP, 80 CAD: neither scope lists both, the general 20 CAD",
       consignment({from(item(1, "851830", "40", "CAD"), "US"), from(item(2, "851830", "40", "CAD"), "JP")}),
       "duty#1 40.00x10.00=4.00; duty#2 40.00x10.00=4.00; vat#1 44.00x5.00=2.20; vat#2 44.00x5.00=2.20; "
       "due 12.40 cat 3 model consumer"},
  });
  const Assessment a = byOrigin().assess(consignment({from(item(1, "851830", "40", "CAD"), "US")}), day("2026-12-06"));
  EXPECT_EQ(a.notes, (std::vector<std::string>{"no duty: value 40.00 CAD is at most the duty threshold 150.00 CAD (origins US, MX)",
                                               "no VAT: value 40.00 CAD is at most the tax threshold 40.00 CAD (origins US, MX)"}));
}

TEST(CustomsOrigin, TariffRatesByOrigin) {
  // Mixed origins: the general 20 CAD threshold; 200 CAD each, all above it.
  const Assessment a = byOrigin().assess(
      consignment({from(item(1, "610910", "200", "CAD"), "US"), item(2, "610910", "200", "CAD"),
                   from(item(3, "610910", "200", "CAD"), "VN"), from(item(4, "610910", "200", "CAD"), ""),
                   from(item(5, "620342", "200", "CAD"), "MX")}),
      day("2026-12-06"));
  ASSERT_TRUE(a.ok()) << a.error;
  std::vector<std::string> duty;
  for (const RevenueLine& l : a.lines) {
    if (l.tax == "duty") duty.push_back(std::to_string(*l.item) + ": " + l.amount.toString() + " " + l.why);
  }
  EXPECT_EQ(duty, (std::vector<std::string>{
                      // 61 for US beats 61 for any origin; 6109 for CN does not apply to US.
                      "1: 0.00 tariff HS 61 (knitted apparel, preference) for origin US: 0 %",
                      // The longest prefix for the item's origin: 6109 for CN (32.00 = 200 x 16 %).
                      "2: 32.00 tariff HS 6109 for origin CN: 16 %",
                      // 6109 is China's only: 61 for any origin (36.00 = 200 x 18 %).
                      "3: 36.00 tariff HS 61 (knitted apparel): 18 %",
                      "4: 36.00 tariff HS 61 (knitted apparel): 18 %",
                      // Woven (62): no prefix at all, the default 10 %, whatever the origin.
                      "5: 20.00 tariff default rate (no prefix of HS 620342): 10 %"}));
}

TEST(CustomsOrigin, CanadaUnderCusmaByPlaceOfShipmentAndMode) {
  // config/jurisdictions/ca-2026.yaml: 1 CAD = 0.72 USD; a knitted jacket (610130) of China.
  const Consignment jacket = consignment({item(1, "610130", "100", "USD")});  // 138.888... -> 138.89 CAD
  run(canada(), {
      {"courier by air from the US: no duty up to 150, GST above 40 (6.9445 -> 6.94)",
       shipped(jacket, "US", TransportMode::Air), "gst#1 138.89x5.00=6.94; due 6.94 cat 3 model consumer"},
      {"by mail from the US: the general 20 CAD; duty 25.0002 -> 25.00, GST on 163.89 = 8.1945 -> 8.19",
       shipped(jacket, "US", TransportMode::Post),
       "duty#1 138.89x18.00=25.00; gst#1 163.89x5.00=8.19; due 33.19 cat 3 model consumer"},
      {"courier from China: the general 20 CAD", shipped(jacket, "CN", TransportMode::Air),
       "duty#1 138.89x18.00=25.00; gst#1 163.89x5.00=8.19; due 33.19 cat 3 model consumer"},
      {"no transport mode declared: the general 20 CAD", shipped(jacket, "US", std::nullopt),
       "duty#1 138.89x18.00=25.00; gst#1 163.89x5.00=8.19; due 33.19 cat 3 model consumer"},
      {"courier by road from Mexico, 28.80 USD = exactly 40 CAD: nothing due",
       shipped(consignment({item(1, "610130", "28.80", "USD")}), "MX", TransportMode::Road), "due 0.00 cat 2 model consumer"},
      {"courier from the US, 28.81 USD = 40.0139 -> 40.01 CAD: GST 2.0005 -> 2.00",
       shipped(consignment({item(1, "610130", "28.81", "USD")}), "US", TransportMode::Road),
       "gst#1 40.01x5.00=2.00; due 2.00 cat 3 model consumer"},
      {"courier from the US, 108 USD = exactly 150 CAD: still no duty",
       shipped(consignment({item(1, "610130", "108", "USD")}), "US", TransportMode::Air),
       "gst#1 150.00x5.00=7.50; due 7.50 cat 3 model consumer"},
      {"courier from the US, 108.01 USD = 150.0139 -> 150.01 CAD: duty 27.0018 -> 27.00, GST on 177.01 = 8.8505 -> 8.85",
       shipped(consignment({item(1, "610130", "108.01", "USD")}), "US", TransportMode::Air),
       "duty#1 150.01x18.00=27.00; gst#1 177.01x5.00=8.85; due 35.85 cat 3 model consumer"},
      {"a jacket of US origin above 150 CAD: CUSMA's 0 %; 200 USD = 277.78 CAD, GST 13.889 -> 13.89",
       shipped(consignment({from(item(1, "610130", "200", "USD"), "US")}), "US", TransportMode::Road),
       "duty#1 277.78x0.00=0.00; gst#1 277.78x5.00=13.89; due 13.89 cat 3 model consumer"},
  });
  const Assessment a = canada().assess(shipped(jacket, "US", TransportMode::Air), day("2026-12-06"));
  EXPECT_EQ(a.notes[0], "no duty: value 138.89 CAD is at most the duty threshold 150.00 CAD "
                        "(shipped from US, MX; modes air, road, rail, sea, multimodal)");
}

TEST(CustomsOrigin, GstIsTheTaxWordWhereTheJurisdictionSaysSo) {
  const Assessment a = canada().assess(shipped(consignment({item(1, "610130", "10", "CAD")}), "CN", TransportMode::Air),
                                       day("2026-12-06"));
  EXPECT_EQ(a.notes, (std::vector<std::string>{"no duty: value 10.00 CAD is at most the duty threshold 20.00 CAD",
                                               "no GST: value 10.00 CAD is at most the tax threshold 20.00 CAD"}));
  // A charge may share the tax word; only the tax lines are collected at sale under the vendor model.
  const RevenueEngine engine = engineFrom(yaml(R"(
jurisdiction:
  id: XX
  currency: EUR
  tax_name: gst
  vat: [{standard: "10"}]
  charges: [{name: "platform levy", tax: gst, per: consignment, amount: "1", currency: EUR}]
tariff: {default: "0"}
collection:
  vendor: {registration_format: "^IM[0-9]{10}$", registry: [IM9990000001]}
)"));
  const Assessment vendor = engine.assess(vendorSale({item(1, "851830", "40")}, "IM9990000001", "4"), day("2026-12-06"));
  EXPECT_EQ(summary(vendor), "duty#1 40.00x0.00=0.00; gst#- 1.00; gst#1 40.00x10.00=4.00*; due 1.00 cat 3 model vendor");
  const RevenueEngine none = engineFrom(yaml(R"(
jurisdiction: {id: XX, currency: EUR, tax_name: hst, vat: [{standard: "13", from: "2027-01-01"}]}
tariff: {default: "0"}
collection: {accepted: [consumer]}
)"));
  EXPECT_EQ(none.assess(consignment({item(1, "851830", "40")}), day("2026-12-06")).error,
            "cannot assess: no HST rates in force on 2026-12-06");
}

// ---------------------------------------------------------------- settings errors

std::vector<std::string> errorsOf(const std::string& text) {
  std::vector<std::string> out;
  for (const Error& e : settingsErrors(yaml(text))) out.push_back(formatError(e));
  return out;
}

TEST(CustomsOrigin, ScopedThresholdsInForceTogetherMustBeDisjoint) {
  const std::string p = kPath + ".jurisdiction.";
  struct Case { const char* name; const char* thresholds; std::vector<std::string> expected; };
  const std::vector<Case> cases = {
      {"an open entry beside scoped ones is the fallback",
       R"([{amount: "20", currency: CAD}, {amount: "150", currency: CAD, origins: [US, MX]}, {amount: "60", currency: CAD, origins: [JP]}])",
       {}},
      {"origins in common", R"([{amount: "150", currency: CAD, origins: [US, MX]}, {amount: "60", currency: CAD, origins: [MX, JP]}])",
       {p + "duty_threshold[1]: in force on the same days as " + p +
        "duty_threshold[0] for some of the same consignments (origins MX, JP against origins US, MX): one "
        "duty_threshold at a time for a consignment"}},
      {"origins against shipped_from: a consignment can match both",
       R"([{amount: "150", currency: CAD, shipped_from: [US]}, {amount: "60", currency: CAD, origins: [JP]}])",
       {p + "duty_threshold[1]: in force on the same days as " + p +
        "duty_threshold[0] for some of the same consignments (origins JP against shipped from US): one "
        "duty_threshold at a time for a consignment"}},
      {"the same places, other modes: disjoint",
       R"([{amount: "150", currency: CAD, shipped_from: [US], modes: [air]}, {amount: "20", currency: CAD, shipped_from: [US], modes: [post]}])",
       {}},
      {"the same scope on other days",
       R"([{amount: "150", currency: CAD, origins: [US], until: "2020-07-01"}, {amount: "40", currency: CAD, origins: [US], from: "2020-07-01"}])",
       {}},
      {"two open entries stay an error",
       R"([{amount: "20", currency: CAD}, {amount: "150", currency: CAD, origins: [US]}, {amount: "30", currency: CAD}])",
       {p + "duty_threshold[2]: in force on the same days as " + p + "duty_threshold[0]: one duty_threshold at a time"}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(errorsOf(std::string("jurisdiction: {id: CA, currency: CAD, vat: [{standard: \"5\"}], duty_threshold: ") +
                       c.thresholds + "}\ntariff: {default: \"0\"}\ncollection: {accepted: [consumer]}\n"),
              c.expected)
        << c.name;
  }
}

TEST(CustomsOrigin, CountriesModesAndTariffOriginsAreChecked) {
  const std::string p = kPath + ".";
  EXPECT_EQ(errorsOf(R"(
jurisdiction:
  id: CA
  currency: CAD
  vat: [{standard: "5"}]
  low_value: [{amount: "3300", currency: CAD, origins: [usa, US, US]}]
  tax_threshold: [{amount: "40", currency: CAD, shipped_from: [U1]}]
tariff:
  default: "0"
  rates:
    - {hs_prefix: "61", rate: "18"}
    - {hs_prefix: "61", rate: "0", origins: [US, MX]}
    - {hs_prefix: "61", rate: "2", origins: [CA, MX]}
    - {hs_prefix: "6109", rate: "3", origins: [MX]}
    - {hs_prefix: "61", rate: "20"}
collection: {accepted: [consumer]}
)"),
            (std::vector<std::string>{
                p + "jurisdiction.low_value[0].origins[0]: 'usa' is not an ISO 3166-1 alpha-2 country code",
                p + "jurisdiction.low_value[0].origins[2]: 'US' is listed twice",
                p + "jurisdiction.tax_threshold[0].shipped_from[0]: 'U1' is not an ISO 3166-1 alpha-2 country code",
                p + "tariff.rates[2].origins: 'MX' is also in " + p + "tariff.rates[1].origins for HS prefix '61': "
                    "one rate per prefix and origin",
                p + "tariff.rates[4].hs_prefix: '61' is also " + p + "tariff.rates[0].hs_prefix: one rate per prefix"}));
  // The schema's own: closed lists, empty lists, origins only where they mean something.
  EXPECT_EQ(errorsOf(R"(
jurisdiction:
  id: CA
  currency: CAD
  tax_name: sales
  vat: [{standard: "5", reduced: [{hs_prefix: "49", rate: "0", origins: [US]}]}]
  duty_threshold: [{amount: "150", currency: CAD, modes: [courier], origins: []}]
tariff: {default: "0"}
collection: {accepted: [consumer]}
)"),
            (std::vector<std::string>{
                p + "jurisdiction.tax_name: 'sales' is not one of: vat, gst, hst",
                p + "jurisdiction.vat[0].reduced[0].origins: unknown key 'origins'; allowed keys: hs_prefix, name, rate",
                p + "jurisdiction.duty_threshold[0].modes[0]: 'courier' is not one of: air, sea, road, rail, post, multimodal",
                p + "jurisdiction.duty_threshold[0].origins: expected at least 1 item(s), got 0"}));
}

}  // namespace
