// The customs agency's revenue engine (plugins/agencies/customs) against hand-computed figures,
// mostly on the example config's config/jurisdictions/pt-eu-2026.yaml (EU rules on 2026-12-06)
// and gb-2026.yaml (Great Britain), the rest on small inline settings.

#include <thread>

#include "customs_test_support.hpp"

using namespace swhub::testing::customs;

namespace {

// The legal basis config/jurisdictions/pt-eu-2026.yaml gives its VAT rates.
const std::string kVatBasis =
    "Portuguese VAT Code (CIVA) Art. 18 (rates); Directive 2006/112/EC Art. 85-86 (taxable amount on import)";

// ---------------------------------------------------------------- engine on the EU fixture

struct EngineCase {
  const char* name;
  std::vector<Item> items;
  const char* date;
  const char* expected;
};

void runCases(const RevenueEngine& engine, const std::vector<EngineCase>& cases) {
  for (const EngineCase& c : cases) {
    EXPECT_EQ(summary(engine.assess(consignment(c.items), day(c.date))), c.expected) << c.name;
  }
}

TEST(CustomsRevenue, LowValueThresholdEdgesOnTheEuFixture) {
  runCases(portugal(), {
      {"45 EUR: the flat 3 EUR duty replaces the tariff; VAT on value and duty",
       {item(1, "851830", "45")}, "2026-12-06",
       "duty#1 3.00; vat#1 48.00x23.00=11.04; due 14.04 cat 3 model consumer"},
      {"exactly 150 EUR: still low value, the flat duty applies",
       {item(1, "851830", "150")}, "2026-12-06",
       "duty#1 3.00; vat#1 153.00x23.00=35.19; due 38.19 cat 3 model consumer"},
      {"150.01 EUR: tariff duty, category 4",
       {item(1, "851830", "150.01")}, "2026-12-06",
       "duty#1 150.01x2.00=3.00; vat#1 153.01x23.00=35.19; due 38.19 cat 4 model consumer"},
      {"180 USD at 1.2 is exactly 150 EUR after conversion",
       {item(1, "851830", "180", "USD")}, "2026-12-06",
       "duty#1 3.00; vat#1 153.00x23.00=35.19; due 38.19 cat 3 model consumer"},
      {"180.005 USD converts to 150.00 EUR (150.0042 rounded)",
       {item(1, "851830", "180.005", "USD")}, "2026-12-06",
       "duty#1 3.00; vat#1 153.00x23.00=35.19; due 38.19 cat 3 model consumer"},
      {"180.01 USD converts to 150.01 EUR: above",
       {item(1, "851830", "180.01", "USD")}, "2026-12-06",
       "duty#1 150.01x2.00=3.00; vat#1 153.01x23.00=35.19; due 38.19 cat 4 model consumer"},
      {"the 5,000 EUR gold necklace of issue 9 pays tariff duty and VAT",
       {item(1, "711319", "5000")}, "2026-12-06",
       "duty#1 5000.00x2.50=125.00; vat#1 5125.00x23.00=1178.75; due 1303.75 cat 4 model consumer"},
  });
}

TEST(CustomsRevenue, ThreeEurosPerDistinctTariffClassification) {
  runCases(portugal(), {
      {"two T-shirts of one subheading, headphones, a watch: three classifications",
       {item(1, "610910", "10"), item(2, "610910", "15"), item(3, "851830", "20"), item(4, "910211", "30")},
       "2026-12-06",
       "duty#1 3.00; duty#3 3.00; duty#4 3.00; vat#1 13.00x23.00=2.99; vat#2 15.00x23.00=3.45; "
       "vat#3 23.00x23.00=5.29; vat#4 33.00x23.00=7.59; due 28.32 cat 3 model consumer"},
      {"one heading 6109, two subheadings 610910 and 610990: two classifications",
       {item(1, "6109100010", "10"), item(2, "6109900020", "10"), item(3, "6109100090", "10")}, "2026-12-06",
       "duty#1 3.00; duty#2 3.00; vat#1 13.00x23.00=2.99; vat#2 13.00x23.00=2.99; vat#3 10.00x23.00=2.30; "
       "due 14.28 cat 3 model consumer"},
      {"five identical lines: one classification",
       {item(1, "610910", "20"), item(2, "610910", "20"), item(3, "610910", "20"), item(4, "610910", "20"),
        item(5, "610910", "20")},
       "2026-12-06",
       "duty#1 3.00; vat#1 23.00x23.00=5.29; vat#2 20.00x23.00=4.60; vat#3 20.00x23.00=4.60; "
       "vat#4 20.00x23.00=4.60; vat#5 20.00x23.00=4.60; due 26.69 cat 3 model consumer"},
      {"the reduced rate for periodicals by HS prefix",
       {item(1, "490210", "12"), item(2, "851830", "12")}, "2026-12-06",
       "duty#1 3.00; duty#2 3.00; vat#1 15.00x6.00=0.90; vat#2 15.00x23.00=3.45; due 10.35 cat 3 model consumer"},
  });
  const Assessment a = portugal().assess(
      consignment({item(1, "610910", "10"), item(2, "851830", "20"), item(3, "610910", "15")}), day("2026-12-06"));
  ASSERT_TRUE(a.ok());
  // Each line ends with the legal basis the jurisdiction file gives its rule.
  EXPECT_EQ(a.lines[0].why, "EU temporary low-value duty: 3.00 EUR per distinct tariff classification (HS 610910: items 1, 3); "
                            "basis: Council Regulation (EU) 2026/382 and Commission Delegated Regulation (EU) 2026/1022");
  EXPECT_EQ(a.lines[0].base.toString(), "25.00");
  EXPECT_EQ(a.lines[1].why, "EU temporary low-value duty: 3.00 EUR per distinct tariff classification (HS 851830: item 2); "
                            "basis: Council Regulation (EU) 2026/382 and Commission Delegated Regulation (EU) 2026/1022");
  EXPECT_EQ(a.lines[2].why, "standard rate on value and duty: 23 %; basis: " + kVatBasis);
  EXPECT_EQ(a.lines[2].currency, "EUR");
  EXPECT_EQ(a.value.toString(), "45.00");
  EXPECT_EQ(a.notes, std::vector<std::string>{"no ad valorem duty: replaced by EU temporary low-value duty"});
}

TEST(CustomsRevenue, EveryLineEndsWithTheLegalBasisItsRuleGives) {
  // Above 150 EUR: the tariff's duty, then VAT, each with the basis the file gives its rule.
  const Assessment a = portugal().assess(consignment({item(1, "851830", "200")}), day("2026-12-06"));
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a.lines.size(), 2u);
  EXPECT_EQ(a.lines[0].why, "tariff HS 851830 (headphones and earphones): 2 %; basis: Common Customs Tariff, Council "
                            "Regulation (EEC) No 2658/87 Annex I (illustrative rates: check TARIC)");
  EXPECT_EQ(a.lines[1].why, "standard rate on value and duty: 23 %; basis: " + kVatBasis);
  // Every example jurisdiction gives one for each of its rules (the public estimate shows them).
  for (const RevenueEngine* engine : {&unitedStates(), &greatBritain(), &australia(), &canada()}) {
    const Assessment other = engine->assess(consignment({item(1, "851830", "5000", "USD")}), day("2026-12-06"));
    ASSERT_TRUE(other.ok());
    ASSERT_FALSE(other.lines.empty());
    for (const RevenueLine& l : other.lines) EXPECT_NE(l.why.find("; basis: "), std::string::npos) << l.why;
  }
  // A file that gives none: the why names the rule only.
  Value bare = jurisdiction("us-2026.yaml");
  Value tariff = *bare.find("tariff");
  Value withoutBasis = Value::map();
  for (const auto& [key, value] : tariff.entries()) {
    if (key != "basis") withoutBasis.set(key, value);
  }
  bare.set("tariff", withoutBasis);
  const Assessment us = engineFrom(bare).assess(consignment({item(1, "851830", "200", "USD")}), day("2026-12-06"));
  ASSERT_TRUE(us.ok());
  ASSERT_FALSE(us.lines.empty());
  for (const RevenueLine& l : us.lines) EXPECT_EQ(l.why.find("basis:"), std::string::npos) << l.why;
}

