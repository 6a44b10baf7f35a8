// `cmake --install` lays the hub out as packagers expect (issue 13, item 3): bin/swhub, every
// plugin the build makes in lib/swhub/plugins, share/swhub/{schemas,config}. The installed hub
// checks and serves the installed example config with nothing of the source or build tree, and
// answers the README's first filing.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "hub_process.hpp"
#include "temp_dir.hpp"

using namespace swhub::testing;
namespace fs = std::filesystem;

namespace {

class Install : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    prefix_ = new TempDir("swhub-install");
    const std::string log = prefix_->file("install.log");
    const std::string command = std::string(CMAKE_COMMAND_PATH) + " --install '" + SWHUB_BINARY_ROOT + "' --prefix '" +
                                (prefix_->path() / "usr").string() + "' > '" + log + "' 2>&1";
    installed_ = std::system(command.c_str()) == 0;
    installLog_ = readFile(log);
  }
  static void TearDownTestSuite() {
    delete prefix_;
    prefix_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(installed_) << installLog_; }

  static fs::path usr() { return prefix_->path() / "usr"; }
  static std::string binary() { return (usr() / "bin/swhub").string(); }
  static std::string config() { return (usr() / "share/swhub/config/hub.yaml").string(); }

  static TempDir* prefix_;
  static bool installed_;
  static std::string installLog_;
};

TempDir* Install::prefix_ = nullptr;
bool Install::installed_ = false;
std::string Install::installLog_;

TEST_F(Install, LaysOutBinPluginsSchemasAndTheExampleConfig) {
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(binary()))) << "bin/swhub is a plain binary";
  // Every plugin and adapter the build makes, and nothing else.
  std::set<std::string> built;
  std::set<std::string> installed;
  for (const auto& entry : fs::directory_iterator(SWHUB_PLUGIN_DIR)) built.insert(entry.path().filename().string());
  for (const auto& entry : fs::directory_iterator(usr() / SWHUB_INSTALL_PLUGIN_DIR)) {
    installed.insert(entry.path().filename().string());
  }
  EXPECT_EQ(installed, built);
  for (const char* file : {"schemas/openapi.yaml", "schemas/canonical/consignment.schema.json",
                           "schemas/canonical/consignment.xsd", "config/hub.yaml", "config/examples/first-filing.json",
                           "config/jurisdictions/pt-eu-2026.yaml"}) {
    EXPECT_TRUE(fs::is_regular_file(usr() / "share/swhub" / file)) << file;
  }
  EXPECT_FALSE(fs::exists(usr() / "share/swhub/config/var")) << "a running hub's files are not installed";
}

TEST_F(Install, TheInstalledHubChecksTheInstalledExampleConfig) {
  const auto [code, out] = runSwhub({"check-config", config()}, std::chrono::seconds(60), binary());
  EXPECT_EQ(code, 0) << out;
  const auto [listed, plugins] = runSwhub({"plugins", "--config", config()}, std::chrono::seconds(60), binary());
  EXPECT_EQ(listed, 0) << plugins;
  EXPECT_NE(plugins.find("plugin folder: " + (usr() / SWHUB_INSTALL_PLUGIN_DIR).string()), std::string::npos)
      << plugins;
}

TEST_F(Install, TheInstalledHubServesTheReadmesFirstFiling) {
  TempDir var("swhub-install-var");
  HubProcess hub({"serve", "--config", config(), "--listen", "127.0.0.1:0", "--journal", "sqlite:" + var.file("journal.db")},
                 binary());
  const auto filed = request(hub.address(), "POST", "/v1/messages",
                             readFile((usr() / "share/swhub/config/examples/first-filing.json").string()),
                             {{"Authorization", "Bearer demo-post-token"},
                              {"Content-Type", "application/vnd.swhub.consignment+json"},
                              {"Idempotency-Key", "first-try-1"}});
  ASSERT_EQ(filed.status, 202) << filed.body << "\n" << hub.output();
  const auto receipt = Poco::JSON::Parser().parse(filed.body).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(receipt->getArray("cases")->getObject(0)->getValue<std::string>("reference"), "LRN-2026-000123");
  const auto openapi = request(hub.address(), "GET", "/v1/openapi.yaml");
  EXPECT_EQ(openapi.body, readFile((usr() / "share/swhub/schemas/openapi.yaml").string()));
  // The receipt key is made beside the journal, not in the installed (read-only) tree.
  EXPECT_TRUE(fs::exists(var.file("receipts.key")));
  EXPECT_EQ(hub.terminate(), 0);
}

}  // namespace
