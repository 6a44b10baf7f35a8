// wco_dec without the official DMS XSDs (a fresh clone has none): the instance starts with DMS off
// and says why, naming the folder; SWHUB_WCO_DEC_SCHEMA_DIR overrides schema_dir; a folder that is
// there but is not a complete schema folder stops the hub. No corpus needed, except for the last
// test (the variable pointing at real XSDs).

#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "scoped_env.hpp"
#include "corpus.hpp"
#include "plugin_test_support.hpp"
#include "swhub/sdk/plugin.hpp"
#include "temp_dir.hpp"

using namespace swhub::sdk;
using namespace swhub::testing;
namespace fs = std::filesystem;

namespace {

constexpr const char* kVariable = "SWHUB_WCO_DEC_SCHEMA_DIR";

std::string offReason(const std::string& shown) {
  return "DMS filings are off: the schema folder " + shown +
         " does not exist; install HMRC's DMS XSDs there or point SWHUB_WCO_DEC_SCHEMA_DIR at them "
         "(plugins/partners/wco_dec/README.md). Canonical JSON and XML filings still work; DMS responses (RES) "
         "cannot be encoded";
}

// The schema-folder variable, set or unset for one test.
struct ScopedVariable : swhub::testing::ScopedEnv {
  explicit ScopedVariable(const std::optional<std::string>& value) : ScopedEnv(kVariable, value) {}
};

class wcoDecSchemaFolder : public PluginTest {
 protected:
  wcoDecSchemaFolder() : PluginTest("wco_dec") {}

  // Built as the hub builds it, for a config file in `configDir`.
  Result<std::unique_ptr<PartnerPlugin>> make(const std::string& schemaDir, const std::string& configDir = "") {
    Value settings = Value::map();
    settings.set("schema_dir", Value::string(schemaDir));
    return descriptor_->partner_factory(
        InstanceContext{"demo-broker", partnerSettingsPath("demo-broker"), std::move(settings), configDir});
  }

  TempDir dir_;
};

}  // namespace

TEST_F(wcoDecSchemaFolder, DescribesItself) {
  ScopedVariable unset(std::nullopt);
  EXPECT_EQ(descriptor_->abi_major, kAbiMajor);
  EXPECT_EQ(descriptor_->abi_minor, kAbiMinor);
  EXPECT_STREQ(descriptor_->toolchain, kToolchain);
  EXPECT_EQ(descriptor_->kind, PluginKind::Partner);
  EXPECT_STREQ(descriptor_->name, "wco_dec");
  auto plugin = made(make("/nonexistent/wco-dms"));
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->contentTypes(),
            (std::vector<std::string>{"application/vnd.wco.dms.dec+xml", "application/xml", "text/xml"}));
}

TEST_F(wcoDecSchemaFolder, SettingsErrorsCarryDottedPaths) {
  ScopedVariable unset(std::nullopt);
  auto missing = descriptor_->partner_factory(
      InstanceContext{"demo-broker", partnerSettingsPath("demo-broker"), Value::map(), ""});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.errors(), (Errors{{"partners.demo-broker.settings.schema_dir",
                                       "required: the folder of the official DMS XSDs"}}));

  const std::string file = dir_.file("README.md");
  std::ofstream(file) << "not a folder";
  Value settings = Value::map();
  settings.set("schema_dir", Value::string(file));
  settings.set("default_currency", Value::string("XXX"));
  auto notFolder = descriptor_->partner_factory(
      InstanceContext{"demo-broker", partnerSettingsPath("demo-broker"), std::move(settings), ""});
  ASSERT_FALSE(notFolder);
  EXPECT_EQ(notFolder.errors(),
            (Errors{{"partners.demo-broker.settings.schema_dir", "'" + file + "' is not a folder"},
                    {"partners.demo-broker.settings.default_currency", "'XXX' is not an ISO 4217 currency code"}}));

  Value typo = Value::map();
  typo.set("schema_dir", Value::string("dms-schemas"));
  typo.set("max_byte", Value::integer(5));
  const Errors errors = descriptor_->settings_schema().validate(typo, "partners.demo-broker.settings");
  ASSERT_EQ(errors.size(), 1u) << formatErrors(errors);
  EXPECT_EQ(errors[0].path, "partners.demo-broker.settings.max_byte");
}