TEST(CustomsRevenue, DatedRulesBeforeAndAfterTheirDates) {
  runCases(portugal(), {
      {"30 June 2026: duty relief up to 150 EUR, no flat duty yet",
       {item(1, "851830", "45")}, "2026-06-30", "vat#1 45.00x23.00=10.35; due 10.35 cat 3 model consumer"},
      {"1 July 2026: the flat duty from its first day",
       {item(1, "851830", "45")}, "2026-07-01", "duty#1 3.00; vat#1 48.00x23.00=11.04; due 14.04 cat 3 model consumer"},
      {"30 June 2028: the flat duty's last day",
       {item(1, "851830", "45")}, "2028-06-30", "duty#1 3.00; vat#1 48.00x23.00=11.04; due 14.04 cat 3 model consumer"},
      {"1 July 2028: the flat duty has ended, the tariff applies",
       {item(1, "851830", "45")}, "2028-07-01",
       "duty#1 45.00x2.00=0.90; vat#1 45.90x23.00=10.56; due 11.46 cat 3 model consumer"},
      {"30 June 2021: VAT exemption up to 22 EUR: nothing to collect",
       {item(1, "851830", "22")}, "2021-06-30", "due 0.00 cat 2 model consumer"},
      {"30 June 2021: 22.01 EUR is above the VAT threshold",
       {item(1, "851830", "22.01")}, "2021-06-30", "vat#1 22.01x23.00=5.06; due 5.06 cat 3 model consumer"},
      {"1 July 2021: no VAT exemption any more",
       {item(1, "851830", "22")}, "2021-07-01", "vat#1 22.00x23.00=5.06; due 5.06 cat 3 model consumer"},
      {"15 November 2026: the USD rate of 2 November (1.15) is in force",
       {item(1, "851830", "115", "USD")}, "2026-11-15",
       "duty#1 3.00; vat#1 103.00x23.00=23.69; due 26.69 cat 3 model consumer"},
      {"6 December 2026: the USD rate of 1 December (1.20) is in force",
       {item(1, "851830", "115", "USD")}, "2026-12-06",
       "duty#1 3.00; vat#1 98.83x23.00=22.73; due 25.73 cat 3 model consumer"},
  });
}

