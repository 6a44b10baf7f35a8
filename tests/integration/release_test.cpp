// The single window end to end (issue 3): one filing reaches customs and two OGAs, each deciding
// through another path (an in-process plugin, the pull API, a pushed task), and the hub releases
// once, after the last clearance and the arrival. Real hub process, real HTTP receivers.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <set>

#include "hub_process.hpp"
#include "test_json.hpp"
#include "receiver.hpp"

namespace swhub::testing {
namespace {

using Poco::JSON::Object;

// The example config, with fast retries and optional push endpoints; customs is an external system
// here (an in-process agency is food safety), so that every path of a decision is taken.
std::string configWith(const std::string& productSafetyPush, const std::string& demoShopPush, int maxAttempts = 1000) {
  std::string yaml = withExternalCustoms(exampleConfigText());
  replaceOnce(yaml, "  max_queued: 256\n",
              "  max_queued: 256\n  delivery: {retry_base_ms: 20, retry_cap_ms: 200, max_attempts: " +
                  std::to_string(maxAttempts) + "}\n  plugin_dir: " + SWHUB_PLUGIN_DIR + "\n");
  // The broker's DMS schemas are not needed here: without them (a scratch folder has none) DMS
  // filings are off and everything else runs.
  if (!productSafetyPush.empty()) {
    replaceOnce(yaml, "tokens: [demo-product-safety-token] # EXAMPLE: replace before production\n",
                "tokens: [demo-product-safety-token]\n    push: {adapter: http_webhook, settings: {url: \"" +
                    productSafetyPush + "\"}}\n");
  }
  if (!demoShopPush.empty()) {
    replaceOnce(yaml, "tokens: [demo-shop-token]          # EXAMPLE: replace before production\n",
                "tokens: [demo-shop-token]\n    push: {adapter: http_webhook, settings: {url: \"" + demoShopPush +
                    "\"}}\n");
  }
  return yaml;
}

std::string filing(const std::string& reference, const std::string& kind, const std::string& items) {
  return R"({"reference":")" + reference + R"(","filing":")" + kind +
         R"(","parties":{"seller":{"name":"Shop","country":"CN","id":"CN-S1"},"buyer":{"name":"Ana","country":"PT"}},)"
         R"("items":[)" + items + "]}";
}

std::string item(int seq, const std::string& hs, const std::string& description, const std::string& docs = "[]") {
  return R"({"sequence":)" + std::to_string(seq) + R"(,"description":")" + description + R"(","hs":")" + hs +
         R"(","quantity":1,"unit":"pce","value":20.00,"currency":"EUR","origin":"CN","nature":"sale","documents":)" +
         docs + "}";
}

const std::string kCoffee = item(1, "090121", "Roasted coffee beans");
const std::string kToy = item(2, "950300", "Wooden toy train");

class Release : public ::testing::Test {
 protected:
  void startHub(const std::string& config) {
    writeFile(dir_.file("hub.yaml"), config);
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{
        "serve", "--config", dir_.file("hub.yaml"), "--listen", "127.0.0.1:0", "--journal",
        "sqlite:" + dir_.file("journal.db")});
  }

  HttpResponse as(const std::string& token, const std::string& method, const std::string& path,
                  const std::string& body = "") {
    return requestAs(hub_->address(), token, method, path, body);
  }

  // Files as demo-shop (canonical JSON, notified in canonical JSON); returns the case id.
  std::string file(const std::string& body) {
    const auto r = as("demo-shop-token", "POST", "/v1/messages", body);
    EXPECT_EQ(r.status, 202) << r.body;
    if (r.status != 202) return "";
    return parse(r.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
  }

  Object::Ptr caseView(const std::string& caseId) {
    const auto r = as("demo-admin-token", "GET", "/v1/cases/" + caseId);
    EXPECT_EQ(r.status, 200) << r.body;
    return parse(r.body);
  }

  std::string state(const std::string& caseId) { return caseView(caseId)->getValue<std::string>("state"); }

  std::string outcome(const std::string& caseId, const std::string& agency) {
    auto decisions = caseView(caseId)->getObject("decisions");
    return decisions->has(agency) ? decisions->getObject(agency)->getValue<std::string>("outcome") : "not-routed";
  }

  HttpResponse decide(const std::string& agency, const std::string& caseId, const std::string& decision,
                      const std::string& decidedAt, const std::string& extra = "") {
    return as("demo-" + agency + "-token", "POST", "/v1/agency/decisions",
              R"({"case_id":")" + caseId + R"(","decision":")" + decision + R"(","reason":"test","decided_at":")" +
                  decidedAt + "\"" + extra + "}");
  }

  TempDir dir_;
  std::unique_ptr<HubProcess> hub_;
};

