// Plugin faults through a real hub, the faulty fixtures in process (isolation: in-process) with a
// call_timeout_ms of 300 (issue 10, item 3): an agency that takes too long, answers garbage or
// loops forever ends held for that agency with the reason (PLUGIN-FAILED) while the other
// agency's decision stands and the hub keeps serving; a partner whose encoder times out or answers
// garbage gets its notifications retried then dead-lettered with the reason while another partner
// keeps receiving its own; an adapter's garbage status is retried.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "hub_process.hpp"
#include "receiver.hpp"
#include "test_json.hpp"

namespace swhub::testing {
namespace {

using Poco::JSON::Object;

const std::string kFixtures = SWHUB_FIXTURE_DIR;

class PluginFaults : public ::testing::Test {
 protected:
  // `quirky`: an agency on the faulty fixture (with `quirkySettings`); food-safety decides by rules
  // (clears); every case goes to both. `partners`: more partners besides demo-shop.
  void startHub(int agencyThreads, const std::string& quirkySettings, const std::string& partners = "") {
    const std::string yaml =
        std::string("hub:\n  listen: \"127.0.0.1:0\"\n  journal: \"sqlite:journal.db\"\n") +
        "  plugin_dir: " + SWHUB_PLUGIN_DIR + "\n" +
        "  delivery: {retry_base_ms: 20, retry_cap_ms: 100, max_attempts: 3}\n"
        "  assessment: {max_attempts: 2, retry_base_ms: 20, retry_cap_ms: 100}\n"
        "  public_estimate: {enabled: true}\n"
        "plugins:\n"
        "  rules: {library: swhub_rules.so}\n"
        "  http_webhook: {library: swhub_http_webhook.so}\n"
        "  faulty_agency: {library: " + kFixtures + "/fixture_faulty_agency.so, call_timeout_ms: 300, call_threads: " +
        std::to_string(agencyThreads) + "}\n"
        "  faulty_partner: {library: " + kFixtures + "/fixture_faulty_partner.so, call_timeout_ms: 300}\n"
        "  faulty_adapter: {library: " + kFixtures + "/fixture_faulty_adapter.so, call_timeout_ms: 300}\n"
        "partners:\n"
        "  demo-shop:\n    kind: other\n    plugin: canonical\n    credentials: {tokens: [demo-shop-token]}\n" +
        partners +
        "agencies:\n"
        "  quirky:\n    name: Quirky Agency\n    plugin: faulty_agency\n    settings: " + quirkySettings + "\n"
        "  food-safety:\n    name: Food Safety\n    plugin: rules\n"
        "    settings: {rules: [], default: {decision: clear, reason: \"no food safety concern\"}}\n"
        "admins:\n  admin:\n    credentials: {tokens: [admin-token]}\n"
        "routes:\n  - name: every-filing-to-both\n    require: [quirky, food-safety]\n";
    writeFile(dir_.file("hub.yaml"), yaml);
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{"serve", "--config", dir_.file("hub.yaml")});
  }

  HttpResponse as(const std::string& token, const std::string& method, const std::string& path,
                  const std::string& body = "") {
    std::map<std::string, std::string> headers{{"Authorization", "Bearer " + token}};
    if (!body.empty()) headers["Content-Type"] = "application/vnd.swhub.consignment+json";
    return request(hub_->address(), method, path, body, headers);
  }

