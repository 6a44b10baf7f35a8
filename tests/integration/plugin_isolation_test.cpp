// isolation: process through a real hub (issue 10, item 3): the faulty fixtures run in supervised
// child processes; a segfault, abort, throw or endless loop costs only the call that met it, the
// hub and every other partner and agency keep serving, the child is restarted, a leaking child is
// recycled, /metrics shows it all, and no child outlives the hub.
#include <gtest/gtest.h>

#include <dirent.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "hub_process.hpp"
#include "test_json.hpp"

namespace swhub::testing {
namespace {

using namespace std::chrono_literals;

// The processes whose parent is `parent`, with their state letter ('Z': a zombie).
std::vector<std::pair<pid_t, char>> childrenOf(pid_t parent) {
  std::vector<std::pair<pid_t, char>> out;
  DIR* proc = opendir("/proc");
  while (dirent* d = readdir(proc)) {
    const pid_t pid = std::atoi(d->d_name);
    if (pid <= 0) continue;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    const auto close = line.rfind(')');
    if (close == std::string::npos || close + 2 > line.size()) continue;
    std::istringstream rest(line.substr(close + 2));
    char state = 0;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent) out.emplace_back(pid, state);
  }
  closedir(proc);
  return out;
}

// Gone, or dead and only waiting for whoever adopted it to reap it (not the hub's zombie: the hub is gone).
bool ended(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = 10000ms) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return condition();
}

class PluginIsolation : public ::testing::Test {
 protected:
  void startHub(const std::string& partnerPluginExtra = "", const std::string& partnerSettings = "{}",
                int partnerTimeoutMs = 3000) {
    const std::string fixtures = SWHUB_FIXTURE_DIR;
    const std::string yaml =
        std::string("hub:\n  listen: \"127.0.0.1:0\"\n  journal: \"sqlite:journal.db\"\n") + "  plugin_dir: " +
        SWHUB_PLUGIN_DIR + "\n" +
        "plugins:\n"
        "  rules: {library: swhub_rules.so}\n"
        "  faulty_partner: {library: " + fixtures + "/fixture_faulty_partner.so, isolation: process, "
        "call_timeout_ms: " + std::to_string(partnerTimeoutMs) + ", processes: 2" + partnerPluginExtra + "}\n"
        "  faulty_agency: {library: " + fixtures + "/fixture_faulty_agency.so, isolation: process, "
        "call_timeout_ms: 3000, processes: 2}\n"
        "partners:\n"
        "  faulty:\n    kind: other\n    plugin: faulty_partner\n    settings: " + partnerSettings + "\n"
        "    credentials: {tokens: [faulty-token]}\n"
        "  healthy:\n    kind: other\n    plugin: canonical\n    credentials: {tokens: [healthy-token]}\n"
        "agencies:\n"
        "  shaky:\n    name: Shaky\n    plugin: faulty_agency\n    credentials: {tokens: [shaky-token]}\n"
        "  steady:\n    name: Steady\n    plugin: rules\n"
        "    settings: {rules: [], default: {decision: clear, reason: \"nothing to see\"}}\n"
        "    credentials: {tokens: [steady-token]}\n"
        "admins:\n  admin:\n    credentials: {tokens: [admin-token]}\n"
        // Only the healthy partner's filings reach the agencies: the faulty partner's fault words
        // would strike the faulty agency too.
        "routes:\n  - name: both-agencies\n    match: {partners: [healthy]}\n    require: [shaky, steady]\n";
    writeFile(dir_.file("hub.yaml"), yaml);
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{"serve", "--config", dir_.file("hub.yaml")});
  }

  HttpResponse fileFaulty(const std::string& lines) {
    return request(hub_->address(), "POST", "/v1/messages", lines,
                   {{"Authorization", "Bearer faulty-token"}, {"Content-Type", "text/x-faulty"}});
  }
  HttpResponse fileHealthy(const std::string& reference) {
    return request(hub_->address(), "POST", "/v1/messages", exampleFiling(reference),
                   {{"Authorization", "Bearer healthy-token"},
                    {"Content-Type", "application/vnd.swhub.consignment+json"}});
  }
  std::string metrics() { return request(hub_->address(), "GET", "/metrics").body; }
  double metric(const std::string& line) {
    const std::string text = metrics();
    const auto at = text.find("\n" + line + " ");
    return at == std::string::npos ? -1 : std::stod(text.substr(at + line.size() + 2));
  }
  std::string outcome(const std::string& caseId, const std::string& agency) {
    const auto r = request(hub_->address(), "GET", "/v1/cases/" + caseId, "", {{"Authorization", "Bearer admin-token"}});
    auto decisions = parse(r.body)->getObject("decisions");
    return decisions && decisions->has(agency) ? decisions->getObject(agency)->getValue<std::string>("outcome") : "";
  }
  bool alive() { return kill(hub_->pid(), 0) == 0 && request(hub_->address(), "GET", "/healthz").status == 200; }

  TempDir dir_;
  std::unique_ptr<HubProcess> hub_;
};