TEST_F(Release, ThreeAgenciesThreePathsOneReleaseAfterTheLastClearanceAndTheArrival) {
  Receiver productSafety;
  startHub(configWith(productSafety.url(), ""));
  const std::string caseId = file(filing("REL-1", "pre-arrival", kCoffee + "," + kToy));
  ASSERT_FALSE(caseId.empty());

  // food-safety decides in process (rules plugin: coffee has no food concern).
  ASSERT_TRUE(eventually([&] { return outcome(caseId, "food-safety") == "clear"; }));
  EXPECT_EQ(state(caseId), "under-assessment");

  // customs pulls its task and decides through the API.
  const auto tasks = as("demo-customs-token", "GET", "/v1/agency/tasks?after=0");
  ASSERT_EQ(tasks.status, 200) << tasks.body;
  auto taskList = parse(tasks.body)->getArray("tasks");
  ASSERT_EQ(taskList->size(), 1u) << tasks.body;
  EXPECT_EQ(taskList->getObject(0)->getObject("message")->getValue<std::string>("case_id"), caseId);
  ASSERT_EQ(decide("customs", caseId, "clear", "2026-11-28T09:00:00Z").status, 200);
  EXPECT_EQ(state(caseId), "under-assessment");  // product safety has not decided

  // product-safety's system gets its task pushed, then decides.
  ASSERT_TRUE(productSafety.waitFor([](const auto& r) { return !r.empty(); }));
  const auto pushed = productSafety.received().front();
  EXPECT_EQ(pushed.kind, "task");
  EXPECT_NE(pushed.body.find(caseId), std::string::npos);
  EXPECT_NE(pushed.body.find("\"items\":[2]"), std::string::npos) << pushed.body;  // only the toy
  ASSERT_EQ(decide("product-safety", caseId, "clear", "2026-11-28T09:01:00Z").status, 200);
  EXPECT_EQ(state(caseId), "cleared");  // every agency cleared; the goods have not arrived

  // The arrival releases it.
  const auto arrival = as("demo-shop-token", "POST", "/v1/messages", R"({"reference":"REL-1","filing":"arrival"})");
  ASSERT_EQ(arrival.status, 202) << arrival.body;
  EXPECT_EQ(state(caseId), "released");

  // The partner pulls its notifications, in order.
  const auto pulled = as("demo-shop-token", "GET", "/v1/notifications?after=0");
  ASSERT_EQ(pulled.status, 200);
  std::vector<std::string> states;
  auto list = parse(pulled.body)->getArray("notifications");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto n = list->getObject(i)->getObject("message")->getArray("notifications")->getObject(0);
    states.push_back(n->getValue<std::string>("state"));
  }
  EXPECT_EQ(states, (std::vector<std::string>{"under-assessment", "cleared", "released"})) << pulled.body;

  // The trace shows messages in, decisions, transitions and notifications out.
  const auto trace = as("demo-admin-token", "GET", "/v1/admin/cases/" + caseId + "/trace");
  ASSERT_EQ(trace.status, 200);
  auto t = parse(trace.body);
  EXPECT_EQ(t->getArray("messages")->size(), 2u);
  std::multiset<std::string> kinds;
  auto events = t->getArray("events");
  for (std::size_t i = 0; i < events->size(); ++i) kinds.insert(events->getObject(i)->getValue<std::string>("kind"));
  EXPECT_EQ(kinds.count("decision"), 3u);  // food (plugin), customs (pull), product safety (push)
  EXPECT_GE(kinds.count("transition"), 4u);
  EXPECT_EQ(kinds.count("notification"), 3u);
}

