// The routes' dry run (POST /v1/admin/routes/dry-run, api/route_dry_run.hpp) on the example
// config's routes: a pasted consignment and a past filing, the routes in force and an uploaded
// file, and every bad body a 400 naming what is wrong (a route file as check-config words it).
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>
#include <string>
#include <vector>

#include "api/route_dry_run.hpp"
#include "config/config.hpp"
#include "instants.hpp"
#include "temp_dir.hpp"

namespace swhub::api {
namespace {

const std::string kConfig = std::string(SWHUB_SOURCE_ROOT) + "/config/hub.yaml";

std::string consignment(const std::string& hs, const std::string& value = "20.00") {
  return R"({"reference":"DRY-1","filing":"pre-arrival",)"
         R"("parties":{"seller":{"name":"Shop","country":"CN"},"buyer":{"name":"Ana","country":"PT"}},)"
         R"("items":[{"sequence":1,"description":"Coffee","hs":"090111","quantity":1,"unit":"pce","value":20.00,)"
         R"("currency":"EUR","origin":"CN","nature":"sale","documents":[]},)"
         R"({"sequence":2,"description":"Toy","hs":")" + hs + R"(","quantity":1,"unit":"pce","value":)" + value +
         R"(,"currency":"EUR","origin":"CN","nature":"sale","documents":[]}]})";
}

Poco::JSON::Object::Ptr parse(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::vector<std::string> strings(const Poco::JSON::Array::Ptr& array) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < array->size(); ++i) out.push_back(array->getElement<std::string>(i));
  return out;
}

class api_route_dry_run : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = config::loadConfig(kConfig);
    auto routes = routing::RouteTable::compile(config_.routes, "routes");
    ASSERT_TRUE(routes.ok());
    routes_ = routes.take();
    journal_ = journal::openJournal("sqlite:" + dir_.file("journal.db"));
    dryRun_ = std::make_unique<RouteDryRun>(*journal_, [this] { return routes_; }, config_.raw, config_.source);
  }

  swhub::testing::TempDir dir_;
  config::HubConfig config_;
  std::shared_ptr<const routing::RouteTable> routes_;
  std::unique_ptr<journal::Journal> journal_;
  std::unique_ptr<RouteDryRun> dryRun_;
};

TEST_F(api_route_dry_run, APastedConsignmentGoesToTheAgenciesOfItsItemsRouteByRoute) {
  const HttpResult r = dryRun_->run(R"({"consignment":)" + consignment("950300") + R"(,"partner":"demo-post"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body,
            R"({"routes_from":"current","case_id":null,"partner":"demo-post","category":null,)"
            R"("agencies":["customs","food-safety","product-safety"],)"
            R"("items_by_agency":{"customs":[1,2],"food-safety":[1],"product-safety":[2]},)"
            R"("routes":[{"name":"every-filing-to-customs","require":["customs"],"items":[1,2]},)"
            R"({"name":"food-to-food-safety","require":["food-safety"],"items":[1]},)"
            R"({"name":"toys-and-electrical-to-product-safety","require":["product-safety"],"items":[2]}],"notify":[]})");
  // A category route matches only once the category is known: given, it does.
  const auto high = parse(dryRun_->run(R"({"consignment":)" + consignment("420221") + R"(,"category":4})").body);
  EXPECT_EQ(strings(high->getArray("agencies")), (std::vector<std::string>{"customs", "food-safety", "product-safety"}));
  EXPECT_EQ(high->getArray("routes")->getObject(2)->getValue<std::string>("name"), "high-value-to-product-safety");
}

TEST_F(api_route_dry_run, APastFilingIsReadByItsCaseIdWithItsPartner) {
  journal::WriteBatch batch;
  journal::CaseRecord record{"C-DRY-1", "demo-shop", "DRY-1", "pre-arrival", common::CaseState::Held, 1,
                             consignment("851830"), "M-1", swhub::testing::at("2026-11-28T10:00:00Z"),
                             swhub::testing::at("2026-11-28T10:00:00Z")};
  batch.new_cases.push_back(record);
  ASSERT_EQ(journal_->commit(std::move(batch)).status, journal::CommitResult::Status::Committed);
  const auto answer = parse(dryRun_->run(R"({"case_id":"C-DRY-1"})").body);
  EXPECT_EQ(answer->getValue<std::string>("case_id"), "C-DRY-1");
  EXPECT_EQ(answer->getValue<std::string>("partner"), "demo-shop");
  EXPECT_EQ(strings(answer->getArray("agencies")), (std::vector<std::string>{"customs", "food-safety", "product-safety"}));
  const HttpResult missing = dryRun_->run(R"({"case_id":"C-NONE"})");
  EXPECT_EQ(missing.status, 404);
  EXPECT_NE(missing.body.find("urn:swhub:problem:case-not-found"), std::string::npos);
}