TEST_F(PluginIsolation, ACrashingDecoderCostsOnlyItsFilingWhileAnotherPartnerFilesAndTheChildIsRestarted) {
  startHub();
  const pid_t hubPid = hub_->pid();
  ASSERT_EQ(fileFaulty("OK-1 851830 10\n").status, 202);
  int round = 0;
  for (const std::string fault : {"FAULT-SEGV", "FAULT-ABORT", "FAULT-THROW"}) {
    ++round;
    // The healthy partner files all along, on its own connections.
    std::atomic<int> healthyFailures{0};
    std::thread healthy([&] {
      for (int i = 0; i < 5; ++i) {
        if (fileHealthy("H-" + std::to_string(round) + "-" + std::to_string(i)).status != 202) ++healthyFailures;
      }
    });
    const auto crashed = fileFaulty("OK-" + std::to_string(round) + "0 851830 1\n" + fault + " 851830 1\n");
    healthy.join();
    EXPECT_LT(crashed.status, 500) << crashed.body;
    EXPECT_GE(crashed.status, 400) << crashed.body;
    EXPECT_NE(crashed.body.find("plugin 'faulty_partner' crashed during decode: SIG"), std::string::npos) << crashed.body;
    EXPECT_NE(crashed.body.find("plugins.faulty_partner"), std::string::npos) << crashed.body;
    EXPECT_EQ(healthyFailures.load(), 0) << fault;
    EXPECT_TRUE(alive()) << fault;
    // The next normal filing of the faulty partner is served (by the other child, or a restarted one).
    const auto next = fileFaulty("OK-" + std::to_string(round) + "1 851830 1\n");
    EXPECT_EQ(next.status, 202) << fault << ": " << next.body;
  }
  EXPECT_EQ(metric("swhub_plugin_crashes_total{plugin=\"faulty_partner\"}"), 3);
  EXPECT_TRUE(eventually([&] { return metric("swhub_plugin_restarts_total{plugin=\"faulty_partner\"}") == 3; }));
  EXPECT_TRUE(eventually([&] { return metric("swhub_plugin_children{plugin=\"faulty_partner\"}") == 2; }));
  // Every dead child was reaped; the live ones (two per isolated instance) end with the hub.
  const auto children = childrenOf(hubPid);
  for (const auto& [pid, state] : children) EXPECT_NE(state, 'Z') << "zombie " << pid;
  EXPECT_EQ(children.size(), 4u);
  EXPECT_EQ(hub_->terminate(), 0);
  for (const auto& [pid, state] : children) EXPECT_TRUE(eventually([pid = pid] { return ended(pid); })) << pid;
  // Each crash is logged with the plugin, the child's pid, the signal and the call.
  EXPECT_NE(hub_->output().find("swhub: plugin 'faulty_partner' child "), std::string::npos) << hub_->output();
  EXPECT_NE(hub_->output().find(" crashed during decode: SIGSEGV (child "), std::string::npos) << hub_->output();
}

TEST_F(PluginIsolation, AnEndlessLoopIsKilledAtTheTimeoutAndTheCallerAnsweredThen) {
  startHub("", "{}", 1000);
  const auto start = std::chrono::steady_clock::now();
  const auto looped = fileFaulty("FAULT-LOOP 851830 1\n");
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(looped.status, 500) << looped.body;
  EXPECT_NE(looped.body.find("plugin 'faulty_partner' did not answer in time during decode: no answer within 1000 ms"),
            std::string::npos)
      << looped.body;
  EXPECT_GE(took, 900ms);
  EXPECT_LT(took, 4000ms);
  EXPECT_EQ(fileFaulty("OK-1 851830 1\n").status, 202);
  EXPECT_EQ(metric("swhub_plugin_timeouts_total{plugin=\"faulty_partner\"}"), 1);
  // A hub killed outright takes its children with it (PR_SET_PDEATHSIG).
  ASSERT_TRUE(eventually([&] { return childrenOf(hub_->pid()).size() == 4; }));
  const auto children = childrenOf(hub_->pid());
  hub_->kill();
  for (const auto& [pid, state] : children) EXPECT_TRUE(eventually([pid = pid] { return ended(pid); })) << pid;
}

TEST_F(PluginIsolation, ALeakingChildIsRecycledAndTheHubDoesNotGrow) {
  // Touching 48 MiB may take a while on a loaded machine: the timeout is not what this test is about.
  startHub(", max_rss_mb: 100", "{leak_mb: 48}", 20000);
  ASSERT_EQ(fileFaulty("OK-1 851830 1\n").status, 202);
  const long hubBefore = procStatusKb(hub_->pid(), "VmRSS:");
  for (int i = 0; i < 6; ++i) {
    const auto r = fileFaulty("FAULT-LEAK-" + std::to_string(i) + " 851830 1\n");
    EXPECT_EQ(r.status, 202) << r.body;
  }
  EXPECT_GE(metric("swhub_plugin_recycled_total{plugin=\"faulty_partner\"}"), 1);
  EXPECT_EQ(metric("swhub_plugin_crashes_total{plugin=\"faulty_partner\"}"), 0);
  const long hubAfter = procStatusKb(hub_->pid(), "VmRSS:");
  EXPECT_LT(hubAfter - hubBefore, 32 * 1024) << "the hub's own memory: " << hubBefore << " kB -> " << hubAfter << " kB";
  for (const auto& [pid, state] : childrenOf(hub_->pid())) {
    EXPECT_LT(procStatusKb(pid, "VmRSS:"), 100 * 1024 + 48 * 1024) << pid;
  }
}