TEST(CustomsRevenue, AFilingWithoutARateCannotBeAssessedNeverZero) {
  runCases(portugal(), {
      {"no JPY in the table", {item(1, "851830", "5000", "JPY")}, "2026-12-06",
       "cannot assess: no rate for JPY on 2026-12-06"},
      {"USD before the first table", {item(1, "851830", "10", "USD")}, "2026-11-01",
       "cannot assess: no rate for USD on 2026-11-01"},
      {"GBP only from 1 December", {item(1, "851830", "10", "GBP")}, "2026-11-30",
       "cannot assess: no rate for GBP on 2026-11-30"},
      {"one item in a currency without a rate spoils the consignment",
       {item(1, "851830", "10"), item(2, "851830", "10", "CHF")}, "2026-12-06",
       "cannot assess: no rate for CHF on 2026-12-06"},
  });
  const Assessment a = portugal().assess(consignment({item(1, "851830", "10", "JPY")}), day("2026-12-06"));
  EXPECT_FALSE(a.ok());
  EXPECT_TRUE(a.lines.empty());
  EXPECT_EQ(a.category, 0);
}

TEST(CustomsRevenue, DocumentsAreCategoryOne) {
  Item letter = item(1, "490199", "0");
  letter.nature = Nature::Documents;
  const Assessment a = portugal().assess(consignment({letter}), day("2026-12-06"));
  EXPECT_EQ(summary(a), "due 0.00 cat 1 model consumer");
}

