// Push delivery through a real hub: a receiver that hangs delays no other recipient (issue 8,
// 2g), and a notification the partner's plugin cannot encode becomes a dead letter with the
// reason, on push and on pull, delivered in the partner's format once the plugin is fixed and
// the dead letter replayed (2h). Real hub process, real HTTP receivers on loopback.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>

#include "hanging_receiver.hpp"
#include "hub_process.hpp"
#include "test_json.hpp"
#include "receiver.hpp"

namespace swhub::testing {
namespace {

using Poco::JSON::Object;

std::string partner(const std::string& id, const std::string& plugin, const std::string& extra) {
  return "  " + id + ":\n    kind: other\n    plugin: " + plugin + "\n    credentials: {tokens: [" + id +
         "-token]}\n" + extra;
}

std::string push(const std::string& url, int timeoutMs = 5000) {
  return "    push: {adapter: http_webhook, settings: {url: \"" + url + "\", timeout_ms: " +
         std::to_string(timeoutMs) + "}}\n";
}

class Delivery : public ::testing::Test {
 protected:
  // A hub of its own: no file outside the repository and the build is read.
  void startHub(const std::string& partners) {
    const std::string yaml = std::string("hub:\n  listen: \"127.0.0.1:0\"\n  journal: \"sqlite:journal.db\"\n") +
                             "  plugin_dir: " + SWHUB_PLUGIN_DIR + "\n" +
                             "  delivery: {retry_base_ms: 20, retry_cap_ms: 200, max_attempts: 1000}\n"
                             "plugins:\n"
                             "  canonical: {library: swhub_canonical.so}\n"
                             "  http_webhook: {library: swhub_http_webhook.so}\n"
                             "  unencodable: {library: " + SWHUB_FIXTURE_DIR + "/fixture_unencodable.so}\n"
                             "partners:\n" + partners +
                             "agencies:\n  customs:\n    name: Customs\n    credentials: {tokens: [customs-token]}\n"
                             "admins:\n  admin:\n    credentials: {tokens: [admin-token]}\n"
                             "routes:\n  - name: every-filing-to-customs\n    require: [customs]\n";
    writeFile(dir_.file("hub.yaml"), yaml);
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{"serve", "--config", dir_.file("hub.yaml")});
  }

  HttpResponse as(const std::string& token, const std::string& method, const std::string& path,
                  const std::string& body = "") {
    std::map<std::string, std::string> headers{{"Authorization", "Bearer " + token}};
    if (!body.empty()) headers["Content-Type"] = "application/vnd.swhub.consignment+json";
    return request(hub_->address(), method, path, body, headers);
  }

  void file(const std::string& partnerId, const std::string& reference) {
    const auto r = as(partnerId + "-token", "POST", "/v1/messages", exampleFiling(reference));
    ASSERT_EQ(r.status, 202) << r.body;
  }

  Poco::JSON::Array::Ptr deadLetters() {
    return parse(as("admin-token", "GET", "/v1/admin/dead-letters").body)->getArray("dead_letters");
  }

  TempDir dir_;
  std::unique_ptr<HubProcess> hub_;
};

// A plugin whose "JSON" does not parse: the pull page still answers, with the bytes as text.
TEST_F(Delivery, APluginsBrokenJsonIsServedAsTextNeverA500) {
  startHub(partner("demo-odd", "unencodable",
                   "    settings: {refuse_while: \"" + dir_.file("never") + "\", content_type: application/json}\n"));
  file("demo-odd", "ODD-1");
  const auto page = as("demo-odd-token", "GET", "/v1/notifications?after=0");
  ASSERT_EQ(page.status, 200) << page.body;
  auto list = parse(page.body)->getArray("notifications");
  ASSERT_EQ(list->size(), 1u) << page.body;
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("content_type"), "application/json");
  EXPECT_NE(list->getObject(0)->getValue<std::string>("body").find(" ODD-1 "), std::string::npos) << page.body;
}

