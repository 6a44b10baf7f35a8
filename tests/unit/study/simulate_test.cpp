// The study file of `swhub simulate`: how its changes merge into the agency's revenue settings,
// where its paths are resolved, and the errors it names.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/config.hpp"
#include "study/simulate.hpp"
#include "temp_dir.hpp"

namespace swhub::study {
namespace {

using swhub::testing::TempDir;

sdk::Value yaml(const std::string& text) { return config::parseYamlString(text); }

std::string write(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.file(name);
  std::ofstream(path) << text;
  return path;
}

TEST(study_merge, MapsMergeKeyByKeyAndEverythingElseIsReplaced) {
  const auto base = yaml(
      "jurisdiction: {id: PT, currency: EUR, duty_threshold: [{amount: '150', until: '2026-07-01'}], charges: [{name: x}]}\n"
      "tariff: {default: '0'}\n");
  const auto changes = yaml("jurisdiction: {duty_threshold: [{amount: '150'}], charges: [], tax_name: vat}\n");
  const auto out = merged(base, changes);
  const auto* j = out.find("jurisdiction");
  ASSERT_NE(j, nullptr);
  EXPECT_EQ(j->find("id")->asString(), "PT");  // kept
  ASSERT_EQ(j->find("duty_threshold")->items().size(), 1u);
  EXPECT_EQ(j->find("duty_threshold")->items()[0].find("until"), nullptr);  // the list replaced whole
  EXPECT_TRUE(j->find("charges")->items().empty());
  EXPECT_EQ(j->find("tax_name")->asString(), "vat");  // added
  EXPECT_EQ(out.find("tariff")->find("default")->asString(), "0");
  // Key order stays the base's, new keys after.
  EXPECT_EQ(j->entries().front().first, "id");
  EXPECT_EQ(j->entries().back().first, "tax_name");
}

TEST(study_file, AJurisdictionFileIsRelativeToTheStudyFile) {
  TempDir dir;
  std::filesystem::create_directories(dir.file("studies"));
  const auto path = write(dir, "studies/alt.yaml",
                          "revenue: {jurisdiction_file: ../rules/x.yaml}\ncollection_model: vendor\n"
                          "cost: {per_case: '4.5'}\nagency: border-customs\n");
  const Alternative alt = loadAlternative(path);
  ASSERT_TRUE(alt.revenue.has_value());
  EXPECT_EQ(alt.revenue->find("jurisdiction_file")->asString(), dir.file("rules/x.yaml"));
  EXPECT_EQ(alt.collectionModel, sdk::CollectionModel::Vendor);
  EXPECT_EQ(alt.costPerCase.toString(), "4.50");
  EXPECT_EQ(alt.agency, "border-customs");
  EXPECT_FALSE(alt.changes.has_value());
}

TEST(study_file, EveryErrorIsNamedWithItsPath) {
  TempDir dir;
  auto errorsOf = [&](const std::string& text) {
    try {
      loadAlternative(write(dir, "alt.yaml", text));
    } catch (const config::ConfigError& e) {
      return e.errors();
    }
    return sdk::Errors{};
  };
  EXPECT_EQ(errorsOf("cost: {per_case: '-1'}\n"),
            (sdk::Errors{{"cost.per_case", "'-1' is not an amount (a decimal, at least 0)"}}));
  EXPECT_EQ(errorsOf("collection_model: consumers\n"),
            (sdk::Errors{{"collection_model", "'consumers' is not one of: vendor, intermediary, consumer, account; "
                                              "did you mean 'consumer'?"}}));
  EXPECT_EQ(errorsOf("changes: [1]\n").size(), 1u);
}

}  // namespace
}  // namespace swhub::study