TEST_F(wcoDecSchemaFolder, WithoutTheFolderTheInstanceStartsWithDmsOffAndSaysWhy) {
  ScopedVariable unset(std::nullopt);
  auto plugin = made(make("/nonexistent/wco-dms"));
  ASSERT_NE(plugin, nullptr);
  const Availability availability = plugin->availability();
  EXPECT_EQ(availability.unavailable_types, plugin->contentTypes());
  EXPECT_EQ(availability.reason, offReason("'/nonexistent/wco-dms'"));

  // A decoder opened anyway (the hub does not open one) yields the reason, and nothing else.
  const auto out = decodeAll(*plugin, MessageContext{"demo-broker", "application/xml", {}, kReceivedAt}, "<x/>");
  EXPECT_EQ(refused(out), (Errors{{"", availability.reason}}));
  // Every response is checked against the RES schema before it leaves: none leaves without it.
  const auto encoded = plugin->encode({Notification{"N-1", "C-1", "LRN-1", "accepted", "accepted", "", kReceivedAt, {}}});
  ASSERT_FALSE(encoded);
  EXPECT_EQ(encoded.errors(), (Errors{{"", availability.reason}}));
}

TEST_F(wcoDecSchemaFolder, ARelativeFolderIsNamedAsWrittenAndAsFound) {
  ScopedVariable unset(std::nullopt);
  auto plugin = made(make("dms-schemas", dir_.path().string()));
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->availability().reason, offReason("'dms-schemas' (" + dir_.file("dms-schemas") + ")"));
}

TEST_F(wcoDecSchemaFolder, TheVariableOverridesTheSetting) {
  ScopedVariable variable(std::string("/elsewhere/dms"));
  auto plugin = made(make("dms-schemas", dir_.path().string()));
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->availability().reason, offReason("'/elsewhere/dms' (SWHUB_WCO_DEC_SCHEMA_DIR)"));
}

TEST_F(wcoDecSchemaFolder, AnEmptyVariableLeavesTheSetting) {
  ScopedVariable empty(std::string(""));
  auto plugin = made(make("/nonexistent/wco-dms"));
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->availability().reason, offReason("'/nonexistent/wco-dms'"));
}

// A folder that is there was meant to be used: an incomplete one stops the hub, every file named.
TEST_F(wcoDecSchemaFolder, AFolderWithoutTheRequiredFilesIsAConfigurationError) {
  ScopedVariable unset(std::nullopt);
  fs::create_directories(dir_.path() / "dms" / "declaration");
  std::ofstream(dir_.path() / "dms" / "declaration" / "WCO_DEC_2_DMS.xsd") << "<xs:schema/>";
  const auto result = make("dms", dir_.path().string());
  ASSERT_FALSE(result);
  const std::string at = "partners.demo-broker.settings.schema_dir";
  const std::string shown = "'dms' (" + dir_.file("dms") + ")";
  EXPECT_EQ(result.errors(), (Errors{{at, shown + " has no declaration/DocumentMetaData_2_DMS.xsd"},
                                     {at, shown + " has no notification/DocumentMetaData_2_DMS.xsd"},
                                     {at, shown + " has no notification/WCO_RES_2_DMS.xsd"}}));
}

TEST_F(wcoDecSchemaFolder, AFileWhereTheFolderShouldBeIsAConfigurationError) {
  const std::string file = dir_.file("schemas.zip");
  std::ofstream(file) << "not a folder";
  ScopedVariable variable(file);
  const auto result = make("/nonexistent/wco-dms");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.errors(), (Errors{{"partners.demo-broker.settings.schema_dir",
                                      "'" + file + "' (SWHUB_WCO_DEC_SCHEMA_DIR) is not a folder"}}));
}

TEST_F(wcoDecSchemaFolder, TheVariablePointingAtTheXsdsTurnsDmsOn) {
  SWHUB_REQUIRE_DMS_CORPUS();
  ScopedVariable variable(dmsSchemas().string());
  auto plugin = made(make("dms-schemas", dir_.path().string()));
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->availability().unavailable_types, std::vector<std::string>{});
  EXPECT_EQ(plugin->availability().reason, "");
  const std::string xml = readFile(dmsCorpus() / "declarations/TT_IM002b_TT_IM002a.xml");
  const auto out = decodeAll(*plugin, MessageContext{"demo-broker", "application/xml", {}, kReceivedAt}, xml);
  ASSERT_EQ(out.size(), 2u);  // an IMZ: its facts, then its filing
  EXPECT_TRUE(std::holds_alternative<DecodedFiling>(out[1]));
}
