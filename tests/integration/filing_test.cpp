// POST /v1/messages and the case reads against a real swhub process.
#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>
#include <vector>

#include "hub_process.hpp"
#include "receiver.hpp"
#include "test_json.hpp"

namespace swhub::testing {
namespace {

using Poco::JSON::Object;

const std::map<std::string, std::string> kPost = {{"Authorization", "Bearer demo-post-token"},
                                                  {"Content-Type", "application/vnd.swhub.consignment+json"}};

std::map<std::string, std::string> with(std::map<std::string, std::string> headers,
                                        const std::map<std::string, std::string>& more) {
  for (const auto& [k, v] : more) headers[k] = v;
  return headers;
}

class Filing : public ::testing::Test {
 protected:
  Filing()
      : hub_({"serve", "--config", exampleConfig(), "--listen", "127.0.0.1:0", "--journal",
              "sqlite:" + dir_.file("journal.db")}) {}

  HttpResponse post(const std::string& body, const std::map<std::string, std::string>& headers = kPost) {
    return request(hub_.address(), "POST", "/v1/messages", body, headers);
  }

  TempDir dir_;
  HubProcess hub_;
};

TEST_F(Filing, AcceptsTheDesignExampleWithAReceiptAfterTheCommit) {
  const auto response = post(exampleFiling("LRN-2026-000123"));
  ASSERT_EQ(response.status, 202) << response.body;
  const auto receipt = parse(response.body);
  EXPECT_EQ(receipt->getValue<std::string>("message_id").rfind("M-", 0), 0u);
  EXPECT_EQ(receipt->getValue<std::string>("digest").rfind("sha256:", 0), 0u);
  EXPECT_EQ(receipt->getValue<std::string>("digest").size(), 7u + 64u);
  EXPECT_FALSE(receipt->getValue<std::string>("received_at").empty());
  const auto cases = receipt->getArray("cases");
  ASSERT_EQ(cases->size(), 1u);
  EXPECT_EQ(cases->getObject(0)->getValue<std::string>("reference"), "LRN-2026-000123");
  // Routed at once to customs and product safety (headphones): under assessment.
  EXPECT_EQ(cases->getObject(0)->getValue<std::string>("state"), "under-assessment");

  const std::string caseId = cases->getObject(0)->getValue<std::string>("case_id");
  const auto read = request(hub_.address(), "GET", "/v1/cases/" + caseId, "", {{"Authorization", "Bearer demo-post-token"}});
  ASSERT_EQ(read.status, 200) << read.body;
  const auto view = parse(read.body);
  EXPECT_EQ(view->getValue<std::string>("state"), "under-assessment");
  EXPECT_TRUE(view->getObject("decisions")->has("customs"));
  EXPECT_TRUE(view->getObject("decisions")->has("product-safety"));
  const auto consignment = view->getObject("consignment");
  EXPECT_EQ(consignment->getValue<std::string>("reference"), "LRN-2026-000123");
  EXPECT_EQ(consignment->getArray("items")->getObject(0)->getValue<std::string>("hs"), "851830");
  // The filing's own events come first: received, accepted, routed, a task for each agency, the
  // move to under-assessment, the notification. Customs assesses in process on its own thread, so
  // its events may already follow them; wait for them so the whole history is known.
  Poco::JSON::Object::Ptr settled;
  ASSERT_TRUE(eventually([&] {
    const auto again = request(hub_.address(), "GET", "/v1/cases/" + caseId, "",
                               {{"Authorization", "Bearer demo-post-token"}});
    settled = parse(again.body);
    for (const auto& event : *settled->getArray("history")) {
      if (event.extract<Object::Ptr>()->getValue<std::string>("kind") == "assessed") return true;
    }
    return false;
  })) << "customs never assessed the case";
  std::vector<std::string> kinds;
  for (const auto& event : *settled->getArray("history")) {
    const auto e = event.extract<Object::Ptr>();
    kinds.push_back(e->getValue<std::string>("kind") + "/" + e->getValue<std::string>("actor"));
  }
  std::vector<std::string> expected = {
      "received/partner:demo-post", "transition/hub", "routed/hub", "task/hub", "task/hub", "transition/hub",
      "notification/hub",
      // customs's own assessment: its findings, then its decision
      "assessed/plugin:customs", "decision/plugin:customs"};
  // The example config selects 2 % of cases at random for inspection (seeded by the case): such a
  // case moves to inspection and the partner is told; a cleared one waits for product safety.
  const auto customs = settled->getObject("decisions")->getObject("customs");
  if (customs->getValue<std::string>("outcome") != "clear") {
    expected.insert(expected.end(), {"transition/plugin:customs", "notification/hub"});
  }
  EXPECT_EQ(kinds, expected) << "customs decided " << customs->getValue<std::string>("outcome");
}

TEST_F(Filing, TheSameIdempotencyKeyAndBodyReturnsTheSameReceipt) {
  const auto headers = with(kPost, {{"Idempotency-Key", "k-1"}});
  const auto first = post(exampleFiling("REF-IDEM"), headers);
  const auto again = post(exampleFiling("REF-IDEM"), headers);
  ASSERT_EQ(first.status, 202) << first.body;
  EXPECT_EQ(again.status, 202);
  EXPECT_EQ(again.body, first.body);
}

TEST_F(Filing, TheSameIdempotencyKeyWithAnotherBodyIsAConflict) {
  const auto headers = with(kPost, {{"Idempotency-Key", "k-2"}});
  ASSERT_EQ(post(exampleFiling("REF-A"), headers).status, 202);
  const auto other = post(exampleFiling("REF-B"), headers);
  EXPECT_EQ(other.status, 409);
  EXPECT_EQ(other.headers.at("Content-Type"), "application/problem+json");
  EXPECT_NE(parse(other.body)->getValue<std::string>("detail").find("k-2"), std::string::npos);
}

TEST_F(Filing, AnInvalidFilingIsRefusedWithEveryErrorAndItsPath) {
  std::string body = exampleFiling("REF-BAD");
  body.replace(body.find("\"851830\""), 8, "\"8518\"");
  body.replace(body.find("\"EUR\""), 5, "\"EURO\"");
  const auto response = post(body);
  ASSERT_EQ(response.status, 400) << response.body;
  EXPECT_EQ(response.headers.at("Content-Type"), "application/problem+json");
  const auto problem = parse(response.body);
  EXPECT_EQ(problem->getValue<int>("status"), 400);
  const auto errors = problem->getArray("errors");
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < errors->size(); ++i) paths.push_back(errors->getObject(i)->getValue<std::string>("path"));
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/items/0/hs"), paths.end()) << response.body;
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/items/0/currency"), paths.end()) << response.body;
  // Nothing was filed: the reference is still free.
  const auto lookup = request(hub_.address(), "GET", "/v1/cases?reference=REF-BAD", "", {{"Authorization", "Bearer demo-post-token"}});
  EXPECT_EQ(parse(lookup.body)->getArray("cases")->size(), 0u);
}

TEST_F(Filing, RefusesCallersWithoutAKnownToken) {
  EXPECT_EQ(post(exampleFiling("R1"), {{"Content-Type", "application/vnd.swhub.consignment+json"}}).status, 401);
  const auto wrong = post(exampleFiling("R1"), with(kPost, {{"Authorization", "Bearer not-a-token"}}));
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.headers.at("WWW-Authenticate"), "Bearer realm=\"swhub\"");
}

