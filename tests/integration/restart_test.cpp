// Nothing acknowledged is lost: filings acknowledged before a crash (SIGKILL) or a stop are all
// there after a restart on the same journal.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <mutex>
#include <thread>

#include "hub_process.hpp"

namespace swhub::testing {
namespace {

using Poco::JSON::Object;

struct Acknowledged {
  std::string caseId;
  std::string reference;
};

std::vector<std::string> serveArgs(const TempDir& dir) {
  return {"serve", "--config", exampleConfig(), "--listen", "127.0.0.1:0", "--journal",
          "sqlite:" + dir.file("journal.db")};
}

// Files `perThread` filings from each of `threads` threads; returns what was acknowledged.
std::vector<Acknowledged> fileConcurrently(const std::string& address, int threads, int perThread,
                                           const std::string& prefix) {
  std::vector<Acknowledged> acknowledged;
  std::mutex mutex;
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < perThread; ++i) {
        const std::string reference = prefix + "-" + std::to_string(t) + "-" + std::to_string(i);
        const auto response = request(address, "POST", "/v1/messages", exampleFiling(reference),
                                      {{"Authorization", "Bearer demo-post-token"},
                                       {"Content-Type", "application/vnd.swhub.consignment+json"}});
        if (response.status != 202) continue;
        const auto receipt = Poco::JSON::Parser().parse(response.body).extract<Object::Ptr>();
        std::lock_guard lock(mutex);
        acknowledged.push_back({receipt->getArray("cases")->getObject(0)->getValue<std::string>("case_id"), reference});
      }
    });
  }
  for (auto& w : workers) w.join();
  return acknowledged;
}

void expectAllPresent(const std::string& address, const std::vector<Acknowledged>& acknowledged) {
  for (const auto& ack : acknowledged) {
    const auto read = request(address, "GET", "/v1/cases/" + ack.caseId, "", {{"Authorization", "Bearer demo-post-token"}});
    ASSERT_EQ(read.status, 200) << ack.caseId << " " << read.body;
    const auto view = Poco::JSON::Parser().parse(read.body).extract<Object::Ptr>();
    EXPECT_EQ(view->getValue<std::string>("reference"), ack.reference);
  }
}

TEST(Restart, EveryAcknowledgedFilingSurvivesACrash) {
  TempDir dir;
  std::vector<Acknowledged> acknowledged;
  {
    HubProcess hub(serveArgs(dir));
    acknowledged = fileConcurrently(hub.address(), 8, 25, "CRASH");
    hub.kill();  // SIGKILL right after the last acknowledgement: no shutdown path runs
  }
  EXPECT_EQ(acknowledged.size(), 200u);
  HubProcess restarted(serveArgs(dir));
  expectAllPresent(restarted.address(), acknowledged);
}

TEST(Restart, AGracefulStopLosesNothingAndExitsZero) {
  TempDir dir;
  std::vector<Acknowledged> acknowledged;
  {
    HubProcess hub(serveArgs(dir));
    acknowledged = fileConcurrently(hub.address(), 4, 10, "STOP");
    EXPECT_EQ(hub.terminate(), 0) << hub.output();
  }
  HubProcess restarted(serveArgs(dir));
  expectAllPresent(restarted.address(), acknowledged);
  // The restarted hub still refuses a reference filed before the stop.
  const auto again = request(restarted.address(), "POST", "/v1/messages", exampleFiling(acknowledged.front().reference),
                             {{"Authorization", "Bearer demo-post-token"},
                              {"Content-Type", "application/vnd.swhub.consignment+json"}});
  EXPECT_EQ(again.status, 400);
}

}  // namespace
}  // namespace swhub::testing