TEST_F(api_route_dry_run, AnUploadedRouteFileIsTriedInsteadOfTheRoutesInForce) {
  const std::string yaml = "routes:\n  - name: toys-only\n    match: {hs_prefix: [\"9503\"]}\n    require: [product-safety]\n";
  Poco::JSON::Object body;
  body.set("consignment", parse(consignment("950300")));
  body.set("routes_yaml", yaml);
  std::ostringstream text;
  body.stringify(text);
  const HttpResult r = dryRun_->run(text.str());
  ASSERT_EQ(r.status, 200) << r.body;
  const auto answer = parse(r.body);
  EXPECT_EQ(answer->getValue<std::string>("routes_from"), "uploaded");
  EXPECT_EQ(strings(answer->getArray("agencies")), (std::vector<std::string>{"product-safety"}));
  EXPECT_EQ(answer->getArray("routes")->getObject(0)->getValue<std::string>("name"), "toys-only");
  // The list alone is a route file too.
  auto list = compileRouteFile(config_.raw, config_.source, "- name: all\n  require: [customs]\n");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list.value()->routes().size(), 1u);
}

TEST_F(api_route_dry_run, ABadRouteFileIsA400WithTheConfigErrorsDottedPath) {
  const HttpResult r = dryRun_->run(R"({"consignment":)" + consignment("950300") +
                                    R"(,"routes_yaml":"routes:\n  - name: x\n    require: [product-safty]\n"})");
  ASSERT_EQ(r.status, 400) << r.body;
  const auto problem = parse(r.body);
  EXPECT_EQ(problem->getValue<std::string>("type"), "urn:swhub:problem:invalid-dry-run");
  const auto error = problem->getArray("errors")->getObject(0);
  EXPECT_EQ(error->getValue<std::string>("path"), "routes[0].require[0]");
  // check-config's words for the same mistake in hub.yaml.
  EXPECT_EQ(error->getValue<std::string>("message"),
            "unknown agency 'product-safty'; defined: customs, food-safety, product-safety; did you mean 'product-safety'?");
  // Not YAML, another key beside `routes`, a route without `require`.
  EXPECT_EQ(dryRun_->run(R"({"case_id":"C-1","routes_yaml":"routes: [\n"})").status, 400);
  const auto extra = compileRouteFile(config_.raw, config_.source, "routes: []\nhub: {}\n");
  ASSERT_FALSE(extra.ok());
  EXPECT_EQ(extra.errors().at(0).path, "routes_yaml");
  const auto noRequire = compileRouteFile(config_.raw, config_.source, "routes:\n  - name: x\n");
  ASSERT_FALSE(noRequire.ok());
  EXPECT_EQ(noRequire.errors().at(0).path.rfind("routes[0]", 0), 0u) << noRequire.errors().at(0).path;
}

TEST_F(api_route_dry_run, EveryBadBodyIsA400NamingWhatIsWrong) {
  struct Case {
    const char* body;
    const char* path;
  };
  const Case cases[] = {
      {"not json", ""},
      {"[]", ""},
      {"{}", "case_id"},
      {R"({"case_id":"C-1","consignment":{}})", "case_id"},
      {R"({"case_id":7})", "case_id"},
      {R"({"consignment":"text"})", "consignment"},
      {R"({"consignment":{"reference":"X"}})", "consignment/"},
      {R"({"case_id":"C-1","routes_yaml":5})", "routes_yaml"},
  };
  for (const auto& c : cases) {
    const HttpResult r = dryRun_->run(c.body);
    EXPECT_EQ(r.status, 400) << c.body << ": " << r.body;
    EXPECT_NE(r.body.find(std::string("\"path\":\"") + c.path), std::string::npos) << c.body << ": " << r.body;
  }
  const HttpResult category = dryRun_->run(R"({"consignment":)" + consignment("950300") + R"(,"category":9})");
  EXPECT_EQ(category.status, 400);
  EXPECT_NE(category.body.find("\"path\":\"category\""), std::string::npos) << category.body;
}

}  // namespace
}  // namespace swhub::api