TEST_F(Filing, AnAgencyMayNotFileMessages) {
  const auto refused = post(exampleFiling("R2"), with(kPost, {{"Authorization", "Bearer demo-customs-token"}}));
  EXPECT_EQ(refused.status, 403);
  // The status line says what the status means ("403 Forbidden", never "403 OK").
  EXPECT_EQ(refused.reason, "Forbidden");
}

TEST_F(Filing, EveryStatusLineCarriesItsOwnReasonPhrase) {
  const std::map<std::string, std::string> admin{{"Authorization", "Bearer demo-admin-token"}};
  EXPECT_EQ(request(hub_.address(), "GET", "/v1/nothing", "", admin).reason, "Not Found");
  EXPECT_EQ(request(hub_.address(), "GET", "/v1/messages", "", admin).reason, "Method Not Allowed");
  EXPECT_EQ(request(hub_.address(), "GET", "/v1/cases").reason, "Unauthorized");
  EXPECT_EQ(post("{}", with(kPost, {{"Content-Type", "text/csv"}})).reason, "Unsupported Media Type");
  EXPECT_EQ(post(exampleFiling("R-REASON")).reason, "Accepted");
  EXPECT_EQ(request(hub_.address(), "GET", "/healthz").reason, "OK");
}

// Whatever a client puts in the request target, the answer is a 4xx problem, never a 500.
TEST_F(Filing, BadPercentEncodingIsA400NamingWhere) {
  const std::map<std::string, std::string> partner{{"Authorization", "Bearer demo-post-token"}};
  for (const std::string target : {"/v1/cases/%zz", "/v1/cases/%4", "/v1/cases?reference=%4", "/v1/cases?reference=%zz",
                                   "/v1/notifications?after=%g1", "/healthz?x=%"}) {
    const auto r = request(hub_.address(), "GET", target, "", partner);
    EXPECT_EQ(r.status, 400) << target << ": " << r.body;
    EXPECT_EQ(r.headers.at("Content-Type"), "application/problem+json") << target;
    EXPECT_NE(r.body.find("encoding"), std::string::npos) << target << ": " << r.body;
  }
  const auto path = request(hub_.address(), "GET", "/v1/cases/%zz", "", partner);
  EXPECT_NE(path.body.find(R"("path":"path")"), std::string::npos) << path.body;
  const auto query = request(hub_.address(), "GET", "/v1/cases?reference=%4", "", partner);
  EXPECT_NE(query.body.find(R"("path":"query")"), std::string::npos) << query.body;
  // Well-formed encoding still works.
  EXPECT_EQ(request(hub_.address(), "GET", "/v1/cases?reference=LRN%2D1", "", partner).status, 200);
}

