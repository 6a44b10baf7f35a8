// The loadable `customs` agency (plugins/agencies/customs): its settings (a jurisdiction file or
// inline revenue, risk) with every error at its dotted path, its one decision per case with
// what is due, the findings it hands the hub, the example risk block of its README, and its
// safety from many threads.

#include <filesystem>
#include <fstream>

#include "customs_plugin_support.hpp"

using namespace swhub::testing;
using namespace swhub::testing::customs_plugin;

namespace {

const std::string kRisk = R"(
risk:
  thresholds: {inspect: 40, hold: 70, do_not_load: 90}
  watchlists: [{name: high-risk, ids: [CN-WATCHLIST-1]}]
  profiles: [{name: watchlisted, when: {on_watchlist: [high-risk]}, weight: 70, reason_code: RISK-WATCHLIST, reason: watchlisted party}]
)";

// A scratch folder with files written by the test, removed afterwards.
class ScratchDir {
 public:
  ScratchDir() : path_(std::filesystem::temp_directory_path() / ("swhub-customs-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_ / "jurisdictions");
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  void write(const std::string& name, const std::string& text) const { std::ofstream(path_ / name) << text; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

class customsPlugin : public CustomsPluginTest {};

}  // namespace

// ---------------------------------------------------------------- descriptor

TEST_F(customsPlugin, DescribesItself) {
  EXPECT_EQ(descriptor_->abi_major, kAbiMajor);
  EXPECT_EQ(descriptor_->abi_minor, kAbiMinor);
  EXPECT_STREQ(descriptor_->toolchain, kToolchain);
  EXPECT_EQ(descriptor_->kind, PluginKind::Agency);
  EXPECT_STREQ(descriptor_->name, "customs");
  EXPECT_NE(descriptor_->agency_factory, nullptr);
  EXPECT_EQ(descriptor_->partner_factory, nullptr);
}

// ---------------------------------------------------------------- revenue settings

TEST_F(customsPlugin, ReadsTheJurisdictionFileRelativeToTheConfigFolder) {
  ScratchDir dir;
  std::filesystem::copy_file(kFixtureDir + "/pt-eu-2026.yaml", dir.str() + "/jurisdictions/pt-eu-2026.yaml");
  auto plugin = made(build("revenue: {jurisdiction_file: jurisdictions/pt-eu-2026.yaml}", dir.str()));
  ASSERT_TRUE(plugin);
  EXPECT_EQ(describe(assessed(*plugin, request(consignment({item(1)}))).assessment),
            "clear CUS-CLEAR: no customs concern; duties and taxes assessed: 14.04 EUR due from the consumer");
}

TEST_F(customsPlugin, AMissingJurisdictionFileNamesTheResolvedPath) {
  ScratchDir dir;
  EXPECT_EQ(errorsOf("revenue: {jurisdiction_file: jurisdictions/nope.yaml}", dir.str()),
            (Errors{{kPath + ".revenue.jurisdiction_file",
                     "cannot read " + dir.str() + "/jurisdictions/nope.yaml: No such file or directory"}}));
}

TEST_F(customsPlugin, AJurisdictionFileThatIsNotYamlNamesTheLine) {
  ScratchDir dir;
  dir.write("jurisdictions/broken.yaml", "jurisdiction:\n  id: PT\n  currency: [EUR\n");
  const Errors errors = errorsOf("revenue: {jurisdiction_file: jurisdictions/broken.yaml}", dir.str());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, kPath + ".revenue.jurisdiction_file");
  EXPECT_TRUE(errors[0].message.starts_with(dir.str() + "/jurisdictions/broken.yaml:")) << errors[0].message;
}

TEST_F(customsPlugin, ErrorsInsideTheJurisdictionFileCarryItsNameInThePath) {
  ScratchDir dir;
  dir.write("jurisdictions/x.yaml", R"(
jurisdiction: {id: PT, currency: EUR, rounding: {mode: half-down}}
collection: {accepted: [consumer]}
tariff:
  default: "0"
  rates:
    - {hs_prefix: "8518", rate: "2"}
    - {hs_prefix: "7113", rate: "2.5"}
    - {hs_prefix: "8518", rate: "3"}
currency_rates: [{date: "2026-12-01", rates: {USD: "1.2"}}]
)");
  const std::string file = kPath + ".revenue.jurisdiction_file(jurisdictions/x.yaml)";
  // The schema's errors first (a closed list), then, once the shape is right, the meaning.
  EXPECT_EQ(errorsOf("revenue: {jurisdiction_file: jurisdictions/x.yaml}", dir.str()),
            (Errors{{file + ".jurisdiction.rounding.mode",
                     "'half-down' is not one of: half-up, half-even; did you mean 'half-even'?"}}));
  dir.write("jurisdictions/x.yaml", R"(
jurisdiction: {id: PT, currency: EUR}
collection: {accepted: [consumer]}
tariff:
  default: "0"
  rates:
    - {hs_prefix: "8518", rate: "2"}
    - {hs_prefix: "7113", rate: "2.5"}
    - {hs_prefix: "8518", rate: "3"}
currency_rates: [{date: "2026-12-01", rates: {USD: "1.2"}}]
)");
  EXPECT_EQ(errorsOf("revenue: {jurisdiction_file: jurisdictions/x.yaml}", dir.str()),
            (Errors{{file + ".tariff.rates[2].hs_prefix",
                     "'8518' is also " + file + ".tariff.rates[0].hs_prefix: one rate per prefix"}}));
}

TEST_F(customsPlugin, RevenueInlineWorksAndReportsAtItsPath) {
  auto plugin = make(R"(
revenue:
  jurisdiction: {id: PT, currency: EUR, vat: [{standard: "23"}]}
  tariff: {default: "0"}
  collection: {accepted: [consumer]}
)");
  ASSERT_TRUE(plugin);
  EXPECT_EQ(describe(assessed(*plugin, request(consignment({item(1, "851830", "100")}))).assessment),
            "clear CUS-CLEAR: no customs concern; duties and taxes assessed: 23.00 EUR due from the consumer");

  EXPECT_EQ(errorsOf(R"(
revenue:
  jurisdiction: {id: PT, currency: EURO}
  tariff: {default: "0"}
  collection: {accepted: [consumer]}
)"),
            (Errors{{kPath + ".revenue.jurisdiction.currency", "'EURO' is not an ISO 4217 currency code"}}));
  EXPECT_EQ(errorsOf("revenue: {tariff: {default: \"0\"}}"),
            (Errors{{kPath + ".revenue.jurisdiction",
                     "required key missing: the jurisdiction whose revenue is assessed"}}));
}

TEST_F(customsPlugin, RevenueIsAFileOrInlineExactlyOnce) {
  EXPECT_EQ(errorsOf("revenue: {jurisdiction_file: pt-eu-2026.yaml, tariff: {default: \"0\"}}"),
            (Errors{{kPath + ".revenue.jurisdiction_file",
                     "give either jurisdiction_file or the revenue keys inline (jurisdiction, tariff, currency_rates, "
                     "collection), not both"}}));
  EXPECT_EQ(errorsOf("revenue: {}"),
            (Errors{{kPath + ".revenue", "required: jurisdiction_file, or jurisdiction and tariff inline"}}));
  EXPECT_EQ(errorsOf("risk: {thresholds: {inspect: 40, hold: 70}}"),
            (Errors{{kPath + ".revenue", "required key missing: duties and taxes: a jurisdiction file, or its keys inline"}}));
  EXPECT_EQ(errorsOf("revenue: {jurisdiction_fle: x.yaml}"),
            (Errors{{kPath + ".revenue.jurisdiction_fle",
                     "unknown key 'jurisdiction_fle'; allowed keys: collection, currency_rates, jurisdiction, "
                     "jurisdiction_file, tariff; did you mean 'jurisdiction_file'?"}}));
}

// ---------------------------------------------------------------- risk settings

TEST_F(customsPlugin, AProfileNamingAnUnknownConditionIsRefusedWithTheNearestName) {
  EXPECT_EQ(errorsOf(kRevenue + R"(
risk:
  thresholds: {inspect: 40, hold: 70}
  profiles: [{name: p, when: {orgins: [CN]}, weight: 10, reason_code: R, reason: r}]
)"),
            (Errors{{kPath + ".risk.profiles[0].when.orgins",
                     "unknown key 'orgins'; allowed keys: below_value_norm, departures, destinations, "
                     "documents_missing, filings, held_before, hs_prefix, late_filing, natures, new_party, "
                     "on_watchlist, origins, transport_modes, vague_description; did you mean 'origins'?"}}));
}

TEST_F(customsPlugin, RiskSchemaErrorsComeTogether) {
  EXPECT_EQ(errorsOf(kRevenue + R"(
risk:
  thresholds: {inspect: 40, hold: 70}
  watchlists: [{name: high-risk, ids: [CN-WATCHLIST-1]}]
  filing_deadlines: {air: 4h, ship: 24h}
  profiles:
    - {name: a, when: {on_watchlist: [high-risks]}, weight: 10, reason_code: R, reason: r}
    - {name: b, when: {transport_modes: [plane], new_party: [carrier]}, weight: 10, reason_code: R, reason: r}
)"),
            (Errors{{kPath + ".risk.filing_deadlines.ship",
                     "unknown key 'ship'; allowed keys: air, multimodal, post, rail, road, sea"},
                    {kPath + ".risk.profiles[0].when.on_watchlist[0]",
                     "unknown watchlist 'high-risks'; defined: high-risk; did you mean 'high-risk'?"},
                    {kPath + ".risk.profiles[1].when.transport_modes[0]",
                     "'plane' is not one of: air, sea, road, rail, post, multimodal"},
                    {kPath + ".risk.profiles[1].when.new_party[0]",
                     "'carrier' is not one of: seller, buyer"}}));
}

TEST_F(customsPlugin, RiskSemanticErrorsComeTogetherWithTheirPaths) {
  const std::string r = kPath + ".risk";
  EXPECT_EQ(errorsOf(kRevenue + R"(
risk:
  thresholds: {inspect: 70, hold: 70, do_not_load: 60}
  value_norms:
    - {hs_prefix: "7113", min_per_kg: "2000", currency: EUR}
    - {hs_prefix: "7113", min_per_kg: "0", currency: CHF}
    - {hs_prefix: "99", min_per_kg: "1", currency: EURO}
  vague_descriptions: {min_share: "1.5"}
  filing_deadlines: {air: 4 hours}
  watchlists: [{name: w, ids: [A]}, {name: w, ids: [B]}]
  random: {rate: "0.02%", seed: s}
  profiles:
    - {name: p, when: {origins: [cn], departures: [XX], hs_prefix: ["85x"]}, weight: 10, reason_code: "R 1", reason: r}
    - {name: p, when: {documents_missing: true}, weight: 10, reason_code: R, reason: r}
    - {name: q, when: {vague_description: false}, weight: 10, reason_code: R, reason: r}
    - {name: s, when: {held_before: {share_at_least: "0"}}, weight: 10, reason_code: R, reason: r}
)"),
            (Errors{{r + ".thresholds.hold", "70 is not above inspect 70"},
                    {r + ".thresholds.do_not_load", "60 is below hold 70"},
                    {r + ".value_norms[1].hs_prefix", "'7113' is also " + r + ".value_norms[0].hs_prefix: one norm per prefix"},
                    {r + ".value_norms[1].min_per_kg", "'0' is not an amount above 0 with at most 4 fraction digits"},
                    {r + ".value_norms[1].currency", "no exchange rate for CHF in currency_rates (the jurisdiction's currency is EUR)"},
                    {r + ".value_norms[2].hs_prefix", "'99' is not an HS prefix: chapter 99 is not an HS chapter (01 to 97, 77 reserved)"},
                    {r + ".value_norms[2].currency", "'EURO' is not an ISO 4217 currency code"},
                    {r + ".vague_descriptions.min_share",
                     "'1.5' is not a share: a decimal above 0 to 1 with at most 4 fraction digits expected"},
                    {r + ".filing_deadlines.air",
                     "'4 hours' is not a duration: a whole number and m, h or d expected (30m, 4h, 1d)"},
                    {r + ".watchlists[1].name", "watchlist name 'w' is already used by watchlists[0]"},
                    {r + ".random.rate", "'0.02%' is not a share: a decimal from 0 to 1 with at most 4 fraction digits expected"},
                    {r + ".profiles[0].when.hs_prefix[0]", "'85x' is not an HS prefix: 2 to 10 digits expected"},
                    {r + ".profiles[0].when.origins[0]", "'cn' is not an ISO 3166-1 alpha-2 country code"},
                    {r + ".profiles[0].when.departures[0]", "'XX' is not an ISO 3166-1 alpha-2 country code"},
                    {r + ".profiles[0].reason_code", "'R 1' is not a reason code: 1 to 64 letters, digits, '-', '_' or '.'"},
                    {r + ".profiles[1].name", "profile name 'p' is already used by profiles[0]"},
                    {r + ".profiles[1].when.documents_missing", "needs " + r + ".required_documents: none is configured"},
                    {r + ".profiles[2].when", "no condition: the profile would add its weight to every case"},
                    {r + ".profiles[3].when.held_before.share_at_least",
                     "'0' is not a share: a decimal above 0 to 1 with at most 4 fraction digits expected"}}));
}

TEST_F(customsPlugin, RevenueAndRiskErrorsComeTogether) {
  const Errors errors = errorsOf(R"(
revenue:
  jurisdiction: {id: PT, currency: EUR}
  tariff: {default: "x"}
  collection: {accepted: [consumer]}
risk:
  thresholds: {inspect: 50, hold: 40}
)");
  EXPECT_EQ(errors, (Errors{{kPath + ".revenue.tariff.default",
                             "'x' is not a decimal amount: digits with at most 4 fraction digits expected"},
                            {kPath + ".risk.thresholds.hold", "40 is not above inspect 50"}}));
}

// ---------------------------------------------------------------- decisions and findings

TEST_F(customsPlugin, ClearSaysWhatIsDueAndWhoPays) {
  auto plugin = make(kRevenue);
  ASSERT_TRUE(plugin);
  struct Due {
    CollectionModel model;
    const char* expected;
  };
  for (const Due& d : std::vector<Due>{
           {CollectionModel::Consumer, "14.04 EUR due from the consumer"},
           {CollectionModel::Intermediary, "14.04 EUR charged to the intermediary's account"},
           {CollectionModel::Account, "14.04 EUR charged to the account under its guarantee"},
       }) {
    EXPECT_EQ(describe(assessed(*plugin, request(consignment({item(1)}, d.model))).assessment),
              std::string("clear CUS-CLEAR: no customs concern; duties and taxes assessed: ") + d.expected);
  }
}

TEST_F(customsPlugin, FindingsCarryTheRevenueLinesOneToOne) {
  auto plugin = make(kRevenue + kRisk);
  ASSERT_TRUE(plugin);
  const CaseAssessment out = assessed(*plugin, request(consignment({item(1), item(2, "610910", "20")})));
  const Findings& f = out.findings;
  EXPECT_EQ(f.category, 3);
  EXPECT_EQ(f.risk_score, 0);
  EXPECT_TRUE(f.revenue_assessed);
  EXPECT_EQ(f.model, CollectionModel::Consumer);
  EXPECT_EQ(f.model_reason, "");
  EXPECT_EQ(f.currency, "EUR");
  EXPECT_EQ(f.due, dec("22.33"));
  ASSERT_EQ(f.revenue.size(), 4u);
  EXPECT_EQ(f.revenue[0], (RevenueLine{"duty", 1, dec("45"), std::nullopt, dec("3"), "EUR", f.revenue[0].why, false}));
  EXPECT_EQ(f.revenue[2], (RevenueLine{"vat", 1, dec("48"), dec("23"), dec("11.04"), "EUR", f.revenue[2].why, false}));
  EXPECT_EQ(f.revenue[3], (RevenueLine{"vat", 2, dec("23"), dec("23"), dec("5.29"), "EUR", f.revenue[3].why, false}));
  EXPECT_FALSE(f.revenue[0].why.empty());
  const Decision& d = out.assessment.decisions.at(0);
  EXPECT_EQ(d.duties, dec("6"));
  EXPECT_EQ(d.taxes, dec("16.33"));
  EXPECT_EQ(d.risk_score, 0);
  EXPECT_TRUE(d.items.empty());
}

TEST_F(customsPlugin, TheVendorModelCollectedAtSale) {
  auto plugin = make(kRevenue);
  ASSERT_TRUE(plugin);
  Consignment c = consignment({item(1)}, CollectionModel::Vendor);
  c.fiscal.collected_at_sale = true;
  c.fiscal.registration = "IM9990000001";
  c.fiscal.tax_collected = dec("10.35");
  c.fiscal.tax_currency = "EUR";
  const CaseAssessment out = assessed(*plugin, request(c));
  EXPECT_EQ(describe(out.assessment), "clear CUS-CLEAR: no customs concern; duties and taxes assessed: collected at "
                                      "sale under IM9990000001; 3.00 EUR still due");
  EXPECT_EQ(out.findings.model, CollectionModel::Vendor);
  EXPECT_TRUE(out.findings.revenue.at(1).collected_at_sale);
  EXPECT_EQ(out.assessment.decisions[0].taxes, dec("0"));
  EXPECT_EQ(out.assessment.decisions[0].duties, dec("3"));
}

TEST_F(customsPlugin, AVendorModelRefusedSaysWhy) {
  auto plugin = make(kRevenue);
  ASSERT_TRUE(plugin);
  // Issue 9: registration "x" and 0.01 EUR of tax on a 1,450 EUR line.
  Consignment c = consignment({item(1, "851830", "1450")}, CollectionModel::Vendor);
  c.fiscal.collected_at_sale = true;
  c.fiscal.registration = "x";
  c.fiscal.tax_collected = dec("0.01");
  c.fiscal.tax_currency = "EUR";
  const CaseAssessment out = assessed(*plugin, request(c));
  EXPECT_EQ(out.findings.model, CollectionModel::Consumer);
  EXPECT_EQ(describe(out.assessment),
            "clear CUS-CLEAR,CUS-VENDOR-REFUSED: no customs concern; duties and taxes assessed: 369.17 EUR due from the "
            "consumer; " + out.findings.model_reason);
  EXPECT_TRUE(out.findings.model_reason.starts_with("vendor model refused: registration 'x' is malformed"))
      << out.findings.model_reason;
}

TEST_F(customsPlugin, RevenueThatCannotBeAssessedIsHeldNeverClearedAtZero) {
  auto plugin = make(kRevenue + kRisk);
  ASSERT_TRUE(plugin);
  const CaseAssessment out = assessed(*plugin, request(consignment({item(1, "851830", "5000", "JPY")})));
  EXPECT_EQ(describe(out.assessment), "hold 0 CUS-REV-UNASSESSABLE: cannot assess: no rate for JPY on 2026-12-06");
  EXPECT_FALSE(out.findings.revenue_assessed);
  EXPECT_EQ(out.findings.category, std::nullopt);
  EXPECT_EQ(out.assessment.decisions[0].duties, std::nullopt);

  // With a risk hold too: both reasons, the revenue's first.
  Consignment watched = consignment({item(1, "851830", "5000", "JPY")});
  watched.parties.seller->id = "CN-WATCHLIST-1";
  EXPECT_EQ(describe(assessed(*plugin, request(watched)).assessment),
            "hold 70 CUS-REV-UNASSESSABLE,CUS-RISK-HOLD: cannot assess: no rate for JPY on 2026-12-06; selected for "
            "a customs check");
}

TEST_F(customsPlugin, DutiesAndTaxesAreAssessedOnTheDayTheFilingWasReceived) {
  auto plugin = make(kRevenue);
  ASSERT_TRUE(plugin);
  const Consignment c = consignment({item(1, "851830", "230", "USD")});
  // 230 USD: 200.00 EUR at 1.15 (table of 2026-11-02), 191.67 EUR at 1.20 (2026-12-01).
  auto base = [&](const char* receivedAt) {
    const CaseAssessment out = assessed(*plugin, request(c, knownParties(), receivedAt));
    return out.findings.revenue_assessed ? out.findings.revenue.at(0).base.toString() : describe(out.assessment);
  };
  EXPECT_EQ(base("2026-11-15T10:00:00.000Z"), "200.00");
  EXPECT_EQ(base("2026-12-06T10:00:00.000Z"), "191.67");
  EXPECT_EQ(base("2026-10-01T10:00:00Z"), "hold CUS-REV-UNASSESSABLE: cannot assess: no rate for USD on 2026-10-01");
}

TEST_F(customsPlugin, DocumentsOnlyAreCategoryOne) {
  auto plugin = make(kRevenue);
  ASSERT_TRUE(plugin);
  Consignment c = consignment({item(1, "490600", "0")});
  c.items[0].nature = Nature::Documents;
  const CaseAssessment out = assessed(*plugin, request(c));
  EXPECT_EQ(out.findings.category, 1);
  EXPECT_EQ(describe(out.assessment), "clear CUS-CLEAR: no customs concern; duties and taxes assessed: nothing due");
}

TEST_F(customsPlugin, AssessGivesTheSameDecisionsAsAssessCase) {
  auto plugin = make(kRevenue + kRisk);
  ASSERT_TRUE(plugin);
  Consignment c = consignment({item(1)});
  c.parties.seller->id = "CN-WATCHLIST-1";
  auto plain = plugin->assess(request(c));
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain.value().pending);
  EXPECT_EQ(describe(plain.value()), describe(assessed(*plugin, request(c)).assessment));
  EXPECT_EQ(describe(plain.value()), "hold 70 CUS-RISK-HOLD: selected for a customs check");
}

// ---------------------------------------------------------------- the README's example risk block

namespace {

std::string exampleRiskText() {
  return readFile(std::string(SWHUB_SOURCE_ROOT) + "/plugins/agencies/customs/example-risk.yaml");
}

}  // namespace

TEST_F(customsPlugin, TheReadmeShowsTheTestedExampleRiskBlock) {
  const std::string readme = readFile(std::string(SWHUB_SOURCE_ROOT) + "/plugins/agencies/customs/README.md");
  const std::string example = exampleRiskText();
  ASSERT_FALSE(example.empty());
  EXPECT_NE(readme.find("```yaml\n" + example + "```"), std::string::npos)
      << "README.md must carry example-risk.yaml verbatim in a yaml block";
}

TEST_F(customsPlugin, TheExampleHoldsTheWatchlistedSellerAndLowersAnAeo) {
  const Value risk = yaml(exampleRiskText());
  Value settings = yaml(kRevenue);
  settings.set("risk", *risk.find("risk"));
  auto plugin = made(buildFrom(settings));
  ASSERT_TRUE(plugin);

  // An ordinary filing: clear. (C-1 is not among the example seed's random selections.)
  CaseAssessment out = assessed(*plugin, request(consignment({item(1)})));
  EXPECT_EQ(describe(out.assessment),
            "clear 0 CUS-CLEAR: no customs concern; duties and taxes assessed: 14.04 EUR due from the consumer");

  Consignment watched = consignment({item(1)});
  watched.parties.seller->id = "CN-WATCHLIST-1";
  out = assessed(*plugin, request(watched));
  EXPECT_EQ(describe(out.assessment), "hold 70 CUS-RISK-HOLD: selected for a customs check");
  EXPECT_EQ(reasons(out.findings), "RISK-WATCHLIST 70");
  EXPECT_EQ(out.findings.risk_reasons[0].detail,
            "seller or buyer on a watchlist (seller CN-WATCHLIST-1 is on watchlist 'high-risk-sellers')");

  // Pre-loading, watchlisted and filed late: do not load.
  watched.filing = FilingKind::PreLoading;
  out = assessed(*plugin, request(watched, knownParties(), "2026-12-07T05:00:00.000Z"));
  EXPECT_EQ(describe(out.assessment), "do-not-load 90 CUS-DNL: do not load: high-risk consignment (ICS2 referral)");

  // A gold necklace declared far below its value, to an AEO buyer: 45 - 30.
  Item necklace = item(1, "711319", "150");
  necklace.description = "gold necklace";
  necklace.net_kg = 0.1;
  Consignment aeo = consignment({necklace});
  aeo.parties.buyer->id = "PT-AEO-0001";
  out = assessed(*plugin, request(aeo));
  EXPECT_EQ(reasons(out.findings), "RISK-UNDERVALUED 45; RISK-TRUSTED -30");
  EXPECT_EQ(out.assessment.decisions[0].decision, "clear");
}

// ---------------------------------------------------------------- threads

TEST_F(customsPlugin, OneInstanceServesManyThreads) {
  auto plugin = make(kRevenue + kRisk);
  ASSERT_TRUE(plugin);
  auto caseFor = [](int step) {
    Consignment c = consignment({item(1, "851830", step % 3 == 0 ? "45" : "200")});
    if (step % 5 == 0) c.parties.seller->id = "CN-WATCHLIST-1";
    return request(c);
  };
  std::vector<std::string> expected;
  for (int step = 0; step < 15; ++step) expected.push_back(describe(assessed(*plugin, caseFor(step)).assessment));
  race(4, 300, [&](int, int step) {
    auto result = plugin->assessCase(caseFor(step % 15));
    if (!result) return formatErrors(result.errors());
    const std::string got = describe(result.value().assessment);
    return got == expected[step % 15] ? std::string() : "step " + std::to_string(step) + ": " + got;
  });
}