TEST_F(Release, AHoldKeepsTheCaseHeldWhateverTheOthersDecide) {
  startHub(configWith("", ""));
  const std::string caseId = file(filing("HOLD-1", "pre-arrival", kCoffee + "," + kToy));
  ASSERT_TRUE(eventually([&] { return outcome(caseId, "food-safety") == "clear"; }));
  ASSERT_EQ(decide("customs", caseId, "hold", "2026-11-28T10:00:00Z").status, 200);
  EXPECT_EQ(state(caseId), "held");
  ASSERT_EQ(decide("product-safety", caseId, "clear", "2026-11-28T10:01:00Z").status, 200);
  EXPECT_EQ(state(caseId), "held");
  // A late clearance (older than the hold) is recorded but does not lift it.
  const auto late = decide("customs", caseId, "clear", "2026-11-28T09:59:00Z");
  EXPECT_EQ(parse(late.body)->getValue<std::string>("effect"), "late");
  EXPECT_EQ(state(caseId), "held");
  // The same decision again is recorded once.
  EXPECT_EQ(parse(decide("customs", caseId, "hold", "2026-11-28T10:00:00Z").body)->getValue<std::string>("effect"),
            "duplicate");
  // A newer clearance lifts it: every agency cleared, the goods not yet arrived.
  ASSERT_EQ(decide("customs", caseId, "clear", "2026-11-28T10:05:00Z").status, 200);
  EXPECT_EQ(state(caseId), "cleared");
}

TEST_F(Release, AnAmendmentThatAddsAFoodItemAddsTheFoodAgency) {
  startHub(configWith("", ""));
  const std::string caseId = file(filing("AMEND-1", "pre-arrival", kToy));
  EXPECT_EQ(outcome(caseId, "food-safety"), "not-routed");
  const std::string beef = item(3, "020130", "Frozen beef");  // no veterinary certificate: held
  const auto amended = as("demo-shop-token", "POST", "/v1/messages", filing("AMEND-1", "amendment", kToy + "," + beef));
  ASSERT_EQ(amended.status, 202) << amended.body;
  ASSERT_TRUE(eventually([&] { return outcome(caseId, "food-safety") == "hold"; }));
  EXPECT_EQ(state(caseId), "held");
  auto items = caseView(caseId)->getObject("decisions")->getObject("food-safety")->getArray("items");
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ(items->getElement<int>(0), 3);
}

TEST_F(Release, ACancellationEndsTheCase) {
  startHub(configWith("", ""));
  const std::string caseId = file(filing("CANCEL-1", "pre-arrival", kToy));
  const auto cancelled = as("demo-shop-token", "POST", "/v1/messages", R"({"reference":"CANCEL-1","filing":"cancellation"})");
  ASSERT_EQ(cancelled.status, 202) << cancelled.body;
  EXPECT_EQ(state(caseId), "cancelled");
  const auto after = decide("customs", caseId, "clear", "2026-11-28T11:00:00Z");
  EXPECT_EQ(parse(after.body)->getValue<std::string>("effect"), "recorded-after-release");
  EXPECT_EQ(state(caseId), "cancelled");
  const auto again = as("demo-shop-token", "POST", "/v1/messages", filing("CANCEL-1", "amendment", kToy));
  EXPECT_EQ(again.status, 400) << again.body;
}

TEST_F(Release, DoNotLoadIsNotifiedAtOnce) {
  startHub(configWith("", ""));
  const std::string caseId = file(filing("DNL-1", "pre-loading", kToy));
  ASSERT_EQ(decide("customs", caseId, "do-not-load", "2026-11-28T12:00:00Z").status, 200);
  const auto pulled = as("demo-shop-token", "GET", "/v1/notifications?after=0");
  EXPECT_NE(pulled.body.find("\"event\":\"do-not-load\""), std::string::npos) << pulled.body;
  EXPECT_EQ(state(caseId), "held");
}

TEST_F(Release, AgenciesOnlySeeAndDecideTheirCases) {
  startHub(configWith("", ""));
  const std::string caseId = file(filing("SCOPE-1", "pre-arrival", kCoffee));  // customs and food safety only
  const auto notRouted = decide("product-safety", caseId, "clear", "2026-11-28T12:00:00Z");
  EXPECT_EQ(notRouted.status, 404) << notRouted.body;
  EXPECT_EQ(as("demo-product-safety-token", "GET", "/v1/cases/" + caseId).status, 404);
  EXPECT_EQ(as("demo-customs-token", "GET", "/v1/cases/" + caseId).status, 200);
  const auto tasks = as("demo-product-safety-token", "GET", "/v1/agency/tasks?after=0");
  EXPECT_EQ(parse(tasks.body)->getArray("tasks")->size(), 0u);
  const auto bad = decide("customs", caseId, "approve", "yesterday");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("/decided_at"), std::string::npos);
  EXPECT_NE(bad.body.find("'approve' is not one of"), std::string::npos);
}