TEST(CustomsRevenue, CollectionModelsAsFiled) {
  for (CollectionModel model : {CollectionModel::Consumer, CollectionModel::Intermediary, CollectionModel::Account}) {
    const Assessment a = portugal().assess(consignment({item(1, "851830", "45")}, model), day("2026-12-06"));
    EXPECT_EQ(summary(a), "duty#1 3.00; vat#1 48.00x23.00=11.04; due 14.04 cat 3 model " + std::string(toString(model)));
    EXPECT_EQ(a.declared_model, model);
    EXPECT_EQ(a.model_reason, "");
  }
}

TEST(CustomsRevenue, VendorModelWithAValidRegistrationLeavesOnlyTheDuty) {
  // VAT at sale on the price: 45 x 23 % = 10.35; the import VAT lines are collected at sale.
  const Assessment a = portugal().assess(vendorSale({item(1, "851830", "45")}, "IM9990000001", "10.35"), day("2026-12-06"));
  EXPECT_EQ(summary(a), "duty#1 3.00; vat#1 48.00x23.00=11.04*; due 3.00 cat 3 model vendor");
  EXPECT_EQ(a.lines[1].why, "standard rate on value and duty: 23 %; basis: " + kVatBasis + "; collected at sale under IM9990000001");
  EXPECT_EQ(a.model_reason, "");

  // Before 1 July 2026 there is no duty either: nothing to collect, category 2.
  EXPECT_EQ(summary(portugal().assess(vendorSale({item(1, "851830", "45")}, "IM9990000001", "10.35"), day("2026-06-30"))),
            "vat#1 45.00x23.00=10.35*; due 0.00 cat 2 model vendor");

  // The registration may come with the seller; the tax collected in another currency.
  Consignment onSeller = vendorSale({item(1, "851830", "45")}, "", "12.42");
  onSeller.parties.seller = Party{"Gadget Export Ltd", "CN91440300MA5", "IM9990000001", "", "", "CN", "business"};
  onSeller.fiscal.tax_currency = "USD";  // 12.42 USD at 1.2 = 10.35 EUR
  EXPECT_EQ(summary(portugal().assess(onSeller, day("2026-12-06"))),
            "duty#1 3.00; vat#1 48.00x23.00=11.04*; due 3.00 cat 3 model vendor");
}

TEST(CustomsRevenue, VendorModelFallsBackToConsumerWithTheReason) {
  struct Case { const char* name; Consignment filing; const char* reason; };
  Consignment notCollected = vendorSale({item(1, "851830", "45")}, "IM9990000001", "10.35");
  notCollected.fiscal.collected_at_sale = false;
  Consignment noAmount = vendorSale({item(1, "851830", "45")}, "IM9990000001", "10.35");
  noAmount.fiscal.tax_collected.reset();
  Consignment yen = vendorSale({item(1, "851830", "45")}, "IM9990000001", "1500");
  yen.fiscal.tax_currency = "JPY";
  const std::vector<Case> cases = {
      {"issue 9's marketplace order: registration 'x', 0.01 EUR on 1,450 EUR",
       vendorSale({item(1, "851830", "1450")}, "x", "0.01"),
       "vendor model refused: registration 'x' is malformed (expected ^IM[0-9]{10}$); the consumer pays"},
      {"well formed, not in the registry", vendorSale({item(1, "851830", "45")}, "IM9990000002", "10.35"),
       "vendor model refused: registration 'IM9990000002' is not in the registry; the consumer pays"},
      {"no registration at all", vendorSale({item(1, "851830", "45")}, "", "10.35"),
       "vendor model refused: no registration number; the consumer pays"},
      {"above the 150 EUR ceiling", vendorSale({item(1, "851830", "150.01")}, "IM9990000001", "34.50"),
       "vendor model refused: value 150.01 EUR is above the vendor model's ceiling 150.00 EUR; the consumer pays"},
      {"0.01 EUR collected on 45 EUR", vendorSale({item(1, "851830", "45")}, "IM9990000001", "0.01"),
       "vendor model refused: tax collected 0.01 EUR is implausible against 10.35 EUR computed (tolerance 0.50 EUR); "
       "the consumer pays"},
      {"just outside the 0.50 EUR tolerance", vendorSale({item(1, "851830", "45")}, "IM9990000001", "9.84"),
       "vendor model refused: tax collected 9.84 EUR is implausible against 10.35 EUR computed (tolerance 0.50 EUR); "
       "the consumer pays"},
      {"tax not declared as collected at sale", notCollected,
       "vendor model refused: the filing does not declare tax collected at sale; the consumer pays"},
      {"no amount declared", noAmount, "vendor model refused: no amount of tax collected declared; the consumer pays"},
      {"collected in a currency without a rate", yen,
       "vendor model refused: tax collected: no rate for JPY on 2026-12-06; the consumer pays"},
  };
  for (const Case& c : cases) {
    const Assessment a = portugal().assess(c.filing, day("2026-12-06"));
    ASSERT_TRUE(a.ok()) << c.name;
    EXPECT_EQ(a.model, CollectionModel::Consumer) << c.name;
    EXPECT_EQ(a.declared_model, CollectionModel::Vendor) << c.name;
    EXPECT_EQ(a.model_reason, c.reason) << c.name;
    for (const RevenueLine& l : a.lines) EXPECT_FALSE(l.collected_at_sale) << c.name;
  }
  EXPECT_EQ(summary(portugal().assess(cases[0].filing, day("2026-12-06"))),
            "duty#1 1450.00x2.00=29.00; vat#1 1479.00x23.00=340.17; due 369.17 cat 4 model consumer");
  EXPECT_EQ(portugal().assess(cases[0].filing, day("2026-12-06")).lines[1].why,
            "standard rate on value and duty: 23 %; basis: " + kVatBasis +
                "; due at import: registration 'x' is malformed (expected ^IM[0-9]{10}$)");
  // Inside the tolerance: 9.85 is 0.50 away from 10.35.
  EXPECT_EQ(portugal().assess(vendorSale({item(1, "851830", "45")}, "IM9990000001", "9.85"), day("2026-12-06")).model,
            CollectionModel::Vendor);
}

