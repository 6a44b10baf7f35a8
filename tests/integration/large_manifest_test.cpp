// A consolidated express manifest far above the in-memory limit, through a real hub: spooled,
// staged in chunks, made visible at once, its receipt streamed; the hub's peak memory does not
// grow with the manifest; a crash in the middle leaves nothing; errors keep their locations.
// Uses the express_manifest plugin (CSV with a header row).

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <future>
#include <set>
#include <sstream>
#include <thread>

#include "express_manifest.hpp"
#include "hub_process.hpp"
#include "receiver.hpp"

namespace swhub::testing {
namespace {

std::string manifest(std::size_t lines, const std::string& salt = "", const std::vector<std::size_t>& bad = {}) {
  return expressManifest(lines, salt, bad);
}

// `pushUrl`: a third carrier, demo-express-push, whose notifications are pushed there in
// batches of 500.
std::string config(const TempDir& dir, const std::string& pushUrl = "") {
  const std::string path = dir.file("hub.yaml");
  std::string push;
  if (!pushUrl.empty()) {
    push = "  demo-express-push:\n    kind: express\n    plugin: express_manifest\n"
           "    credentials: {tokens: [demo-express-push-token]}\n"
           "    push: {adapter: http_webhook, settings: {url: \"" + pushUrl + "\"}, batch_max: 500}\n";
  }
  writeFile(path, R"(hub:
  listen: "127.0.0.1:0"
  journal: "sqlite:journal.db"
  max_body_bytes: 1073741824
plugins:
  canonical: {library: swhub_canonical.so}
  express_manifest: {library: swhub_express_manifest.so}
  http_webhook: {library: swhub_http_webhook.so}
partners:
  demo-express:
    kind: express
    plugin: express_manifest
    credentials: {tokens: [demo-express-token]}
  demo-express-av:
    kind: express
    plugin: express_manifest
    on_error: accept-valid
    credentials: {tokens: [demo-express-av-token]}
)" + push + R"(agencies:
  customs:
    credentials: {tokens: [demo-customs-token]}
admins:
  ops: {credentials: {tokens: [demo-admin-token]}}
routes:
  - name: every-filing-to-customs
    require: [customs]
)");
  return path;
}

HubProcess startHub(const TempDir& dir, const std::string& pushUrl = "") {
  return HubProcess({"serve", "--config", config(dir, pushUrl), "--listen", "127.0.0.1:0"});
}

HttpResponse fileManifest(const HubProcess& hub, const std::string& body, const std::string& key,
                          const std::string& token = "demo-express-token") {
  return swhub::testing::fileManifest(hub.address(), body, key, token, std::chrono::seconds(300));
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

std::string get(const HubProcess& hub, const std::string& path, const std::string& token = "demo-express-token") {
  return request(hub.address(), "GET", path, "", {{"Authorization", "Bearer " + token}}).body;
}

TEST(integration_large, ManifestIsFiledWholeWithMemoryThatDoesNotGrowWithIt) {
  long peaks[2] = {0, 0};
  const std::size_t sizes[2] = {6000, 20000};
  for (int run = 0; run < 2; ++run) {
    TempDir dir;
    HubProcess hub = startHub(dir);
    const pid_t pid = hub.pid();
    ASSERT_GT(pid, 0);
    const std::string body = manifest(sizes[run]);
    ASSERT_GT(body.size(), 1u << 20);  // the spooled path, not the in-memory one
    const HttpResponse filed = fileManifest(hub, body, "K-large");
    ASSERT_EQ(filed.status, 202) << filed.body.substr(0, 2000);
    EXPECT_EQ(count(filed.body, "\"case_id\""), sizes[run]);
    EXPECT_NE(filed.body.find("\"reference\":\"" + house(sizes[run] - 1) + "\""), std::string::npos);
    peaks[run] = procStatusKb(pid, "VmHWM:");

    // Every case is there, once the 202 is out.
    const std::string last = get(hub, "/v1/cases?reference=" + house(sizes[run] - 1));
    EXPECT_NE(last.find("\"case_id\""), std::string::npos) << last;
    // The same key and body: the same receipt, read back from the journal.
    const HttpResponse again = fileManifest(hub, body, "K-large");
    EXPECT_EQ(again.status, 202);
    EXPECT_EQ(again.body, filed.body);
    // The same key, another body: 409.
    EXPECT_EQ(fileManifest(hub, manifest(sizes[run], "X"), "K-large").status, 409);
    std::printf("%zu lines (%zu bytes): hub peak RSS %ld kB\n", sizes[run], body.size(), peaks[run]);
  }
  ASSERT_GT(peaks[0], 0);
  // More than three times the lines (tests/bench/large_manifest_bench runs 20,000 and 200,000), well under
  // 1.5 times the peak.
  EXPECT_LT(static_cast<double>(peaks[1]), 1.5 * static_cast<double>(peaks[0]))
      << peaks[0] << " kB for " << sizes[0] << " lines, " << peaks[1] << " kB for " << sizes[1];
}

TEST(integration_large, NotificationsPerHouseWaybillArePushedInBatches) {
  Receiver carrier;
  TempDir dir;
  HubProcess hub = startHub(dir, carrier.url());
  constexpr std::size_t kLines = 6000;
  const HttpResponse filed = fileManifest(hub, manifest(kLines), "K-push", "demo-express-push-token");
  ASSERT_EQ(filed.status, 202) << filed.body.substr(0, 2000);

  // Every house waybill is told it was accepted, in the carrier's CSV, 500 to a delivery.
  auto lines = [](const std::vector<Received>& got) {
    std::size_t n = 0;
    for (const auto& r : got) n += count(r.body, "\r\n") - 1;  // less the header row
    return n;
  };
  ASSERT_TRUE(carrier.waitFor([&](const std::vector<Received>& got) { return lines(got) >= kLines; },
                              std::chrono::seconds(120)))
      << lines(carrier.received()) << " of " << kLines << " notifications arrived";
  const auto got = carrier.received();
  std::set<std::string> houses;
  std::set<std::string> deliveries;
  for (const auto& r : got) {
    ASSERT_EQ(r.body.rfind("house_waybill,case_id,event,state,reason,at,delivery_id,reason_codes,revenue_due,"
                           "revenue_currency,revenue_why\r\n",
                           0),
              0u)
        << r.body.substr(0, 200);
    EXPECT_LE(count(r.body, "\r\n") - 1, 500u);
    EXPECT_EQ(r.id.rfind("B-", 0), 0u) << r.id;
    EXPECT_EQ(r.kind, "notification");
    deliveries.insert(r.id);
    std::istringstream rows(r.body);
    std::string row;
    std::getline(rows, row);  // header
    while (std::getline(rows, row)) {
      if (row.empty() || row == "\r") continue;
      houses.insert(row.substr(0, row.find(',')));
      EXPECT_NE(row.find(",accepted,"), std::string::npos) << row;
    }
  }
  EXPECT_EQ(houses.size(), kLines);  // each house waybill once
  EXPECT_EQ(houses.count(house(0)), 1u);
  EXPECT_EQ(houses.count(house(kLines - 1)), 1u);
  // All of them became visible at once: full batches, one delivery each.
  EXPECT_EQ(got.size(), kLines / 500);
  EXPECT_EQ(deliveries.size(), got.size());
  // Operators see it in /metrics: every item delivered (recorded once the receiver answered, so
  // a moment after the last batch arrived), one adapter call per batch.
  const std::string delivered =
      "# TYPE swhub_delivery_items_total counter\nswhub_delivery_items_total{outcome=\"delivered\"} 6000\n";
  std::string metrics;
  EXPECT_TRUE(eventually([&] {
    metrics = request(hub.address(), "GET", "/metrics").body;
    return metrics.find(delivered) != std::string::npos;
  })) << metrics;
  EXPECT_NE(metrics.find("\nswhub_deliveries_total 12\n"), std::string::npos) << metrics;
  EXPECT_EQ(metrics.find("swhub_notifications_unencodable_total{"), std::string::npos) << metrics;
  // The trace of a case names the delivery that carried its notification.
  const std::string caseId = [&] {
    const std::string found = get(hub, "/v1/cases?reference=" + house(0), "demo-express-push-token");
    const auto at = found.find("\"case_id\":\"") + 11;
    return found.substr(at, found.find('"', at) - at);
  }();
  const std::string trace = get(hub, "/v1/admin/cases/" + caseId + "/trace", "demo-admin-token");
  const auto batchAt = trace.find("\"batch\":\"B-");
  ASSERT_NE(batchAt, std::string::npos) << trace.substr(0, 3000);
  EXPECT_EQ(deliveries.count(trace.substr(batchAt + 9, 34)), 1u) << trace.substr(batchAt, 60);
  // The pull API shows the same notifications, one by one, in the carrier's format.
  const std::string pulled = get(hub, "/v1/notifications?after=0&limit=2", "demo-express-push-token");
  EXPECT_NE(pulled.find("\"content_type\":\"text/csv\""), std::string::npos) << pulled;
  EXPECT_NE(pulled.find(house(0)), std::string::npos) << pulled;
}

TEST(integration_large, RejectAllListsEveryErrorWithItsLineAndFilesNothing) {
  TempDir dir;
  HubProcess hub = startHub(dir);
  const HttpResponse filed = fileManifest(hub, manifest(6000, "", {10, 4000, 5999}), "K-bad");
  ASSERT_EQ(filed.status, 400) << filed.body.substr(0, 2000);
  EXPECT_NE(filed.body.find("3 error(s)"), std::string::npos) << filed.body;
  EXPECT_NE(filed.body.find("85X830"), std::string::npos) << filed.body;
  EXPECT_EQ(get(hub, "/v1/cases?reference=" + house(0)).find("\"case_id\""), std::string::npos);
}

TEST(integration_large, AcceptValidFilesTheValidLinesAndListsTheOthers) {
  TempDir dir;
  HubProcess hub = startHub(dir);
  const HttpResponse filed = fileManifest(hub, manifest(6000, "", {10, 4000}), "K-av", "demo-express-av-token");
  ASSERT_EQ(filed.status, 202) << filed.body.substr(0, 2000);
  EXPECT_EQ(count(filed.body, "\"case_id\""), 5998u);
  EXPECT_NE(filed.body.find("\"rejected\":[{\"location\":"), std::string::npos) << filed.body.substr(filed.body.size() - 2000);
  EXPECT_NE(filed.body.find("\"rejected_count\":2"), std::string::npos);
  EXPECT_EQ(get(hub, "/v1/cases?reference=" + house(10), "demo-express-av-token").find("\"case_id\""),
            std::string::npos);
  const std::string metrics = request(hub.address(), "GET", "/metrics").body;
  EXPECT_NE(metrics.find("swhub_filings_accepted_total{partner=\"demo-express-av\"} 5998"), std::string::npos);
  EXPECT_NE(metrics.find("swhub_filings_rejected_total{partner=\"demo-express-av\"} 2"), std::string::npos);
}

TEST(integration_large, CrashInTheMiddleLeavesNothingVisibleAndNothingAcknowledged) {
  TempDir dir;
  std::string body = manifest(10000);
  {
    HubProcess hub = startHub(dir);
    auto pending = std::async(std::launch::async, [&] {
      try {
        return fileManifest(hub, body, "K-crash").status;
      } catch (...) {
        return 0;  // the connection died with the hub
      }
    });
    // The receipt file exists once the body is in the journal and cases are being staged.
    const auto spool = dir.path() / "spool";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    bool staging = false;
    while (!staging && std::chrono::steady_clock::now() < deadline) {
      std::error_code ignored;
      for (const auto& entry : std::filesystem::directory_iterator(spool, ignored)) {
        if (entry.path().extension() == ".receipt") staging = true;
      }
      if (!staging) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(staging);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // some chunks staged
    hub.kill();
    EXPECT_NE(pending.get(), 202);
  }
  HubProcess hub = startHub(dir);
  EXPECT_EQ(get(hub, "/v1/cases?reference=" + house(0)).find("\"case_id\""), std::string::npos);
  EXPECT_EQ(get(hub, "/v1/notifications?after=0&limit=10").find("HWB"), std::string::npos);
  // Nothing of it is left to block the same key: filed again, whole.
  const HttpResponse filed = fileManifest(hub, body, "K-crash");
  ASSERT_EQ(filed.status, 202) << filed.body.substr(0, 2000);
  EXPECT_EQ(count(filed.body, "\"case_id\""), 10000u);
  std::error_code ignored;
  std::size_t leftovers = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "spool", ignored)) {
    (void)entry;
    ++leftovers;
  }
  EXPECT_EQ(leftovers, 0u);
}

}  // namespace
}  // namespace swhub::testing