TEST_F(PluginIsolation, AnAgencyCrashDoesNotStopTheOtherAgencysAssessments) {
  startHub();
  const auto crashing = fileHealthy("FAULT-SEGV-A1");
  ASSERT_EQ(crashing.status, 202) << crashing.body;
  const auto normal = fileHealthy("NORMAL-A2");
  ASSERT_EQ(normal.status, 202) << normal.body;
  const std::string crashCase = parse(crashing.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
  const std::string normalCase = parse(normal.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
  EXPECT_TRUE(eventually([&] { return outcome(crashCase, "steady") == "clear"; })) << outcome(crashCase, "steady");
  EXPECT_TRUE(eventually([&] { return outcome(normalCase, "steady") == "clear" && outcome(normalCase, "shaky") == "clear"; }));
  EXPECT_NE(outcome(crashCase, "shaky"), "clear");
  EXPECT_TRUE(eventually([&] { return metric("swhub_plugin_crashes_total{plugin=\"faulty_agency\"}") >= 2; }));
  EXPECT_TRUE(alive());
}

// The hub's start-up checks read the same for an isolated plugin: a factory's error with its dotted
// path, and a format switched off as a notice.
TEST(PluginIsolationStart, CheckConfigReportsAnIsolatedFactoryErrorAndAvailabilityAsInProcess) {
  TempDir dir;
  const std::string fixtures = SWHUB_FIXTURE_DIR;
  auto config = [&](const std::string& isolation) {
    return std::string("hub:\n  listen: \"127.0.0.1:0\"\n  journal: \"sqlite:journal.db\"\n") +
           "plugins:\n  throwing: {library: " + fixtures + "/fixture_throwing.so" + isolation + "}\n" +
           "  off: {library: " + fixtures + "/fixture_off.so" + isolation + "}\n" +
           "partners:\n  t:\n    kind: other\n    plugin: throwing\n    credentials: {tokens: [t-token]}\n"
           "  o:\n    kind: other\n    plugin: off\n    credentials: {tokens: [o-token]}\n"
           "admins:\n  admin:\n    credentials: {tokens: [admin-token]}\n";
  };
  writeFile(dir.file("in.yaml"), config(""));
  writeFile(dir.file("isolated.yaml"), config(", isolation: process"));
  const auto [inCode, inOut] = runSwhub({"check-config", dir.file("in.yaml")});
  const auto [isoCode, isoOut] = runSwhub({"check-config", dir.file("isolated.yaml")});
  EXPECT_EQ(inCode, 1) << inOut;
  EXPECT_EQ(isoCode, 1) << isoOut;
  const std::string expected = "partners.t.settings: '" + fixtures +
                               "/fixture_throwing.so': plugin 'throwing' failed to start: cannot open the tariff file";
  EXPECT_NE(inOut.find(expected), std::string::npos) << inOut;
  EXPECT_NE(isoOut.find(expected), std::string::npos) << isoOut;
  // Without the throwing partner both start, and the switched-off format is a notice either way.
  auto withoutThrowing = [](std::string yaml) {
    const auto at = yaml.find("  t:\n");
    return yaml.erase(at, yaml.find("  o:\n") - at);
  };
  writeFile(dir.file("in.yaml"), withoutThrowing(config("")));
  writeFile(dir.file("isolated.yaml"), withoutThrowing(config(", isolation: process")));
  const auto [okIn, okInOut] = runSwhub({"check-config", dir.file("in.yaml")});
  const auto [okIso, okIsoOut] = runSwhub({"check-config", dir.file("isolated.yaml")});
  EXPECT_EQ(okIn, 0) << okInOut;
  EXPECT_EQ(okIso, 0) << okIsoOut;
  EXPECT_NE(okIsoOut.find("  notice: partners.o: echo is off: no echo chamber installed"), std::string::npos) << okIsoOut;
  EXPECT_EQ(okInOut.substr(okInOut.find("notice")), okIsoOut.substr(okIsoOut.find("notice")));
  // `swhub plugin-host` is not in the main usage but has its own help.
  EXPECT_EQ(runSwhub({"--help"}).second.find("plugin-host"), std::string::npos);
  const auto [helpCode, help] = runSwhub({"plugin-host", "--help"});
  EXPECT_EQ(helpCode, 0);
  EXPECT_NE(help.find("usage: swhub plugin-host --fd N"), std::string::npos) << help;
}

}  // namespace
}  // namespace swhub::testing