TEST(CustomsRevenue, BritishThresholdsInPoundsAfterConversion) {
  runCases(greatBritain(), {
      {"exactly 135 GBP: no duty, no import VAT (charged at sale): nothing to collect",
       {item(1, "610910", "135", "GBP")}, "2026-12-06", "due 0.00 cat 2 model consumer"},
      {"135.01 GBP: duty and import VAT on value and duty, category 4",
       {item(1, "610910", "135.01", "GBP")}, "2026-12-06",
       "duty#1 135.01x12.00=16.20; vat#1 151.21x20.00=30.24; due 46.44 cat 4 model consumer"},
      {"155.25 EUR at 1.15 is exactly 135 GBP",
       {item(1, "610910", "155.25")}, "2026-12-06", "due 0.00 cat 2 model consumer"},
      {"155.26 EUR converts to 135.01 GBP (135.0087)",
       {item(1, "610910", "155.26")}, "2026-12-06",
       "duty#1 135.01x12.00=16.20; vat#1 151.21x20.00=30.24; due 46.44 cat 4 model consumer"},
      {"two items: the threshold is on the consignment, not on each item",
       {item(1, "610910", "70", "GBP"), item(2, "711319", "70", "GBP")}, "2026-12-06",
       "duty#1 70.00x12.00=8.40; duty#2 70.00x2.50=1.75; vat#1 78.40x20.00=15.68; vat#2 71.75x20.00=14.35; "
       "due 40.18 cat 4 model consumer"},
  });
  const Assessment a = greatBritain().assess(consignment({item(1, "610910", "100", "GBP")}), day("2026-12-06"));
  EXPECT_EQ(a.notes, (std::vector<std::string>{"no duty: value 100.00 GBP is at most the duty threshold 135.00 GBP",
                                               "no VAT: value 100.00 GBP is at most the tax threshold 135.00 GBP"}));
  const Assessment vendor = greatBritain().assess(vendorSale({item(1, "610910", "100", "GBP")}, "GB123456789", "20"),
                                                  day("2026-12-06"));
  EXPECT_EQ(vendor.model_reason, "vendor model not accepted here: the consumer pays");
  EXPECT_EQ(vendor.due.toString(), "0.00");
}

