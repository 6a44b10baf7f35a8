// isolation: process without a hub: instances built by the registry are proxies to `swhub
// plugin-host` children (the built swhub binary) running the faulty fixtures; every failure comes
// back as failureError(), the children are restarted, and none is left behind.
#include <gtest/gtest.h>

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "plugin/child_pool.hpp"
#include "plugin/registry.hpp"

namespace swhub::plugin {
namespace {

using namespace std::chrono_literals;
const std::string kFixtures = SWHUB_FIXTURE_DIR;

class StringSource : public sdk::ByteSource {
 public:
  explicit StringSource(std::string text) : text_(std::move(text)) {}
  std::size_t read(char* buffer, std::size_t size) override {
    largest_ = std::max(largest_, size);
    const std::size_t n = std::min(size, text_.size() - at_);
    std::copy_n(text_.data() + at_, n, buffer);
    at_ += n;
    return n;
  }
  std::size_t consumed() const { return at_; }
  std::size_t largestRead() const { return largest_; }

 private:
  std::string text_;
  std::size_t at_ = 0;
  std::size_t largest_ = 0;
};

// Timeouts generous enough for a loaded machine, except where the timeout is what a test is about.
config::PluginEntry isolated(const std::string& name, const std::string& library, int timeoutMs = 5000, int processes = 2) {
  config::PluginEntry entry{name, library, ""};
  entry.isolation = "process";
  entry.call_timeout_ms = timeoutMs;
  entry.processes = processes;
  return entry;
}

// This process's children (the plugin hosts) and whether any is a zombie.
std::vector<pid_t> children(bool zombiesOnly = false) {
  std::vector<pid_t> out;
  DIR* proc = opendir("/proc");
  while (dirent* d = readdir(proc)) {
    const pid_t pid = std::atoi(d->d_name);
    if (pid <= 0) continue;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    const auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    char state = 0;
    pid_t parent = 0;
    rest >> state >> parent;
    if (parent == getpid() && (!zombiesOnly || state == 'Z')) out.push_back(pid);
  }
  closedir(proc);
  return out;
}

template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = 5000ms) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

class IsolatedPlugins : public ::testing::Test {
 protected:
  void SetUp() override { isolation::setHostProgram(std::string(SWHUB_BINARY_ROOT) + "/bin/swhub"); }
  PluginRegistry registry;
  sdk::Errors errors;
};

std::vector<sdk::Decoded> decodeAll(const sdk::PartnerPlugin& partner, const std::string& text) {
  StringSource source(text);
  const sdk::MessageContext context{"p", "text/x-faulty", {}, "2026-12-01T10:00:00.000Z"};
  auto decoder = partner.open(context, source);
  std::vector<sdk::Decoded> out;
  while (decoder) {
    auto next = decoder->next();
    if (!next) break;
    out.push_back(std::move(*next));
  }
  return out;
}

TEST_F(IsolatedPlugins, APartnerDecodesAndEncodesInItsChildAsInProcess) {
  ASSERT_TRUE(registry.load(isolated("faulty_partner", kFixtures + "/fixture_faulty_partner.so"), "", errors));
  auto partner = registry.makePartner("faulty_partner", "p", "partners.p", sdk::Value(), errors);
  ASSERT_TRUE(partner) << sdk::formatErrors(errors);
  EXPECT_EQ(partner->plugin->contentTypes(), std::vector<std::string>{"text/x-faulty"});
  const auto pieces = decodeAll(*partner->plugin, "R1 851830 45.5\nR2 851830 1\n");
  ASSERT_EQ(pieces.size(), 2u);
  EXPECT_EQ(std::get<sdk::DecodedFiling>(pieces[1]).consignment.reference, "R2");
  EXPECT_EQ(std::get<sdk::DecodedFiling>(pieces[0]).consignment.items.at(0).value, *sdk::Decimal::parse("45.5"));
  auto encoded = partner->plugin->encode({sdk::Notification{"N-1", "C-1", "R1", "released", "released", "", "", {}}});
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(encoded.value().body, "N-1 R1 released\n");
  // The supervisor starts the second child after the first has answered: under load it may come
  // after the calls above.
  EXPECT_TRUE(eventually([] { return children().size() == 2u; })) << children().size();
  partner.reset();
  EXPECT_TRUE(children().empty()) << "every child is stopped and reaped with its instance";
}

TEST_F(IsolatedPlugins, TheMessageIsStreamedToTheChildInChunksAsItAsks) {
  ASSERT_TRUE(registry.load(isolated("faulty_partner", kFixtures + "/fixture_faulty_partner.so"), "", errors));
  auto partner = registry.makePartner("faulty_partner", "p", "partners.p", sdk::Value(), errors);
  ASSERT_TRUE(partner);
  std::string lines;
  for (int i = 0; i < 20000; ++i) lines += "REF-" + std::to_string(i) + " 851830 1\n";
  StringSource source(lines);
  const sdk::MessageContext context{"p", "text/x-faulty", {}, ""};
  auto decoder = partner->plugin->open(context, source);
  ASSERT_TRUE(decoder);
  int filings = 0;
  while (auto next = decoder->next()) filings += std::holds_alternative<sdk::DecodedFiling>(*next) ? 1 : 0;
  EXPECT_EQ(filings, 20000);
  EXPECT_EQ(source.consumed(), lines.size());
  EXPECT_LE(source.largestRead(), 64u * 1024) << "the hub reads what the child asks for, a chunk at a time";
}

TEST_F(IsolatedPlugins, AFactoryErrorReadsExactlyAsInProcess) {
  sdk::Errors inProcess;
  PluginRegistry plain;
  ASSERT_TRUE(plain.load({"throwing", kFixtures + "/fixture_throwing.so", ""}, "", inProcess));
  EXPECT_FALSE(plain.makePartner("throwing", "p", "partners.p", sdk::Value(), inProcess));
  ASSERT_TRUE(registry.load(isolated("throwing", kFixtures + "/fixture_throwing.so"), "", errors));
  EXPECT_FALSE(registry.makePartner("throwing", "p", "partners.p", sdk::Value(), errors));
  EXPECT_EQ(errors, inProcess);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, "partners.p.settings");
  EXPECT_TRUE(eventually([] { return children().empty(); }));
}