TEST_F(Release, AReceiverDownForAWhileGetsEveryNotificationInOrderPerCase) {
  // Reserve a port, then keep the receiver down while the hub works.
  unsigned short port = 0;
  {
    Receiver probe;
    port = probe.port();
  }
  startHub(configWith("", "http://127.0.0.1:" + std::to_string(port) + "/hook"));
  std::vector<std::string> cases;
  for (int i = 0; i < 5; ++i) {
    const std::string caseId = file(filing("DOWN-" + std::to_string(i), "pre-arrival", kToy));
    cases.push_back(caseId);
    ASSERT_EQ(decide("customs", caseId, "clear", "2026-11-28T13:00:00Z").status, 200);
    ASSERT_EQ(decide("product-safety", caseId, "clear", "2026-11-28T13:00:01Z").status, 200);
  }
  // Every case has 2 notifications (under-assessment, cleared) waiting; the receiver comes back.
  // Wait until the hub has really failed to deliver (several attempts on the first case's items).
  ASSERT_TRUE(eventually([&] {
    const auto trace = parse(as("demo-admin-token", "GET", "/v1/admin/cases/" + cases.front() + "/trace").body);
    auto outbox = trace->getArray("outbox");
    for (std::size_t i = 0; i < outbox->size(); ++i) {
      auto item = outbox->getObject(i);
      if (item->getValue<std::string>("channel") == "notification" && item->getValue<int>("attempts") >= 2) return true;
    }
    return false;
  }));
  Receiver receiver(port);
  ASSERT_TRUE(receiver.waitFor([](const auto& r) {
    std::set<std::string> ids;
    for (const auto& x : r) ids.insert(x.id);
    return ids.size() >= 10;
  })) << receiver.received().size();
  std::map<std::string, std::vector<std::string>> statesByCase;
  std::set<std::string> seen;
  for (const auto& r : receiver.received()) {
    if (!seen.insert(r.id).second) continue;  // a duplicate delivery: the receiver drops it by id
    auto n = parse(r.body)->getArray("notifications")->getObject(0);
    statesByCase[n->getValue<std::string>("case_id")].push_back(n->getValue<std::string>("state"));
  }
  for (const auto& c : cases) {
    EXPECT_EQ(statesByCase[c], (std::vector<std::string>{"under-assessment", "cleared"})) << c;
  }
}

TEST_F(Release, DeadLettersAreListedAndReplayed) {
  Receiver receiver;
  receiver.answer(400);  // refused for good: straight to the dead-letter queue
  startHub(configWith("", receiver.url()));
  const std::string caseId = file(filing("DEAD-1", "pre-arrival", kToy));
  Object::Ptr dead;
  ASSERT_TRUE(eventually([&] {
    dead = parse(as("demo-admin-token", "GET", "/v1/admin/dead-letters").body);
    return dead->getArray("dead_letters")->size() == 1;
  }));
  auto letter = dead->getArray("dead_letters")->getObject(0);
  EXPECT_EQ(letter->getValue<std::string>("case_id"), caseId);
  EXPECT_NE(letter->getValue<std::string>("last_error").find("400"), std::string::npos);
  receiver.answer(200);
  const auto replayed = as("demo-admin-token", "POST",
                           "/v1/admin/dead-letters/" + std::to_string(letter->getValue<Poco::Int64>("seq")) + "/replay");
  ASSERT_EQ(replayed.status, 200) << replayed.body;
  ASSERT_TRUE(receiver.waitFor([&](const auto& r) { return r.size() == 1; }));
  EXPECT_EQ(receiver.received().front().id, letter->getValue<std::string>("id"));
  EXPECT_EQ(parse(as("demo-admin-token", "GET", "/v1/admin/dead-letters").body)->getArray("dead_letters")->size(), 0u);
}