TEST_F(Filing, ATooLargeBodyIs413) {
  const std::string big(2 * 1024 * 1024, ' ');
  const auto response = post(exampleFiling("R3") + big);
  EXPECT_EQ(response.status, 413);
  EXPECT_NE(response.body.find("payload-too-large"), std::string::npos);
}

TEST_F(Filing, AnUnknownContentTypeIs415NamingWhatIsAccepted) {
  const auto response = post("<x/>", with(kPost, {{"Content-Type", "application/x-unknown"}}));
  EXPECT_EQ(response.status, 415);
  EXPECT_NE(response.body.find("application/vnd.swhub.consignment+json"), std::string::npos) << response.body;
}

// demo-shop's own plugin is `canonical`: its types are the canonical ones, listed once each.
TEST_F(Filing, The415ListsEachAcceptedTypeOnce) {
  const auto response = post("<x/>", {{"Authorization", "Bearer demo-shop-token"}, {"Content-Type", "text/csv"}});
  ASSERT_EQ(response.status, 415);
  const std::string detail = parse(response.body)->getValue<std::string>("detail");
  for (const std::string type : {"application/vnd.swhub.consignment+json", "application/vnd.swhub.consignment+xml"}) {
    const auto first = detail.find(type);
    ASSERT_NE(first, std::string::npos) << detail;
    EXPECT_EQ(detail.find(type, first + type.size()), std::string::npos) << "listed twice: " << detail;
  }
}

TEST_F(Filing, AFollowUpOfAnEndedCaseIsRefusedInPlainWords) {
  ASSERT_EQ(post(exampleFiling("REF-ENDED")).status, 202);
  ASSERT_EQ(post(R"({"reference":"REF-ENDED","filing":"cancellation"})").status, 202);
  const std::string full = exampleFiling("REF-ENDED");
  const auto amended = post(R"({"reference":"REF-ENDED","filing":"amendment",)" + full.substr(full.find("\"parties\"")));
  EXPECT_EQ(amended.status, 400) << amended.body;
  EXPECT_NE(amended.body.find("is cancelled: an amendment cannot change it"), std::string::npos) << amended.body;
  const auto arrived = post(R"({"reference":"REF-ENDED","filing":"arrival"})");
  EXPECT_NE(arrived.body.find("is cancelled: an arrival cannot change it"), std::string::npos) << arrived.body;
}