TEST_F(IsolatedPlugins, ASegfaultInADecoderIsACrashOfThatCallOnlyAndTheChildIsRestarted) {
  ASSERT_TRUE(registry.load(isolated("faulty_partner", kFixtures + "/fixture_faulty_partner.so"), "", errors));
  auto partner = registry.makePartner("faulty_partner", "p", "partners.p", sdk::Value(), errors);
  ASSERT_TRUE(partner);
  const auto pieces = decodeAll(*partner->plugin, "R1 851830 1\nFAULT-SEGV 851830 1\n");
  ASSERT_EQ(pieces.size(), 2u);
  const auto& failure = std::get<sdk::Errors>(pieces[1]);
  ASSERT_TRUE(isPluginFailure(failure));
  EXPECT_EQ(failure[0].path, "plugins.faulty_partner");
  EXPECT_NE(failure[0].message.find("plugin 'faulty_partner' crashed during decode: SIGSEGV (child "), std::string::npos)
      << failure[0].message;
  EXPECT_EQ(decodeAll(*partner->plugin, "R3 851830 1\n").size(), 1u);
  const auto& stats = *registry.find("faulty_partner")->isolationStats;
  EXPECT_EQ(stats.crashes.load(), 1u);
  EXPECT_TRUE(eventually([&] { return stats.restarts.load() == 1 && stats.children.load() == 2; }));
  EXPECT_TRUE(children(true).empty()) << "the crashed child was reaped";
}

TEST_F(IsolatedPlugins, AnAgencyCrashIsRetriedOnceInAnotherChildThenReturned) {
  ASSERT_TRUE(registry.load(isolated("faulty_agency", kFixtures + "/fixture_faulty_agency.so", 5000), "", errors));
  auto agency = registry.makeAgency("faulty_agency", "a", "agencies.a", sdk::Value(), errors);
  ASSERT_TRUE(agency);
  sdk::AssessmentRequest request;
  request.consignment.reference = "FAULT-ABORT";
  auto assessed = agency->plugin->assessCase(request);
  ASSERT_FALSE(assessed.ok());
  ASSERT_TRUE(isPluginFailure(assessed.errors()));
  EXPECT_NE(assessed.errors()[0].message.find("crashed during assess: SIGABRT"), std::string::npos);
  EXPECT_NE(assessed.errors()[0].message.find("retried once in another child after: SIGABRT"), std::string::npos);
  EXPECT_EQ(registry.find("faulty_agency")->isolationStats->crashes.load(), 2u);
  request.consignment.reference = "R1";
  // Both children are in their backoff (100 ms, then 200 ms): the next call waits for a restart.
  auto fine = agency->plugin->assessCase(request);
  ASSERT_TRUE(fine.ok()) << sdk::formatErrors(fine.errors());
  EXPECT_EQ(fine.value().assessment.decisions.at(0).decision, "clear");
}