TEST_F(Delivery, AReceiverThatHangsDelaysNoOtherPushRecipient) {
  HangingReceiver hanging;
  Receiver fast;
  startHub(partner("demo-stuck", "canonical", push(hanging.url(), 60000)) +
           partner("demo-fast", "canonical", push(fast.url())));
  file("demo-stuck", "HANG-1");
  ASSERT_TRUE(hanging.waitForRequest());  // its delivery is in flight and will not be answered

  file("demo-fast", "FAST-1");
  // Within a second of the acknowledgement, while the other delivery still hangs (for up to 60 s).
  ASSERT_TRUE(fast.waitFor([](const auto& r) { return !r.empty(); }, std::chrono::seconds(1)));
  EXPECT_NE(fast.received().front().body.find("FAST-1"), std::string::npos) << fast.received().front().body;
}

TEST_F(Delivery, ANotificationThePluginCannotEncodeIsADeadLetterUntilThePluginIsFixed) {
  const std::string marker = dir_.file("plugin-broken");
  writeFile(marker, "until this file goes");
  Receiver receiver;
  const std::string settings = "    settings: {refuse_while: \"" + marker + "\"}\n";
  startHub(partner("demo-pushed", "unencodable", settings + push(receiver.url())) +
           partner("demo-pulled", "unencodable", settings));
  const std::string why = ": the fixture refuses to encode while " + marker + " exists";

  // Push: dead-lettered with the plugin's reason, naming the partner and the plugin; nothing sent.
  file("demo-pushed", "PUSH-1");
  Poco::JSON::Array::Ptr dead;
  ASSERT_TRUE(eventually([&] { return (dead = deadLetters())->size() == 1; }));
  auto letter = dead->getObject(0);
  EXPECT_EQ(letter->getValue<std::string>("recipient"), "demo-pushed");
  const std::string pushedId = letter->getValue<std::string>("id");
  EXPECT_EQ(letter->getValue<std::string>("last_error"),
            "partner 'demo-pushed': plugin 'unencodable' could not encode notification " + pushedId + why);
  EXPECT_TRUE(receiver.received().empty());

  // Pull: left out of the page (the cursor moves past it) and dead-lettered.
  file("demo-pulled", "PULL-1");
  const auto page = as("demo-pulled-token", "GET", "/v1/notifications?after=0");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(parse(page.body)->getArray("notifications")->size(), 0u) << page.body;
  const std::string next = parse(page.body)->getValue<std::string>("next");
  EXPECT_NE(next, "0");
  dead = deadLetters();
  ASSERT_EQ(dead->size(), 2u);
  EXPECT_EQ(dead->getObject(1)->getValue<std::string>("recipient"), "demo-pulled");
  EXPECT_EQ(dead->getObject(1)->getValue<std::string>("last_error"),
            "partner 'demo-pulled': plugin 'unencodable' could not encode notification " +
                dead->getObject(1)->getValue<std::string>("id") + why);

  const auto metrics = request(hub_->address(), "GET", "/metrics").body;
  EXPECT_NE(metrics.find("swhub_notifications_unencodable_total{partner=\"demo-pushed\"} 1"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("swhub_notifications_unencodable_total{partner=\"demo-pulled\"} 1"), std::string::npos)
      << metrics;
  EXPECT_EQ(metrics.find("swhub_notification_format_fallbacks_total"), std::string::npos);

  // The plugin is fixed; the dead letters are replayed and leave in the partner's format.
  std::filesystem::remove(marker);
  for (std::size_t i = 0; i < dead->size(); ++i) {
    const auto seq = std::to_string(dead->getObject(i)->getValue<Poco::Int64>("seq"));
    ASSERT_EQ(as("admin-token", "POST", "/v1/admin/dead-letters/" + seq + "/replay").status, 200);
  }
  ASSERT_TRUE(receiver.waitFor([](const auto& r) { return !r.empty(); }));
  EXPECT_EQ(receiver.received().front().id, pushedId);
  EXPECT_EQ(receiver.received().front().body.rfind(pushedId + " PUSH-1 ", 0), 0u) << receiver.received().front().body;
  const auto again = as("demo-pulled-token", "GET", "/v1/notifications?after=" + next);
  auto list = parse(again.body)->getArray("notifications");
  ASSERT_EQ(list->size(), 1u) << again.body;
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("content_type"), "text/x-lines");
  EXPECT_NE(list->getObject(0)->getValue<std::string>("body").find(" PULL-1 "), std::string::npos) << again.body;
  EXPECT_EQ(deadLetters()->size(), 0u);
}

}  // namespace
}  // namespace swhub::testing