TEST(CustomsRevenue, UnitedStatesDeMinimisSuspendedOn29August2025) {
  // T-shirts from Viet Nam: the general rate (16.5 %); China's, with Section 301, is tested apart.
  runCases(unitedStates(), {
      {"28 August 2025: 800 USD is still duty free", {from(item(1, "610910", "800", "USD"), "VN")}, "2025-08-28",
       "due 0.00 cat 2 model consumer"},
      {"28 August 2025: 800.01 USD is not", {from(item(1, "610910", "800.01", "USD"), "VN")}, "2025-08-28",
       "duty#1 800.01x16.50=132.00; due 132.00 cat 3 model consumer"},
      {"29 August 2025: a 10 USD T-shirt pays duty", {from(item(1, "610910", "10", "USD"), "VN")}, "2025-08-29",
       "duty#1 10.00x16.50=1.65; due 1.65 cat 3 model consumer"},
      {"2,000 EUR at 0.8 is 2,500 USD: still low value", {from(item(1, "610910", "2000"), "VN")}, "2026-12-06",
       "duty#1 2500.00x16.50=412.50; due 412.50 cat 3 model consumer"},
      {"2,000.01 EUR is 2,500.01 USD: category 4", {from(item(1, "610910", "2000.01"), "VN")}, "2026-12-06",
       "duty#1 2500.01x16.50=412.50; due 412.50 cat 4 model consumer"},
      {"a T-shirt from China: 16.5 % and Section 301's 7.5 %", {item(1, "610910", "10", "USD")}, "2026-12-06",
       "duty#1 10.00x24.00=2.40; due 2.40 cat 3 model consumer"},
  });
  EXPECT_EQ(unitedStates().assess(consignment({item(1, "610910", "10", "USD")}), day("2026-12-06")).notes,
            std::vector<std::string>{"no VAT or GST in US"});
}

TEST(CustomsRevenue, AustralianGstAndDutyAboveOneThousandDollars) {
  runCases(australia(), {
      {"exactly 1,000 AUD: GST was charged at sale, nothing at the border",
       {item(1, "610910", "1000", "AUD")}, "2026-12-06", "due 0.00 cat 2 model consumer"},
      {"1,000.01 AUD: duty and GST on value and duty",
       {item(1, "610910", "1000.01", "AUD")}, "2026-12-06",
       "duty#1 1000.01x5.00=50.00; gst#1 1050.01x10.00=105.00; due 155.00 cat 4 model consumer"},
      {"650 USD at 0.65 is exactly 1,000 AUD", {item(1, "610910", "650", "USD")}, "2026-12-06",
       "due 0.00 cat 2 model consumer"},
  });
}

// ---------------------------------------------------------------- engine on inline settings

const char* const kSmall = R"(
jurisdiction:
  id: XX
  currency: EUR
  vat: [{standard: "20"}]
  charges:
    - {name: handling, per: consignment, amount: "2", currency: EUR, in_vat_base: true}
    - {name: inspection, tax: fee, per: item, amount: "1", currency: USD, max_value: {amount: "100", currency: EUR}}
tariff:
  default: "1"
  rates:
    - {hs_prefix: "85", rate: "3"}
    - {hs_prefix: "8518", rate: "2"}
    - {hs_prefix: "851830", rate: "0"}
    - {hs_prefix: "6109", rate: "12"}
currency_rates:
  - {date: "2026-01-01", rates: {USD: "1.25"}}
collection:
  accepted: [consumer, intermediary]
)";

TEST(CustomsRevenue, LongestTariffPrefixWins) {
  const RevenueEngine engine = engineFrom(yaml(kSmall));
  const Assessment a = engine.assess(
      consignment({item(1, "851830", "100"), item(2, "851821", "100"), item(3, "850440", "100"), item(4, "010121", "100"),
                   item(5, "610910", "100")}),
      day("2026-12-06"));
  ASSERT_TRUE(a.ok()) << a.error;
  std::vector<std::string> duty;
  for (const RevenueLine& l : a.lines) {
    if (l.tax == "duty") duty.push_back(std::to_string(*l.item) + ": " + l.amount.toString() + " " + l.why);
  }
  EXPECT_EQ(duty, (std::vector<std::string>{
                      "1: 0.00 tariff HS 851830: 0 %", "2: 2.00 tariff HS 8518: 2 %", "3: 3.00 tariff HS 85: 3 %",
                      "4: 1.00 tariff default rate (no prefix of HS 010121): 1 %", "5: 12.00 tariff HS 6109: 12 %"}));
}