TEST_F(Filing, APartnerNeverSeesAnotherPartnersCase) {
  const auto filed = post(exampleFiling("REF-PRIVATE"));
  ASSERT_EQ(filed.status, 202);
  const std::string caseId = parse(filed.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
  const auto other = request(hub_.address(), "GET", "/v1/cases/" + caseId, "", {{"Authorization", "Bearer demo-express-token"}});
  EXPECT_EQ(other.status, 404);
  const auto byRef = request(hub_.address(), "GET", "/v1/cases?reference=REF-PRIVATE", "",
                             {{"Authorization", "Bearer demo-express-token"}});
  EXPECT_EQ(parse(byRef.body)->getArray("cases")->size(), 0u);
  const auto own = request(hub_.address(), "GET", "/v1/cases?reference=REF-PRIVATE", "",
                           {{"Authorization", "Bearer demo-post-token"}});
  ASSERT_EQ(parse(own.body)->getArray("cases")->size(), 1u);
  EXPECT_EQ(parse(own.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id"), caseId);
  const auto admin = request(hub_.address(), "GET", "/v1/cases/" + caseId, "", {{"Authorization", "Bearer demo-admin-token"}});
  EXPECT_EQ(admin.status, 200);
}

TEST_F(Filing, ASecondFilingOfTheSameReferenceIsRefused) {
  ASSERT_EQ(post(exampleFiling("REF-TWICE")).status, 202);
  const auto again = post(exampleFiling("REF-TWICE"));
  EXPECT_EQ(again.status, 400);
  EXPECT_NE(again.body.find("already filed"), std::string::npos) << again.body;
}

TEST_F(Filing, AcceptsTheCanonicalXmlForm) {
  const std::string xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<consignment xmlns="urn:swhub:canonical:consignment:1">
  <reference>XML-0001</reference>
  <filing>pre-arrival</filing>
  <items>
    <item><description>Wooden toy train</description><hs>950300</hs><quantity>2</quantity><unit>pce</unit>
      <value>19.90</value><currency>EUR</currency><origin>CN</origin><nature>sale</nature></item>
  </items>
</consignment>)";
  const auto response = post(xml, with(kPost, {{"Content-Type", "application/vnd.swhub.consignment+xml"}}));
  ASSERT_EQ(response.status, 202) << response.body;
}

TEST_F(Filing, HealthReadinessAndMetrics) {
  EXPECT_EQ(request(hub_.address(), "GET", "/healthz").status, 200);
  EXPECT_EQ(request(hub_.address(), "GET", "/readyz").status, 200);
  ASSERT_EQ(post(exampleFiling("REF-M1")).status, 202);
  ASSERT_EQ(post(exampleFiling("REF-M2")).status, 202);
  std::string bad = exampleFiling("REF-M3");
  bad.replace(bad.find("\"CN\""), 4, "\"XX\"");
  ASSERT_EQ(post(bad).status, 400);
  const auto metrics = request(hub_.address(), "GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("swhub_filings_accepted_total{partner=\"demo-post\"} 2\n"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("swhub_filings_rejected_total{partner=\"demo-post\"} 1\n"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find("# TYPE swhub_journal_commit_seconds histogram"), std::string::npos);
  EXPECT_NE(metrics.body.find("swhub_journal_commit_seconds_bucket{le=\"+Inf\"}"), std::string::npos);
}

TEST_F(Filing, UnknownPathsAndMethodsAreProblems) {
  const auto missing = request(hub_.address(), "GET", "/v1/nothing", "", {{"Authorization", "Bearer demo-post-token"}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.headers.at("Content-Type"), "application/problem+json");
  const auto method = request(hub_.address(), "GET", "/v1/messages", "", {{"Authorization", "Bearer demo-post-token"}});
  EXPECT_EQ(method.status, 405);
  EXPECT_EQ(method.headers.at("Allow"), "POST");
}

}  // namespace
}  // namespace swhub::testing
