// agencies.<id>.licences: the requirements and the registry file (YAML or CSV) that seeds the
// agency's licences, read and checked with the rest of hub.yaml; exact error texts.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/config.hpp"
#include "temp_dir.hpp"

namespace swhub::sdk {
inline void PrintTo(const Error& e, std::ostream* os) { *os << "{\"" << e.path << "\", \"" << e.message << "\"}"; }
}  // namespace swhub::sdk

namespace swhub::config {
namespace {

using swhub::testing::TempDir;

std::string hubYaml(const std::string& licences) {
  return R"(
hub:
  listen: 127.0.0.1:8080
  journal: sqlite:var/j.db
plugins:
  canonical: {library: swhub_canonical.so}
partners:
  p1: {kind: postal, plugin: canonical, credentials: {tokens: [t1]}}
agencies:
  veterinary:
    credentials: {tokens: [t2]}
    licences:
)" + licences + R"(
routes:
  - {name: all, require: [veterinary]}
)";
}

const std::string kRequire = R"(      require:
        - {name: veterinary-certificate, hs_prefix: ["0201", "0202"], document_types: [C640]})";

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

sdk::Errors errorsOf(const TempDir& dir, const std::string& licences) {
  write(dir.file("hub.yaml"), hubYaml(licences));
  try {
    loadConfig(dir.file("hub.yaml"));
  } catch (const ConfigError& e) {
    return e.errors();
  }
  return {};
}

TEST(config_licences, ReadsTheRequirementsAndACsvRegistry) {
  TempDir dir;
  write(dir.file("vet.csv"),
        "# the veterinary service's certificates\n"
        "id,type,holder,valid_from,valid_to,quantity\n"
        "VET-1,C640,PT-IMP-1,2026-01-01,2026-12-31,1\n"
        "\"VET-2\",C640,\"PT-IMP-2\",2026-02-01,2027-01-31,12.5\n");
  write(dir.file("hub.yaml"), hubYaml("      registry: vet.csv\n" + kRequire));
  const HubConfig config = loadConfig(dir.file("hub.yaml"));
  ASSERT_TRUE(config.agencies[0].licences);
  const LicenceRules& rules = *config.agencies[0].licences;
  EXPECT_EQ(rules.registry, dir.file("vet.csv"));
  ASSERT_EQ(rules.require.size(), 1u);
  EXPECT_EQ(rules.require[0].name, "veterinary-certificate");
  EXPECT_EQ(rules.require[0].hs_prefixes, (std::vector<std::string>{"0201", "0202"}));
  EXPECT_EQ(rules.require[0].document_types, (std::vector<std::string>{"C640"}));
  ASSERT_EQ(rules.entries.size(), 2u);
  EXPECT_EQ(rules.entries[1].id, "VET-2");
  EXPECT_EQ(rules.entries[1].holder, "PT-IMP-2");
  EXPECT_EQ(rules.entries[1].valid_to, "2027-01-31");
  EXPECT_EQ(rules.entries[1].quantity.toString(), "12.50");
}

TEST(config_licences, ReadsAYamlRegistry) {
  TempDir dir;
  write(dir.file("vet.yaml"), R"(licences:
  - {id: VET-1, type: C640, holder: PT-IMP-1, valid_from: 2026-01-01, valid_to: 2026-12-31, quantity: 3}
)");
  write(dir.file("hub.yaml"), hubYaml("      registry: vet.yaml\n" + kRequire));
  const HubConfig config = loadConfig(dir.file("hub.yaml"));
  ASSERT_EQ(config.agencies[0].licences->entries.size(), 1u);
  EXPECT_EQ(config.agencies[0].licences->entries[0].quantity.toString(), "3.00");
  EXPECT_EQ(config.agencies[0].licences->entries[0].valid_from, "2026-01-01");
}

TEST(config_licences, EveryRegistryErrorWithItsFileAndLine) {
  TempDir dir;
  write(dir.file("vet.csv"),
        "id,type,holder,valid_from,valid_to,quantity\n"
        "VET-1,C640,PT-IMP-1,2026-01-01,2026-12-31,1\n"
        "VET-2,C640,,2026-02-30,2026-12-31,0\n"
        "VET-3,C640,PT-IMP-1,2026-06-01,2026-05-31,1\n"
        "VET-4,C640\n"
        "VET-1,C640,PT-IMP-1,2026-01-01,2026-12-31,1\n");
  const sdk::Errors errors = errorsOf(dir, "      registry: vet.csv\n" + kRequire);
  const std::string at = "agencies.veterinary.licences.registry";
  EXPECT_EQ(errors, (sdk::Errors{
                        {at, "vet.csv line 3: holder missing"},
                        {at, "vet.csv line 3: valid_from '2026-02-30' is not a date (YYYY-MM-DD)"},
                        {at, "vet.csv line 3: quantity '0' is not a decimal above 0 (at most 4 fraction digits)"},
                        {at, "vet.csv line 4: valid_to 2026-05-31 is before valid_from 2026-06-01"},
                        {at, "vet.csv line 5: 2 fields, the header has 6"},
                        {at, "vet.csv: licence 'VET-1' is listed twice"},
                    }));
}

TEST(config_licences, AMissingOrUnknownRegistryAndABadRequirement) {
  TempDir dir;
  write(dir.file("vet.txt"), "x");
  EXPECT_EQ(errorsOf(dir, "      registry: nowhere.csv\n" + kRequire),
            (sdk::Errors{{"agencies.veterinary.licences.registry", "file not found: " + dir.file("nowhere.csv")}}));
  EXPECT_EQ(errorsOf(dir, "      registry: vet.txt\n" + kRequire),
            (sdk::Errors{{"agencies.veterinary.licences.registry",
                          "'" + dir.file("vet.txt") + "' is neither .csv nor .yaml/.yml"}}));
  EXPECT_EQ(errorsOf(dir, R"(      require:
        - {name: vet, hs_prefix: ["02x"], document_types: [C640]}
        - {name: vet, hs_prefix: ["0202"], document_types: [C640]})"),
            (sdk::Errors{{"agencies.veterinary.licences.require[0].hs_prefix[0]",
                          "'02x' is not an HS prefix: 2 to 10 digits expected"},
                         {"agencies.veterinary.licences.require[1].name",
                          "requirement name 'vet' is already used by require[0]"}}));
}

TEST(config_licences, TheExampleRegistryReads) {
  sdk::Errors errors;
  const auto entries = readLicenceRegistry(std::string(SWHUB_SOURCE_ROOT) + "/config/licences/veterinary.csv",
                                           "agencies.food-safety.licences.registry", errors);
  EXPECT_TRUE(errors.empty()) << sdk::formatErrors(errors);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].id, "VET-2026-0001");
  EXPECT_EQ(entries[0].quantity.toString(), "250.00");
}

}  // namespace
}  // namespace swhub::config
