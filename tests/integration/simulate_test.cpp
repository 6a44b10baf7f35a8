// `swhub simulate` beside a running hub: the example study (config/studies/pt-relief-150.yaml,
// Portugal's rules with the 150 EUR duty relief kept instead of the 3 EUR duty) over cases the
// example customs agency assessed, against totals computed by hand from the jurisdiction file.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include "hub_process.hpp"
#include "receiver.hpp"
#include "test_json.hpp"

namespace swhub::testing {
namespace {

using Poco::JSON::Object;

const std::map<std::string, std::string> kPost = {{"Authorization", "Bearer demo-post-token"},
                                                  {"Content-Type", "application/vnd.swhub.consignment+json"}};

std::string day(std::chrono::system_clock::time_point at) {
  const std::time_t t = std::chrono::system_clock::to_time_t(at);
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
  return text;
}

std::string filingWorth(const std::string& reference, const std::string& value) {
  std::string body = exampleFiling(reference);
  body.replace(body.find("\"value\": 45.00"), 14, "\"value\": " + value);
  return body;
}

class Simulate : public ::testing::Test {
 protected:
  Simulate() : hub_({"serve", "--config", exampleConfig(), "--listen", "127.0.0.1:0", "--journal", journal()}) {}

  std::string journal() const { return "sqlite:" + dir_.file("journal.db"); }

  // Files a consignment of one 851830 item worth `value` EUR and waits until customs assessed it.
  void file(const std::string& reference, const std::string& value) {
    const auto response = request(hub_.address(), "POST", "/v1/messages", filingWorth(reference, value), kPost);
    ASSERT_EQ(response.status, 202) << response.body;
    const std::string caseId = parse(response.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
    ASSERT_TRUE(eventually([&] {
      const auto view = request(hub_.address(), "GET", "/v1/cases/" + caseId, "", {{"Authorization", "Bearer demo-post-token"}});
      return !parse(view.body)->isNull("category");
    })) << reference << " was never assessed";
  }

  std::pair<int, std::string> simulate(const std::vector<std::string>& more) {
    std::vector<std::string> args = {"simulate", "--config", exampleConfig(), "--journal", journal(), "--thresholds",
                                     std::string(SWHUB_SOURCE_ROOT) + "/config/studies/pt-relief-150.yaml"};
    args.insert(args.end(), more.begin(), more.end());
    return runSwhub(args);
  }

  TempDir dir_;
  HubProcess hub_;
};

TEST_F(Simulate, TheExampleStudyAgainstHandComputedTotals) {
  // pt-eu-2026.yaml on a December 2026 filing: up to 150 EUR a flat 3 EUR duty per classification
  // in place of the tariff, VAT 23 % on value + duty; above, the tariff (851830: 2 %) and VAT.
  // The study keeps the 150 EUR duty relief instead: no duty up to 150 EUR, VAT on the value.
  file("SIM-45", "45.00");    // actual: duty 3, VAT 23 % of 48 = 11.04;  study: VAT 10.35
  file("SIM-120", "120.00");  // actual: duty 3, VAT 23 % of 123 = 28.29; study: VAT 27.60
  file("SIM-200", "200.00");  // both: duty 2 % = 4.00, VAT 23 % of 204 = 46.92 (category 4)
  const auto now = std::chrono::system_clock::now();
  const std::string today = day(now), tomorrow = day(now + std::chrono::hours(24));

  const auto [code, out] = simulate({"--from", today, "--to", tomorrow});
  ASSERT_EQ(code, 0) << out;
  const auto report = parse(out);
  const auto actual = report->getObject("actual");
  const auto study = report->getObject("simulated");
  EXPECT_EQ(report->getValue<std::string>("agency"), "customs");
  EXPECT_EQ(actual->getValue<int>("cases"), 3);
  EXPECT_EQ(actual->getValue<int>("assessed"), 3);
  EXPECT_EQ(actual->getObject("revenue_by_tax")->getValue<std::string>("duty"), "10.00");
  EXPECT_EQ(actual->getObject("revenue_by_tax")->getValue<std::string>("vat"), "86.25");
  EXPECT_EQ(actual->getValue<std::string>("revenue"), "96.25");
  EXPECT_EQ(study->getObject("revenue_by_tax")->getValue<std::string>("duty"), "4.00");
  EXPECT_EQ(study->getObject("revenue_by_tax")->getValue<std::string>("vat"), "84.87");
  EXPECT_EQ(study->getValue<std::string>("revenue"), "88.87");
  EXPECT_EQ(report->getObject("difference")->getValue<std::string>("revenue"), "-7.38");
  // Every case still owes VAT at the border under the consumer model: three interventions at
  // 4.50 on both sides; categories 3, 3 and 4 on both sides (VAT keeps the small ones dutiable).
  for (const auto& side : {actual, study}) {
    EXPECT_EQ(side->getValue<int>("cases_dutiable"), 3);
    EXPECT_EQ(side->getValue<int>("cases_collected_at_border"), 3);
    EXPECT_EQ(side->getValue<std::string>("collection_cost"), "13.50");
    EXPECT_EQ(side->getObject("categories")->getValue<int>("3"), 2);
    EXPECT_EQ(side->getObject("categories")->getValue<int>("4"), 1);
  }
  EXPECT_EQ(actual->getValue<std::string>("net"), "82.75");
  EXPECT_EQ(study->getValue<std::string>("net"), "75.37");
  EXPECT_EQ(report->getValue<int>("failed"), 0);

  // The same as CSV: one row per metric, the difference last.
  const auto [csvCode, csv] = simulate({"--from", today, "--to", tomorrow, "--format", "csv"});
  ASSERT_EQ(csvCode, 0) << csv;
  EXPECT_EQ(csv.rfind("metric,actual,simulated,difference\n", 0), 0u) << csv;
  EXPECT_NE(csv.find("\nrevenue.duty,10.00,4.00,-6.00\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\ncategory.4,1,1,0\n"), std::string::npos) << csv;

  // A period that ends before today holds none of them.
  const auto [emptyCode, empty] = simulate({"--from", "2026-01-01", "--to", today});
  ASSERT_EQ(emptyCode, 0) << empty;
  EXPECT_EQ(parse(empty)->getObject("actual")->getValue<int>("cases"), 0);
}

TEST_F(Simulate, AnInvalidStudyNamesTheFileAndThePath) {
  const std::string alt = dir_.file("alt.yaml");
  writeFile(alt, "changes: {jurisdiction: {duty_threshold: 150}}\ncost: {per_case: \"x\"}\ncolection_model: vendor\n");
  const auto [code, out] = runSwhub({"simulate", "--config", exampleConfig(), "--journal", journal(), "--thresholds", alt,
                                     "--from", "2026-12-01", "--to", "2027-01-01"});
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("colection_model: unknown key 'colection_model'"), std::string::npos) << out;
  EXPECT_NE(out.find("did you mean 'collection_model'?"), std::string::npos) << out;