TEST_F(Release, ARestartInTheMiddleResumesWithNothingLostOrSentTwice) {
  Receiver receiver;
  const std::string config = configWith("", receiver.url());
  startHub(config);
  const std::string caseId = file(filing("RESTART-1", "pre-arrival", kCoffee + "," + kToy));
  ASSERT_TRUE(eventually([&] { return outcome(caseId, "food-safety") == "clear"; }));
  ASSERT_EQ(decide("customs", caseId, "clear", "2026-11-28T14:00:00Z").status, 200);
  hub_->kill();  // a crash in the middle of the flow
  startHub(config);
  ASSERT_EQ(decide("product-safety", caseId, "clear", "2026-11-28T14:01:00Z").status, 200);
  ASSERT_EQ(as("demo-shop-token", "POST", "/v1/messages", R"({"reference":"RESTART-1","filing":"arrival"})").status, 202);
  EXPECT_EQ(state(caseId), "released");
  // The receiver ends up with each notification the journal holds, under one id each.
  const auto pulled = parse(as("demo-shop-token", "GET", "/v1/notifications?after=0").body)->getArray("notifications");
  std::set<std::string> expected;
  for (std::size_t i = 0; i < pulled->size(); ++i) expected.insert(pulled->getObject(i)->getValue<std::string>("id"));
  EXPECT_EQ(expected.size(), 3u);
  ASSERT_TRUE(receiver.waitFor([&](const auto& r) {
    std::set<std::string> ids;
    for (const auto& x : r) ids.insert(x.id);
    return ids == expected;
  })) << receiver.received().size();
}

TEST_F(Release, RoutesAreShownAndAnInvalidReloadKeepsTheOldTable) {
  startHub(configWith("", ""));
  const auto routes = as("demo-admin-token", "GET", "/v1/admin/routes");
  ASSERT_EQ(routes.status, 200);
  EXPECT_EQ(parse(routes.body)->getArray("routes")->size(), 4u);
  EXPECT_EQ(as("demo-shop-token", "GET", "/v1/admin/routes").status, 403);
  // Break the file on disk: the reload is refused, the old table keeps running.
  std::string yaml = readFile(dir_.file("hub.yaml"));
  replaceOnce(yaml, "require: [product-safety]", "require: [product-safty]");
  writeFile(dir_.file("hub.yaml"), yaml);
  const auto refused = as("demo-admin-token", "POST", "/v1/admin/reload");
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("did you mean 'product-safety'?"), std::string::npos) << refused.body;
  // A valid change is swapped in whole: toys no longer go to product safety.
  replaceOnce(yaml, "require: [product-safty]", "require: [customs]");
  writeFile(dir_.file("hub.yaml"), yaml);
  ASSERT_EQ(as("demo-admin-token", "POST", "/v1/admin/reload").status, 200);
  const std::string caseId = file(filing("RELOAD-1", "pre-arrival", kToy));
  EXPECT_EQ(outcome(caseId, "product-safety"), "not-routed");
}

// A reload swaps routes only. A file that also adds an agency (and routes to it) is refused
// whole, naming what needs a restart: no case is ever routed to an agency nobody can act as.
TEST_F(Release, AReloadThatAddsAnAgencyIsRefusedNamingWhatNeedsARestart) {
  startHub(configWith("", ""));
  std::string yaml = readFile(dir_.file("hub.yaml"));
  replaceOnce(yaml, "admins:\n", "  plant-health:\n    name: Plant Health\n    credentials:\n"
                                  "      tokens: [demo-plant-health-token]\nadmins:\n");
  replaceOnce(yaml, "require: [product-safety]", "require: [product-safety, plant-health]");
  writeFile(dir_.file("hub.yaml"), yaml);
  const auto refused = as("demo-admin-token", "POST", "/v1/admin/reload");
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(parse(refused.body)->getValue<std::string>("type"), "urn:swhub:problem:restart-required");
  auto errors = parse(refused.body)->getArray("errors");
  ASSERT_EQ(errors->size(), 1u) << refused.body;
  EXPECT_EQ(errors->getObject(0)->getValue<std::string>("path"), "agencies.plant-health");
  EXPECT_EQ(errors->getObject(0)->getValue<std::string>("message"),
            "added: only routes change on reload; this needs a restart");
  // The old table keeps running: a toy goes to product safety only.
  const std::string caseId = file(filing("RELOAD-AGENCY-1", "pre-arrival", kToy));
  EXPECT_EQ(outcome(caseId, "plant-health"), "not-routed");
  EXPECT_EQ(outcome(caseId, "product-safety"), "pending");
  // A new credential is named the same way.
  std::string rotated = configWith("", "");
  replaceOnce(rotated, "tokens: [demo-customs-token]", "tokens: [demo-customs-token, customs-2027]");
  writeFile(dir_.file("hub.yaml"), rotated);
  const auto token = as("demo-admin-token", "POST", "/v1/admin/reload");
  EXPECT_EQ(token.status, 409) << token.body;
  EXPECT_NE(token.body.find(R"("path":"agencies.customs.credentials.tokens[1]")"), std::string::npos) << token.body;
}

