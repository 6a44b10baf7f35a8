// What operators rely on, through a real hub (issue 13, items 3 and 4): the OpenAPI document is
// served without credentials and every operation it documents is routed (never 404 not-found or
// 405); SIGHUP reloads the routes as POST /v1/admin/reload does.
#include <gtest/gtest.h>
#include <signal.h>
#include <yaml-cpp/yaml.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <memory>

#include "hub_process.hpp"
#include "receiver.hpp"
#include "temp_dir.hpp"

using namespace swhub::testing;

namespace {

const std::map<std::string, std::string> kAdmin = {{"Authorization", "Bearer demo-admin-token"}};

Poco::JSON::Object::Ptr parse(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

std::string replaceAll(std::string text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

class Operator : public ::testing::Test {
 protected:
  void startHub() {
    writeFile(dir_.file("hub.yaml"), exampleConfigText());
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{
        "serve", "--config", dir_.file("hub.yaml"), "--listen", "127.0.0.1:0", "--journal",
        "sqlite:" + dir_.file("journal.db")});
  }
  std::size_t routeCount() {
    const auto routes = request(hub_->address(), "GET", "/v1/admin/routes", "", kAdmin);
    return routes.status == 200 ? parse(routes.body)->getArray("routes")->size() : 0;
  }

  TempDir dir_{"swhub-operator"};
  std::unique_ptr<HubProcess> hub_;
};

TEST_F(Operator, TheOpenApiDocumentIsServedToAnyoneAsYaml) {
  startHub();
  const auto served = request(hub_->address(), "GET", "/v1/openapi.yaml");
  ASSERT_EQ(served.status, 200) << served.body;
  EXPECT_EQ(served.headers.at("Content-Type"), "application/yaml");
  EXPECT_EQ(served.body, readFile(std::string(SWHUB_SOURCE_ROOT) + "/schemas/openapi.yaml"));
  EXPECT_EQ(YAML::Load(served.body)["openapi"].as<std::string>(), "3.1.0");
  const auto schema = request(hub_->address(), "GET", "/v1/canonical/consignment.schema.json");
  ASSERT_EQ(schema.status, 200);
  EXPECT_EQ(schema.headers.at("Content-Type"), "application/schema+json");
  EXPECT_EQ(parse(schema.body)->getValue<std::string>("$id"), "urn:swhub:canonical:consignment:1:json");
  EXPECT_EQ(request(hub_->address(), "POST", "/v1/openapi.yaml", "{}").status, 405);
}

// Every documented operation is routed: the answer is never 405, nor the router's own 404
// (`not-found`); a resource's 404 (a dead letter that does not exist) has its own problem type.
TEST_F(Operator, EveryDocumentedOperationAnswersOnARealHub) {
  startHub();
  // Real objects for the path parameters: a case, a licence, the example's duty account.
  const auto filed = request(hub_->address(), "POST", "/v1/messages", exampleFiling("OPENAPI-1"),
                             {{"Authorization", "Bearer demo-shop-token"},
                              {"Content-Type", "application/vnd.swhub.consignment+json"},
                              {"Idempotency-Key", "openapi-1"}});
  ASSERT_EQ(filed.status, 202) << filed.body;
  const std::string caseId = parse(filed.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
  const auto licence = request(hub_->address(), "POST", "/v1/admin/licences",
                               R"({"agency":"food-safety","id":"OPENAPI-L1","type":"C640","holder":"PT-IMP-1",)"
                               R"("valid_from":"2026-01-01","valid_to":"2026-12-31","quantity":"2"})",
                               kAdmin);
  ASSERT_EQ(licence.status, 201) << licence.body;
  const std::map<std::string, std::string> values = {{"{case_id}", caseId},    {"{account}", "DEMO-BROKER-1"},
                                                     {"{period}", "2026-11"},  {"{agency}", "food-safety"},
                                                     {"{id}", "OPENAPI-L1"}, {"{seq}", "1"}, {"{file}", "app.js"}};
  const YAML::Node doc = YAML::Load(request(hub_->address(), "GET", "/v1/openapi.yaml").body);
  int operations = 0;
  for (const auto& path : doc["paths"]) {
    std::string target = path.first.as<std::string>();
    for (const auto& [name, value] : values) target = replaceAll(target, name, value);
    ASSERT_EQ(target.find('{'), std::string::npos) << target << ": a parameter without a value in this test";
    for (const auto& operation : path.second) {
      std::string method = operation.first.as<std::string>();
      if (method == "parameters") continue;
      for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      // The admin may call every route; a service refuses what the admin may not do (403), after routing.
      const std::string body = method == "POST" || method == "PUT" ? "{}" : "";
      const auto answer = request(hub_->address(), method, target, body, kAdmin);
      ++operations;
      EXPECT_NE(answer.status, 405) << method << " " << target << ": " << answer.body;
      if (answer.status == 404) {
        EXPECT_NE(parse(answer.body)->getValue<std::string>("type"), "urn:swhub:problem:not-found")
            << method << " " << target << " is not routed: " << answer.body;
      }
      EXPECT_LT(answer.status, 500) << method << " " << target << ": " << answer.body;
    }
  }
  EXPECT_GT(operations, 25);
}

TEST_F(Operator, SighupReloadsTheRoutesAsTheAdminEndpointDoes) {
  startHub();
  const std::size_t before = routeCount();
  ASSERT_GT(before, 1u);
  // A file that is not valid: the old table keeps running, and so does the hub.
  std::string yaml = readFile(dir_.file("hub.yaml"));
  writeFile(dir_.file("hub.yaml"), replaceAll(yaml, "require: [product-safety]", "require: [product-safty]"));
  ASSERT_EQ(::kill(hub_->pid(), SIGHUP), 0);
  ASSERT_TRUE(hub_->waitForOutput("did you mean 'product-safety'?")) << hub_->output();
  EXPECT_NE(hub_->output().find("SIGHUP: the new configuration was refused; the old one keeps running"),
            std::string::npos) << hub_->output();
  EXPECT_EQ(request(hub_->address(), "GET", "/readyz").status, 200);
  EXPECT_EQ(routeCount(), before);
  const std::string dropped = "  - name: every-filing-to-customs\n    require: [customs]\n";
  ASSERT_NE(yaml.find(dropped), std::string::npos);
  writeFile(dir_.file("hub.yaml"), replaceAll(yaml, dropped, ""));
  ASSERT_EQ(::kill(hub_->pid(), SIGHUP), 0);
  ASSERT_TRUE(hub_->waitForOutput("SIGHUP: routes reloaded from the config file")) << hub_->output();
  EXPECT_EQ(routeCount(), before - 1);
  EXPECT_EQ(request(hub_->address(), "GET", "/readyz").status, 200);
  EXPECT_EQ(hub_->terminate(), 0);
}

}  // namespace