  // The schema is the plugin's own: a changed key the plugin refuses is named where it is.
  writeFile(alt, "changes: {jurisdiction: {duty_threshold: 150}}\n");
  const auto [code2, out2] = runSwhub({"simulate", "--config", exampleConfig(), "--journal", journal(), "--thresholds",
                                       alt, "--from", "2026-12-01", "--to", "2027-01-01"});
  EXPECT_EQ(code2, 1) << out2;
  EXPECT_NE(out2.find("jurisdiction.duty_threshold"), std::string::npos) << out2;

  const auto [code3, out3] = runSwhub({"simulate", "--config", exampleConfig(), "--journal", journal(), "--thresholds",
                                       std::string(SWHUB_SOURCE_ROOT) + "/config/studies/pt-relief-150.yaml",
                                       "--from", "December", "--to", "2027-01-01"});
  EXPECT_EQ(code3, 1) << out3;
  EXPECT_NE(out3.find("--from 'December': expected a day YYYY-MM-DD"), std::string::npos) << out3;
  // A day that does not exist is refused the same way, not compared as text.
  const auto [code4, out4] = runSwhub({"simulate", "--config", exampleConfig(), "--journal", journal(), "--thresholds",
                                       std::string(SWHUB_SOURCE_ROOT) + "/config/studies/pt-relief-150.yaml",
                                       "--from", "2026-12-01", "--to", "2026-13-45"});
  EXPECT_EQ(code4, 1) << out4;
  EXPECT_NE(out4.find("--to '2026-13-45': expected a day YYYY-MM-DD"), std::string::npos) << out4;
}

}  // namespace
}  // namespace swhub::testing