// Decisions are ordered by the instants they name, however their times are written.
TEST_F(Release, AnOlderDecisionWrittenWithoutAFractionDoesNotOverrideANewerOne) {
  startHub(configWith("", ""));
  const std::string caseId = file(filing("ORDER-1", "pre-arrival", kToy));
  ASSERT_EQ(decide("customs", caseId, "hold", "2026-11-28T10:00:00.500Z").status, 200);
  const auto older = decide("customs", caseId, "clear", "2026-11-28T10:00:00Z");
  ASSERT_EQ(older.status, 200) << older.body;
  EXPECT_EQ(parse(older.body)->getValue<std::string>("effect"), "late");
  EXPECT_EQ(state(caseId), "held");
  // Stored in one canonical form: the same instant written otherwise is the same decision.
  const auto same = decide("customs", caseId, "hold", "2026-11-28T10:00:00.5Z");
  EXPECT_EQ(parse(same.body)->getValue<std::string>("effect"), "duplicate") << same.body;
  auto customs = caseView(caseId)->getObject("decisions")->getObject("customs");
  EXPECT_EQ(customs->getValue<std::string>("decided_at"), "2026-11-28T10:00:00.000Z");  // the last one recorded
  // A decision from the future would stand over every later one: refused.
  const auto future = decide("customs", caseId, "clear", "2099-12-31T23:59:59Z");
  EXPECT_EQ(future.status, 400) << future.body;
  EXPECT_NE(future.body.find("is in the future"), std::string::npos) << future.body;
  EXPECT_EQ(state(caseId), "held");
  // Not JSON, or not an object: said plainly.
  EXPECT_NE(as("demo-customs-token", "POST", "/v1/agency/decisions", "[]").body.find("expected a JSON object"),
            std::string::npos);
}

TEST_F(Release, DecisionItemsMustBeItemSequenceNumbers) {
  startHub(configWith("", ""));
  const std::string caseId = file(filing("ITEMS-1", "pre-arrival", kCoffee + "," + kToy));
  for (const std::string items : {"[true]", "[99999999999]", "[1.5]", "[\"1\"]", "[0]", "[-1]", "[null]"}) {
    const auto r = decide("customs", caseId, "hold", "2026-11-28T10:00:00Z", ",\"items\":" + items);
    EXPECT_EQ(r.status, 400) << items << ": " << r.body;
    EXPECT_NE(r.body.find(R"("path":"/items/0")"), std::string::npos) << items << ": " << r.body;
    EXPECT_NE(r.body.find("is not an item sequence number"), std::string::npos) << items << ": " << r.body;
  }
  EXPECT_EQ(state(caseId), "under-assessment");
  ASSERT_EQ(decide("customs", caseId, "hold", "2026-11-28T10:00:00Z", R"(,"items":[2])").status, 200);
  EXPECT_EQ(state(caseId), "held");
}

