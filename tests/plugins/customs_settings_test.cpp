// The settings of the customs agency's revenue core: every error with its dotted path and exact
// text, as check-config will print them.

#include <algorithm>
#include <filesystem>

#include "customs_test_support.hpp"

using namespace swhub::testing::customs;

namespace {

// ---------------------------------------------------------------- settings errors

TEST(CustomsSettings, EveryJurisdictionOfTheExampleConfigCompiles) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(kJurisdictions)) {
    files.push_back(entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  // Each has hand-computed assessments in customs_jurisdictions_test.cpp: a new file needs them too.
  EXPECT_EQ(files, (std::vector<std::string>{"au-2026.yaml", "ca-2026.yaml", "gb-2026.yaml", "pt-eu-2026.yaml",
                                             "us-2026.yaml"}));
  for (const std::string& file : files) {
    const Errors errors = settingsErrors(jurisdiction(file));
    EXPECT_TRUE(errors.empty()) << file << "\n" << formatErrors(errors);
  }
}

TEST(CustomsSettings, AnInvalidRegistrationFormatIsAnError) {
  const Errors errors = settingsErrors(yaml(R"(
jurisdiction: {id: PT, currency: EUR, vat: [{standard: "23"}]}
tariff: {default: "0"}
collection: {vendor: {registration_format: "^IM[0-9", registry: [IM1]}}
)"));
  ASSERT_EQ(errors.size(), 1u) << formatErrors(errors);
  EXPECT_EQ(errors[0].path, kPath + ".collection.vendor.registration_format");
  // The rest of the message is the standard library's own wording.
  EXPECT_EQ(errors[0].message.rfind("'^IM[0-9' is not a regular expression: ", 0), 0u) << errors[0].message;
}

TEST(CustomsSettings, SemanticErrorsNameTheirDottedPaths) {
  struct Case { const char* name; const char* yaml; std::vector<std::string> expected; };
  const std::string p = kPath + ".";
  const std::vector<Case> cases = {
      {"equal tariff prefixes name both paths",
       R"(
jurisdiction: {id: PT, currency: EUR, vat: [{standard: "23"}]}
tariff: {default: "0", rates: [{hs_prefix: "8518", rate: "2"}, {hs_prefix: "85", rate: "3"}, {hs_prefix: "8518", rate: "4"}]}
collection: {accepted: [consumer]}
)",
       {p + "tariff.rates[2].hs_prefix: '8518' is also " + p + "tariff.rates[0].hs_prefix: one rate per prefix"}},
      {"equal reduced VAT prefixes",
       R"(
jurisdiction: {id: PT, currency: EUR, vat: [{standard: "23", reduced: [{hs_prefix: "4902", rate: "6"}, {hs_prefix: "4902", rate: "13"}]}]}
tariff: {default: "0"}
collection: {accepted: [consumer]}
)",
       {p + "jurisdiction.vat[0].reduced[1].hs_prefix: '4902' is also " + p +
        "jurisdiction.vat[0].reduced[0].hs_prefix: one rate per prefix"}},
      {"thresholds, charges and ceilings in a currency without a rate",
       R"(
jurisdiction:
  id: GB
  currency: GBP
  tax_threshold: [{amount: "135", currency: GBP}]
  duty_threshold: [{amount: "150", currency: EUR}]
  vat: [{standard: "20"}]
  charges: [{name: handling, per: consignment, amount: "3", currency: CHF, max_value: {amount: "800", currency: USD}}]
tariff: {default: "0"}
currency_rates: [{date: "2026-12-01", rates: {EUR: "1.15"}}]
collection:
  vendor: {registration_format: "^GB[0-9]{9}$", registry: [], ceiling: {amount: "1000", currency: SEK}}
)",
       {p + "jurisdiction.charges[0].currency: no exchange rate for CHF in currency_rates (the jurisdiction's currency is GBP)",
        p + "jurisdiction.charges[0].max_value.currency: no exchange rate for USD in currency_rates (the jurisdiction's currency is GBP)",
        p + "collection.vendor.ceiling.currency: no exchange rate for SEK in currency_rates (the jurisdiction's currency is GBP)"}},
      {"issue 9 item 5: an unknown currency, thresholds in a currency without a rate, a rate for an unknown currency",
       R"(
jurisdiction:
  id: CA
  currency: CAD
  low_value: [{amount: "3300", currency: ABC}]
  duty_threshold: [{amount: "20", currency: CAD}, {amount: "150", currency: USD, shipped_from: [US]}]
  tax_threshold: [{amount: "40", currency: MXN, shipped_from: [MX]}]
  vat: [{standard: "5"}]
tariff: {default: "0"}
currency_rates: [{date: "2026-12-01", rates: {EUR: "0.62", QQQ: "1"}}]
collection: {accepted: [consumer]}
)",
       {p + "jurisdiction.low_value[0].currency: 'ABC' is not an ISO 4217 currency code",
        p + "currency_rates[0].rates.QQQ: 'QQQ' is not an ISO 4217 currency code",
        p + "jurisdiction.duty_threshold[1].currency: no exchange rate for USD in currency_rates (the jurisdiction's currency is CAD)",
        p + "jurisdiction.tax_threshold[0].currency: no exchange rate for MXN in currency_rates (the jurisdiction's currency is CAD)"}},
      {"codes, amounts, dates and rates",
       R"(
jurisdiction:
  id: PT
  currency: EURO
  duty_threshold: [{amount: "150.00001", currency: EUR, from: "2026-07-01", until: "2026-07-01"}]
  tax_threshold: [{amount: "-1", currency: XXX, from: "2026-02-30"}]
  vat: [{standard: "23", reduced: [{hs_prefix: "49A", rate: "6"}]}]
tariff: {default: "abc", rates: [{hs_prefix: "8", rate: "2"}]}
currency_rates:
  - {date: "2026-12-01", rates: {USD: "0", usd: "1.1"}}
  - {date: "2026-12-01", rates: {CNY: "8.4"}}
collection: {accepted: [consumer]}
)",
       {p + "jurisdiction.currency: 'EURO' is not an ISO 4217 currency code",
        p + "jurisdiction.duty_threshold[0].amount: '150.00001' is not a decimal amount: digits with at most 4 fraction digits expected",
        p + "jurisdiction.duty_threshold[0].until: 2026-07-01 is not after from 2026-07-01",
        p + "jurisdiction.tax_threshold[0].amount: -1.00 is negative",
        p + "jurisdiction.tax_threshold[0].currency: 'XXX' is not an ISO 4217 currency code",
        p + "jurisdiction.tax_threshold[0].from: '2026-02-30' is not a date: YYYY-MM-DD expected",
        p + "jurisdiction.vat[0].reduced[0].hs_prefix: '49A' is not an HS prefix: 2 to 10 digits expected",
        p + "tariff.default: 'abc' is not a decimal amount: digits with at most 4 fraction digits expected",
        p + "tariff.rates[0].hs_prefix: '8' is not an HS prefix: 2 to 10 digits expected",
        p + "currency_rates[0].rates.USD: '0' is not an exchange rate: a decimal above 0 with at most 10 fraction digits expected",
        p + "currency_rates[0].rates.usd: 'usd' is not an ISO 4217 currency code",
        p + "currency_rates[1].date: 2026-12-01 is also " + p + "currency_rates[0].date: one table per date"}},
      {"dated rules in force together",
       R"(
jurisdiction:
  id: PT
  currency: EUR
  duty_threshold: [{amount: "150", currency: EUR, until: "2026-07-01"}, {amount: "0", currency: EUR, from: "2026-06-30"}]
  vat: [{standard: "23", until: "2027-01-01"}, {standard: "24"}]
tariff: {default: "0"}
collection: {accepted: [consumer]}
)",
       {p + "jurisdiction.duty_threshold[1]: in force on the same days as " + p +
            "jurisdiction.duty_threshold[0]: one duty_threshold at a time",
        p + "jurisdiction.vat[1]: in force on the same days as " + p + "jurisdiction.vat[0]: one set of VAT rates at a time"}},
      {"vendor model: registry, format and presence",
       R"(
jurisdiction: {id: PT, currency: EUR, vat: [{standard: "23"}]}
tariff: {default: "0"}
collection:
  vendor: {registration_format: "^IM[0-9]{10}$", registry: [IM9990000001, IM123], tolerance: {amount: "x"}}
)",
       {p + "collection.vendor.registry[1]: 'IM123' does not match registration_format '^IM[0-9]{10}$'",
        p + "collection.vendor.tolerance.amount: 'x' is not a decimal amount: digits with at most 4 fraction digits expected"}},
      {"the vendor model accepted without a registry",
       R"(
jurisdiction: {id: PT, currency: EUR, vat: [{standard: "23"}]}
tariff: {default: "0"}
collection: {accepted: [vendor, consumer]}
)",
       {p + "collection.vendor: required while the vendor model is accepted: the registry that proves tax collected at sale"}},
  };
  for (const Case& c : cases) {
    std::vector<std::string> actual;
    for (const Error& e : settingsErrors(yaml(c.yaml))) actual.push_back(formatError(e));
    EXPECT_EQ(actual, c.expected) << c.name;
  }
}

TEST(CustomsSettings, TheSchemaRefusesUnknownKeysAndBadShapes) {
  std::vector<std::string> actual;
  for (const Error& e : settingsErrors(yaml(R"(
jurisdiction: {id: PT, curency: EUR, vat: []}
tariff: {default: "0", rates: [{hs_prefix: "85", rate: "2", per: item}]}
collection: {accepted: [cash]}
)"))) {
    actual.push_back(formatError(e));
  }
  const std::string p = kPath + ".";
  EXPECT_EQ(actual, (std::vector<std::string>{
                        p + "jurisdiction.curency: unknown key 'curency'; allowed keys: charges, currency, duty_threshold, "
                            "id, low_value, rounding, tax_name, tax_threshold, vat; did you mean 'currency'?",
                        p + "jurisdiction.vat: expected at least 1 item(s), got 0",
                        p + "jurisdiction.currency: required key missing: its ISO 4217 currency: every line is in it",
                        p + "tariff.rates[0].per: unknown key 'per'; allowed keys: hs_prefix, name, origins, rate",
                        p + "collection.accepted[0]: 'cash' is not one of: vendor, intermediary, consumer, account"}));
}

}  // namespace
