// The intake pipeline through a real hub (issue 11 item 1): a partner plugin that fails while
// decoding (the faulty_partner fixture, in process, answering garbage) refuses the message as
// 422 plugin-failed with its failure as the error, journals it as rejected and counts it; an
// ordinary error of the same plugin stays 400 invalid-filing; the canonical format, built into
// the hub, files beside it.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "hub_process.hpp"
#include "receiver.hpp"
#include "temp_dir.hpp"
#include "test_json.hpp"

namespace swhub::testing {
namespace {

// `limits`: more keys of the plugin's entry; `settings`: the partner's settings of the plugin.
std::string config(const TempDir& dir, const std::string& limits = "", const std::string& settings = "{}") {
  return "hub:\n  listen: 127.0.0.1:0\n  journal: sqlite:" + dir.file("journal.db") + "\n" +
         "plugins:\n  faulty_partner: {library: " + std::string(SWHUB_FIXTURE_DIR) + "/fixture_faulty_partner.so" +
         limits + "}\n"
         "partners:\n"
         "  demo-faulty: {kind: other, plugin: faulty_partner, settings: " + settings +
         ", credentials: {tokens: [demo-faulty-token]}}\n"
         "agencies:\n  customs: {credentials: {tokens: [demo-customs-token]}}\n"
         "routes:\n  - {name: all, require: [customs]}\n";
}

HttpResponse fileAs(const HubProcess& hub, const std::string& type, const std::string& body, const std::string& key) {
  return request(hub.address(), "POST", "/v1/messages", body,
                 {{"Authorization", "Bearer demo-faulty-token"}, {"Content-Type", type}, {"Idempotency-Key", key}});
}

// The value of one series on /metrics (0 when absent).
double metric(const HubProcess& hub, const std::string& series) {
  const std::string metrics = request(hub.address(), "GET", "/metrics").body;
  const auto at = metrics.find(series + " ");
  return at == std::string::npos ? 0 : std::stod(metrics.substr(at + series.size() + 1));
}

double rejectedCount(const HubProcess& hub) { return metric(hub, "swhub_filings_rejected_total{partner=\"demo-faulty\"}"); }

TEST(Intake, APluginThatAnswersGarbageRefusesTheMessageAsPluginFailed) {
  TempDir dir;
  writeFile(dir.file("hub.yaml"), config(dir));
  HubProcess hub({"serve", "--config", dir.file("hub.yaml")});

  const HttpResponse failed = fileAs(hub, "text/x-faulty", "GOOD-1 851830 10\nFAULT-GARBAGE 851830 10\n", "k-1");
  EXPECT_EQ(failed.status, 422) << failed.body;
  EXPECT_EQ(failed.reason, "Unprocessable Entity");
  auto problem = parse(failed.body);
  EXPECT_EQ(problem->getValue<std::string>("type"), "urn:swhub:problem:plugin-failed");
  auto errors = problem->getArray("errors");
  ASSERT_EQ(errors->size(), 1u) << failed.body;
  EXPECT_EQ(errors->getObject(0)->getValue<std::string>("path"), "plugins.faulty_partner");
  EXPECT_EQ(errors->getObject(0)->getValue<std::string>("message"),
            "plugin 'faulty_partner' answered something unusable during decode: a filing at 'line 2' without a "
            "reference");
  EXPECT_EQ(rejectedCount(hub), 1);
  // Counted with every other caller's plugin failures.
  EXPECT_EQ(metric(hub, "swhub_plugin_failures_total{plugin=\"faulty_partner\",kind=\"garbage\"}"), 1);

  // Nothing of it was filed: its first line is still free, and its key was not taken.
  const HttpResponse good = fileAs(hub, "text/x-faulty", "GOOD-1 851830 10\n", "k-1");
  EXPECT_EQ(good.status, 202) << good.body;
  // An ordinary error of the same plugin is the message's own: 400.
  const HttpResponse invalid = fileAs(hub, "text/x-faulty", "only-two-fields 851830\n", "k-2");
  EXPECT_EQ(invalid.status, 400) << invalid.body;
  EXPECT_NE(invalid.body.find("\"path\":\"line 1\",\"message\":\"expected REFERENCE HS VALUE\""), std::string::npos)
      << invalid.body;
  EXPECT_EQ(rejectedCount(hub), 2);
  EXPECT_EQ(metric(hub, "swhub_plugin_failures_total{plugin=\"faulty_partner\",kind=\"garbage\"}"), 1);

  // The built-in canonical format beside the partner's own (no plugins entry names it).
  const HttpResponse canonical = fileAs(hub, "application/vnd.swhub.consignment+json", exampleFiling("LRN-INTAKE-1"), "k-3");
  EXPECT_EQ(canonical.status, 202) << canonical.body;
}

// A decoder in process that sleeps past its timeout or loops forever is cut at call_timeout_ms
// (422 plugin-failed, timed-out); once its one call thread's worth is stuck, the partner's messages
// are refused at once as busy (429, Retry-After) while health and the other formats answer.
TEST(Intake, ADecoderThatSleepsOrLoopsIsCutAtItsTimeoutAndTheHubKeepsServing) {
  TempDir dir;
  writeFile(dir.file("hub.yaml"), config(dir, ", call_timeout_ms: 300, call_threads: 1", "{slow_ms: 1500}"));
  HubProcess hub({"serve", "--config", dir.file("hub.yaml")});
  const std::string stuck = "swhub_plugin_stuck_calls{plugin=\"faulty_partner\"}";
  const std::string timedOut = "plugin 'faulty_partner' did not answer in time during decode: no answer within 300 ms";
  auto errorOf = [](const HttpResponse& r) {
    auto errors = parse(r.body)->getArray("errors");
    return errors->size() == 1 ? errors->getObject(0)->getValue<std::string>("message") : r.body;
  };

  auto started = std::chrono::steady_clock::now();
  const HttpResponse slow = fileAs(hub, "text/x-faulty", "GOOD-1 851830 10\nFAULT-SLOW-1 851830 10\n", "k-1");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1400));
  EXPECT_EQ(slow.status, 422) << slow.body;
  EXPECT_EQ(errorOf(slow), timedOut);
  EXPECT_EQ(metric(hub, stuck), 1);
  // The sleeper comes back: the partner files again, the first line included (nothing was filed).
  ASSERT_TRUE(eventually([&] { return metric(hub, stuck) == 0; }));
  EXPECT_EQ(fileAs(hub, "text/x-faulty", "GOOD-1 851830 10\n", "k-2").status, 202);