TEST(CustomsRevenue, ChargesPerItemAndPerConsignmentWithCeilingsAndVat) {
  const RevenueEngine engine = engineFrom(yaml(kSmall));
  runCases(engine, {
      {"under the ceiling: a 1 USD fee per item (0.80 EUR), 2 EUR handling taxed at 20 %",
       {item(1, "851830", "40"), item(2, "851830", "60")}, "2026-12-06",
       "duty#1 40.00x0.00=0.00; duty#2 60.00x0.00=0.00; charge#- 2.00; fee#1 0.80; fee#2 0.80; "
       "vat#1 40.00x20.00=8.00; vat#2 60.00x20.00=12.00; vat#- 2.00x20.00=0.40; due 24.00 cat 3 model consumer"},
      {"above the 100 EUR ceiling: no fee",
       {item(1, "851830", "40"), item(2, "851830", "60.01")}, "2026-12-06",
       "duty#1 40.00x0.00=0.00; duty#2 60.01x0.00=0.00; charge#- 2.00; "
       "vat#1 40.00x20.00=8.00; vat#2 60.01x20.00=12.00; vat#- 2.00x20.00=0.40; due 22.40 cat 3 model consumer"},
  });
  // No low_value threshold configured: never category 4.
  EXPECT_EQ(engine.assess(consignment({item(1, "851830", "100000")}), day("2026-12-06")).category, 3);
}

TEST(CustomsRevenue, AModelNotAcceptedIsAssessedAsConsumer) {
  const RevenueEngine engine = engineFrom(yaml(kSmall));
  const Assessment account = engine.assess(consignment({item(1, "851830", "40")}, CollectionModel::Account), day("2026-12-06"));
  EXPECT_EQ(account.model, CollectionModel::Consumer);
  EXPECT_EQ(account.model_reason, "account model not accepted here: the consumer pays");
  const Assessment vendor = engine.assess(vendorSale({item(1, "851830", "40")}, "IM9990000001", "8"), day("2026-12-06"));
  EXPECT_EQ(vendor.model_reason, "vendor model not accepted here: the consumer pays");
  EXPECT_EQ(engine.assess(consignment({item(1, "851830", "40")}, CollectionModel::Intermediary), day("2026-12-06")).model,
            CollectionModel::Intermediary);
}

TEST(CustomsRevenue, NoVatRatesInForceIsAnOutcomeNotZero) {
  const RevenueEngine engine = engineFrom(yaml(R"(
jurisdiction: {id: XX, currency: EUR, vat: [{standard: "20", from: "2027-01-01"}]}
tariff: {default: "0"}
collection: {accepted: [consumer]}
)"));
  EXPECT_EQ(engine.assess(consignment({item(1, "851830", "40")}), day("2026-12-06")).error,
            "cannot assess: no VAT rates in force on 2026-12-06");
  EXPECT_TRUE(engine.assess(consignment({item(1, "851830", "40")}), day("2027-01-01")).ok());
}

TEST(CustomsRevenue, OneEngineAssessesFromManyThreadsAlike) {
  const Consignment filing =
      consignment({item(1, "610910", "10"), item(2, "610910", "15"), item(3, "851830", "20", "USD"), item(4, "910211", "30")});
  const std::string expected = summary(portugal().assess(filing, day("2026-12-06")));
  std::vector<std::string> seen(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < seen.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string got = summary(portugal().assess(filing, day("2026-12-06")));
        if (got != expected) {
          seen[t] = got;
          return;
        }
      }
      seen[t] = expected;
    });
  }
  for (std::thread& th : threads) th.join();
  for (const std::string& got : seen) EXPECT_EQ(got, expected);
}

}  // namespace
