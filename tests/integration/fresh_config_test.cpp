// The example deployment with nothing beside it (issue 8): config/ copied alone into an empty
// folder, unedited, runs as a fresh clone's quick start runs it. The official DMS XSDs are not
// part of the repository, so DMS filings are off there, said plainly, and everything else works.
// A reference from config/ to anything outside it (the shared corpus) fails these tests.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <string>

#include "scoped_env.hpp"
#include "corpus.hpp"
#include "hub_process.hpp"
#include "test_json.hpp"

namespace swhub::testing {
namespace {

namespace fs = std::filesystem;
using Poco::JSON::Object;

constexpr const char* kVariable = "SWHUB_WCO_DEC_SCHEMA_DIR";
constexpr const char* kDmsType = "application/vnd.wco.dms.dec+xml";

// The schema-folder variable, set or unset for one test.
struct ScopedVariable : swhub::testing::ScopedEnv {
  explicit ScopedVariable(const std::optional<std::string>& value) : ScopedEnv(kVariable, value) {}
};

class FreshConfig : public ::testing::Test {
 protected:
  // config/ as git has it: what a checkout may hold besides (ignored by git) stays behind.
  void SetUp() override {
    const fs::path source = fs::path(SWHUB_SOURCE_ROOT) / "config";
    for (const auto& entry : fs::recursive_directory_iterator(source)) {
      const fs::path relative = fs::relative(entry.path(), source);
      const std::string top = relative.begin()->string();
      if (top == "var" || top == "dms-schemas") continue;
      if (entry.is_directory()) {
        fs::create_directories(config_ / relative);
      } else {
        fs::create_directories((config_ / relative).parent_path());
        fs::copy_file(entry.path(), config_ / relative);
      }
    }
  }

  std::string hubYaml() const { return (config_ / "hub.yaml").string(); }

  void startHub() {
    hub_.emplace(std::vector<std::string>{"serve", "--config", hubYaml(), "--listen", "127.0.0.1:0", "--journal",
                                          "sqlite:" + dir_.file("journal.db")});
  }

  HttpResponse file(const std::string& token, const std::string& body, const std::string& contentType) {
    return request(hub_->address(), "POST", "/v1/messages", body,
                   {{"Authorization", "Bearer " + token}, {"Content-Type", contentType}});
  }

  std::int64_t journaledMessages() {
    const auto r = request(hub_->address(), "GET", "/v1/admin/stats", "", {{"Authorization", "Bearer demo-admin-token"}});
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? parse(r.body)->getValue<std::int64_t>("messages") : -1;
  }

