// One hub per address and per journal, and one case per reference, against real processes: a
// second `swhub serve` on a taken address or on a journal another hub holds stops at once with
// a message that names it (CLI commands keep working beside the hub), and N concurrent filings
// of one reference get exactly one 202.

#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <latch>
#include <thread>

#include "hub_process.hpp"

namespace swhub::testing {
namespace {

using Poco::JSON::Object;

std::vector<std::string> serveArgs(const std::string& journal, const std::string& listen = "127.0.0.1:0") {
  return {"serve", "--config", exampleConfig(), "--listen", listen, "--journal", "sqlite:" + journal};
}

TEST(OneHub, ASecondServeOnATakenAddressFailsAtStartNamingIt) {
  TempDir dir;
  HubProcess first(serveArgs(dir.file("first.db")));
  const auto [code, out] = runSwhub(serveArgs(dir.file("second.db"), first.address()), std::chrono::seconds(20));
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("swhub: listen " + first.address() + ": address already in use"), std::string::npos) << out;
  EXPECT_EQ(out.find("listening on"), std::string::npos) << out;
  // The first one still serves everything.
  EXPECT_EQ(request(first.address(), "GET", "/healthz").status, 200);
}

TEST(OneHub, ASecondServeOnAHeldJournalFailsNamingItAndTheHolderWhileTheCliWorksBeside) {
  TempDir dir;
  const std::string journal = dir.file("journal.db");
  auto first = std::make_unique<HubProcess>(serveArgs(journal));
  const auto filed = request(first->address(), "POST", "/v1/messages", exampleFiling("BESIDE-1"),
                             {{"Authorization", "Bearer demo-post-token"},
                              {"Content-Type", "application/vnd.swhub.consignment+json"}});
  ASSERT_EQ(filed.status, 202) << filed.body;
  const std::string caseId = Poco::JSON::Parser()
                                 .parse(filed.body)
                                 .extract<Object::Ptr>()
                                 ->getArray("cases")
                                 ->getObject(0)
                                 ->getValue<std::string>("case_id");

  const auto [code, out] = runSwhub(serveArgs(journal), std::chrono::seconds(20));
  EXPECT_EQ(code, 1) << out;
  EXPECT_NE(out.find("journal: sqlite:" + journal + " is in use by another hub (pid " + std::to_string(first->pid()) +
                     ", lock file " + journal + ".lock): one hub per SQLite journal"),
            std::string::npos)
      << out;

  // Reading commands beside the running hub.
  const auto trace = runSwhub({"trace", caseId, "--config", exampleConfig(), "--journal", "sqlite:" + journal},
                               std::chrono::seconds(20));
  EXPECT_EQ(trace.first, 0) << trace.second;
  EXPECT_NE(trace.second.find(caseId), std::string::npos) << trace.second;
  const auto replay = runSwhub({"replay", "--all", "--config", exampleConfig(), "--journal", "sqlite:" + journal},
                                std::chrono::seconds(20));
  EXPECT_EQ(replay.first, 0) << replay.second;
  const auto plugins = runSwhub({"plugins", "--config", exampleConfig()}, std::chrono::seconds(20));
  EXPECT_EQ(plugins.first, 0) << plugins.second;

  // A crash frees the journal at once: the lock dies with its process.
  first->kill();
  first.reset();
  HubProcess second(serveArgs(journal));
  EXPECT_EQ(request(second.address(), "GET", "/v1/cases/" + caseId, "", {{"Authorization", "Bearer demo-post-token"}})
                .status,
            200);
}

TEST(OneHub, ConcurrentFilingsOfOneReferenceMakeOneCaseAndTheRestGetTheDuplicateAnswer) {
  TempDir dir;
  HubProcess hub(serveArgs(dir.file("journal.db")));
  constexpr int kFilings = 16;
  for (int round = 0; round < 3; ++round) {
    const std::string reference = "RACE-" + std::to_string(round);
    std::latch start(kFilings);
    std::vector<HttpResponse> answers(kFilings);
    std::vector<std::thread> clients;
    for (int i = 0; i < kFilings; ++i) {
      clients.emplace_back([&, i] {
        start.arrive_and_wait();
        answers[i] = request(hub.address(), "POST", "/v1/messages", exampleFiling(reference),
                             {{"Authorization", "Bearer demo-post-token"},
                              {"Content-Type", "application/vnd.swhub.consignment+json"}});
      });
    }
    for (auto& c : clients) c.join();
    int accepted = 0;
    for (const auto& answer : answers) {
      if (answer.status == 202) {
        ++accepted;
        continue;
      }
      ASSERT_EQ(answer.status, 400) << answer.body;
      const auto problem = Poco::JSON::Parser().parse(answer.body).extract<Object::Ptr>();
      EXPECT_NE(problem->getValue<std::string>("type").find("invalid-filing"), std::string::npos) << answer.body;
      EXPECT_EQ(problem->getValue<std::string>("detail"), "1 error(s) in the message; nothing was filed");
      const auto error = problem->getArray("errors")->getObject(0);
      EXPECT_EQ(error->getValue<std::string>("message"),
                "reference '" + reference + "' was already filed by 'demo-post': file an amendment or a "
                "cancellation for it");
    }
    EXPECT_EQ(accepted, 1) << "round " << round;
    const auto found = request(hub.address(), "GET", "/v1/cases?reference=" + reference, "",
                               {{"Authorization", "Bearer demo-post-token"}});
    ASSERT_EQ(found.status, 200) << found.body;
    const auto list = Poco::JSON::Parser().parse(found.body);
    std::size_t cases = 0;
    if (auto array = list.extract<Object::Ptr>()->getArray("cases")) cases = array->size();
    EXPECT_EQ(cases, 1u) << found.body;
  }
}

}  // namespace
}  // namespace swhub::testing