// A rule's reason code (FS-VET) reaches the case view, its trace and the partner's notification,
// and an agency deciding through the API gives its own codes.
TEST_F(Release, ReasonCodesReachTheCaseTheTraceAndTheNotification) {
  startHub(configWith("", ""));
  const std::string caseId = file(filing("CODES-1", "pre-arrival", item(1, "020130", "Frozen beef")));
  ASSERT_TRUE(eventually([&] { return outcome(caseId, "food-safety") == "hold"; }));
  auto food = caseView(caseId)->getObject("decisions")->getObject("food-safety");
  ASSERT_TRUE(food->has("reason_codes")) << caseView(caseId)->getObject("decisions")->get("food-safety").toString();
  EXPECT_EQ(food->getArray("reason_codes")->getElement<std::string>(0), "FS-VET");
  EXPECT_NE(food->getValue<std::string>("reason").find("veterinary health certificate"), std::string::npos);
  const auto trace = as("demo-admin-token", "GET", "/v1/admin/cases/" + caseId + "/trace");
  EXPECT_NE(trace.body.find(R"("reason_codes":"FS-VET")"), std::string::npos) << trace.body;   // the transition
  EXPECT_NE(trace.body.find(R"("reason_codes":["FS-VET"])"), std::string::npos) << trace.body;  // the decision
  ASSERT_TRUE(eventually([&] {
    return as("demo-shop-token", "GET", "/v1/notifications?after=0").body.find(R"("reason_codes":"FS-VET")") !=
           std::string::npos;
  })) << as("demo-shop-token", "GET", "/v1/notifications?after=0").body;

  const auto coded = decide("customs", caseId, "inspect", "2026-11-28T10:00:00Z", R"(,"reason_codes":["CU-RISK-7"])");
  ASSERT_EQ(coded.status, 200) << coded.body;
  auto customs = caseView(caseId)->getObject("decisions")->getObject("customs");
  EXPECT_EQ(customs->getArray("reason_codes")->getElement<std::string>(0), "CU-RISK-7");
  const auto badCode = decide("customs", caseId, "inspect", "2026-11-28T10:01:00Z", R"(,"reason_codes":["no spaces"])");
  EXPECT_EQ(badCode.status, 400) << badCode.body;
  EXPECT_NE(badCode.body.find(R"("path":"/reason_codes/0")"), std::string::npos) << badCode.body;
}

}  // namespace
}  // namespace swhub::testing

namespace swhub::testing {
namespace {

// `swhub trace` and `swhub replay` work on the journal beside a running hub.
TEST(ReleaseCli, TraceAndReplayFromTheCommandLine) {
  TempDir dir;
  Receiver receiver;
  receiver.answer(400);
  writeFile(dir.file("hub.yaml"), configWith("", receiver.url()));
  const std::string journal = "sqlite:" + dir.file("journal.db");
  HubProcess hub({"serve", "--config", dir.file("hub.yaml"), "--listen", "127.0.0.1:0", "--journal", journal});
  const auto filed = request(hub.address(), "POST", "/v1/messages", filing("CLI-1", "pre-arrival", kToy),
                             {{"Authorization", "Bearer demo-shop-token"},
                              {"Content-Type", "application/vnd.swhub.consignment+json"}});
  ASSERT_EQ(filed.status, 202) << filed.body;
  const std::string caseId = parse(filed.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");

  const auto [traceCode, traceOut] = runSwhub({"trace", caseId, "--config", dir.file("hub.yaml"), "--journal", journal});
  EXPECT_EQ(traceCode, 0) << traceOut;
  EXPECT_NE(traceOut.find("\"case_id\":\"" + caseId + "\""), std::string::npos) << traceOut;
  EXPECT_NE(traceOut.find("\"kind\":\"routed\""), std::string::npos) << traceOut;
  EXPECT_EQ(runSwhub({"trace", "C-NOPE", "--config", dir.file("hub.yaml"), "--journal", journal}).first, 1);

  ASSERT_TRUE(eventually([&] {
    const auto dead = request(hub.address(), "GET", "/v1/admin/dead-letters", "", {{"Authorization", "Bearer demo-admin-token"}});
    return parse(dead.body)->getArray("dead_letters")->size() == 1;
  }));
  receiver.answer(200);
  const auto [replayCode, replayOut] = runSwhub({"replay", "--all", "--config", dir.file("hub.yaml"), "--journal", journal});
  EXPECT_EQ(replayCode, 0) << replayOut;
  EXPECT_NE(replayOut.find("replayed 1 dead letter(s)"), std::string::npos) << replayOut;
  EXPECT_TRUE(receiver.waitFor([](const auto& r) { return r.size() == 1; }));
}

}  // namespace
}  // namespace swhub::testing