  TempDir dir_;
  fs::path config_ = dir_.path() / "config";
  std::optional<HubProcess> hub_;
};

TEST_F(FreshConfig, ChecksRunsAndFilesWithDmsFilingsOffAndSaysWhy) {
  ScopedVariable unset(std::nullopt);
  const std::string folder = (config_ / "dms-schemas").string();
  const std::string off = "partners.demo-broker: DMS filings are off: the schema folder 'dms-schemas' (" + folder +
                          ") does not exist; install HMRC's DMS XSDs there or point SWHUB_WCO_DEC_SCHEMA_DIR at them";

  const auto [checkCode, checkOut] = runSwhub({"check-config", hubYaml()});
  EXPECT_EQ(checkCode, 0) << checkOut;
  EXPECT_NE(checkOut.find(hubYaml() + ": OK ("), std::string::npos) << checkOut;
  EXPECT_NE(checkOut.find("  notice: " + off), std::string::npos) << checkOut;

  const auto [pluginsCode, pluginsOut] = runSwhub({"plugins", "--config", hubYaml()});
  EXPECT_EQ(pluginsCode, 0) << pluginsOut;
  EXPECT_NE(pluginsOut.find("  demo-broker (wco_dec): DMS filings are off: the schema folder 'dms-schemas' (" + folder +
                            ") does not exist"),
            std::string::npos)
      << pluginsOut;
  EXPECT_NE(pluginsOut.find("  demo-post (upu_post): available"), std::string::npos) << pluginsOut;

  startHub();
  // The README's first request.
  const auto first = file("demo-post-token", readFile(config_ / "examples" / "first-filing.json"),
                          "application/vnd.swhub.consignment+json");
  EXPECT_EQ(first.status, 202) << first.body;
  ASSERT_EQ(journaledMessages(), 1);

  // A DMS declaration: never parsed, so any body shows it.
  const auto dms = file("demo-broker-token",
                        R"(<md:MetaData xmlns:md="urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"/>)", kDmsType);
  EXPECT_EQ(dms.status, 503) << dms.body;
  EXPECT_EQ(dms.headers.count("Retry-After"), 0u) << "it lasts until an operator installs the XSDs";
  EXPECT_EQ(dms.headers.at("Content-Type").rfind("application/problem+json", 0), 0u) << dms.headers.at("Content-Type");
  const auto problem = parse(dms.body);
  EXPECT_NE(problem->getValue<std::string>("type").find("format-unavailable"), std::string::npos) << dms.body;
  auto errors = problem->getArray("errors");
  ASSERT_TRUE(errors && errors->size() == 1) << dms.body;
  EXPECT_EQ(errors->getObject(0)->getValue<std::string>("path"), "Content-Type");
  EXPECT_NE(errors->getObject(0)->getValue<std::string>("message").find("'dms-schemas' (" + folder + ") does not exist"),
            std::string::npos)
      << dms.body;
  EXPECT_EQ(journaledMessages(), 1) << "a refused DMS filing is not journaled";

  // The broker's canonical forms still work.
  const auto canonical = file("demo-broker-token", exampleFiling("LRN-BROKER-CANONICAL-1"),
                              "application/vnd.swhub.consignment+json");
  EXPECT_EQ(canonical.status, 202) << canonical.body;

  EXPECT_EQ(hub_->terminate(), 0);
  EXPECT_NE(hub_->output().find("  notice: " + off), std::string::npos) << hub_->output();
}

// A message above the spool threshold (1 MiB) takes the streamed path: it is refused the same way.
TEST_F(FreshConfig, ALargeDmsFilingIsRefusedTheSameWay) {
  ScopedVariable unset(std::nullopt);
  std::string yaml = readFile(hubYaml());
  const std::string plugin = "    plugin: wco_dec\n";
  ASSERT_NE(yaml.find(plugin), std::string::npos);
  yaml.replace(yaml.find(plugin), plugin.size(), plugin + "    max_body_bytes: 4194304\n");
  writeFile(hubYaml(), yaml);
  startHub();
  std::string large = R"(<md:MetaData xmlns:md="urn:wco:datamodel:WCO:DocumentMetaData-DMS:2">)";
  large += "<!--" + std::string(1536 * 1024, 'x') + "-->";
  large += "</md:MetaData>";
  const auto dms = file("demo-broker-token", large, kDmsType);
  EXPECT_EQ(dms.status, 503) << dms.body.substr(0, 500);
  EXPECT_NE(dms.body.find("format-unavailable"), std::string::npos) << dms.body.substr(0, 500);
  EXPECT_NE(dms.body.find((config_ / "dms-schemas").string()), std::string::npos) << dms.body.substr(0, 500);
  EXPECT_EQ(journaledMessages(), 0);
}

TEST_F(FreshConfig, TheVariablePointingAtTheCorpusSchemasTurnsDmsFilingsOn) {
  SWHUB_REQUIRE_DMS_CORPUS();
  ScopedVariable variable(dmsSchemas().string());
  const auto [checkCode, checkOut] = runSwhub({"check-config", hubYaml()});
  EXPECT_EQ(checkCode, 0) << checkOut;
  EXPECT_EQ(checkOut.find("notice:"), std::string::npos) << checkOut;

  startHub();
  // A standard declaration (type A): a supplementary one (Y, Z) would need the case it completes.
  const auto filed = file("demo-broker-token", readFile(dmsCorpus() / "declarations" / "TT_IM004a_TT_IM004a.xml"),
                          kDmsType);
  EXPECT_EQ(filed.status, 202) << filed.body;
  EXPECT_NE(filed.body.find("IM04_080721_001"), std::string::npos) << filed.body;
}

}  // namespace
}  // namespace swhub::testing