TEST_F(IsolatedPlugins, ALoopIsKilledAtTheTimeoutAndTheCallerAnsweredThen) {
  ASSERT_TRUE(registry.load(isolated("faulty_agency", kFixtures + "/fixture_faulty_agency.so", 300), "", errors));
  auto agency = registry.makeAgency("faulty_agency", "a", "agencies.a", sdk::Value(), errors);
  ASSERT_TRUE(agency);
  sdk::AssessmentRequest request;
  request.consignment.reference = "FAULT-LOOP";
  const auto start = std::chrono::steady_clock::now();
  auto assessed = agency->plugin->assess(request);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(assessed.ok());
  EXPECT_NE(assessed.errors()[0].message.find("did not answer in time during assess: no answer within 300 ms"),
            std::string::npos)
      << assessed.errors()[0].message;
  EXPECT_LT(took, 2000ms);
  EXPECT_EQ(registry.find("faulty_agency")->isolationStats->timeouts.load(), 1u);
  EXPECT_TRUE(children(true).empty());
}

TEST_F(IsolatedPlugins, NoChildFreeWithinTheTimeoutIsBusy) {
  ASSERT_TRUE(registry.load(isolated("faulty_partner", kFixtures + "/fixture_faulty_partner.so", 500, 1), "", errors));
  auto partner = registry.makePartner("faulty_partner", "p", "partners.p", sdk::Value(), errors);
  ASSERT_TRUE(partner);
  StringSource source("R1 851830 1\n");
  const sdk::MessageContext context{"p", "text/x-faulty", {}, ""};
  auto holding = partner->plugin->open(context, source);  // a decoder keeps its child for its life
  ASSERT_TRUE(holding);
  auto encoded = partner->plugin->encode({sdk::Notification{}});
  ASSERT_FALSE(encoded.ok());
  EXPECT_NE(encoded.errors()[0].message.find("is busy with calls that did not return during encode: no child process "
                                             "free within 500 ms (1 process(es)"),
            std::string::npos)
      << encoded.errors()[0].message;
  holding.reset();
  EXPECT_TRUE(partner->plugin->encode({sdk::Notification{}}).ok());
}

TEST_F(IsolatedPlugins, AGarbageStatusFromAnAdapterIsARetryLaterNamingThePlugin) {
  ASSERT_TRUE(registry.load(isolated("faulty_adapter", kFixtures + "/fixture_faulty_adapter.so"), "", errors));
  auto adapter = registry.makeAdapter("faulty_adapter", "r", "partners.r.push", sdk::Value(), errors);
  ASSERT_TRUE(adapter);
  auto outcome = adapter->plugin->deliver({"D-1", "notification", "r", "text/plain", "FAULT-GARBAGE", 1});
  EXPECT_EQ(outcome.status, sdk::DeliveryOutcome::Status::RetryLater);
  EXPECT_EQ(outcome.detail,
            "plugins.faulty_adapter: plugin 'faulty_adapter' answered something unusable during deliver: its answer is "
            "unreadable: an unknown delivery status (77)");
  EXPECT_EQ(adapter->plugin->deliver({"D-2", "notification", "r", "text/plain", "fine", 1}).status,
            sdk::DeliveryOutcome::Status::Delivered);
}

TEST_F(IsolatedPlugins, AChildOverItsMemoryLimitIsRecycledAfterItsCall) {
  auto entry = isolated("faulty_agency", kFixtures + "/fixture_faulty_agency.so", 5000, 1);
  entry.max_rss_mb = 48;
  ASSERT_TRUE(registry.load(entry, "", errors));
  auto agency = registry.makeAgency("faulty_agency", "a", "agencies.a",
                                    sdk::Value::map({{"leak_mb", sdk::Value::integer(64)}}), errors);
  ASSERT_TRUE(agency) << sdk::formatErrors(errors);
  const auto before = children();
  sdk::AssessmentRequest request;
  request.consignment.reference = "FAULT-LEAK";
  ASSERT_TRUE(agency->plugin->assess(request).ok());
  const auto& stats = *registry.find("faulty_agency")->isolationStats;
  EXPECT_EQ(stats.recycled.load(), 1u);
  EXPECT_TRUE(eventually([&] { return stats.children.load() == 1 && children() != before && children().size() == 1; }));
  EXPECT_EQ(stats.crashes.load(), 0u);
}

TEST(isolation_backoff, DoublesFromAHundredMillisecondsUpToThirtySeconds) {
  EXPECT_EQ(isolation::backoffAfter(1), 100ms);
  EXPECT_EQ(isolation::backoffAfter(2), 200ms);
  EXPECT_EQ(isolation::backoffAfter(4), 800ms);
  EXPECT_EQ(isolation::backoffAfter(10), 30000ms);
  EXPECT_EQ(isolation::backoffAfter(1000), 30000ms);
}

}  // namespace
}  // namespace swhub::plugin
