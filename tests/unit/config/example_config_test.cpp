// config/hub.yaml is the quick start's deployment: it must load, and a broken copy of it must
// report every error at once.
#include <gtest/gtest.h>

#include <tuple>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "config/config.hpp"

namespace swhub::config {
namespace {

namespace fs = std::filesystem;
using sdk::Errors;

const fs::path kExample = fs::path(SWHUB_SOURCE_ROOT) / "config" / "hub.yaml";

std::string readExample() {
  std::ifstream in(kExample);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A scratch copy of the example, removed when the test ends.
class TempFile {
 public:
  explicit TempFile(const std::string& text)
      : path_(fs::temp_directory_path() /
              ("swhub_example_config_test_" + std::to_string(::getpid()) + ".yaml")) {
    std::ofstream(path_) << text;
  }
  ~TempFile() { fs::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

const Credentials& credentialsOf(const HubConfig& c, const std::string& id) {
  for (const auto& p : c.partners) if (p.id == id) return p.credentials;
  for (const auto& a : c.agencies) if (a.id == id) return a.credentials;
  for (const auto& a : c.admins) if (a.id == id) return a.credentials;
  throw std::runtime_error("no identity " + id);
}

TEST(config_example, LoadsWithoutError) {
  const HubConfig c = loadConfig(kExample.string());
  EXPECT_EQ(c.listen, "127.0.0.1:8080");
  EXPECT_EQ(c.journal, "sqlite:" + (kExample.parent_path() / "var/swhub-journal.db").lexically_normal().string());
  std::vector<std::string> names;
  for (const auto& p : c.plugins) {
    names.push_back(p.name);
    EXPECT_EQ(p.library, "swhub_" + p.name + ".so");
  }
  // `canonical` is built into the hub (issue 11): the example names no library for it.
  EXPECT_EQ(names, (std::vector<std::string>{"upu_post", "express_manifest", "marketplace", "wco_dec",
                                             "payment", "rules", "customs", "http_webhook"}));
  EXPECT_EQ(c.routes.items().size(), 4u);
}

TEST(config_example, HasTheDemoPartnersWithTheirTokens) {
  const HubConfig c = loadConfig(kExample.string());
  // One partner of each kind, each with its own format's plugin.
  const std::vector<std::tuple<std::string, std::string, std::string>> expected = {
      {"demo-post", "postal", "upu_post"},         {"demo-express", "express", "express_manifest"},
      {"demo-market", "marketplace", "marketplace"}, {"demo-broker", "broker", "wco_dec"},
      {"demo-pay", "payment", "payment"},           {"demo-shop", "other", "canonical"}};
  ASSERT_EQ(c.partners.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto& [id, kind, plugin] = expected[i];
    EXPECT_EQ(c.partners[i].id, id);
    EXPECT_EQ(c.partners[i].kind, kind);
    EXPECT_EQ(c.partners[i].plugin, plugin);
    EXPECT_EQ(c.partners[i].credentials.tokens, std::vector<std::string>{id + "-token"});
  }
}

TEST(config_example, HasCustomsAndTwoOgasAndAnAdminWithDemoTokens) {
  const HubConfig c = loadConfig(kExample.string());
  ASSERT_EQ(c.agencies.size(), 3u);
  // Customs decides in process (its own plugin), food safety by rules; product safety is an
  // external system.
  const std::map<std::string, std::string> plugins = {{"customs", "customs"}, {"food-safety", "rules"}, {"product-safety", ""}};
  for (const auto& a : c.agencies) EXPECT_EQ(a.plugin, plugins.at(a.id)) << a.id;
  for (const std::string id : {"customs", "food-safety", "product-safety", "admin"}) {
    EXPECT_EQ(credentialsOf(c, id).tokens, std::vector<std::string>{"demo-" + id + "-token"});
  }
}

TEST(config_example, BrokenCopyReportsEveryErrorInOrder) {
  std::string yaml = readExample();
  for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"  listen:", "  lisen:"},
           {"plugin: upu_post", "plugin: upu_pst"},  // demo-post
           {"kind: express", "kind: expres"},
           {"tokens: [demo-pay-token]", "tokens: [demo-post-token]"},
           {"require: [food-safety]", "require: [food-safty]"}}) {
    const auto at = yaml.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    yaml.replace(at, from.size(), to);
  }
  const TempFile file(yaml);
  try {
    loadConfig(file.path());
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.errors(),
              (Errors{{"hub.lisen", "unknown key 'lisen'; allowed keys: accounts, assessment, delivery, documents, http, journal, journal_wal_limit_mb, listen, "
                                    "max_body_bytes, max_queued, plugin_dir, public_estimate, receipts, returns, threads, tls; did you "
                                    "mean 'listen'?"},
                      {"hub.listen", "required key missing: HOST:PORT to serve HTTP(S) on (port 0 "
                                     "= any free port)"},
                      {"partners.demo-post.plugin",
                       "unknown plugin 'upu_pst'; defined: canonical, customs, express_manifest, http_webhook, "
                       "marketplace, payment, rules, upu_post, wco_dec; did you mean 'upu_post'?"},
                      {"partners.demo-express.kind",
                       "'expres' is not one of: postal, express, marketplace, broker, payment, "
                       "other; did you mean 'express'?"},
                      {"routes[1].require[0]",
                       "unknown agency 'food-safty'; defined: customs, food-safety, "
                       "product-safety; did you mean 'food-safety'?"},
                      {"partners.demo-pay.credentials.tokens[0]",
                       "token already used by partner 'demo-post'"}}));
  }
}

TEST(config_example, SyntaxErrorInACopyNamesTheLine) {
  std::string yaml = readExample();
  const auto at = yaml.find("tokens: [demo-market-token]");
  ASSERT_NE(at, std::string::npos);
  yaml.replace(at, 27, "tokens: [demo-market-token");
  const int line = static_cast<int>(std::count(yaml.begin(), yaml.begin() + at, '\n')) + 1;
  const TempFile file(yaml);
  try {
    loadConfig(file.path());
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    ASSERT_EQ(e.errors().size(), 1u);
    EXPECT_TRUE(e.errors()[0].path.starts_with(file.path() + ":")) << e.errors()[0].path;
    EXPECT_EQ(e.errors()[0].message, "end of sequence flow not found");
    // yaml-cpp notices the unclosed flow list on a line at or after the one that opened it.
    const int reported = std::stoi(e.errors()[0].path.substr(file.path().size() + 1));
    EXPECT_GE(reported, line);
  }
}

}  // namespace
}  // namespace swhub::config
