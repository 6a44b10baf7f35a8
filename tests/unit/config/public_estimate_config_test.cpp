// hub.public_estimate: defaults, the example's settings and nomenclature, and every error with its
// path (the nomenclature file's inside it, named as written).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "config/config.hpp"
#include "minimal_config.hpp"

namespace swhub::config {
namespace {

namespace fs = std::filesystem;
using sdk::Errors;

using test::kMinimal;

// A scratch folder for the config file and the nomenclature beside it.
class Folder {
 public:
  Folder() : path_(fs::temp_directory_path() / ("swhub_public_estimate_test_" + std::to_string(::getpid()))) {
    fs::create_directories(path_);
  }
  ~Folder() { fs::remove_all(path_); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return (path_ / name).string();
  }

 private:
  fs::path path_;
};

std::string withEstimate(const std::string& block) {
  std::string yaml = kMinimal;
  const std::string at = "  journal: sqlite:var/j.db\n";
  return yaml.replace(yaml.find(at), at.size(), at + block);
}

Errors errorsOf(const std::string& yaml, const std::string& source) {
  try {
    buildConfig(parseYamlString(yaml), source);
  } catch (const ConfigError& e) {
    return e.errors();
  }
  return {};
}

TEST(config_public_estimate, IsOffByDefault) {
  const HubConfig c = buildConfig(parseYamlString(kMinimal), "/etc/swhub/hub.yaml");
  EXPECT_FALSE(c.public_estimate.enabled);
  EXPECT_EQ(c.public_estimate.per_minute, 30);
  EXPECT_EQ(c.public_estimate.burst, 10);
  EXPECT_EQ(c.public_estimate.max_in_progress, 2);
  EXPECT_TRUE(c.public_estimate.destinations.empty());
  EXPECT_TRUE(c.public_estimate.headings.empty());
}

TEST(config_public_estimate, TheExampleEstimatesForPortugalWithItsNomenclature) {
  const fs::path example = fs::path(SWHUB_SOURCE_ROOT) / "config" / "hub.yaml";
  const HubConfig c = loadConfig(example.string());
  EXPECT_TRUE(c.public_estimate.enabled);
  EXPECT_EQ(c.public_estimate.destinations, (std::vector<std::string>{"PT"}));
  EXPECT_EQ(c.public_estimate.nomenclature, (example.parent_path() / "tariff" / "hs-headings.yaml").lexically_normal().string());
  EXPECT_GE(c.public_estimate.headings.size(), 100u);
}

TEST(config_public_estimate, ReadsItsSettingsAndTheNomenclatureBesideTheFile) {
  Folder folder;
  folder.write("words.yaml", "headings:\n  - {hs: \"851830\", description: headphones, keywords: [headphones]}\n");
  const std::string source = folder.write("hub.yaml", "");
  const HubConfig c = buildConfig(
      parseYamlString(withEstimate("  public_estimate: {enabled: true, per_minute: 6, burst: 1, max_in_progress: 4, "
                                   "destinations: [PT, ES], nomenclature: words.yaml}\n")),
      source);
  EXPECT_TRUE(c.public_estimate.enabled);
  EXPECT_EQ(c.public_estimate.per_minute, 6);
  EXPECT_EQ(c.public_estimate.burst, 1);
  EXPECT_EQ(c.public_estimate.max_in_progress, 4);
  EXPECT_EQ(c.public_estimate.destinations, (std::vector<std::string>{"PT", "ES"}));
  ASSERT_EQ(c.public_estimate.headings.size(), 1u);
  EXPECT_EQ(c.public_estimate.headings[0].keywords, (std::vector<std::string>{"headphones"}));
}

TEST(config_public_estimate, EveryErrorIsNamed) {
  Folder folder;
  folder.write("bad.yaml", "headings:\n  - {hs: \"8518\", description: short, keywords: [audio]}\n");
  const std::string source = folder.write("hub.yaml", "");
  EXPECT_EQ(errorsOf(withEstimate("  public_estimate: {enabled: yes-please, per_minute: 0, burts: 3, destinations: [pt]}\n"),
                     source),
            (Errors{{"hub.public_estimate.enabled", "expected boolean, got string"},
                    {"hub.public_estimate.per_minute", "0 is out of range [1, 600000]"},
                    {"hub.public_estimate.burts",
                     "unknown key 'burts'; allowed keys: burst, destinations, enabled, max_in_progress, nomenclature, "
                     "per_minute; did you mean 'burst'?"}}));
  EXPECT_EQ(errorsOf(withEstimate("  public_estimate: {destinations: [pt, PRT], nomenclature: bad.yaml}\n"), source),
            (Errors{{"hub.public_estimate.destinations[0]", "'pt' is not an ISO 3166-1 alpha-2 country code"},
                    {"hub.public_estimate.destinations[1]", "'PRT' is not an ISO 3166-1 alpha-2 country code"},
                    {"hub.public_estimate.nomenclature(bad.yaml).headings[0].hs",
                     "'8518' is not an HS code: 6 to 10 digits expected"}}));
  const Errors missing = errorsOf(withEstimate("  public_estimate: {nomenclature: none.yaml}\n"), source);
  ASSERT_EQ(missing.size(), 1u);
  EXPECT_EQ(missing[0].path, "hub.public_estimate.nomenclature");
  EXPECT_EQ(missing[0].message, (fs::path(source).parent_path() / "none.yaml").string() +
                                    ": cannot read: No such file or directory");
}

}  // namespace
}  // namespace swhub::config