  // Files the DESIGN.md example as `partner` (canonical JSON); returns the case id.
  std::string file(const std::string& reference, const std::string& partner = "demo-shop") {
    const auto r = as(partner + "-token", "POST", "/v1/messages", exampleFiling(reference));
    EXPECT_EQ(r.status, 202) << r.body;
    if (r.status != 202) return "";
    return parse(r.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
  }

  Object::Ptr caseView(const std::string& caseId) { return parse(as("admin-token", "GET", "/v1/cases/" + caseId).body); }

  // The agency's latest decision on the case, "" while it has none.
  std::string decision(const std::string& caseId, const std::string& agency) {
    auto decisions = caseView(caseId)->getObject("decisions");
    if (!decisions->has(agency) || !decisions->getObject(agency)->has("decision")) return "";
    return decisions->getObject(agency)->getValue<std::string>("decision");
  }

  // The plugin-failed events of the case's history: their detail's kind, in order.
  std::vector<std::string> failedKinds(const std::string& caseId) {
    std::vector<std::string> kinds;
    auto history = caseView(caseId)->getArray("history");
    for (std::size_t i = 0; i < history->size(); ++i) {
      auto event = history->getObject(i);
      if (event->getValue<std::string>("kind") != "plugin-failed") continue;
      EXPECT_EQ(event->getValue<std::string>("actor"), "hub");
      EXPECT_EQ(event->getObject("detail")->getValue<std::string>("agency"), "quirky");
      EXPECT_EQ(event->getObject("detail")->getValue<std::string>("plugin"), "faulty_agency");
      EXPECT_EQ(event->getObject("detail")->getValue<int>("attempt"), static_cast<int>(kinds.size()) + 1);
      kinds.push_back(event->getObject("detail")->getValue<std::string>("kind"));
    }
    return kinds;
  }

  // Waits until quirky decided on the case and food-safety cleared it; checks the hub's hold.
  void expectHeldForQuirky(const std::string& caseId, const std::string& reason) {
    ASSERT_TRUE(eventually([&] { return decision(caseId, "quirky") != "" && decision(caseId, "food-safety") != ""; }))
        << stringify(caseView(caseId));
    auto quirky = caseView(caseId)->getObject("decisions")->getObject("quirky");
    EXPECT_EQ(quirky->getValue<std::string>("decision"), "hold");
    EXPECT_EQ(quirky->getValue<std::string>("reason"), reason);
    ASSERT_EQ(quirky->getArray("reason_codes")->size(), 1u);
    EXPECT_EQ(quirky->getArray("reason_codes")->getElement<std::string>(0), "PLUGIN-FAILED");
    EXPECT_EQ(quirky->getArray("history")->getObject(0)->getValue<std::string>("source"), "hub");
    EXPECT_EQ(decision(caseId, "food-safety"), "clear");  // the other agency's decision stands
    EXPECT_EQ(caseView(caseId)->getValue<std::string>("state"), "held");
  }

  std::string metrics() { return request(hub_->address(), "GET", "/metrics").body; }

  static std::string stringify(const Object::Ptr& object) {
    std::ostringstream out;
    object->stringify(out);
    return out.str();
  }

  TempDir dir_;
  std::unique_ptr<HubProcess> hub_;
};

TEST_F(PluginFaults, AnAgencyTooSlowOrAnsweringGarbageIsHeldWithTheReasonWhileTheOtherAgencysDecisionStands) {
  startHub(4, "{slow_ms: 1000}");
  const std::string slow = file("FAULT-SLOW-1");
  const std::string garbage = file("FAULT-GARBAGE-1");
  const std::string fine = file("FINE-1");

  expectHeldForQuirky(slow, "the agency's plugin failed 2 times: plugin 'faulty_agency' did not answer in time "
                            "during assess: no answer within 300 ms");
  EXPECT_EQ(failedKinds(slow), (std::vector<std::string>{"timed-out", "timed-out"}));
  expectHeldForQuirky(garbage, "the agency's plugin failed 2 times: plugin 'faulty_agency' answered something "
                               "unusable during assess: an invalid decision: decision: 'maybe' is not one of: clear, "
                               "hold, inspect, request-info, reject, do-not-load");
  EXPECT_EQ(failedKinds(garbage), (std::vector<std::string>{"garbage", "garbage"}));

  ASSERT_TRUE(eventually([&] { return decision(fine, "quirky") == "clear"; }));
  EXPECT_TRUE(failedKinds(fine).empty());
  // Nothing became a dead letter: the officer finds the cases held, with the reason.
  EXPECT_EQ(parse(as("admin-token", "GET", "/v1/admin/dead-letters").body)->getArray("dead_letters")->size(), 0u);

  // The trace shows the failed attempts too.
  const auto trace = as("admin-token", "GET", "/v1/admin/cases/" + slow + "/trace");
  ASSERT_EQ(trace.status, 200) << trace.body;
  EXPECT_NE(trace.body.find("plugin-failed"), std::string::npos) << trace.body;

  const std::string m = metrics();
  EXPECT_NE(m.find("swhub_plugin_failures_total{plugin=\"faulty_agency\",kind=\"timed-out\"} 2"), std::string::npos) << m;
  EXPECT_NE(m.find("swhub_plugin_failures_total{plugin=\"faulty_agency\",kind=\"garbage\"} 2"), std::string::npos) << m;
  EXPECT_NE(m.find("swhub_plugin_stuck_calls{plugin=\"faulty_agency\"}"), std::string::npos) << m;
}

// The public estimate calls the same plugins: an agency that fails answers the buyer 503 naming
// it, and the failure is counted like the assessment worker's.
TEST_F(PluginFaults, AnAgencyFailingAPublicEstimateIs503AndCountedLikeAnAssessment) {
  startHub(2, "{fault: FAULT-GARBAGE}");
  const auto r = request(hub_->address(), "GET",
                         "/v1/public/estimate?destination=PT&items[0].hs=851830&items[0].value=45&items[0].currency=EUR"
                         "&items[0].origin=CN");
  ASSERT_EQ(r.status, 503) << r.body;
  EXPECT_NE(r.body.find("agencies.quirky"), std::string::npos) << r.body;
  const std::string m = metrics();
  EXPECT_NE(m.find("swhub_plugin_failures_total{plugin=\"faulty_agency\",kind=\"garbage\"} 1\n"), std::string::npos) << m;
  // A call that does not answer in time: the same, counted by its kind.
  hub_.reset();
  startHub(2, "{fault: FAULT-SLOW, slow_ms: 1000}");
  const auto slow = request(hub_->address(), "GET",
                            "/v1/public/estimate?destination=PT&items[0].hs=851830&items[0].value=45&items[0].currency=EUR"
                            "&items[0].origin=CN");
  ASSERT_EQ(slow.status, 503) << slow.body;
  const std::string after = metrics();
  EXPECT_NE(after.find("swhub_plugin_failures_total{plugin=\"faulty_agency\",kind=\"timed-out\"} 1\n"), std::string::npos)
      << after;
}

TEST_F(PluginFaults, AnAgencyThatLoopsForeverLeavesTheHubServingAndOnceItsThreadIsStuckItIsBusy) {
  startHub(1, "{}");  // one call thread: the first loop keeps it (and one core) until the hub stops
  const std::string looping = file("FAULT-LOOP-1");
  expectHeldForQuirky(looping, "the agency's plugin failed 2 times: plugin 'faulty_agency' is busy with calls that "
                               "did not return during assess: all 1 of its call threads are held by calls that did "
                               "not return");
  EXPECT_EQ(failedKinds(looping), (std::vector<std::string>{"timed-out", "busy"}));

  // The hub serves: health, filings, and the other agency's assessments.
  EXPECT_EQ(request(hub_->address(), "GET", "/healthz").status, 200);
  const std::string next = file("FINE-2");
  ASSERT_TRUE(eventually([&] { return decision(next, "food-safety") == "clear"; }));
  ASSERT_TRUE(eventually([&] { return decision(next, "quirky") == "hold"; }));
  EXPECT_EQ(failedKinds(next), (std::vector<std::string>{"busy", "busy"}));

  const std::string m = metrics();
  EXPECT_NE(m.find("swhub_plugin_stuck_calls{plugin=\"faulty_agency\"} 1\n"), std::string::npos) << m;
  EXPECT_NE(m.find("swhub_plugin_failures_total{plugin=\"faulty_agency\",kind=\"timed-out\"} 1\n"), std::string::npos)
      << m;
  EXPECT_NE(m.find("swhub_plugin_failures_total{plugin=\"faulty_agency\",kind=\"busy\"} 3\n"), std::string::npos) << m;
}

TEST_F(PluginFaults, APartnersFailingEncoderOrAdapterIsRetriedThenDeadLetteredWhileOthersKeepReceiving) {
  Receiver slowHook, garbageHook, otherHook;
  auto pushTo = [](const Receiver& r) {
    return "    push: {adapter: http_webhook, settings: {url: \"" + r.url() + "\", timeout_ms: 5000}}\n";
  };
  auto partner = [](const std::string& id, const std::string& plugin, const std::string& settings) {
    return "  " + id + ":\n    kind: other\n    plugin: " + plugin + "\n" + settings + "    credentials: {tokens: [" +
           id + "-token]}\n";
  };
  startHub(4, "{}",
           partner("demo-slow", "faulty_partner", "    settings: {fault: FAULT-SLOW, slow_ms: 1000}\n") + pushTo(slowHook) +
               partner("demo-garbage", "faulty_partner", "    settings: {fault: FAULT-GARBAGE}\n") + pushTo(garbageHook) +
               partner("demo-odd", "canonical", "") +
               "    push: {adapter: faulty_adapter, settings: {fault: FAULT-GARBAGE}}\n" +
               partner("demo-other", "canonical", "") + pushTo(otherHook));
  file("SLOW-ENC-1", "demo-slow");
  file("GARBAGE-ENC-1", "demo-garbage");
  file("ODD-STATUS-1", "demo-odd");
  file("OTHER-1", "demo-other");

  // The other partner receives its notifications while the others' are failing.
  ASSERT_TRUE(otherHook.waitFor([](const auto& r) { return !r.empty(); }, std::chrono::seconds(10)));
  EXPECT_NE(otherHook.received().front().body.find("OTHER-1"), std::string::npos);

  // Each failing recipient's first notification ends dead after its 3 attempts, with the reason.
  auto deadFor = [&](const std::string& recipient) -> Object::Ptr {
    auto dead = parse(as("admin-token", "GET", "/v1/admin/dead-letters").body)->getArray("dead_letters");
    for (std::size_t i = 0; i < dead->size(); ++i) {
      if (dead->getObject(i)->getValue<std::string>("recipient") == recipient) return dead->getObject(i);
    }
    return nullptr;
  };
  Object::Ptr slow, garbage, odd;
  ASSERT_TRUE(eventually([&] { return (slow = deadFor("demo-slow")) && (garbage = deadFor("demo-garbage")) &&
                                      (odd = deadFor("demo-odd")); }));
  EXPECT_EQ(slow->getValue<std::string>("last_error"),
            "gave up after 3 attempts: partner 'demo-slow': plugin 'faulty_partner' could not encode notification " +
                slow->getValue<std::string>("id") +
                ": plugin 'faulty_partner' did not answer in time during encode: no answer within 300 ms");
  EXPECT_EQ(garbage->getValue<std::string>("last_error"),
            "gave up after 3 attempts: partner 'demo-garbage': plugin 'faulty_partner' could not encode notification " +
                garbage->getValue<std::string>("id") +
                ": plugin 'faulty_partner' answered something unusable during encode: a message without a content type");
  EXPECT_EQ(odd->getValue<std::string>("last_error"),
            "gave up after 3 attempts: plugins.faulty_adapter: plugin 'faulty_adapter' answered something unusable "
            "during deliver: status 77 is none of delivered, retry later, failed for good");
  EXPECT_TRUE(slowHook.received().empty());  // never sent in another format
  EXPECT_TRUE(garbageHook.received().empty());

  const std::string m = metrics();
  EXPECT_NE(m.find("swhub_plugin_failures_total{plugin=\"faulty_partner\",kind=\"timed-out\"}"), std::string::npos) << m;
  EXPECT_NE(m.find("swhub_plugin_failures_total{plugin=\"faulty_partner\",kind=\"garbage\"}"), std::string::npos) << m;
  EXPECT_NE(m.find("swhub_plugin_failures_total{plugin=\"faulty_adapter\",kind=\"garbage\"}"), std::string::npos) << m;
}

}  // namespace
}  // namespace swhub::testing