  started = std::chrono::steady_clock::now();
  const HttpResponse loop = fileAs(hub, "text/x-faulty", "FAULT-LOOP-1 851830 10\n", "k-3");
  EXPECT_EQ(loop.status, 422) << loop.body;
  EXPECT_EQ(errorOf(loop), timedOut);
  const HttpResponse busy = fileAs(hub, "text/x-faulty", "GOOD-2 851830 10\n", "k-4");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1400));
  EXPECT_EQ(busy.status, 429) << busy.body;
  EXPECT_EQ(busy.headers.count("Retry-After"), 1u);
  EXPECT_EQ(errorOf(busy), "plugin 'faulty_partner' is busy with calls that did not return during decode: all 1 of "
                           "its call threads are held by calls that did not return");

  // The hub serves everything else.
  EXPECT_EQ(request(hub.address(), "GET", "/healthz").status, 200);
  EXPECT_EQ(fileAs(hub, "application/vnd.swhub.consignment+json", exampleFiling("LRN-INTAKE-2"), "k-5").status, 202);
  EXPECT_EQ(metric(hub, stuck), 1);
  EXPECT_EQ(metric(hub, "swhub_plugin_failures_total{plugin=\"faulty_partner\",kind=\"timed-out\"}"), 2);
  EXPECT_EQ(metric(hub, "swhub_plugin_failures_total{plugin=\"faulty_partner\",kind=\"busy\"}"), 1);
  EXPECT_EQ(rejectedCount(hub), 3);
}

}  // namespace
}  // namespace swhub::testing
