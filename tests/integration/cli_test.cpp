// The swhub command: check-config, plugins, and the example config from an installed tree.
#include <gtest/gtest.h>

#include <filesystem>

#include "hub_process.hpp"

namespace swhub::testing {
namespace {

TEST(Cli, CheckConfigAcceptsTheExample) {
  const auto [code, out] = runSwhub({"check-config", exampleConfig()});
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find(": OK ("), std::string::npos) << out;
}

// `swhub COMMAND --help` prints that command's usage and exits 0, never "missing --config FILE".
TEST(Cli, EveryCommandHasItsOwnHelp) {
  for (const std::string command : {"serve", "check-config", "plugins", "trace", "replay", "audit", "version"}) {
    for (const std::string flag : {"--help", "-h"}) {
      const auto [code, out] = runSwhub({command, flag});
      EXPECT_EQ(code, 0) << command << " " << flag << ": " << out;
      EXPECT_EQ(out.rfind("usage: swhub " + command, 0), 0u) << command << " " << flag << ": " << out;
      EXPECT_EQ(out.find("missing"), std::string::npos) << command << " " << flag << ": " << out;
    }
  }
  const auto [code, out] = runSwhub({"--help"});
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("swhub serve --config FILE"), std::string::npos) << out;
  const auto [unknownCode, unknownOut] = runSwhub({"serv"});
  EXPECT_EQ(unknownCode, 2) << unknownOut;
  EXPECT_NE(unknownOut.find("unknown command 'serv'"), std::string::npos) << unknownOut;
}

TEST(Cli, CheckConfigPrintsEveryErrorWithItsPathAndExitsOne) {
  TempDir dir;
  const std::string config = dir.file("hub.yaml");
  writeFile(config, R"(hub:
  lisen: 127.0.0.1:8080
  journal: sqlite:j.db
  threads: 1
plugins:
  canonical: {library: swhub_canonical.so}
partners:
  demo-post:
    kind: postal
    plugin: canonicl
    credentials: {tokens: [t1]}
)");
  const auto [code, out] = runSwhub({"check-config", config});
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("hub.lisen: unknown key 'lisen'"), std::string::npos) << out;
  EXPECT_NE(out.find("did you mean 'listen'?"), std::string::npos) << out;
  EXPECT_NE(out.find("hub.threads: 1 is out of range [2, 4096]"), std::string::npos) << out;
  EXPECT_NE(out.find("partners.demo-post.plugin: unknown plugin 'canonicl'"), std::string::npos) << out;
}

TEST(Cli, CheckConfigReportsABrokenPluginLibrary) {
  TempDir dir;
  const std::string config = dir.file("hub.yaml");
  writeFile(config, std::string(R"(hub:
  listen: 127.0.0.1:0
  journal: sqlite:j.db
  plugin_dir: )") + SWHUB_FIXTURE_DIR + R"(
plugins:
  abi_major: {library: fixture_abi_major.so}
partners:
  demo-post:
    kind: postal
    plugin: abi_major
    credentials: {tokens: [t1]}
)");
  const auto [code, out] = runSwhub({"check-config", config});
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("plugins.abi_major.library: '" + std::string(SWHUB_FIXTURE_DIR) +
                     "/fixture_abi_major.so' was built for SDK ABI 99."),
            std::string::npos)
      << out;
}

TEST(Cli, PluginsListsWhatLoadsWithVersions) {
  const auto [code, out] = runSwhub({"plugins", "--config", exampleConfig()});
  EXPECT_EQ(code, 0) << out;
  // Every in-tree plugin is built against the hub's own SDK version.
  const std::string hubAbi = "hub SDK ABI ";
  const auto at = out.find(hubAbi);
  ASSERT_NE(at, std::string::npos) << out;
  const std::string version = out.substr(at + hubAbi.size(), out.find('\n', at) - at - hubAbi.size());
  EXPECT_NE(out.find("upu_post  partner  1.0.0  ABI " + version + "  "), std::string::npos) << out;
  // The built-in canonical format is listed too, with no library behind it.
  EXPECT_NE(out.find("canonical  partner  1.0.0  ABI " + version + "  (built in)\n"), std::string::npos) << out;
}

// A config written before `canonical` was built in still works: its entry is accepted with a
// notice and nothing is loaded; another library under that name is refused.
TEST(Cli, AnEntryForTheBuiltInCanonicalPluginIsANoticeNotAnError) {
  TempDir dir;
  const std::string config = dir.file("hub.yaml");
  writeFile(config, "hub: {listen: \"127.0.0.1:0\", journal: \"sqlite:j.db\"}\nplugins:\n"
                     "  canonical: {library: swhub_canonical.so}\npartners:\n"
                     "  p1: {kind: postal, plugin: canonical, credentials: {tokens: [t1]}}\n");
  auto [code, out] = runSwhub({"check-config", config});
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("  notice: plugins.canonical: plugin 'canonical' is built into the hub: swhub_canonical.so is "
                     "not loaded and this entry can be removed\n"),
            std::string::npos)
      << out;
  writeFile(config, "hub: {listen: \"127.0.0.1:0\", journal: \"sqlite:j.db\"}\nplugins:\n"
                     "  canonical: {library: /opt/mine/libcanonical.so}\npartners:\n"
                     "  p1: {kind: postal, plugin: canonical, credentials: {tokens: [t1]}}\n");
  std::tie(code, out) = runSwhub({"check-config", config});
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("plugins.canonical.library: plugin 'canonical' is built into the hub; "
                     "'/opt/mine/libcanonical.so' cannot replace it: register your library under another name"),
            std::string::npos)
      << out;
}

// The example config names libraries, not paths: it runs from an installed tree as it is.
TEST(Cli, TheExampleConfigRunsFromAnInstalledTree) {
  TempDir dir;
  const std::string prefix = dir.file("prefix");
  const std::string install = std::string(CMAKE_COMMAND_PATH) + " --install " + SWHUB_BINARY_ROOT + " --prefix " +
                              prefix + " > " + dir.file("install.log") + " 2>&1";
  ASSERT_EQ(std::system(install.c_str()), 0) << readFile(dir.file("install.log"));
  const std::string installed = prefix + "/bin/swhub";
  ASSERT_TRUE(std::filesystem::exists(installed));
  const std::string out = dir.file("plugins.out");
  const std::string run = installed + " plugins --config " + exampleConfig() + " > " + out + " 2>&1";
  ASSERT_EQ(std::system(run.c_str()), 0) << readFile(out);
  EXPECT_NE(readFile(out).find(prefix + "/lib/swhub/plugins/swhub_upu_post.so"), std::string::npos) << readFile(out);
}

}  // namespace
}  // namespace swhub::testing
